"""The registry's reference data: areas.yaml (KPIs per area) and kommuner.csv (all kommuner)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestration.lib.extract.registry.issues import Issue, display_path, field_name
from orchestration.lib.extract.registry.model import Area, AreaKpi, DerivedMeasure, SignatureKpi
from orchestration.lib.extract.registry.plausible import parse_ranges, unit_issues
from orchestration.lib.extract.registry.signatures import SIGNATURES_FILE, load_signatures
from orchestration.lib.extract.registry.yamlio import line_of, parse

DIMENSIONS = {"kostnad", "kvalitet", "personal"}
BETTER = {"lower", "higher", "none"}


@dataclass
class Reference:
    areas: dict[str, Area] = field(default_factory=dict)
    context_kpis: tuple[AreaKpi, ...] = ()
    scb_contents: dict[str, str] = field(default_factory=dict)
    derived: dict[str, DerivedMeasure] = field(default_factory=dict)
    kommuner: dict[str, str] = field(default_factory=dict)
    lan: dict[str, str] = field(default_factory=dict)
    plausible_ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    signatures: tuple[SignatureKpi, ...] = ()

    def kpi_ids(self) -> set[str]:
        return {k.id for a in self.areas.values() for k in a.kpis} | {k.id for k in self.context_kpis}


# Why a KPI must never give a verdict (areas.yaml `caution`); None: no caution.
CAUTIONS = (None, "mekanisk", "gemensam_efter_start")


def load_reference(root: Path) -> tuple[Reference, list[Issue]]:
    ref = Reference()
    issues = _load_kommuner(root / "kommuner.csv", ref)
    issues += _load_areas(root / "areas.yaml", ref)
    ref.signatures, more = load_signatures(root / SIGNATURES_FILE, set(ref.areas))
    issues += more
    return ref, issues


def _load_kommuner(path: Path, ref: Reference) -> list[Issue]:
    shown = display_path(path)
    if not path.is_file():
        return [Issue(shown, 1, "(filen)", "filen saknas")]
    issues: list[Issue] = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        if next(rows, None) != ["kommunkod", "namn", "lan"]:
            return [Issue(shown, 1, "(rubrik)", "första raden ska vara: kommunkod,namn,lan")]
        for line, row in enumerate(rows, start=2):
            issues += _kommun_row(row, line, shown, ref)
    return issues


def _kommun_row(row: list[str], line: int, shown: str, ref: Reference) -> list[Issue]:
    if len(row) != 3 or not all(cell.strip() for cell in row):
        return [Issue(shown, line, "(rad)", "raden ska ha tre ifyllda kolumner: kommunkod,namn,lan")]
    code, name, lan = (cell.strip() for cell in row)
    if len(code) != 4 or not code.isdigit():
        return [Issue(shown, line, "kommunkod", f"ogiltig kommunkod {code!r}: ska vara fyra siffror")]
    if code in ref.kommuner:
        return [Issue(shown, line, "kommunkod", f"kommunkoden {code} förekommer två gånger")]
    ref.kommuner[code], ref.lan[code] = name, lan
    return []


def _load_areas(path: Path, ref: Reference) -> list[Issue]:
    shown = display_path(path)
    if not path.is_file():
        return [Issue(shown, 1, "(filen)", "filen saknas")]
    doc, issues = parse(path, shown)
    if issues:
        return issues
    if not isinstance(doc, dict) or not isinstance(doc.get("areas"), dict):
        return [Issue(shown, 1, "areas", "avsnittet areas saknas eller är inte ett avsnitt med områden")]
    for key, area in doc["areas"].items():
        issues += _area(str(key), area, doc, shown, ref)
    ref.context_kpis = tuple(_kpis(doc.get("context_kpis") or [], ("context_kpis",), doc, shown, issues))
    ref.scb_contents = {str(k): str(v) for k, v in (doc.get("scb_contents") or {}).items()}
    for key, measure in (doc.get("derived_measures") or {}).items():
        issues += _derived(str(key), measure, doc, shown, ref)
    ref.plausible_ranges, range_issues = parse_ranges(doc, shown)
    return issues + range_issues + unit_issues(_kpi_paths(doc, ref), ref.plausible_ranges, doc, shown)


def _kpi_paths(doc: Any, ref: Reference) -> list[tuple[tuple[str | int, ...], AreaKpi]]:
    """Every KPI of areas.yaml with its place in the file."""
    paths: list[tuple[tuple[str | int, ...], AreaKpi]] = []
    for key, area in ref.areas.items():
        raw_ids = [
            str(item.get("id")) for item in doc["areas"][key].get("kpis") or [] if isinstance(item, dict)
        ]
        paths += [(("areas", key, "kpis", raw_ids.index(k.id)), k) for k in area.kpis if k.id in raw_ids]
    raw_context = [str(item.get("id")) for item in doc.get("context_kpis") or [] if isinstance(item, dict)]
    paths += [(("context_kpis", raw_context.index(k.id)), k) for k in ref.context_kpis if k.id in raw_context]
    return paths


def _area(key: str, raw: Any, doc: Any, shown: str, ref: Reference) -> list[Issue]:
    where = ("areas", key)
    if not isinstance(raw, dict) or "title" not in raw:
        return [Issue(shown, line_of(doc, where), field_name(where), "området saknar title")]
    issues: list[Issue] = []
    kpis = _kpis(raw.get("kpis") or [], (*where, "kpis"), doc, shown, issues)
    codes = tuple(str(v) for v in raw.get("scb_verksamhet") or ())
    issues += _shared_rs_lines(codes, (*where, "scb_verksamhet"), doc, shown, ref)
    ref.areas[key] = Area(
        key=key,
        title=str(raw["title"]),
        scb_verksamhet=codes,
        comparison_group=raw.get("comparison_group"),
        kpis=tuple(kpis),
    )
    return issues


def _shared_rs_lines(
    codes: tuple[str, ...], path: tuple, doc: Any, shown: str, ref: Reference
) -> list[Issue]:
    # A kommun's RS net cost on a line is what each of its cooperations in the line's area costs it: a line
    # in two areas would show the same cost for, say, its överförmyndare and its IT.
    owners = {code: area.key for area in ref.areas.values() for code in area.scb_verksamhet}
    return [
        Issue(
            shown,
            line_of(doc, (*path, i)),
            field_name((*path, i)),
            f"verksamhet {code} hör redan till området {owners[code]}: "
            "en rad i räkenskapssammandraget kan bara mäta ett område",
        )
        for i, code in enumerate(codes)
        if code in owners
    ]


def _kpis(raw: list[Any], where: tuple[str, ...], doc: Any, shown: str, issues: list[Issue]) -> list[AreaKpi]:
    out: list[AreaKpi] = []
    for i, item in enumerate(raw):
        path = (*where, i)
        try:
            kpi = AreaKpi(
                id=str(item["id"]),
                title=str(item["title"]),
                dimension=str(item["dimension"]),
                better=str(item["better"]),
                unit=str(item["unit"]),
                cost_basis=item.get("cost_basis"),
                reported_jointly=bool(item.get("reported_jointly", False)),
                method_break=item.get("method_break"),
                caution=item.get("caution"),
                primary=item.get("primary", False),
            )
        except (KeyError, TypeError) as exc:
            issues.append(
                Issue(shown, line_of(doc, path), field_name(path), f"nyckeltalet saknar fältet {exc}")
            )
            continue
        issues += _dimension_issues(kpi.dimension, kpi.better, path, doc, shown)
        if kpi.caution not in CAUTIONS:
            issues.append(
                Issue(
                    shown,
                    line_of(doc, path),
                    field_name((*path, "caution")),
                    "ska vara mekanisk eller gemensam_efter_start",
                )
            )
        issues += _primary_issues(kpi, out, path, doc, shown)
        out.append(kpi)
    return out


def _primary_issues(kpi: AreaKpi, earlier: list[AreaKpi], path: tuple, doc: Any, shown: str) -> list[Issue]:
    """`primary: true` marks the one KPI whose test decides its dimension: one that can give a verdict."""
    where = (shown, line_of(doc, path), field_name((*path, "primary")))
    if not isinstance(kpi.primary, bool):
        return [Issue(*where, "ska vara true eller false")]
    if not kpi.primary:
        return []
    if kpi.better == "none" or kpi.caution is not None:
        return [Issue(*where, "ett primärt nyckeltal måste ha en riktning (better) och ingen caution")]
    if any(k.primary and k.dimension == kpi.dimension for k in earlier):
        return [Issue(*where, f"området har redan ett primärt nyckeltal i dimensionen {kpi.dimension}")]
    return []


def _dimension_issues(dimension: str, better: str, path: tuple, doc: Any, shown: str) -> list[Issue]:
    issues = []
    if dimension not in DIMENSIONS:
        issues.append(
            Issue(
                shown,
                line_of(doc, path),
                field_name((*path, "dimension")),
                "ska vara kostnad, kvalitet eller personal",
            )
        )
    if better not in BETTER:
        issues.append(
            Issue(
                shown, line_of(doc, path), field_name((*path, "better")), "ska vara lower, higher eller none"
            )
        )
    return issues


def _derived(key: str, raw: Any, doc: Any, shown: str, ref: Reference) -> list[Issue]:
    path = ("derived_measures", key)
    try:
        measure = DerivedMeasure(
            key, str(raw["title"]), str(raw["dimension"]), str(raw["better"]), str(raw["unit"])
        )
    except (KeyError, TypeError) as exc:
        return [Issue(shown, line_of(doc, path), field_name(path), f"måttet saknar fältet {exc}")]
    ref.derived[key] = measure
    return _dimension_issues(measure.dimension, measure.better, path, doc, shown)
