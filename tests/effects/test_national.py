"""The national estimator on panels with known effects: exact recovery without noise, interval coverage,
the pre-trend test, censored starts and empirical-Bayes shrinkage (a few seeds; the benchmark runs many)."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from orchestration.lib.demo.calibration.national import (
    SimSpec,
    simulate_staggered,
    true_by_event,
    true_overall,
    true_per_cooperation,
    twfe,
)
from orchestration.lib.transform.effects.national import NEVER, StaggeredPanel, build_cells, estimate
from orchestration.lib.transform.effects.national_peers import dersimonian_laird, own_estimates, shrink
from orchestration.lib.transform.effects.national_run import NationalInputs, run_national

SPEC = SimSpec(n_kommuner=200, n_cooperations=25, ramp_years=6)


def noiseless_panel() -> tuple[StaggeredPanel, np.ndarray]:
    """Kommun and year effects only, two cohorts, an effect that grows by 10 a year after joining."""
    rng = np.random.default_rng(0)
    years = np.arange(2010, 2020)
    n = 30
    cohort = np.array([2013] * 5 + [2016] * 5 + [NEVER] * 20)
    cluster = np.array([0] * 5 + [1] * 5 + [-1] * 20)
    event = years[None, :] - cohort[:, None]
    truth = np.where((cohort != NEVER)[:, None] & (event >= 1), 10.0 * event, 0.0)
    y = rng.normal(100, 20, n)[:, None] + rng.normal(0, 5, len(years)).cumsum()[None, :] + truth
    return StaggeredPanel(y, years, cohort, cluster), truth


def test_without_noise_every_event_year_is_recovered_exactly_and_twfe_is_not():
    panel, truth = noiseless_panel()
    result = estimate(panel, draws=49)
    expected = {e: 10.0 * e if e >= 1 else 0.0 for e in result.events}
    assert result.estimate == pytest.approx([expected[e] for e in result.events], abs=1e-9)
    treated_post = (panel.cohort != NEVER)[:, None] & (panel.years[None, :] - panel.cohort[:, None] >= 1)
    assert result.overall == pytest.approx(truth[treated_post].mean(), abs=1e-9)
    # Two-way fixed effects compares the late cohort with the already treated early one: biased towards 0.
    assert twfe(panel) < result.overall - 3
    assert (result.n_clusters, result.n_municipalities) == (2, 10)
    # Two cooperations cannot show how much cooperations vary: no interval and no pre-trend test.
    assert np.isnan(result.overall_ci).all() and np.isnan(result.pretrend_p)


def test_a_start_in_the_first_data_year_is_censored_and_left_out():
    panel, _ = noiseless_panel()
    cohort = panel.cohort.copy()
    cohort[:5] = 2010  # no year before the start in the data
    result = estimate(replace(panel, cohort=cohort), draws=49)
    assert (result.n_clusters, result.n_municipalities) == (1, 5)
    assert result.overall == pytest.approx(10.0 * np.arange(1, 4).mean(), abs=1e-9)


def test_not_yet_cooperating_kommuner_are_controls_when_no_one_stays_out():
    panel, _ = noiseless_panel()
    cells = build_cells(replace(panel, y=panel.y[:10], cohort=panel.cohort[:10], cluster=panel.cluster[:10]))
    # Only the 2016 cohort can serve, and only for the 2013 cohort's cells before 2016.
    assert cells.control.sum(axis=0).max() == 5
    assert set(cells.event[cells.event >= 1]) == {1, 2}


def test_intervals_cover_the_known_average_effect():
    covered_overall, covered_event = [], []
    for seed in range(20):
        sim = simulate_staggered(seed, SPEC)
        result = estimate(sim.panel, draws=199)
        covered_overall.append(result.overall_ci[0] <= true_overall(sim) <= result.overall_ci[1])
        e3 = int(np.flatnonzero(result.events == 3)[0])
        covered_event.append(result.ci_low[e3] <= true_by_event(sim, 3) <= result.ci_high[e3])
    # At 95 % nominal, 17 or more of 20 covered happens with probability 0.98.
    assert sum(covered_overall) >= 17
    assert sum(covered_event) >= 17


def test_pretrend_test_rejects_a_planted_pretrend_and_seldom_a_clean_panel():
    planted = [
        estimate(simulate_staggered(s, replace(SPEC, pretrend=10.0)).panel, draws=199).pretrend_p
        for s in range(8)
    ]
    clean = [estimate(simulate_staggered(s, SPEC).panel, draws=199).pretrend_p for s in range(8)]
    assert sum(p < 0.05 for p in planted) >= 6
    assert sum(p < 0.05 for p in clean) <= 2


def test_shrinkage_lowers_the_error_of_single_cooperation_estimates():
    raw, shrunk = [], []
    for seed in range(5):
        sim = simulate_staggered(seed, SPEC)
        national = estimate(sim.panel, draws=99).overall
        found = own_estimates(sim.panel, build_cells(sim.panel))
        own = np.array([p.own for p in found])
        result = shrink(own, np.array([p.own_se for p in found]), national)
        truth = true_per_cooperation(sim)[[p.cluster for p in found]]
        raw.append(np.mean((own - truth) ** 2))
        shrunk.append(np.mean((result.estimate - truth) ** 2))
        assert ((result.shrinkage > 0) & (result.shrinkage < 1)).all()
    assert np.mean(shrunk) < 0.7 * np.mean(raw)


def test_dersimonian_laird_is_zero_for_pure_noise_and_shrinks_fully():
    own = np.array([1.0, -1.0, 0.5, -0.5])
    se = np.full(4, 10.0)
    assert dersimonian_laird(own, se) == 0.0
    result = shrink(own, se, prior_mean=3.0)
    assert result.estimate == pytest.approx(np.full(4, 3.0))
    spread = shrink(np.array([-100.0, 0.0, 100.0]), np.full(3, 1.0), prior_mean=0.0)
    assert spread.tau2 == pytest.approx(10000.0 - 1.0)
    assert spread.shrinkage == pytest.approx(np.full(3, 1 / 10000.0))


def test_too_few_peers_are_not_shrunk():
    result = shrink(np.array([-10.0, 5.0]), np.array([1.0, 1.0]), prior_mean=0.0)
    assert result.estimate == pytest.approx([-10.0, 5.0])
    assert result.shrinkage == pytest.approx([0.0, 0.0])


def _inputs(sim, shift: float) -> NationalInputs:
    """The simulated panel as the national estimates read it: two KPIs, the second the first minus
    `shift` (the same movements around another level)."""
    p = sim.panel
    ids = [f"{i:04d}" for i in range(len(p.y))]
    frames = [
        pd.DataFrame({"kpi_id": kpi, "municipality_id": np.repeat(ids, len(p.years)),
                      "year": np.tile(p.years, len(ids)), "value": (p.y - offset).ravel()})
        for kpi, offset in (("LVL", 0.0), ("DEV", shift))
    ]  # fmt: skip
    members = [(f"c{c}", ids[i], int(p.cohort[i])) for i, c in enumerate(p.cluster) if c >= 0]
    coops = pd.DataFrame(members, columns=["cooperation_id", "municipality_id", "joined_year"])
    coops = coops.assign(area="omr", form="kommunalforbund", source="registry")
    area_kpis = pd.DataFrame({"area": "omr", "kpi_id": ["LVL", "DEV"]})
    return NationalInputs(pd.concat(frames, ignore_index=True), coops, area_kpis)


def test_a_deviation_around_zero_gets_the_same_estimate_and_no_percentage():
    # A nettokostnadsavvikelse is about half negative: a percentage of its level means nothing (N17001
    # read +269 % on real values). The same movements as a level with a true zero keep theirs.
    sim = simulate_staggered(3, SimSpec(n_cooperations=12))
    shift = float(np.nanmedian(sim.panel.y))
    tables = run_national(_inputs(sim, shift), draws=99)
    overall = tables.effects[tables.effects["event_year"].isna()].set_index("kpi_id")
    assert overall.loc["DEV", "estimate"] == pytest.approx(overall.loc["LVL", "estimate"])
    pct = ["estimate_pct", "ci_low_pct", "ci_high_pct"]
    assert overall.loc["LVL", pct].notna().all() and overall.loc["DEV", pct].isna().all()
    peers = tables.peers.set_index("kpi_id")
    assert peers.loc["LVL", "own_pct"].notna().all() and peers.loc["DEV", "own_pct"].isna().all()
