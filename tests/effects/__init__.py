"""Tests of the effect models (orchestration/lib/transform/effects) and their Dagster asset and marts."""
