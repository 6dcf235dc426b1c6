"""areas.yaml's plausible_ranges: the lowest and highest value a KPI of each unit can physically take.

The raw Kolada suite quarantines values outside their KPI's range (expectations/raw_kolada.py), so
an absurd value never reaches the estimators.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from orchestration.lib.extract.registry.issues import Issue, field_name
from orchestration.lib.extract.registry.model import AreaKpi
from orchestration.lib.extract.registry.yamlio import line_of

SECTION = "plausible_ranges"


def parse_ranges(doc: Any, shown: str) -> tuple[dict[str, tuple[float, float]], list[Issue]]:
    """unit -> (min, max) from the section, and an issue for every malformed entry."""
    raw = doc.get(SECTION) if isinstance(doc, dict) else None
    if not isinstance(raw, dict):
        return {}, [Issue(shown, 1, SECTION, "avsnittet saknas: varje enhet behöver ett rimligt intervall")]
    ranges: dict[str, tuple[float, float]] = {}
    issues: list[Issue] = []
    for unit, bounds in raw.items():
        parsed = _bounds(bounds)
        if parsed is None:
            path = (SECTION, str(unit))
            message = "ska vara [lägsta, högsta] med två ändliga tal där lägsta < högsta"
            issues.append(Issue(shown, line_of(doc, path), field_name(path), message))
            continue
        ranges[str(unit)] = parsed
    return ranges, issues


def _bounds(raw: Any) -> tuple[float, float] | None:
    if not isinstance(raw, list) or len(raw) != 2:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw):
        return None
    low, high = float(raw[0]), float(raw[1])
    return (low, high) if math.isfinite(low) and math.isfinite(high) and low < high else None


def unit_issues(
    kpis: Iterable[tuple[tuple[str | int, ...], AreaKpi]],
    ranges: dict[str, tuple[float, float]],
    doc: Any,
    shown: str,
) -> list[Issue]:
    """A KPI whose unit has no range could not be checked for absurd values: that is an error."""
    return [
        Issue(
            shown,
            line_of(doc, path),
            field_name((*path, "unit")),
            f"enheten {kpi.unit!r} saknar rimligt intervall under {SECTION}",
        )
        for path, kpi in kpis
        if kpi.unit not in ranges
    ]


def never_negative(kpi: AreaKpi, ranges: dict[str, tuple[float, float]]) -> bool:
    """A cost whose unit cannot go below zero (kr per ställföreträdarskap): below zero is a data error.

    Not every "Kostnad" KPI: Kolada's Kostnad kr/inv is gross cost minus sales to other kommuner, which
    is negative for a host that sells more than it spends (real values do that). The unit's range says.
    """
    low = ranges.get(kpi.unit, (None, None))[0]
    return kpi.dimension == "kostnad" and low is not None and low >= 0
