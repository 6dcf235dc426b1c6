"""Tests of the effect models (orchestration/lib/effects) and their Dagster asset and marts."""
