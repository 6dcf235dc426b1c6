"""Samlat with several purposes: the joint test over the purpose dimensions on shared placebos (joint.py).

With 50 placebos the smallest p-value is 1/51, so Bonferroni over two or three purposes could never give
samlat a direction; the Westfall–Young min-p test on the placebo units the purposes share can, and still
keeps the chance of a directional samlat under no effect at most alpha.
"""

import numpy as np
import pytest

from orchestration.lib.demo.calibration.scenarios import SCENARIOS, run_once, tally
from orchestration.lib.demo.calibration.world import SimAgreement, calibration_world
from orchestration.lib.transform.effects.config import DIMENSIONS, EffectsConfig
from orchestration.lib.transform.effects.inference import permutation_p
from orchestration.lib.transform.effects.joint import PlaceboStats, adjusted_p
from orchestration.lib.transform.effects.model import run_models

CFG = EffectsConfig()
ALPHA = CFG.verdicts.alpha
BASE = next(s for s in SCENARIOS if s.name == "bas")
N_PLACEBOS = 50
IDS = tuple(f"k{i:03d}" for i in range(N_PLACEBOS))


def stats(values: np.ndarray, ids: tuple[str, ...] = IDS) -> PlaceboStats:
    return PlaceboStats(ids, (values,))


def own_p(values: np.ndarray) -> float:
    return permutation_p(float(values[0]), values[1:])


@pytest.mark.parametrize("harmful", [False, True])
def test_three_purposes_with_clear_effects_give_samlat_a_direction(harmful):
    # 30 % of the level in each purpose dimension's KPI, good or bad: every dimension is judged, and
    # samlat says so too. With Bonferroni over three purposes (p ≤ 0.05 / 3 < 1/51) it never could.
    sign = -1 if harmful else 1
    level = 1.12  # the simulated common trend at joining: 1.5 % a year since 2009
    effects = {k.kpi_id: sign * (-1 if k.better == "lower" else 1) * 0.3 * k.base * level for k in BASE.kpis}
    agreement = SimAgreement("a", "omr", 3, 2017, purpose=DIMENSIONS, effects=effects)
    world = calibration_world(1, {"omr": list(BASE.kpis)}, [agreement], n_kommuner=120)
    verdicts = run_models(world.inputs, CFG).verdicts.set_index("dimension")
    wanted = "levererar_inte" if harmful else "levererar"
    assert [verdicts.loc[d, "verdict"] for d in DIMENSIONS] == [wanted] * 3
    assert verdicts.loc["samlat", "rule"] == (
        "samlat.syfte_ej_uppfyllt" if harmful else "samlat.syfte_uppfyllt"
    )


@pytest.mark.parametrize(
    ("name", "seed"), [("tva_syften_effekt_i_bada", 2), ("tva_syften_skadlig_i_bada", 4)]
)
def test_two_purposes_both_judged_give_samlat_a_direction(name, seed):
    # 10 % in both purposes, both dimensions judged the effect's way, one of them at p = 2/51 ≈ 0.039:
    # Bonferroni (0.025) left samlat open; in the joint test one placebo kommun alone is as extreme in
    # either purpose (the same one in both), so the adjusted p is 2/51.
    scenario = next(s for s in SCENARIOS if s.name == name)
    verdicts = run_once(scenario, seed, True, CFG)[1].set_index("dimension")
    wanted = "levererar_inte" if scenario.harmful else "levererar"
    assert [verdicts.loc[d, "verdict"] for d in scenario.purpose] == [wanted] * 2
    assert verdicts.loc["samlat", "verdict"] == wanted


def test_the_most_extreme_in_every_purpose_is_adjusted_to_the_smallest_p():
    rng = np.random.default_rng(0)
    tested = {}
    for d in DIMENSIONS:
        values = rng.normal(size=N_PLACEBOS + 1)
        values[0] = 10.0
        tested[d] = [stats(values)]
    own = {d: own_p(s[0].stats[0]) for d, s in tested.items()}
    assert own == dict.fromkeys(DIMENSIONS, 1 / 51)
    # Bonferroni would need 3/51 ≈ 0.059 ≤ 0.05; the joint test gives 1/51.
    assert adjusted_p(tested, own, ALPHA) == dict.fromkeys(DIMENSIONS, 1 / 51)


def test_under_no_effect_a_directional_samlat_stays_at_most_alpha():
    # The cooperation drawn like its placebos, with the placebo units' statistics correlated across the
    # purposes (a kommun with a noisy year is noisy in every KPI): any adjusted p ≤ alpha is a false
    # samlat. At most alpha by exchangeability; with 51 rows the ranks' ties make it about 1 % (the
    # cooperation must be the most extreme in one purpose while no placebo is in any other). Bonferroni's
    # is 0 % (it needs p ≤ 0.05/3 < 1/51), the unadjusted smallest p's about 10 %.
    rng = np.random.default_rng(14)
    cov = np.full((3, 3), 0.6) + 0.4 * np.eye(3)
    false_joint, false_unadjusted, runs = 0, 0, 2000
    for _ in range(runs):
        draws = rng.multivariate_normal(np.zeros(3), cov, size=N_PLACEBOS + 1)
        tested = {d: [stats(draws[:, i])] for i, d in enumerate(DIMENSIONS)}
        own = {d: own_p(s[0].stats[0]) for d, s in tested.items()}
        false_joint += min(adjusted_p(tested, own, ALPHA).values()) <= ALPHA
        false_unadjusted += min(own.values()) <= ALPHA
    assert 0.005 <= false_joint / runs <= ALPHA
    assert false_unadjusted / runs > 0.07


def test_adjusted_p_is_never_below_the_dimensions_own():
    rng = np.random.default_rng(3)
    for _ in range(200):
        draws = rng.normal(size=(N_PLACEBOS + 1, 2))
        tested = {d: [stats(draws[:, i])] for i, d in enumerate(DIMENSIONS[:2])}
        own = {d: own_p(s[0].stats[0]) for d, s in tested.items()}
        adjusted = adjusted_p(tested, own, ALPHA)
        assert all(own[d] - 1e-12 <= adjusted[d] <= min(1.0, 2 * own[d]) + 1e-12 for d in own)


def test_only_the_placebo_units_every_kpi_shares_are_compared():
    # The same kommuner in both KPIs but in another order, and one placebo only in the first: the joint
    # test matches placebos by who they are and leaves the unshared one out.
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=N_PLACEBOS + 1), rng.normal(size=N_PLACEBOS + 1)
    a[0], b[0] = 10.0, 10.0
    order = np.arange(N_PLACEBOS)[::-1]
    b_ids = tuple(IDS[i] for i in order)
    b_shuffled = np.concatenate([[b[0]], b[1:][order]])
    tested = {"kostnad": [stats(a)], "kvalitet": [stats(b_shuffled, b_ids)]}
    own = {"kostnad": own_p(a), "kvalitet": own_p(b_shuffled)}
    assert adjusted_p(tested, own, ALPHA) == {"kostnad": 1 / 51, "kvalitet": 1 / 51}
    fewer = tuple(f"x{i}" if i < 40 else k for i, k in enumerate(b_ids))
    # 10 shared placebos cannot reach 0.05 (1/11): Bonferroni over the two purposes instead.
    tested["kvalitet"] = [stats(b_shuffled, fewer)]
    assert adjusted_p(tested, own, ALPHA) == {"kostnad": 2 / 51, "kvalitet": 2 / 51}


def test_without_placebo_statistics_the_purposes_fall_back_to_bonferroni():
    assert adjusted_p({"kostnad": [None], "kvalitet": []}, {"kostnad": 0.02, "kvalitet": 0.5}, ALPHA) == {
        "kostnad": 0.04,
        "kvalitet": 1.0,
    }
    # One dimension with a test: nothing to adjust for.
    assert adjusted_p({"kostnad": [None]}, {"kostnad": 0.02}, ALPHA) == {"kostnad": 0.02}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tva_syften_effekt_i_bada", "tre_syften_effekt_i_alla"])
def test_calibration_under_no_effect_samlat_is_rarely_directional(name):
    # 20 simulated worlds without an effect, two and three purposes: a directional samlat (levererar
    # delvis included) in at most 10 % (the target), and the worlds with an effect in every purpose give
    # samlat the effect's direction in most.
    scenario = next(s for s in SCENARIOS if s.name == name)
    rates = tally(scenario, range(20), CFG).rates()
    assert rates["false_samlat"] <= 0.10
    assert rates["overall"] >= 0.7
