"""Samlat: the stated purpose decides, with the same evidence either way, and several purposes tested
together (joint.py) do not mean more chances of a chance verdict."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from orchestration.lib.transform.effects import joint, texts, undecided
from orchestration.lib.transform.effects.config import DIMENSIONS, EffectsConfig
from orchestration.lib.transform.effects.joint import PlaceboStats

SCALE = ("levererar_inte", "levererar_delvis", "levererar")


@dataclass(frozen=True)
class DimVerdict:
    verdict: str
    rule: str
    reasons: str
    worse: bool  # a significant deterioration in some KPI of the dimension
    p: float = math.nan  # the dimension's p: its primary KPI's, or the smallest Holm-adjusted one
    open: undecided.Undecided = undecided.DECIDED
    tested: tuple[str, ...] = ()  # the KPIs whose tests made p (the deciding ones that could be judged)


def judge_overall(
    dims: dict[str, DimVerdict],
    purpose: tuple[str, ...],
    cfg: EffectsConfig,
    placebos: Mapping[str, PlaceboStats] | None = None,
) -> DimVerdict:
    """A directional purpose dimension counts only if its p-value adjusted for the purposes tested
    together (purpose_p) is at most alpha. One that is not is open, not absent (left out, the rest would
    read the same whichever way it pointed). placebos: the unit's placebo statistics per KPI."""
    alpha = cfg.verdicts.alpha
    adjusted = purpose_p(dims, purpose, alpha, placebos or {})
    counted = {d: dims[d] for d in purpose if _counts(dims[d], adjusted.get(d, math.nan), alpha)}
    unassured = [d for d in purpose if dims[d].verdict != "kan_inte_avgoras" and d not in counted]
    worse_elsewhere = [d for d in DIMENSIONS if d not in purpose and dims[d].worse]
    rule, verdict = _purpose_rule(counted, bool(unassured))
    base = rule
    if worse_elsewhere and verdict in SCALE and cfg.verdicts.deterioration_penalty_steps:
        verdict = SCALE[max(0, SCALE.index(verdict) - cfg.verdicts.deterioration_penalty_steps)]
        rule += "_med_forsamring"
    reasons = _overall_reasons(dims, purpose, base, worse_elsewhere, verdict, penalised=rule != base)
    if unassured:
        open_ = undecided.unassured({d: adjusted[d] for d in unassured}, alpha)
    elif verdict == "kan_inte_avgoras":
        open_ = undecided.overall([dims[d].open for d in purpose])
    else:
        open_ = undecided.DECIDED
    return DimVerdict(verdict, f"samlat.{rule}", reasons, False, math.nan, open_)


def purpose_p(
    dims: dict[str, DimVerdict], purpose: tuple[str, ...], alpha: float, placebos: Mapping[str, PlaceboStats]
) -> dict[str, float]:
    """Each purpose dimension with a test: its p adjusted for the purposes tested together, the one
    level samlat's rules compare with alpha (joint.adjusted_p: Westfall–Young on shared placebos)."""
    with_test = [d for d in purpose if math.isfinite(dims[d].p)]
    tested = {d: [placebos.get(k) for k in dims[d].tested] for d in with_test}
    return joint.adjusted_p(tested, {d: dims[d].p for d in with_test}, alpha)


def _purpose_rule(counted: dict[str, DimVerdict], unassured: bool) -> tuple[str, str]:
    decided = [v.verdict for v in counted.values()]
    if unassured:
        return "syfte_ej_sakerstallt", "kan_inte_avgoras"
    if not decided:
        return "syfte_ej_bedombart", "kan_inte_avgoras"
    if all(v == "levererar" for v in decided):
        return "syfte_uppfyllt", "levererar"
    if all(v.rule.endswith("ingen_relevant_effekt") for v in counted.values()):
        return "syfte_ingen_relevant_effekt", "levererar_inte"
    if all(v == "levererar_inte" for v in decided):
        return "syfte_ej_uppfyllt", "levererar_inte"
    return "syfte_delvis", "levererar_delvis"


def is_directional(verdict: str, rule: str) -> bool:
    """A verdict that says better or worse (not 'kan inte avgöras', not 'no relevant effect')."""
    return verdict != "kan_inte_avgoras" and "ingen_relevant_effekt" not in rule


def _counts(v: DimVerdict, adjusted: float, alpha: float) -> bool:
    # "No relevant effect" rests on its interval, not on a test that the purposes share.
    if v.verdict == "kan_inte_avgoras":
        return False
    return not is_directional(v.verdict, v.rule) or adjusted <= alpha


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
    return " ".join(parts + _resting_on(dims, purpose, verdict))


def _resting_on(dims: dict[str, DimVerdict], purpose: tuple[str, ...], verdict: str) -> list[str]:
    # A directional samlat on some of the purposes says which: "levererar" on one of three reads otherwise
    # as if the cooperation had been shown to deliver in all it set out to do.
    open_ = [d for d in purpose if dims[d].verdict == "kan_inte_avgoras"]
    if verdict not in SCALE or not open_:
        return []
    judged = [d for d in purpose if d not in open_]
    return [f"Domen vilar på {_listed(judged)}; {_listed(open_)} går inte att avgöra."]


def _listed(names: list[str]) -> str:
    return " och ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
