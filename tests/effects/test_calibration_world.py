"""The calibration world's discovered contamination reaches the estimators as excluded controls."""

from orchestration.lib.demo.calibration.world import SimAgreement, SimKpi, calibration_world
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.model import run_models

KPIS = {"omr": [SimKpi("K1")]}


def _world(known: float, effect: float = -100.0):
    agreement = SimAgreement(
        "a", "omr", 3, 2017, effects={"K1": effect}, contaminate=0.3, contaminate_known=known
    )
    return calibration_world(1, KPIS, [agreement], n_kommuner=60)


def test_discovered_cooperating_kommuner_are_left_out_of_the_donors():
    world = _world(1.0)
    excluded = set(world.inputs.excluded["municipality_id"])
    assert len(excluded) == int(0.3 * 57)  # 30 % of the kommuner outside the cooperation
    weights = run_models(world.inputs, EffectsConfig()).donor_weights
    assert not weights.empty and not set(weights["donor_id"]) & excluded


def test_discovered_share_and_the_null_world_keep_the_same_kommuner():
    half = set(_world(0.5).inputs.excluded["municipality_id"])
    assert len(half) == round(0.5 * int(0.3 * 57))
    # Without an effect they still cooperate, so they are still left out; undiscovered: none left out.
    assert len(_world(1.0, effect=0.0).inputs.excluded) == int(0.3 * 57)
    assert _world(0.0).inputs.excluded.empty
