"""How the real report build (evidence_site) is wired into the real code location, for the Dagster-run
tests whose small stand-in graphs must depend on their stand-ins as the real site does."""

from __future__ import annotations

from functools import cache

import dagster as dg

from orchestration.defs.report.evidence import EVIDENCE_SITE


@cache
def real_graph() -> dg.AssetGraph:
    from orchestration.definitions import defs

    return defs().resolve_asset_graph()


@cache
def report_upstream() -> frozenset[dg.AssetKey]:
    """Every asset the real evidence_site depends on, directly or through others."""
    graph = real_graph()
    return frozenset(dg.AssetSelection.assets(EVIDENCE_SITE).upstream().resolve(graph) - {EVIDENCE_SITE})


def report_deps(*stand_ins: dg.AssetKey) -> list[dg.AssetKey]:
    """The stand-ins the real site depends on: a stand-in report takes these, no more and no fewer."""
    return [key for key in stand_ins if key in report_upstream()]
