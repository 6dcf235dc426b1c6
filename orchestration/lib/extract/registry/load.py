"""Loading the registry directory: every file parsed, validated and cross-checked before use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orchestration.lib.extract.registry import rules, rules_money
from orchestration.lib.extract.registry.build import build_agreement, date_issues
from orchestration.lib.extract.registry.context import FileContext
from orchestration.lib.extract.registry.issues import Issue, RegistryError, display_path
from orchestration.lib.extract.registry.model import Agreement, Registry
from orchestration.lib.extract.registry.overlaps import overlap_warnings
from orchestration.lib.extract.registry.reference import Reference, load_reference
from orchestration.lib.extract.registry.schema import SCHEMA_FILE, schema_issues
from orchestration.lib.extract.registry.yamlio import line_of, parse, to_plain

COOPERATIONS = "cooperations"


def load_registry(path: Path) -> Registry:
    """The registry in path (areas.yaml, kommuner.csv, cooperations/); RegistryError if it is invalid."""
    registry, issues = collect(path)
    if issues or registry is None:
        raise RegistryError(issues)
    return registry


def collect(root: Path) -> tuple[Registry | None, list[Issue]]:
    """The registry and every issue found in it (the registry is None only if it cannot be built at all)."""
    if not (root / COOPERATIONS).is_dir():
        return None, [Issue(display_path(root), 1, "(mapp)", f"mappen {COOPERATIONS}/ saknas i registret")]
    ref, issues = load_reference(root)
    loaded = [_load_file(file, root, ref) for file in sorted((root / COOPERATIONS).glob("*.y*ml"))]
    _cross_check(loaded)
    issues += [issue for ctx, _ in loaded for issue in ctx.issues]
    agreements = [a for _, a in loaded if a is not None]
    registry = Registry(
        agreements=tuple(sorted(agreements, key=lambda a: a.id)),
        areas=ref.areas,
        context_kpis=ref.context_kpis,
        kommuner=ref.kommuner,
        scb_contents=ref.scb_contents,
        lan=ref.lan,
        derived_measures=ref.derived,
        plausible_ranges=ref.plausible_ranges,
        warnings=tuple(sorted(overlap_warnings(loaded))),
        signatures=ref.signatures,
    )
    return registry, sorted(set(issues))


def _load_file(file: Path, root: Path, ref: Reference) -> tuple[FileContext, Agreement | None]:
    shown = display_path(file)
    doc, issues = parse(file, shown)
    ctx = FileContext(shown=shown, doc=doc, ref=ref, issues=issues)
    if issues:
        return ctx, None
    if doc is None:
        ctx.add((), "filen är tom")
        return ctx, None
    plain = to_plain(doc)
    ctx.issues += schema_issues(SCHEMA_FILE, plain, doc, shown)
    ctx.issues += date_issues(plain, doc, shown)
    if ctx.issues:
        return ctx, None
    agreement = build_agreement(plain, str(file.relative_to(root)))
    _check_one(agreement, plain, file.stem, ctx)
    return ctx, agreement


def _check_one(a: Agreement, plain: dict[str, Any], stem: str, ctx: FileContext) -> None:
    rules.check_identity(a, stem, ctx)
    rules.check_kommuner(a, ctx)
    rules.check_host(a, ctx)
    rules.check_dates(a, ctx)
    rules.check_member_overlap(a, ctx)
    rules_money.check_cost_keys(a, ctx)
    rules_money.check_targets(a, plain.get("targets") or [], ctx)
    rules_money.check_ledger(a, ctx)


def _cross_check(loaded: list[tuple[FileContext, Agreement | None]]) -> None:
    """Rules across files: ids are unique, predecessor/successor links resolve both ways."""
    first: dict[str, FileContext] = {}
    by_id: dict[str, Agreement] = {}
    for ctx, agreement in loaded:
        raw_id = ctx.doc.get("id") if isinstance(ctx.doc, dict) else None
        if not isinstance(raw_id, str):
            continue
        if raw_id in first:
            where = f"{first[raw_id].shown}:{line_of(first[raw_id].doc, ('id',))}"
            ctx.add(("id",), f"id {raw_id!r} används redan i {where}")
            continue
        first[raw_id] = ctx
        if agreement is not None:
            by_id[agreement.id] = agreement
    for ctx, agreement in loaded:
        if agreement is not None:
            rules.check_links(agreement, by_id, set(first), ctx)
