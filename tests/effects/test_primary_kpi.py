"""A declared primary KPI decides its dimension alone; the other KPIs are secondary and cannot decide.

On hand-made estimates through the verdict rules, and on a simulated panel through the whole model.
"""

import dataclasses

import pandas as pd
import pytest

from orchestration.lib.demo.calibration.world import SimAgreement, SimKpi, calibration_world
from orchestration.lib.transform.effects.config import DIMENSIONS, EffectsConfig
from orchestration.lib.transform.effects.model import run_models
from orchestration.lib.transform.effects.results import ESTIMATE_COLUMNS
from orchestration.lib.transform.effects.roles import DECIDING, ROLES, kpi_roles
from orchestration.lib.transform.effects.units import Kpi, kpis_by_area
from orchestration.lib.transform.effects.verdicts import judge_all, judge_members

CFG = EffectsConfig()
COST = Kpi("COST", "Kostnad kr/inv", "kostnad", "lower", "kr/inv", "kostnad", False, None, primary=True)
FEE = Kpi("FEE", "Avgift kr/kvm", "kostnad", "lower", "kr/kvm", None, False, None)
QUAL = Kpi("QUAL", "Responstid", "kvalitet", "lower", "min", None, False, None)
BETTER = {"effect": -10.0, "p_value": 0.03, "ci_low": -15.0, "ci_high": -5.0}
WORSE = {"effect": 10.0, "p_value": 0.03, "ci_low": 5.0, "ci_high": 15.0}
NOTHING = {"effect": 1.0, "p_value": 0.6, "ci_low": -6.0, "ci_high": 8.0, "mde": 12.0}
STRONG = {"p_value": 0.001}


def row(kpi: str, outcome: dict, municipality: str = "total", **extra) -> dict:
    base = dict.fromkeys(ESTIMATE_COLUMNS)
    is_host = None if municipality == "total" else municipality == "0001"
    base.update(agreement_id="a", municipality_id=municipality, is_host=is_host, kpi_id=kpi)
    base.update(method="synthetic_did", flags="", pretrend_violated=None)
    base.update(**outcome, **extra)
    return base


def judge(rows: list[dict], kpis: list[Kpi]) -> pd.DataFrame:
    agreements = pd.DataFrame([{"agreement_id": "a", "area": "omr", "purpose": ["kostnad"],
                                "host_municipality_id": "0001", "end_year": None}])  # fmt: skip
    estimates = pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)
    return judge_all(estimates, agreements, {"omr": kpis}, CFG).set_index("dimension")


@pytest.mark.parametrize(
    ("outcome", "verdict", "rule"),
    [(BETTER, "levererar", "kostnad.forbattring"), (WORSE, "levererar_inte", "kostnad.forsamring")],
)
def test_the_primary_kpi_decides_alone_without_holm(outcome, verdict, rule):
    # p 0.03 with a second KPI in the dimension: Holm (0.03 × 2) would leave it undecided; the
    # primary's single test decides, and good and bad news alike.
    rows = [row("COST", outcome), row("FEE", NOTHING)]
    v = judge(rows, [COST, FEE, QUAL])
    assert (v.loc["kostnad", "verdict"], v.loc["kostnad", "rule"]) == (verdict, rule)
    assert "Primärt: Kostnad kr/inv" in v.loc["kostnad", "reasons"]
    assert "Sekundärt, avgör inte: Avgift kr/kvm" in v.loc["kostnad", "reasons"]
    # The primary's result is told first, wherever the area lists it.
    reasons = judge(rows, [FEE, COST, QUAL]).loc["kostnad", "reasons"]
    assert reasons.index("Primärt: Kostnad") < reasons.index("Sekundärt, avgör inte: Avgift"), reasons
    undeclared = judge(rows, [dataclasses.replace(COST, primary=False), FEE, QUAL])
    assert undeclared.loc["kostnad", "verdict"] == "kan_inte_avgoras"


@pytest.mark.parametrize("outcome", [BETTER, WORSE])
def test_a_secondary_kpi_alone_cannot_decide(outcome):
    rows = [row("COST", NOTHING), row("FEE", {**outcome, **STRONG})]
    v = judge(rows, [COST, FEE, QUAL])
    assert v.loc["kostnad", "verdict"] == "kan_inte_avgoras"
    assert v.loc["kostnad", "rule"] == "kostnad.ingen_sakerstalld_forandring"
    assert v.loc["samlat", "verdict"] == "kan_inte_avgoras"
    # The same estimate decides when the area declares no primary (Holm: 0.001 × 2 ≤ 0.05).
    undeclared = judge(rows, [dataclasses.replace(COST, primary=False), FEE, QUAL])
    assert undeclared.loc["kostnad", "verdict"] in ("levererar", "levererar_inte")


def test_a_blocked_primary_leaves_the_dimension_undecided_whatever_the_secondary_says():
    rows = [row("COST", {}, flags="kort_efterperiod", join_year=2024), row("FEE", {**BETTER, **STRONG})]
    v = judge(rows, [COST, FEE, QUAL])
    assert v.loc["kostnad", "verdict"] == "kan_inte_avgoras"
    assert v.loc["kostnad", "rule"] == "kostnad.inget_bedombart"
    assert v.loc["kostnad", "undecided_kind"] == "for_lite_data"


def test_members_are_judged_on_the_primary_too():
    rows = [row("COST", NOTHING), row("FEE", NOTHING), row("COST", NOTHING, "0001"),
            row("FEE", {**BETTER, **STRONG}, "0001")]  # fmt: skip
    agreements = pd.DataFrame([{"agreement_id": "a", "area": "omr", "purpose": ["kostnad"],
                                "host_municipality_id": "0001", "end_year": None}])  # fmt: skip
    m = judge_members(pd.DataFrame(rows, columns=ESTIMATE_COLUMNS), agreements, {"omr": [COST, FEE]}, CFG)
    host = m[(m["municipality_id"] == "0001")].set_index("dimension")
    assert host.loc["kostnad", "verdict"] == "kan_inte_avgoras"


def test_the_primary_flag_reaches_the_model_from_the_area_kpis_frame():
    frame = pd.DataFrame([{"area": "omr", "kpi_id": "K", "title": "K", "dimension": "kostnad",
                           "better": "lower", "unit": "kr/inv", "cost_basis": "kostnad",
                           "reported_jointly": False, "method_break": None, "caution": None,
                           "is_primary": True}])  # fmt: skip
    assert kpis_by_area(frame)["omr"][0].primary
    assert not kpis_by_area(frame.drop(columns="is_primary"))["omr"][0].primary


def _simulated(effect_in: str, seed: int) -> str:
    """The kostnad verdict of a simulated cooperation with a clear saving in one KPI only."""
    kpis = [SimKpi("K1", base=1000.0, cost_basis="kostnad", primary=True), SimKpi("K2", base=1000.0)]
    agreement = SimAgreement("a", "omr", 3, 2017, purpose=DIMENSIONS, effects={effect_in: -250.0})
    world = calibration_world(seed, {"omr": kpis}, [agreement], n_kommuner=80)
    verdicts = run_models(world.inputs, CFG).verdicts.set_index("dimension")
    return str(verdicts.loc["kostnad", "verdict"])


@pytest.mark.parametrize("seed", [1, 2])
def test_on_a_simulated_panel_the_primary_decides_and_a_secondary_cannot(seed):
    # The same 25 % saving: found in the primary, while in the secondary alone it decides nothing.
    assert _simulated("K1", seed) == "levererar"
    assert _simulated("K2", seed) == "kan_inte_avgoras"


def registry_kpis() -> dict[str, list[Kpi]]:
    from pathlib import Path

    from orchestration.lib.extract.registry.load import load_registry
    from orchestration.lib.transform.effects.standalone import inputs_from_registry

    registry = load_registry(Path(__file__).resolve().parents[2] / "registry")
    return kpis_by_area(inputs_from_registry(registry, pd.DataFrame()).area_kpis)


def test_the_registry_declares_one_primary_per_dimension_and_the_standalone_path_reads_it():
    kpis = registry_kpis()
    primaries = {(area, k.dimension): k.kpi_id for area, ks in kpis.items() for k in ks if k.primary}
    assert primaries[("gymnasieskola", "kostnad")] == "N17004"
    assert primaries[("va", "kostnad")] == "N45028"
    assert primaries[("raddningstjanst", "kvalitet")] == "U07442"
    assert all(k.better != "none" and k.caution is None for ks in kpis.values() for k in ks if k.primary)


def _alone_strong(kpi: Kpi, area: list[Kpi], municipality: str = "total") -> list[dict]:
    """Every KPI of the area without a difference, except `kpi`: a strong improvement in its direction."""
    strong = {**(BETTER if kpi.better != "higher" else {**BETTER, "effect": 10.0, "ci_low": 5.0,
                                                      "ci_high": 15.0}), **STRONG}  # fmt: skip
    return [row(k.kpi_id, strong if k == kpi else NOTHING, municipality) for k in area]


def _verdict(rows: list[dict], area: list[Kpi], dimension: str, judge_fn=judge_all) -> str:
    agreements = pd.DataFrame([{"agreement_id": "a", "area": "omr", "purpose": [dimension],
                                "host_municipality_id": "0001", "end_year": None}])  # fmt: skip
    out = judge_fn(pd.DataFrame(rows, columns=ESTIMATE_COLUMNS), agreements, {"omr": area}, CFG)
    return str(out.set_index("dimension").loc[dimension, "verdict"])


def test_the_written_role_is_the_role_the_verdict_follows_for_every_kpi_of_the_registry():
    # The roles the marts show (analysis.effect_kpi_roles) against the verdicts themselves: a KPI that
    # alone improves strongly settles its dimension exactly when its written role is a deciding one.
    # The estimates carry no flags, so a mechanical KPI can be kept out only by its role.
    seen = set()
    for area_id, area in registry_kpis().items():
        agreements = pd.DataFrame([{"agreement_id": "a", "area": area_id}])
        roles = kpi_roles(agreements, {area_id: area}).set_index("kpi_id")["kpi_role"]
        for kpi in area:
            role = roles[kpi.kpi_id]
            seen.add(role)
            decided = _verdict(_alone_strong(kpi, area), area, kpi.dimension) == "levererar"
            assert decided == (role in DECIDING), (area_id, kpi.kpi_id, role)
    assert seen == set(ROLES)  # every role occurs in the registry, so no branch goes untested


def test_a_joint_figure_after_joining_decides_for_the_whole_but_not_for_a_member():
    joint = Kpi("U37009", "Kostnad kr/ärende", "kostnad", "lower", "kr", "kostnad", False, None,
                caution="gemensam_efter_start")  # fmt: skip
    mechanical = dataclasses.replace(joint, kpi_id="N07035", caution="mekanisk")
    agreements = pd.DataFrame([{"agreement_id": "a", "area": "omr"}])
    roles = kpi_roles(agreements, {"omr": [joint, mechanical]}).set_index("kpi_id")["kpi_role"]
    assert roles.to_dict() == {"U37009": "avgor_tillsammans", "N07035": "ger_ingen_dom"}
    assert _verdict(_alone_strong(joint, [joint]), [joint], "kostnad") == "levererar"
    member = _alone_strong(joint, [joint], "0002")
    assert _verdict(member, [joint], "kostnad", judge_members) == "kan_inte_avgoras"
    assert _verdict(_alone_strong(mechanical, [mechanical]), [mechanical], "kostnad") == "kan_inte_avgoras"
