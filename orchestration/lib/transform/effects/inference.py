"""Placebo permutation inference: p-value, interval by test inversion, minimum detectable effect."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Inferred:
    p_value: float
    ci_low: float
    ci_high: float
    mde: float
    n_placebos: int


# Values this close count as a tie (floating-point noise of equal statistics), in the unit's disfavour.
TIE = 1e-12


def paired(n: int, m: int, j: int, size: int) -> np.ndarray:
    """Which of member j's `size` placebos goes into each of the group's n placebos (m members): the
    k-th takes member j's (k + j·n/m) mod size, so the members' placebos are spread, not aligned."""
    return (np.arange(n) + j * n // m) % size


def permutation_p(statistic: float, placebo: np.ndarray) -> float:
    """Share of the treated unit and its placebos whose |statistic| is at least the treated one's."""
    return permutation_p_upper(abs(statistic), np.abs(placebo))


def permutation_p_upper(value: float, placebo: np.ndarray) -> float:
    """Share of the unit and its placebos whose value is at least the unit's (for a pre-period fit: as
    poor or poorer, so small = poor fit)."""
    placebo = placebo[np.isfinite(placebo)]
    return (1 + int((placebo >= value - TIE).sum())) / (len(placebo) + 1)


def critical_value(placebo: np.ndarray, confidence: float) -> float:
    """Smallest |gap| the test rejects at 1 - confidence; inf when there are too few placebos.

    p(τ) = (1 + #{|e_j| ≥ |e - τ|}) / (n + 1) stays above α while at least r placebos reach |e - τ|,
    r the smallest integer above α(n + 1) - 1; the interval is e ± the r-th largest |e_j|.
    """
    abs_sorted = np.sort(np.abs(placebo[np.isfinite(placebo)]))[::-1]
    alpha = 1.0 - confidence
    r = math.floor(alpha * (len(abs_sorted) + 1) - 1) + 1
    if r < 1 or r > len(abs_sorted):
        return math.inf
    return float(abs_sorted[r - 1])


def infer(effect: float, placebo: np.ndarray, confidence: float, power: float) -> Inferred:
    """Everything a row reports about uncertainty, from the placebo effects around the treated one."""
    placebo = placebo[np.isfinite(placebo)]
    crit = critical_value(placebo, confidence)
    if not math.isfinite(crit) or not math.isfinite(effect):
        return Inferred(permutation_p(effect, placebo), math.nan, math.nan, math.nan, len(placebo))
    # Under an effect τ the estimate is τ plus placebo-like noise; the test finds it with the given
    # power once τ clears the critical value by the noise's (power)-quantile, in either direction.
    ordered = np.sort(placebo)
    shift = max(-_quantile(ordered, 1.0 - power), _quantile(ordered, power))
    return Inferred(
        p_value=permutation_p(effect, placebo),
        ci_low=effect - crit,
        ci_high=effect + crit,
        mde=crit + float(shift),
        n_placebos=len(placebo),
    )


def _quantile(ordered: np.ndarray, q: float) -> float:
    # np.quantile's linear interpolation on an already sorted array, without its per-call overhead.
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo))
