"""One KPI's status for one unit, and Holm's step-down over a dimension's KPIs."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

from orchestration.lib.transform.effects import texts
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.units import Kpi, true

USABLE = ("battre", "samre", "oforandrad")


@dataclass
class Judged:
    """One KPI's status: battre, samre, oforandrad, obedombar, utesluten or utan_riktning."""

    kpi: Kpi
    status: str
    text: str
    row: dict | None = None
    members: dict[str, str] = field(default_factory=dict)  # kommun -> status, for the member rules
    rows: dict[str, dict] = field(default_factory=dict)  # kommun -> its estimate
    host: str = ""
    role: str = ""  # its part in the dimension's verdict for the unit (roles.kpi_role)
    blocking: tuple[str, ...] = ()  # the flags that kept it from being judged (obedombar)


def classify(row: dict | None, others: list[dict], kpi: Kpi, has_cost: bool, cfg: EffectsConfig) -> Judged:
    """The status of one estimate at level alpha, before the dimension's multiplicity correction."""
    if not kpi.directed:
        return Judged(kpi, "utan_riktning", "")
    if row is None:
        return Judged(kpi, "obedombar", f"{kpi.title}: ingen skattning.")
    flags = texts.row_flags(row)
    if cfg.verdicts.host_prefers_cost_basis and has_cost and "nettokostnad_vardkommun" in flags:
        net = texts.flag_text("nettokostnad_vardkommun", row)
        return Judged(kpi, "utesluten", f"{kpi.title}: {net}.", row)
    blocking = [f for f in flags if f in cfg.verdicts.blocking_flags or f == "fortrend_bruten"]
    # The DiD's pre-trend test guards the primary estimate too: a trend of the member's own is what
    # neither method can tell from an effect.
    if any(true(o.get("pretrend_violated")) for o in others) and "fortrend_bruten" not in blocking:
        blocking.append("fortrend_bruten")
    if blocking or not _finite(row, "p_value"):
        why = texts.flags_text(blocking + [f for f in flags if f in texts.WHY_BLOCKED], row)
        text = f"{kpi.title.rstrip('.')}: kan inte bedömas ({why})."
        return Judged(kpi, "obedombar", text, row, blocking=tuple(blocking))
    sentence = texts.finding(kpi.title, kpi.unit, row, cfg.inference.confidence)
    status = _direction(row, kpi, cfg.verdicts.alpha)
    if status in ("battre", "samre") and _disagree(row, others):
        return Judged(kpi, "motstridig", f"{sentence} Jämförelsemetoderna pekar åt olika håll.", row)
    if status in ("battre", "samre") and "trendkanslig" in flags:
        why = texts.flag_text("trendkanslig", row).capitalize()
        return Judged(kpi, "motstridig", f"{sentence} {why}.", row)
    return Judged(kpi, status, sentence, row)


def _finite(row: dict, key: str) -> bool:
    value = row.get(key)
    return value is not None and not pd.isna(value) and math.isfinite(float(value))


def _direction(row: dict, kpi: Kpi, alpha: float) -> str:
    if float(row["p_value"]) > alpha:
        return "oforandrad"
    good = float(row["effect"]) < 0 if kpi.better == "lower" else float(row["effect"]) > 0
    return "battre" if good else "samre"


def _disagree(row: dict, others: list[dict]) -> bool:
    # A direction needs the robustness methods on the same side of zero, whatever their p-values.
    return any(_finite(o, "effect") and float(o["effect"]) * float(row["effect"]) <= 0 for o in others)


def holm(judged: list[Judged], alpha: float) -> tuple[list[Judged], float]:
    """Holm's step-down over the dimension's usable KPIs; significant ones keep their direction."""
    usable = sorted((j for j in judged if j.status in USABLE), key=lambda j: float(j.row["p_value"]))  # type: ignore[index]
    out, stopped, smallest = [], False, math.nan
    for i, j in enumerate(usable):
        adjusted = min(1.0, float(j.row["p_value"]) * (len(usable) - i))  # type: ignore[index]
        smallest = adjusted if i == 0 else smallest
        stopped = stopped or adjusted > alpha
        out.append(replace(j, status="oforandrad") if stopped and j.status != "oforandrad" else j)
    return out, smallest
