"""Every unit's rows, one block at a time: a cooperation × KPI, its members' units and then its total.

A block is the smallest part that can be estimated on its own: the total of a cooperation is built from its
members' fits in event time, and no unit reads another block's results. So a block's rows can be kept and
reused as one (reuse.py), and a run made of reused and new blocks gives the same tables as one that
estimates them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import groupby

import numpy as np
import pandas as pd

from orchestration.lib.transform.effects import aggregate as agg
from orchestration.lib.transform.effects import bands as bnd
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.joint import PlaceboStats
from orchestration.lib.transform.effects.panel import PanelSet
from orchestration.lib.transform.effects.results import (
    ESTIMATE_COLUMNS,
    METHOD_NAMES,
    SERIES_COLUMNS,
    WEIGHT_COLUMNS,
    aggregated,
    estimate_one,
    others,
    stats_key,
)
from orchestration.lib.transform.effects.units import PARTIAL_TOTAL, TOTAL, Unit


@dataclass(frozen=True)
class Results:
    estimates: pd.DataFrame
    series: pd.DataFrame
    weights: pd.DataFrame
    bands: pd.DataFrame = field(default_factory=bnd.empty_bands)
    # (agreement, kommun or group, KPI) -> the primary method's placebo statistics, for samlat's joint test.
    placebos: dict[tuple[str, str, str], PlaceboStats] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """One block's rows of each table, as estimate_block makes them (plain dicts, in the tables' order), and
    its units' and groups' placebo statistics."""

    units: int
    rows: list[dict]
    series: list[dict]
    weights: list[dict]
    bands: list[dict]
    placebos: dict[tuple[str, str, str], PlaceboStats]


def blocks(units: list[Unit]) -> list[list[Unit]]:
    """plan_units' units cut into blocks: each cooperation × KPI's members, then its total."""
    return [list(b) for _, b in groupby(units, key=lambda u: (u.agreement_id, u.kpi.kpi_id))]


def estimate_units(
    units: list[Unit], panels: PanelSet, donors: dict[str, np.ndarray], cfg: EffectsConfig
) -> Results:
    """Every method for every unit; donors maps each area to the panel rows allowed as donors."""
    return shape([estimate_block(block, panels, donors, cfg) for block in blocks(units)])


def estimate_block(
    block: list[Unit], panels: PanelSet, donors: dict[str, np.ndarray], cfg: EffectsConfig
) -> Outcome:
    """One block's rows. Members come before their cooperation's total (plan_units' order), so the total
    can be built from the members in event time."""
    out = Outcome(len(block), [], [], [], [], {})
    members: list[agg.MemberFit] = []
    for unit in block:
        # A member credited to another cooperation from its joining year is not in the total.
        done = [m for m in members if m.municipality_id in unit.members]
        if unit.municipality_id == TOTAL and done and len(done) == len(unit.members):
            _add_total(out, unit, done, panels.years, cfg)
            continue
        r, s, w, fitted = estimate_one(unit, panels, donors.get(unit.area, np.array([], dtype=int)), cfg)
        if unit.municipality_id == TOTAL and fitted is None and _enough(done, unit):
            _add_total(out, unit, done, panels.years, cfg, (PARTIAL_TOTAL,))
            continue
        out.rows.extend(r)
        out.series.extend(s)
        out.weights.extend(w)
        if fitted is not None:
            out.bands.extend(bnd.member_bands(unit, fitted.charted, panels.years, cfg.inference.confidence))
            out.placebos[stats_key(unit, unit.municipality_id)] = fitted.stats
        if fitted is not None and unit.municipality_id != TOTAL:
            members.append(fitted.fit)
    return out


def _enough(done: list[agg.MemberFit], unit: Unit) -> bool:
    # A total that cannot be estimated with every member (one has no pre-period of its own: it was in an
    # earlier cooperation of the area, or its values start too late) is built from the members that can
    # be, when they are at least two and at least half of the members; its rows say so (PARTIAL_TOTAL).
    return len(done) >= 2 and 2 * len(done) >= len(unit.members)


def _add_total(
    out: Outcome,
    unit: Unit,
    done: list[agg.MemberFit],
    years: np.ndarray,
    cfg: EffectsConfig,
    flags: tuple[str, ...] = (),
) -> None:
    """The total and the non-host group from the members' fits in event time, with `flags` on their rows
    (as the unit's own flags, which every row of it carries)."""
    unit = replace(unit, flags=(*unit.flags, *flags))
    rows, series, charted, out.placebos[stats_key(unit, TOTAL)] = aggregated(unit, done, TOTAL, years, cfg)
    rest, rest_stats = others(unit, done, years, cfg)
    out.rows.extend(rows + rest)
    out.series.extend(series)
    out.placebos.update(rest_stats)
    out.bands.extend(bnd.total_bands(unit, charted, years, cfg.inference.confidence))


def shape(outcomes: list[Outcome]) -> Results:
    """The blocks' rows as the analysis tables' frames, in the blocks' order."""
    return Results(
        pd.DataFrame([r for o in outcomes for r in o.rows], columns=ESTIMATE_COLUMNS),
        pd.DataFrame([r for o in outcomes for r in o.series], columns=SERIES_COLUMNS),
        pd.DataFrame([r for o in outcomes for r in o.weights], columns=WEIGHT_COLUMNS),
        pd.DataFrame([r for o in outcomes for r in o.bands], columns=bnd.BAND_COLUMNS).replace(
            {"method": METHOD_NAMES}
        ),
        {key: value for o in outcomes for key, value in o.placebos.items()},
    )
