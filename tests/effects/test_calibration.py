"""Calibration on simulated panels with a known effect: the figures METOD.md states, bounded on both sides.

The inference is deterministic (every placebo, no seed in the models), so each share below is a fixed
number for these simulated worlds. METOD.md states it; the bounds allow a few percentage points for
floating-point differences between machines, not for a different method. Slow: about a hundred
simulated worlds. Each world is simulated and estimated once per module: the tests that look at the
worlds the base tally already ran (the null worlds of the pre-trend test, the determinism check's first
run) read them from `worlds` instead of running them again.
"""

import numpy as np
import pytest

from orchestration.lib.demo.calibration import scenarios as calibration
from orchestration.lib.demo.calibration.scenarios import SCENARIOS, Scenario, Tally, run_once, tally
from orchestration.lib.demo.calibration.world import SimAgreement, SimKpi, calibration_world
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.model import run_models

pytestmark = pytest.mark.slow

SEEDS = range(40)
CFG = EffectsConfig()
BASE = next(s for s in SCENARIOS if s.name == "bas")
# METOD.md, "Kalibrering", base scenario with these 40 worlds.
STATED = {"coverage_members": 0.97, "coverage_totals": 0.98, "power": 0.775}
STATED_FALSE_MAX = 0.075  # every dimension and samlat (kvalitet 3 of 40, samlat 2, the others at most 1)
STATED_PRETREND_FLAGS = 0.05  # primary rows (members and totals) flagged without any trend of their own
STATED_MDE_FOUND = 0.73  # an effect the size of the stated MDE, found in 30 worlds


Run = tuple  # run_once's (estimates, verdicts, true effect)


@pytest.fixture(scope="module")
def worlds() -> dict[tuple[int, bool], Run]:
    """The base scenario's worlds run so far in this module, by (seed, with an effect)."""
    return {}


def base_world(worlds: dict[tuple[int, bool], Run], seed: int, with_effect: bool) -> Run:
    """run_once on the base scenario, once per module for each world."""
    if (seed, with_effect) not in worlds:
        worlds[seed, with_effect] = run_once(BASE, seed, with_effect, CFG)
    return worlds[seed, with_effect]


@pytest.fixture(scope="module")
def base(worlds: dict[tuple[int, bool], Run]) -> Tally:
    def remembered(s: Scenario, seed: int, with_effect: bool, cfg: object) -> Run:
        assert s == BASE and cfg is CFG
        return base_world(worlds, seed, with_effect)

    # The tally itself, with each world it runs kept for the other tests of this module.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(calibration, "run_once", remembered)
        return tally(BASE, SEEDS, CFG)


def test_intervals_cover_the_true_effect_as_stated(base):
    rates = base.rates()
    for key in ("coverage_members", "coverage_totals"):
        # Below the stated figure it claims too much; above it, it is wider than stated. The primary
        # interval is the union of two intervals (without and with a trend of the member's own), so
        # in a world without such trends it covers more than its nominal 95 %.
        assert STATED[key] - 0.03 <= rates[key] <= min(1.0, STATED[key] + 0.03), (key, rates)


def test_no_effect_gives_a_directional_verdict_no_more_often_than_stated(base):
    for dimension, called in base.false.items():
        assert len(called) == len(SEEDS)
        assert np.mean(called) <= STATED_FALSE_MAX, f"{dimension}: {np.mean(called):.3f}"


def test_an_effect_of_ten_percent_is_judged_as_stated(base):
    assert STATED["power"] - 0.05 <= base.rates()["power"] <= STATED["power"] + 0.05


def test_the_pre_trend_tests_flag_about_as_often_as_their_level_without_a_trend(worlds):
    # One test (the in-time placebo) at 0.05; a linear trend of the member's own is handled by the
    # trend-robust estimate instead of a test.
    flagged = []
    for seed in range(20):
        est, _, _ = base_world(worlds, seed, False)  # the tally's null worlds, when it has run
        rows = est[(est["method"] == "synthetic_did") & (est["municipality_id"] != "ovriga")]
        flagged += [bool(v) for v in rows["pretrend_violated"].dropna()]
    share = float(np.mean(flagged))
    assert len(flagged) >= 20 * 3 * 3
    assert STATED_PRETREND_FLAGS - 0.04 <= share <= STATED_PRETREND_FLAGS + 0.04, share


def test_an_effect_of_the_stated_minimum_detectable_size_is_found_about_four_times_in_five():
    # METOD.md: the MDE is the effect found with 80 % probability. Plant exactly the MDE that the same
    # world without an effect reports, and count how often the KPI is then significant in its direction.
    kpis = {"omr": [SimKpi("K1", base=1000.0)]}
    found = []
    for seed in range(30):
        null = _total(seed, kpis, 0.0)
        hit = _total(seed, kpis, -float(null["mde"]))
        found.append(float(hit["p_value"]) <= CFG.verdicts.alpha and float(hit["effect"]) < 0)
    # The MDE is the larger of the plain and the trend-robust estimate's; the test needs both to reject.
    assert STATED_MDE_FOUND - 0.08 <= np.mean(found) <= STATED_MDE_FOUND + 0.12, np.mean(found)


def _total(seed: int, kpis: dict, effect: float):
    agreement = SimAgreement("a", "omr", 3, 2017, effects={"K1": effect})
    est = run_models(calibration_world(seed, kpis, [agreement]).inputs, CFG).estimates
    return est.query("method == 'synthetic_did' and municipality_id == 'total'").iloc[0]


def test_no_seed_in_the_models_changes_a_verdict(worlds):
    first = base_world(worlds, 3, True)  # as the tally ran it, when it has
    again = run_once(BASE, 3, True, CFG)  # run again, from scratch
    assert first[0].equals(again[0]) and first[1].equals(again[1])
    members = first[0][(first[0]["method"] == "synthetic_did") & first[0]["municipality_id"].str.isdigit()]
    # Every donor of the pool is a placebo.
    assert (members["n_placebos"] == members["n_donors"]).all()


def test_a_member_trend_of_its_own_blocks_a_verdict():
    called = []
    for seed in range(20):
        agreement = SimAgreement("a", "omr", 3, 2017, purpose=("kostnad",), pretrend={"K1": -25.0})
        world = calibration_world(seed, {"omr": list(BASE.kpis)}, [agreement], kolada_groups=seed % 2 == 0)
        v = run_models(world.inputs, CFG).verdicts.set_index("dimension")
        called.append(v.loc["kostnad", "verdict"] == "levererar")
    assert np.mean(called) <= 0.10


def test_an_effect_on_top_of_a_member_trend_of_its_own_is_judged():
    # METOD.md: members drifting 1 % of the level per year, against the effect in cost. The plain
    # estimate sees little of the effect; where the members' own slope is unusual among the placebos'
    # the verdict rests on the trend-robust estimate alone, with the placebos run through it too.
    # Before that, a direction needed both estimates and was never given here.
    drift = next(s for s in SCENARIOS if s.name == "drift_1pct")
    rates = tally(drift, range(10), CFG).rates()
    assert rates["power"] >= 0.6, rates
    assert rates["coverage_members"] >= 0.9 and rates["coverage_totals"] >= 0.9, rates
    assert max(v for k, v in rates.items() if k.startswith("false_")) <= 0.1, rates
