"""Verdicts per cooperation and dimension, and overall, from the effect estimates (rules in rules.yaml)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from orchestration.lib.effects import texts
from orchestration.lib.effects.config import DIMENSIONS, EffectsConfig
from orchestration.lib.effects.units import TOTAL, Kpi

VERDICT_COLUMNS = ["agreement_id", "dimension", "in_purpose", "verdict", "rule", "reasons"]
SCALE = ("levererar_inte", "levererar_delvis", "levererar")


@dataclass
class Judged:
    """One KPI's status: battre, samre, oforandrad, obedombar, utesluten or utan_riktning."""

    kpi: Kpi
    status: str
    text: str
    members: dict[str, str] = field(default_factory=dict)  # kommun -> status, for the member rules
    rows: dict[str, dict] = field(default_factory=dict)  # kommun -> its estimate
    host: str = ""


@dataclass(frozen=True)
class DimVerdict:
    verdict: str
    rule: str
    reasons: str
    worse: bool  # a significant deterioration in some KPI of the dimension


def judge_all(
    estimates: pd.DataFrame, agreements: pd.DataFrame, kpis: dict[str, list[Kpi]], cfg: EffectsConfig
) -> pd.DataFrame:
    """Four rows per cooperation: kostnad, kvalitet, personal and samlat."""
    by_key: dict[tuple[str, str], list[dict]] = {}
    for r in estimates.to_dict("records"):
        by_key.setdefault((r["agreement_id"], r["kpi_id"]), []).append(r)
    rows: list[dict] = []
    for agr in agreements.itertuples(index=False):
        judged = [
            _judge_kpi(by_key.get((agr.agreement_id, k.kpi_id), []), k, kpis.get(str(agr.area), []), cfg)
            for k in kpis.get(str(agr.area), [])
        ]
        purpose = _purpose(agr.purpose, cfg)
        dims = {d: judge_dimension([j for j in judged if j.kpi.dimension == d], d, cfg) for d in DIMENSIONS}
        for d, v in dims.items():
            rows.append(_out(agr.agreement_id, d, d in purpose, v))
        rows.append(_out(agr.agreement_id, "samlat", None, judge_overall(dims, purpose, cfg)))
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS)


def _out(agreement_id: str, dimension: str, in_purpose: bool | None, v: DimVerdict) -> dict:
    return {
        "agreement_id": agreement_id,
        "dimension": dimension,
        "in_purpose": in_purpose,
        "verdict": v.verdict,
        "rule": v.rule,
        "reasons": v.reasons,
    }


def _purpose(value: object, cfg: EffectsConfig) -> tuple[str, ...]:
    items = [] if value is None or (isinstance(value, float) and math.isnan(value)) else list(value)
    chosen = tuple(d for d in DIMENSIONS if d in {str(x) for x in items})
    return chosen or cfg.verdicts.default_purpose


def _judge_kpi(rows: list[dict], kpi: Kpi, area_kpis: list[Kpi], cfg: EffectsConfig) -> Judged:
    """The cooperation's status on one KPI, with each member's status for the member rules."""
    has_cost = any(k.cost_basis == "kostnad" and k.dimension == kpi.dimension for k in area_kpis)
    primary = [r for r in rows if r["method"] == cfg.estimation.primary_method]
    other = [r for r in rows if r["method"] != cfg.estimation.primary_method]
    judged = classify(_pick(primary, TOTAL), _pick(other, TOTAL), kpi, has_cost, cfg)
    for r in primary:
        if r["municipality_id"] != TOTAL:
            judged.members[r["municipality_id"]] = classify(r, None, kpi, has_cost, cfg).status
            judged.rows[r["municipality_id"]] = r
        if _true(r.get("is_host")):
            judged.host = str(r["municipality_id"])
    return judged


def _true(value: object) -> bool:
    return value is not None and not pd.isna(value) and bool(value)


def _pick(rows: list[dict], municipality_id: str) -> dict | None:
    return next((r for r in rows if r["municipality_id"] == municipality_id), None)


def classify(row: dict | None, other: dict | None, kpi: Kpi, has_cost: bool, cfg: EffectsConfig) -> Judged:
    """The status of one estimate: significant and in which direction, or why it cannot be judged."""
    if kpi.better not in ("lower", "higher"):
        return Judged(kpi, "utan_riktning", "")
    if row is None:
        return Judged(kpi, "obedombar", f"{kpi.title}: ingen skattning.")
    flags = [f for f in str(row.get("flags") or "").split(",") if f]
    if cfg.verdicts.host_prefers_cost_basis and has_cost and "nettokostnad_vardkommun" in flags:
        return Judged(kpi, "utesluten", f"{kpi.title}: {texts.FLAG_TEXT['nettokostnad_vardkommun']}.")
    blocking = [f for f in flags if f in cfg.verdicts.blocking_flags]
    if blocking or not _finite(row, "p_value"):
        why = texts.flags_text(blocking + [f for f in flags if f in texts.WHY_BLOCKED])
        return Judged(kpi, "obedombar", f"{kpi.title.rstrip('.')}: kan inte bedömas ({why}).")
    sentence = texts.finding(kpi.title, kpi.unit, row, cfg.inference.confidence)
    status = _direction(row, kpi, cfg)
    if status in ("battre", "samre") and _contradicts(row, other, cfg):
        return Judged(kpi, "obedombar", f"{sentence} Jämförelsemetoderna pekar åt olika håll.")
    return Judged(kpi, status, sentence)


def _finite(row: dict, key: str) -> bool:
    value = row.get(key)
    return value is not None and not pd.isna(value) and math.isfinite(float(value))


def _direction(row: dict, kpi: Kpi, cfg: EffectsConfig) -> str:
    if float(row["p_value"]) > cfg.verdicts.alpha:
        return "oforandrad"
    good = float(row["effect"]) < 0 if kpi.better == "lower" else float(row["effect"]) > 0
    return "battre" if good else "samre"


def _contradicts(row: dict, other: dict | None, cfg: EffectsConfig) -> bool:
    # The second method counts against the first only when it is itself credible and significant.
    if other is None or not _finite(other, "p_value") or _true(other.get("pretrend_violated")):
        return False
    significant = float(other["p_value"]) <= cfg.verdicts.alpha
    return significant and float(other["effect"]) * float(row["effect"]) < 0


def judge_dimension(judged: list[Judged], dimension: str, cfg: EffectsConfig) -> DimVerdict:
    """First matching rule wins; see METOD.md for the order and its reasons."""
    directed = [j for j in judged if j.status != "utan_riktning"]
    usable = [j for j in directed if j.status in ("battre", "samre", "oforandrad")]
    better = [j for j in usable if j.status == "battre"]
    worse = [j for j in usable if j.status == "samre"]
    detail = " ".join(j.text for j in directed if j.text)
    if not directed:
        return _dim("kan_inte_avgoras", "inga_nyckeltal", dimension, "", False)
    if not usable:
        return _dim("kan_inte_avgoras", "inget_bedombart", dimension, detail, False)
    if better and worse:
        return _dim("levererar_delvis", "blandat", dimension, detail, True)
    if worse:
        return _dim("levererar_inte", "forsamring", dimension, detail, True)
    if not better:
        return _dim("kan_inte_avgoras", "ingen_sakerstalld_forandring", dimension, detail, False)
    if len(better) / len(usable) < cfg.verdicts.min_share_better:
        return _dim("levererar_delvis", "delvis_forbattring", dimension, detail, False)
    rule = _member_rule(better)
    return _dim("levererar" if rule == "forbattring" else "levererar_delvis", rule, dimension, detail, False)


def _member_rule(better: list[Judged]) -> str:
    for j in better:
        others = {m: s for m, s in j.members.items() if m != j.host}
        if "samre" in others.values():
            return "forsamring_hos_medlem"
        if j.members.get(j.host) == "battre" and _host_stands_alone(j, others):
            return "bara_vardkommunen"
    return "forbattring"


def _host_stands_alone(j: Judged, others: dict[str, str]) -> bool:
    # "Only the host" must not be a matter of power: every other judged member's interval has to
    # leave out the host's effect, i.e. the members gained significantly less than the host.
    judged = {m: s for m, s in others.items() if s in ("battre", "oforandrad")}
    if not judged or "battre" in judged.values():
        return False
    host_effect = texts.as_float(j.rows[j.host]["effect"])
    return not any(_covers(j.rows[m], host_effect) for m in judged)


def _covers(row: dict, value: float) -> bool:
    return texts.as_float(row["ci_low"]) <= value <= texts.as_float(row["ci_high"])


def _dim(verdict: str, rule: str, dimension: str, detail: str, worse: bool) -> DimVerdict:
    head = f"{dimension.capitalize()}: {texts.VERDICT_TEXT[verdict]}. {texts.DIMENSION_RULE_TEXT[rule]}"
    return DimVerdict(verdict, f"{dimension}.{rule}", f"{head} {detail}".strip(), worse)


def judge_overall(dims: dict[str, DimVerdict], purpose: tuple[str, ...], cfg: EffectsConfig) -> DimVerdict:
    """The stated purpose decides; a significant deterioration elsewhere pulls the verdict down."""
    decided = [dims[d].verdict for d in purpose if dims[d].verdict != "kan_inte_avgoras"]
    worse_elsewhere = [d for d in DIMENSIONS if d not in purpose and dims[d].worse]
    if not decided:
        rule, verdict = "syfte_ej_bedombart", "kan_inte_avgoras"
    elif len(decided) == len(purpose) and all(v == "levererar" for v in decided):
        rule, verdict = "syfte_uppfyllt", "levererar"
    elif all(v == "levererar_inte" for v in decided):
        rule, verdict = "syfte_ej_uppfyllt", "levererar_inte"
    else:
        rule, verdict = "syfte_delvis", "levererar_delvis"
    base = rule
    if worse_elsewhere and verdict in SCALE and cfg.verdicts.deterioration_penalty_steps:
        verdict = SCALE[max(0, SCALE.index(verdict) - cfg.verdicts.deterioration_penalty_steps)]
        rule += "_med_forsamring"
    reasons = _overall_reasons(dims, purpose, base, worse_elsewhere, verdict, penalised=rule != base)
    return DimVerdict(verdict, f"samlat.{rule}", reasons, False)


def _overall_reasons(
    dims: dict[str, DimVerdict],
    purpose: tuple[str, ...],
    base: str,
    worse: list[str],
    verdict: str,
    *,
    penalised: bool,
) -> str:
    parts = [
        f"Samlat: {texts.VERDICT_TEXT[verdict]}. {texts.OVERALL_RULE_TEXT[base]}",
        "Syfte: " + ", ".join(purpose) + ".",
    ]
    parts += [
        f"{d.capitalize()} ({'syfte' if d in purpose else 'övrigt'}): {texts.VERDICT_TEXT[dims[d].verdict]}."
        for d in DIMENSIONS
    ]
    if worse:
        tail = " räknas emot samverkan." if penalised else "."
        parts.append("Säkerställd försämring i " + ", ".join(worse) + tail)
    return " ".join(parts)
