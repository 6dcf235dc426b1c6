"""SDID's unit weights solved for every row at once give simplex_ridge's weights, row by row."""

import numpy as np
import pytest

from orchestration.lib.transform.effects import ridge_weights as rw
from orchestration.lib.transform.effects.sdid import _SUM_PENALTY, simplex_ridge, unit_weights


def _problem(seed: int, donors: int, years: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """A pool of trending donors (demeaned over the years, as synthetic_did gives them), a treated row
    and a placebo per donor that leaves that donor out, and SDID's ridge for them."""
    rng = np.random.default_rng(seed)
    pool = 100 * rng.normal(size=(donors, years)).cumsum(axis=1) + rng.normal(0, 500, (donors, 1))
    x_dm = pool - pool.mean(axis=1, keepdims=True)
    treated = np.vstack([400 * rng.normal(size=years).cumsum(), pool])
    y_dm = treated - treated.mean(axis=1, keepdims=True)
    keep = np.ones((donors + 1, donors), dtype=bool)
    keep[np.arange(1, donors + 1), np.arange(donors)] = False
    ridge = np.sqrt(2.0) * float(np.diff(pool, axis=1).std()) ** 2 * years
    return x_dm, y_dm, keep, ridge


def _one_at_a_time(x_dm, y_dm, keep, ridge) -> np.ndarray:
    weights = np.zeros(keep.shape)
    for r, kept in enumerate(keep):
        weights[r, kept] = simplex_ridge(x_dm[kept].T, y_dm[r], ridge)
    return weights


@pytest.mark.parametrize(("donors", "years"), [(8, 3), (40, 7), (120, 10), (290, 5)])
def test_every_row_gets_simplex_ridges_weights(donors: int, years: int) -> None:
    for seed in range(3):
        x_dm, y_dm, keep, ridge = _problem(seed, donors, years)
        weights, settled = rw.ridge_weights(x_dm.T, y_dm, keep, ridge, _SUM_PENALTY)
        assert settled.all()
        assert np.abs(weights - _one_at_a_time(x_dm, y_dm, keep, ridge)).max() < 1e-9
        assert (weights[~keep] == 0).all() and np.allclose(weights.sum(axis=1), 1.0)


def test_a_row_that_does_not_settle_is_solved_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    x_dm, y_dm, keep, ridge = _problem(4, 40, 7)
    monkeypatch.setattr(rw, "MAX_STEPS", 1)  # one Newton step: the positive donors still change
    _, settled = rw.ridge_weights(x_dm.T, y_dm, keep, ridge, _SUM_PENALTY)
    assert not settled.all()
    weights = unit_weights(x_dm, y_dm, keep, ridge)
    assert np.abs(weights - _one_at_a_time(x_dm, y_dm, keep, ridge)).max() < 1e-9


def test_without_a_ridge_every_row_is_solved_on_its_own() -> None:
    # Donors that do not move give σ = 0 and no ridge: the dual method needs one.
    x_dm, y_dm, keep, _ = _problem(5, 12, 4)
    weights = unit_weights(x_dm, y_dm, keep, 0.0)
    assert np.abs(weights - _one_at_a_time(x_dm, y_dm, keep, 0.0)).max() < 1e-9
