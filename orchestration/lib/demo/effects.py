"""Cooperation effects injected into the panel, of the sizes the research reports.

On average cooperation seldom lowers costs: it can brake cost growth, raise quality and secure staff; the
host fares better than the other members; a gymnasium förbund can lower costs while results fall too.
Effects start the year after a member joined and stop when it leaves or the cooperation ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from orchestration.lib.demo.cast import Cast
from orchestration.lib.demo.facts import TOTAL_VERKSAMHET
from orchestration.lib.demo.panel import Panel
from orchestration.lib.demo.specs import YEARS, verksamhet_spec
from orchestration.lib.extract.registry.model import Agreement, Member, Registry


@dataclass(frozen=True)
class EffectSpec:
    """target: a KPI id or an SCB verksamhet code (own gross cost). kind: growth (change of the yearly
    growth rate), pct (relative level shift), abs (level shift in the KPI's unit), joint (the members
    report one joint figure; `member` is the joint body's own relative cost change)."""

    target: str
    kind: str
    member: float
    host: float


E = EffectSpec
SCENARIO: dict[str, tuple[EffectSpec, ...]] = {
    "raddningstjanst": (
        E("270", "growth", -0.010, -0.020),
        E("U07442", "abs", -1.0, -2.5),
        E("N07035", "pct", 0.15, 0.30),
        E("N07032", "pct", 0.10, 0.20),
    ),
    # transaction costs: the members pay a little more, the host a little less
    "miljo_halsoskydd": (
        E("261", "pct", 0.03, -0.02),
        E("U07449", "abs", 4.0, 5.0),
        E("U07455", "abs", 3.0, 4.0),
    ),
    "bygg_plan": (
        E("215", "pct", 0.0, -0.02),
        E("N00820", "pct", -0.15, -0.25),
        E("U07447", "abs", 3.0, 4.0),
    ),
    "overformyndare": (E("U37009", "joint", -0.08, -0.08),),
    # cost falls, and so do results
    "gymnasieskola/kommunalforbund": (
        E("450", "pct", -0.06, -0.08),
        E("N17001", "abs", -5.0, -6.0),
        E("N17441", "abs", -3.0, -2.0),
    ),
    "gymnasieskola": (E("450", "pct", -0.02, -0.04),),
    "va": (E("865", "growth", -0.010, -0.015), E("N45924", "pct", -0.03, -0.05)),
    "avfall": (E("870", "pct", 0.0, -0.03), E("U07489", "abs", 2.0, 3.0)),
}
JOINT_WEIGHT_KPI = {"U37009": "U37002"}  # a joint cost per case is weighted by the number of cases
SELLING_FORMS = frozenset({"avtalssamverkan", "gemensam_namnd"})  # a host that bills the members


def scenario(agreement: Agreement) -> tuple[EffectSpec, ...]:
    return SCENARIO.get(f"{agreement.area}/{agreement.form}", SCENARIO.get(agreement.area, ()))


def _ended(agreement: Agreement, member: Member, year: int) -> bool:
    ends = [d for d in (member.left, agreement.end) if d is not None]
    return any(date(year, 12, 31) > d for d in ends)


def effect_years(agreement: Agreement, member: Member) -> np.ndarray:
    """Years an effect applies: from the year after joining while still a member all year."""
    first = max(member.joined.year, agreement.start.year) + 1
    return np.array([y >= first and not _ended(agreement, member, y) for y in YEARS])


def member_years(agreement: Agreement, member: Member) -> np.ndarray:
    """Years the kommun is a member all year (a joint figure or a host's sales cover those)."""
    joined = max(member.joined, agreement.start)
    first = joined.year if (joined.month, joined.day) == (1, 1) else joined.year + 1
    return np.array([y >= first and not _ended(agreement, member, y) for y in YEARS])


def lead_kommun(agreement: Agreement) -> str | None:
    """The host kommun, or a kommunalförbund's seat: the member research finds fares best."""
    return agreement.host or agreement.seat


def _size(spec: EffectSpec, agreement: Agreement, kommun: str) -> float:
    return spec.host if kommun == lead_kommun(agreement) else spec.member


def _apply_member(panel: Panel, spec: EffectSpec, key: str, i: int, size: float, on: np.ndarray) -> None:
    before = panel[key][i].copy()
    if spec.kind == "growth":
        steps = np.cumsum(on)
        panel[key][i] = before * np.where(on, (1 + size) ** steps, 1.0)
    elif spec.kind == "pct":
        panel[key][i] = before * np.where(on, 1 + size, 1.0)
    else:
        panel[key][i] = before + np.where(on, size, 0.0)
    if key.startswith("own:") and key != f"own:{TOTAL_VERKSAMHET}" and f"own:{TOTAL_VERKSAMHET}" in panel:
        panel[f"own:{TOTAL_VERKSAMHET}"][i] += panel[key][i] - before


def _apply_joint(panel: Panel, agreement: Agreement, spec: EffectSpec, cast: Cast) -> None:
    """From the first full year every member reports the joint body's figure: the case-weighted mean of
    what the members would have had, lowered by the body's own economies from the year after start."""
    members = [m for m in agreement.members if m.kommun in cast.ids]
    rows = [cast.index(m.kommun) for m in members]
    reporting = np.vstack([member_years(agreement, m) for m in members])
    weight_key = JOINT_WEIGHT_KPI.get(spec.target)
    weights = panel["N01951"][rows] * (panel[weight_key][rows] if weight_key in panel else 1.0)
    values = panel[spec.target][rows]
    totals = (weights * values * reporting).sum(axis=0)
    joint = totals / np.maximum((weights * reporting).sum(axis=0), 1e-9)
    economy = np.array([y > agreement.start.year for y in YEARS])
    joint = joint * np.where(economy, 1 + spec.member, 1.0)
    panel[spec.target][rows] = np.where(reporting, joint[None, :], values)


def _add_sales(panel: Panel, agreement: Agreement, codes: tuple[str, ...], cast: Cast) -> None:
    """A host that bills the other members books the sale as income and the cost as its own gross cost."""
    if agreement.form not in SELLING_FORMS or agreement.host not in cast.ids:
        return
    h = cast.index(agreement.host)
    for code in (c for c in codes if f"own:{c}" in panel):
        for m in agreement.members:
            if m.kommun == agreement.host or m.kommun not in cast.ids:
                continue
            i = cast.index(m.kommun)
            bought = panel[f"own:{code}"][i] * panel["N01951"][i] * verksamhet_spec(code).sales_share
            panel[f"sales:{code}"][h] += (
                np.where(member_years(agreement, m), bought, 0.0) / panel["N01951"][h]
            )


def apply_agreement(panel: Panel, agreement: Agreement, registry: Registry, cast: Cast) -> Panel:
    """A copy of the panel with this agreement's effects applied."""
    out = {k: v.copy() for k, v in panel.items()}
    for spec in scenario(agreement):
        key = spec.target if spec.target in out else f"own:{spec.target}"
        if key not in out:
            continue
        if spec.kind == "joint":
            _apply_joint(out, agreement, spec, cast)
            continue
        for m in agreement.members:
            if m.kommun in cast.ids:
                size = _size(spec, agreement, m.kommun)
                _apply_member(out, spec, key, cast.index(m.kommun), size, effect_years(agreement, m))
    _add_sales(out, agreement, registry.areas[agreement.area].scb_verksamhet, cast)
    return out
