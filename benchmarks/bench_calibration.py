"""Calibration of the effect models where it is hard: coverage, false verdicts and power per scenario.

Targets (issue 14): interval coverage ≥ 90 % for members and totals; under no effect a directional
verdict (levererar_delvis included) in ≤ 10 % of cooperations per dimension and overall; with an
effect of 10 % of the level in one KPI, that dimension judged in ≥ 60 % of seeds. Seeds are few so that
the run takes minutes on a small machine; the count is printed, and with it how uncertain each share is.
UPPSIKT_BENCH_SEEDS and UPPSIKT_BENCH_AREA_SEEDS set more.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

from targets import EXIT_NOTE

from orchestration.lib.demo.calibration.scenarios import SCENARIOS, area_scenarios, tally
from orchestration.lib.transform.effects.config import load_config

SEEDS = int(os.environ.get("UPPSIKT_BENCH_SEEDS", "40"))
AREA_SEEDS = int(os.environ.get("UPPSIKT_BENCH_AREA_SEEDS", "10"))
AREAS_YAML = Path(__file__).resolve().parents[1] / "registry" / "areas.yaml"
TARGETS = {"coverage_members": (">=", 0.90), "coverage_totals": (">=", 0.90), "power": (">=", 0.60)}
FALSE_TARGET = 0.10
COLUMNS = ("coverage_members", "coverage_totals", "false_kostnad", "false_kvalitet", "false_personal",
           "false_samlat", "power")  # fmt: skip


def _cell(key: str, value: float) -> str:
    if not math.isfinite(value):
        return "–".rjust(9)
    op, target = TARGETS.get(key, ("<=", FALSE_TARGET))
    ok = value >= target if op == ">=" else value <= target
    return f"{100 * value:6.0f} %{' ' if ok else '!'}"


def main() -> None:
    cfg = load_config()
    print(f"Kalibrering: {SEEDS} frön per scenario ({AREA_SEEDS} för områdenas nyckeltal), huvudmetod "
          f"{cfg.estimation.primary_method}; '!' = utanför målet")  # fmt: skip
    print("mål: täckning ≥ 90 %, falska domar ≤ 10 % (per dimension och samlat), styrka vid 10 % ≥ 60 %")
    print(
        f"{'scenario':28}"
        + "".join(f"{c.replace('coverage_', 'täck_').replace('false_', 'fel_'):>10}" for c in COLUMNS)
    )
    started = time.perf_counter()
    for s in [*SCENARIOS, *area_scenarios(AREAS_YAML)]:
        seeds = range(AREA_SEEDS if s.name.startswith("omrade_") else SEEDS)
        rates = tally(s, seeds, cfg).rates()
        print(f"{s.name:28}" + "".join(_cell(c, rates[c]) for c in COLUMNS), flush=True)
    spread = 200 * math.sqrt(0.09 / SEEDS)
    print(
        f"(med {SEEDS} frön är en andel nära 10 eller 90 % osäker med omkring ±{spread:.0f} procentenheter)"
    )
    print(f"tid: {time.perf_counter() - started:.0f} s")
    print(EXIT_NOTE)


if __name__ == "__main__":
    main()
