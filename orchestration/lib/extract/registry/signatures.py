"""registry/signatures.yaml: the Kolada KPIs whose identical values reveal a cooperation (METOD.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orchestration.lib.extract.registry.issues import Issue, display_path, field_name
from orchestration.lib.extract.registry.model import SignatureKpi
from orchestration.lib.extract.registry.yamlio import line_of, parse

SIGNATURES_FILE = "signatures.yaml"
KINDS = ("joint_value", "member_flag", "form_code")
FORMS = ("kommunalforbund", "gemensam_namnd", "avtalssamverkan", "bolag", "ovrig")


def load_signatures(path: Path, areas: set[str]) -> tuple[tuple[SignatureKpi, ...], list[Issue]]:
    """The signature KPIs; none (and no issue) when the file is absent, since discovery is optional."""
    if not path.is_file():
        return (), []
    shown = display_path(path)
    doc, issues = parse(path, shown)
    if issues:
        return (), issues
    if not isinstance(doc, dict) or not isinstance(doc.get("families"), dict):
        return (), [Issue(shown, 1, "families", "avsnittet families saknas eller är inte ett avsnitt")]
    out: list[SignatureKpi] = []
    for family, raw in doc["families"].items():
        out += _family(str(family), raw, areas, doc, shown, issues)
    return tuple(out), issues


def _family(
    family: str, raw: Any, areas: set[str], doc: Any, shown: str, issues: list[Issue]
) -> list[SignatureKpi]:
    where = ("families", family)
    line = line_of(doc, where)
    if not isinstance(raw, dict) or raw.get("area") not in areas:
        issues.append(
            Issue(shown, line, field_name((*where, "area")), "okänt område; ange en nyckel i areas.yaml")
        )
        return []
    form = raw.get("form")
    if form is not None and form not in FORMS:
        issues.append(Issue(shown, line, field_name((*where, "form")), f"ska vara en av {', '.join(FORMS)}"))
    out = []
    for i, item in enumerate(raw.get("kpis") or []):
        path = (*where, "kpis", i)
        if not isinstance(item, dict) or item.get("kind") not in KINDS or not item.get("id"):
            issues.append(
                Issue(
                    shown, line_of(doc, path), field_name(path), f"behöver id och kind ({', '.join(KINDS)})"
                )
            )
            continue
        title = str(item.get("title") or item["id"])
        family_title = str(raw.get("title") or family)
        out.append(
            SignatureKpi(
                family, str(raw["area"]), str(item["id"]), str(item["kind"]), title, form, family_title
            )
        )
    return out
