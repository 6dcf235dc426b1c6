"""Simulated panels with a known effect: intervals cover it, no effect no verdict, pre-trends caught.

Seeds are fixed, so the tests are deterministic; the share of seeds is what the issue asks of the models.
"""

import numpy as np
import pandas as pd
import pytest

from orchestration.lib.effects.config import EffectsConfig
from orchestration.lib.effects.model import run_models
from orchestration.lib.effects.simulate import SimAgreement, SimKpi, simulate

SEEDS = range(60)
CFG = EffectsConfig()
KPIS = {
    "omr": [
        SimKpi("K1", dimension="kostnad", better="lower", base=1000.0),
        SimKpi("Q1", dimension="kvalitet", better="higher", base=70.0, noise=0.04),
        SimKpi("P1", dimension="personal", better="higher", base=30.0, noise=0.05),
    ]
}
TRUE_EFFECT = -100.0  # kr/inv on K1, about 8 % of the level


def run(seed: int, effect: float, **kwargs) -> pd.DataFrame:
    agreement = SimAgreement("a", "omr", 3, 2017, purpose=("kostnad",), effects={"K1": effect}, **kwargs)
    world = simulate(seed, KPIS, [agreement], kolada_groups=seed % 2 == 0)
    return run_models(world.inputs, CFG)


@pytest.fixture(scope="module")
def with_effect() -> list:
    return [run(seed, TRUE_EFFECT) for seed in SEEDS]


@pytest.fixture(scope="module")
def without_effect() -> list:
    return [run(seed, 0.0) for seed in SEEDS]


@pytest.mark.parametrize("method", ["synthetic_control", "diff_in_diff"])
@pytest.mark.parametrize("level", ["member", "total"])
def test_interval_covers_true_effect_in_90_percent_of_seeds(with_effect, method, level):
    covered = []
    for tables in with_effect:
        e = tables.estimates
        rows = e[(e["kpi_id"] == "K1") & (e["method"] == method)]
        rows = rows[(rows["municipality_id"] == "total") == (level == "total")]
        assert rows["ci_low"].notna().all()
        covered += list((rows["ci_low"] <= TRUE_EFFECT) & (rows["ci_high"] >= TRUE_EFFECT))
    assert np.mean(covered) >= 0.90, f"täckning {np.mean(covered):.2f}"


def test_effect_is_found_when_there_is_one(with_effect):
    # Not a calibration claim, only that the test has power: the estimates centre on the truth.
    totals = [t.estimates.query("kpi_id == 'K1' and municipality_id == 'total'") for t in with_effect]
    sc = pd.concat(totals).query("method == 'synthetic_control'")
    assert abs(sc["effect"].mean() - TRUE_EFFECT) < 15
    assert (sc["p_value"] <= CFG.verdicts.alpha).mean() > 0.5


def test_no_effect_is_not_called_delivering_or_failing(without_effect):
    for dimension in ["kostnad", "kvalitet", "personal", "samlat"]:
        called = [
            t.verdicts.set_index("dimension").loc[dimension, "verdict"] in ("levererar", "levererar_inte")
            for t in without_effect
        ]
        assert np.mean(called) <= 0.10, f"{dimension}: {np.mean(called):.2f}"


def test_effect_shows_in_the_verdict(with_effect):
    verdicts = [t.verdicts.set_index("dimension").loc["kostnad", "verdict"] for t in with_effect]
    assert verdicts.count("levererar") + verdicts.count("levererar_delvis") > 0.5 * len(verdicts)


def test_violated_pre_trend_is_flagged():
    flagged = []
    for seed in range(20):
        e = run(seed, 0.0, pretrend={"K1": -25.0}).estimates
        did = e[(e["method"] == "diff_in_diff") & (e["kpi_id"] == "K1") & (e["municipality_id"] == "total")]
        flagged.append(bool(did["pretrend_violated"].iloc[0]))
        assert "fortrend_bruten" in did["flags"].iloc[0] or not flagged[-1]
    assert np.mean(flagged) >= 0.9


def test_parallel_trends_are_seldom_flagged(without_effect):
    flags = [
        bool(r)
        for t in without_effect
        for r in t.estimates.query("method == 'diff_in_diff' and kpi_id == 'K1'")["pretrend_violated"]
    ]
    assert np.mean(flags) <= 0.15
