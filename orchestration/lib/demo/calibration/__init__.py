"""Calibration worlds for the effect estimators: simulated panels with known effects (tests, benchmarks).

Not the demo world (lib/demo/simulation.py, recorded as the snapshot): these are small, plain panels built
to be hard for the estimators, so that their coverage, false verdicts and power can be measured.
"""
