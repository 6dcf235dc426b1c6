"""Verdicts per cooperation (and per member and group) and dimension, and overall (rules in rules.yaml).

Good and bad news need the same evidence: one test per dimension. Which KPIs decide is each KPI's role
(roles.py): where areas.yaml declares a primary KPI for the dimension, its test alone decides and the other
KPIs are shown as secondary; elsewhere a KPI counts only when its primary-method estimate survives Holm's
step-down over the dimension's KPIs. Either
way the pre-trend must hold (in-time placebo) and the robustness methods point the same way. "No
relevant effect" needs an interval inside the smallest relevant effect; everything else is "kan inte
avgöras" of a stated kind.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from orchestration.lib.transform.effects import texts, undecided
from orchestration.lib.transform.effects.config import DIMENSIONS, EffectsConfig
from orchestration.lib.transform.effects.joint import PlaceboStats
from orchestration.lib.transform.effects.overall import DimVerdict, judge_overall
from orchestration.lib.transform.effects.roles import DECIDING, kpi_role
from orchestration.lib.transform.effects.status import Judged, classify, holm
from orchestration.lib.transform.effects.units import GROUPS, TOTAL, Kpi, true

OUTCOME_COLUMNS = ["verdict", "rule", "reasons", "undecided_kind", "undecided_text", "mde_abs", "mde_pct",
                   "judgeable_from_year"]  # fmt: skip
# (agreement, kommun or group, KPI) -> the primary method's placebo statistics (Results.placebos)
Placebos = Mapping[tuple[str, str, str], PlaceboStats]
VERDICT_COLUMNS = ["agreement_id", "dimension", "in_purpose", *OUTCOME_COLUMNS]
MEMBER_VERDICT_COLUMNS = ["agreement_id", "municipality_id", "is_host", "dimension", "in_purpose",
                          *OUTCOME_COLUMNS]  # fmt: skip


def judge_all(
    estimates: pd.DataFrame,
    agreements: pd.DataFrame,
    kpis: dict[str, list[Kpi]],
    cfg: EffectsConfig,
    placebos: Placebos | None = None,
) -> pd.DataFrame:
    """Four rows per cooperation: kostnad, kvalitet, personal and samlat (without placebo statistics,
    samlat's joint test falls back to Bonferroni, joint.adjusted_p)."""
    by_key = _index(estimates)
    rows: list[dict] = []
    for agr in agreements.itertuples(index=False):
        rows += _judge_unit(agr, kpis.get(str(agr.area), []), by_key, TOTAL, cfg, placebos or {})
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS)


def judge_members(
    estimates: pd.DataFrame,
    agreements: pd.DataFrame,
    kpis: dict[str, list[Kpi]],
    cfg: EffectsConfig,
    placebos: Placebos | None = None,
) -> pd.DataFrame:
    """Per member, and for the members other than the host together: the same rules as the whole."""
    by_key = _index(estimates)
    rows: list[dict] = []
    for agr in agreements.itertuples(index=False):
        area = kpis.get(str(agr.area), [])
        mine = estimates[
            (estimates["agreement_id"] == agr.agreement_id) & (estimates["municipality_id"] != TOTAL)
        ]
        for mid, group in mine.groupby("municipality_id", sort=True):
            host = group["is_host"].dropna()
            key = {"municipality_id": str(mid), "is_host": bool(host.iloc[0]) if len(host) else None}
            rows += [key | row for row in _judge_unit(agr, area, by_key, str(mid), cfg, placebos or {})]
    return pd.DataFrame(rows, columns=MEMBER_VERDICT_COLUMNS)


def _judge_unit(
    agr: Any,
    area: list[Kpi],
    by_key: dict[tuple[str, str], list[dict]],
    unit: str,
    cfg: EffectsConfig,
    placebos: Placebos,
) -> list[dict]:
    """One unit of a cooperation (the whole, or a member) judged in each dimension and overall."""
    judged = [_judge_kpi(by_key.get((agr.agreement_id, k.kpi_id), []), k, area, unit, cfg) for k in area]
    mine = {k.kpi_id: placebos[key] for k in area if (key := (agr.agreement_id, unit, k.kpi_id)) in placebos}
    return [
        {"agreement_id": agr.agreement_id, "dimension": dimension, "in_purpose": in_purpose, **_outcome(v)}
        for dimension, in_purpose, v in _dimensions(judged, _purpose(agr.purpose, cfg), cfg, mine)
    ]


def _index(estimates: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    by_key: dict[tuple[str, str], list[dict]] = {}
    for r in estimates.to_dict("records"):
        by_key.setdefault((r["agreement_id"], r["kpi_id"]), []).append(r)
    return by_key


def _dimensions(
    judged: list[Judged], purpose: tuple[str, ...], cfg: EffectsConfig, placebos: Mapping[str, PlaceboStats]
) -> Iterator[tuple[str, bool | None, DimVerdict]]:
    dims = {d: judge_dimension([j for j in judged if j.kpi.dimension == d], d, cfg) for d in DIMENSIONS}
    for d, v in dims.items():
        yield d, d in purpose, v
    yield "samlat", None, judge_overall(dims, purpose, cfg, placebos)


def _outcome(v: DimVerdict) -> dict:
    return {"verdict": v.verdict, "rule": v.rule, "reasons": v.reasons, "undecided_kind": v.open.kind,
            "undecided_text": v.open.text, "mde_abs": v.open.mde_abs, "mde_pct": v.open.mde_pct,
            "judgeable_from_year": v.open.judgeable_from_year}  # fmt: skip


def _purpose(value: object, cfg: EffectsConfig) -> tuple[str, ...]:
    items = [] if value is None or (isinstance(value, float) and math.isnan(value)) else list(value)
    chosen = tuple(d for d in DIMENSIONS if d in {str(x) for x in items})
    return chosen or cfg.verdicts.default_purpose


def _judge_kpi(rows: list[dict], kpi: Kpi, area_kpis: list[Kpi], unit: str, cfg: EffectsConfig) -> Judged:
    """One KPI's status for one unit (total, member or group); members' rows for the member rules."""
    has_cost = any(k.cost_basis == "kostnad" and k.dimension == kpi.dimension for k in area_kpis)
    primary = [r for r in rows if r["method"] == cfg.estimation.primary_method]
    others = [
        r for r in rows if r["method"] != cfg.estimation.primary_method and r["municipality_id"] == unit
    ]
    judged = classify(_pick(primary, unit), others, kpi, has_cost, cfg)
    judged.role = kpi_role(kpi, area_kpis, whole=unit == TOTAL)
    if unit == TOTAL:
        for r in primary:
            if r["municipality_id"] not in GROUPS:
                judged.members[r["municipality_id"]] = classify(r, [], kpi, has_cost, cfg).status
                judged.rows[r["municipality_id"]] = r
            if true(r.get("is_host")):
                judged.host = str(r["municipality_id"])
    return judged


def _pick(rows: list[dict], municipality_id: str) -> dict | None:
    return next((r for r in rows if r["municipality_id"] == municipality_id), None)


def judge_dimension(judged: list[Judged], dimension: str, cfg: EffectsConfig) -> DimVerdict:
    """First matching rule wins; see METOD.md for the order and its reasons. A dimension with a test
    keeps its p and the KPIs that made it, for samlat's test over the purposes (overall.py)."""
    directed = [j for j in judged if j.status != "utan_riktning"]
    usable, p_dim = holm(deciding_kpis(directed), cfg.verdicts.alpha)
    v = _rule(directed, usable, dimension, cfg)
    return replace(v, p=p_dim, tested=tuple(j.kpi.kpi_id for j in usable)) if usable else v


def _rule(directed: list[Judged], usable: list[Judged], dimension: str, cfg: EffectsConfig) -> DimVerdict:
    better = [j for j in usable if j.status == "battre"]
    worse = [j for j in usable if j.status == "samre"]
    has_primary = len(directed) > 1 and any(j.role == "primart" for j in directed)
    # The primary KPI's result first: it is the one that decides (a stable sort keeps the others' order).
    shown = sorted(directed, key=lambda j: j.role != "primart")
    detail = " ".join(_role_text(j, has_primary) for j in shown if j.text)
    if not directed:
        return _dim(
            "kan_inte_avgoras", "inga_nyckeltal", dimension, "", undecided.not_measurable(dimension, [])
        )
    if not usable:
        return _dim(
            "kan_inte_avgoras",
            "inget_bedombart",
            dimension,
            detail,
            undecided.blocked(dimension, _accountable(directed), cfg),
        )
    if better and worse:
        return _dim("levererar_delvis", "blandat", dimension, detail, worse=True)
    if worse:
        return _dim("levererar_inte", "forsamring", dimension, detail, worse=True)
    if not better:
        if undecided.all_within(usable, cfg.verdicts.smallest_relevant_pct):
            return _dim("levererar_inte", "ingen_relevant_effekt", dimension, detail)
        return _dim(
            "kan_inte_avgoras",
            "ingen_sakerstalld_forandring",
            dimension,
            detail,
            undecided.no_difference(usable),
        )
    rule = _member_rule(better)
    return _dim("levererar" if rule == "forbattring" else "levererar_delvis", rule, dimension, detail)


def deciding_kpis(directed: list[Judged]) -> list[Judged]:
    """The KPIs whose tests decide the dimension, by their role (roles.py): its declared primary KPI
    alone (one test, no correction needed), or, where the area declares none, all of them under Holm's
    step-down; never one that a förbund's start changes mechanically."""
    return [j for j in directed if j.role in DECIDING]


def _accountable(directed: list[Judged]) -> list[Judged]:
    # Why an open dimension is open: the primary's state alone, else every KPI's (a mechanical one says so).
    return [j for j in directed if j.role == "primart"] or directed


def _role_text(j: Judged, has_primary: bool) -> str:
    # With a primary KPI the others are shown for context but say plainly that they do not decide.
    if not has_primary:
        return j.text
    return f"{'Primärt' if j.role == 'primart' else 'Sekundärt, avgör inte'}: {j.text}"


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


def _dim(
    verdict: str,
    rule: str,
    dimension: str,
    detail: str,
    open_: undecided.Undecided = undecided.DECIDED,
    worse: bool = False,
) -> DimVerdict:
    head = f"{dimension.capitalize()}: {texts.VERDICT_TEXT[verdict]}. {texts.DIMENSION_RULE_TEXT[rule]}"
    return DimVerdict(verdict, f"{dimension}.{rule}", f"{head} {detail}".strip(), worse, open=open_)
