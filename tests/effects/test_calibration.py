"""Calibration on simulated panels with a known effect: the figures METOD.md states, bounded on both sides.

The inference is deterministic (every placebo, no seed in the models), so each share below is a fixed
number for these simulated worlds; the bounds are the ones METOD.md states for the base scenario.
"""

import numpy as np
import pytest

from orchestration.lib.transform.effects.calibration import SCENARIOS, Tally, run_once, tally
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.model import run_models
from orchestration.lib.transform.effects.simulate import SimAgreement, simulate

SEEDS = range(40)
CFG = EffectsConfig()
BASE = next(s for s in SCENARIOS if s.name == "bas")


@pytest.fixture(scope="module")
def base() -> Tally:
    return tally(BASE, SEEDS, CFG)


def test_intervals_cover_the_true_effect_as_stated(base):
    # METOD.md: 96 % (members) and 98 % (totals), stated as 90–99 %; above 99 % the interval would be
    # needlessly wide.
    rates = base.rates()
    assert 0.90 <= rates["coverage_members"] <= 0.99, rates
    assert 0.90 <= rates["coverage_totals"] <= 0.99, rates


def test_no_effect_gives_a_directional_verdict_in_at_most_ten_percent(base):
    for dimension, called in base.false.items():
        assert len(called) == len(SEEDS)
        assert np.mean(called) <= 0.10, f"{dimension}: {np.mean(called):.2f}"


def test_an_effect_of_ten_percent_is_judged_as_stated(base):
    # METOD.md: judged in 88 % of seeds, stated as 75–100 % (target ≥ 60 %).
    assert 0.75 <= base.rates()["power"] <= 1.0


def test_no_seed_in_the_models_changes_a_verdict():
    first = run_once(BASE, 3, True, CFG)
    again = run_once(BASE, 3, True, CFG)
    assert first[0].equals(again[0]) and first[1].equals(again[1])
    members = first[0][(first[0]["method"] == "synthetic_did") & first[0]["municipality_id"].str.isdigit()]
    # Every donor of the pool is a placebo.
    assert (members["n_placebos"] == members["n_donors"]).all()


def test_a_member_trend_of_its_own_blocks_a_verdict():
    called = []
    for seed in range(20):
        agreement = SimAgreement("a", "omr", 3, 2017, purpose=("kostnad",), pretrend={"K1": -25.0})
        world = simulate(seed, {"omr": list(BASE.kpis)}, [agreement], kolada_groups=seed % 2 == 0)
        v = run_models(world.inputs, CFG).verdicts.set_index("dimension")
        called.append(v.loc["kostnad", "verdict"] == "levererar")
    assert np.mean(called) <= 0.10
