"""'Kan inte avgöras' of three kinds, each with what would settle it, in Swedish for the report.

ej_matbart: no KPI measures the dimension, or none can be judged (mechanical effect, poor fit, broken
pre-trend); for_lite_data: too few years after joining yet, with the year from which it can be judged;
ingen_saker_skillnad: judged but no assured difference, with the smallest effect the data could detect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orchestration.lib.transform.effects import texts

if TYPE_CHECKING:
    from orchestration.lib.transform.effects.config import EffectsConfig

KINDS = ("ej_matbart", "for_lite_data", "ingen_saker_skillnad")
_NOT_YET = ("kort_efterperiod",)
# What an open staffing question needs: Kolada reports a cooperation's staff where they are employed (a
# förbund's in the förbund, a gemensam nämnd's and an agreement's in the kommun that runs it), not per member.
_STAFF_TEXT = (
    "Samverkans personal redovisas inte per medlemskommun i Kolada (ett kommunalförbunds personal redovisas "
    "för förbundet, en gemensam nämnds och ett avtals hos kommunen som har verksamheten), så personalen kan "
    "inte jämföras med kommuner utanför samverkan. Det avgörs med samverkans egna mått i registret (till "
    "exempel personalomsättning, sårbarhet eller kompetens)."
)


@dataclass(frozen=True)
class Undecided:
    kind: str | None
    text: str | None
    mde_abs: float = math.nan
    mde_pct: float = math.nan
    judgeable_from_year: int | None = None


DECIDED = Undecided(None, None)


# What would settle a dimension whose KPIs could not be judged, by the flags that stopped them (in this
# order); the cooperation's own measures in the registry settle any of them.
_SETTLES = (
    ({"data_saknas", "medlem_utan_data"}, "medlemmarnas egna värden för nyckeltalet i Kolada"),
    (
        {"mekanisk_effekt", "nettokostnad_vardkommun"},
        "ett nyckeltal per kommun som samverkan inte ändrar mekaniskt",
    ),
    (
        {"kort_forperiod", "tidigare_samverkan", "metodbrott"},
        "ett nyckeltal med fler år före inträdet",
    ),
    (
        {"fortrend_bruten", "trendkanslig", "dalig_anpassning", "fa_givare", "for_fa_placebo"},
        "jämförelsekommuner som följde medlemmarna före inträdet",
    ),
)
_SETTLES_ANY = "ett nyckeltal per kommun som mäter {dimension}"


def not_measurable(dimension: str, reasons: list[str], flags: frozenset[str] = frozenset()) -> Undecided:
    """No KPI with a direction measures the dimension in this area, or `flags` stopped every one."""
    if dimension == "personal":
        return Undecided("ej_matbart", _STAFF_TEXT)
    why = f" ({'; '.join(reasons)})" if reasons else ""
    settles = [text for stopping, text in _SETTLES if stopping & flags] or [
        _SETTLES_ANY.format(dimension=dimension)
    ]
    return Undecided(
        "ej_matbart",
        f"Inget nyckeltal mäter {dimension} för området på ett sätt som går att bedöma{why}. Det avgörs med "
        f"{', '.join(settles)} eller med samverkans egna mått i registret.",
    )


def blocked(dimension: str, judged: list[Any], cfg: EffectsConfig) -> Undecided:
    """Every KPI is blocked: too early (from which year), or not measurable (why)."""
    # A post-period ended by another cooperation's later start will not grow: not "wait for more years".
    waiting = [
        j.row
        for j in judged
        if j.row is not None
        and set(texts.row_flags(j.row)) & set(_NOT_YET)
        and "tillskrivs_annan_samverkan" not in texts.row_flags(j.row)
    ]
    if waiting:
        year = min(int(r["join_year"]) for r in waiting if _num(r.get("join_year")) > 0)
        year += cfg.estimation.min_post_years
        return Undecided(
            "for_lite_data",
            f"För få år efter inträdet. Kan bedömas när Koladas utfall för {year} finns "
            f"(normalt under {year + 1}).",
            judgeable_from_year=year,
        )
    telling = {
        *cfg.verdicts.blocking_flags,
        "fortrend_bruten",
        "trendkanslig",
        "nettokostnad_vardkommun",
        "tillskrivs_annan_samverkan",
    }
    # Each KPI's flags that stopped it: its row's, and those its status found (the DiD's pre-trend test).
    stopped = [(f, j.row) for j in judged if j.row for f in {*texts.row_flags(j.row), *j.blocking} & telling]
    flags = frozenset(f for f, _ in stopped)
    reasons = sorted({texts.flag_text(f, row) for f, row in stopped})
    if any(j.status == "motstridig" for j in judged):
        reasons.append("jämförelsemetoderna pekar åt olika håll")
    return not_measurable(dimension, reasons, flags)


def all_within(judged: list[Any], smallest_pct: float | None) -> bool:
    """Every judged KPI's interval lies inside ± the smallest relevant effect: no relevant effect."""
    if smallest_pct is None or not judged:
        return False
    for j in judged:
        per = _per_unit_pct(j.row)
        low, high = _num(j.row.get("ci_low")) * per, _num(j.row.get("ci_high")) * per
        if (
            not (math.isfinite(low) and math.isfinite(high))
            or min(low, high) < -smallest_pct
            or max(low, high) > smallest_pct
        ):
            return False
    return True


def no_difference(judged: list[Any]) -> Undecided:
    """The smallest effect the data could have detected, from the most sensitive KPI."""
    j = min(
        judged,
        key=lambda j: _num(j.row.get("mde_pct")) if math.isfinite(_num(j.row.get("mde_pct"))) else math.inf,
    )
    r = j.row
    mde, pct = _num(r.get("mde")), _num(r.get("mde_pct"))
    unit = j.kpi.unit
    pct_text = f" ({texts.number(pct, 0)} %)" if math.isfinite(pct) else ""
    text = (
        f"Ingen säkerställd skillnad. Med dessa data hade en effekt på {j.kpi.title.rstrip('.')} om minst "
        f"{texts.number(mde)} {unit}{pct_text} upptäckts; intervallet är {texts.number(r.get('ci_low'))} "
        f"till {texts.number(r.get('ci_high'))} {unit}. Fler år efter inträdet ger ett skarpare test."
    )
    return Undecided("ingen_saker_skillnad", text, mde, pct)


def unassured(adjusted: dict[str, float], alpha: float) -> Undecided:
    """Samlat: purpose dimensions that point a way, but whose p adjusted for the purposes tested together
    (overall.purpose_p) is above alpha."""
    found = ", ".join(f"{d} (justerat p = {texts.number(p, 3)})" for d, p in adjusted.items())
    text = (
        f"Förändringen i {found} håller inte när samverkans syften prövas tillsammans: p-värdet justerat "
        f"för syftena måste vara högst {texts.number(alpha, 3)}. Fler år efter inträdet eller fler "
        "jämförelsekommuner ger ett skarpare test."
    )
    return Undecided("ingen_saker_skillnad", text)


def overall(opens: list[Undecided]) -> Undecided:
    """Samlat: the most actionable of its purpose dimensions' open questions."""
    for kind in ("ingen_saker_skillnad", "for_lite_data", "ej_matbart"):
        found = [o for o in opens if o.kind == kind]
        if found:
            return (
                found[0] if kind != "for_lite_data" else min(found, key=lambda o: o.judgeable_from_year or 0)
            )
    return Undecided("ej_matbart", "Inget av samverkans syften går att mäta med nyckeltalen.")


def _per_unit_pct(row: dict) -> float:
    # effect_pct / effect is 100 / |counterfactual level|; mde's ratio serves when the effect is ~0.
    for num, den in (("effect_pct", "effect"), ("mde_pct", "mde")):
        a, b = _num(row.get(num)), _num(row.get(den))
        if math.isfinite(a) and math.isfinite(b) and abs(b) > 1e-12:
            return abs(a / b)
    return math.nan


def _num(value: object) -> float:
    return texts.as_float(value)
