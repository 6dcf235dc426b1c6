"""Effect estimators: synthetic control, diff-in-diff, placebo inference and verdicts (see README.md)."""
