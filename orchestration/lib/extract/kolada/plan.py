"""The fewest Kolada data requests for a pull: KPI chunks of at most 25 ids, sized to fill pages of 5000.

Kolada pages count data objects (one per KPI × municipality × year). A pull of N objects needs at least
ceil(N / 5000) requests; chunks whose sizes leave a mostly empty last page waste requests, so the chunk
count and sizes are chosen to minimise the sum of each chunk's pages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

MAX_IDS = 25
PER_PAGE = 5000
# Beyond the fewest possible chunks, how many more chunk counts to try.
EXTRA_CHUNK_COUNTS = 12


@dataclass(frozen=True)
class Chunk:
    """One data request family: its first page and what it is expected to hold."""

    kpis: tuple[str, ...]
    years: tuple[int, ...]
    municipalities: tuple[str, ...] | None
    estimate: int

    def url(self, base_url: str, from_date: date | None = None) -> str:
        path = f"{base_url}/data/kpi/{','.join(self.kpis)}"
        if self.municipalities is not None:
            path += f"/municipality/{','.join(self.municipalities)}"
        path += f"/year/{','.join(str(y) for y in self.years)}"
        query = f"per_page={PER_PAGE}"
        if from_date is not None:
            query += f"&from_date={quote(from_date.isoformat())}"
        return f"{path}?{query}"


def pages_needed(objects: int) -> int:
    """Requests for one chunk: at least one, even when it turns out empty."""
    return max(1, math.ceil(objects / PER_PAGE))


def balanced_chunks(weights: Mapping[str, int], count: int) -> list[list[str]]:
    """Split KPIs into `count` chunks of at most 25, heaviest first into the lightest chunk."""
    chunks: list[list[str]] = [[] for _ in range(count)]
    totals = [0] * count
    for kpi in sorted(weights, key=lambda k: (-weights[k], k)):
        open_chunks = [i for i in range(count) if len(chunks[i]) < MAX_IDS]
        target = min(open_chunks, key=lambda i: (totals[i], i))
        chunks[target].append(kpi)
        totals[target] += weights[kpi]
    return [sorted(c) for c in chunks if c]


def partition(weights: Mapping[str, int]) -> list[list[str]]:
    """The KPI chunks with the fewest expected requests (ties: fewer chunks)."""
    if not weights:
        return []
    fewest = math.ceil(len(weights) / MAX_IDS)
    best: tuple[int, list[list[str]]] | None = None
    for count in range(fewest, min(len(weights), fewest + EXTRA_CHUNK_COUNTS) + 1):
        chunks = balanced_chunks(weights, count)
        pages = sum(pages_needed(sum(weights[k] for k in c)) for c in chunks)
        if best is None or pages < best[0]:
            best = (pages, chunks)
    assert best is not None
    return best[1]


def segments(ids: Sequence[str], size: int = MAX_IDS) -> list[tuple[str, ...]]:
    """Even segments of at most `size` ids (even, so no segment is a small remainder)."""
    if not ids:
        return []
    count = max(1, math.ceil(len(ids) / size))
    step = math.ceil(len(ids) / count)
    return [tuple(ids[i : i + step]) for i in range(0, len(ids), step)]


@dataclass(frozen=True)
class KpiShape:
    """What a KPI is expected to hold: the municipalities of its type and its published years."""

    municipalities: frozenset[str]
    years: tuple[int, ...]


def plan_chunks(
    shapes: Mapping[str, KpiShape], years: Sequence[int], municipalities: Sequence[str] | None = None
) -> list[Chunk]:
    """Data requests for a full pull, in the shape (with or without a municipality segment) needing fewest."""
    by_kpi = _plan_without_municipalities(shapes, years)
    if municipalities is None:
        return by_kpi
    by_segment = _plan_with_municipalities(shapes, years, municipalities)
    if _requests(by_segment) < _requests(by_kpi):
        return by_segment
    return by_kpi


def _requests(chunks: list[Chunk]) -> int:
    return sum(pages_needed(c.estimate) for c in chunks)


def _plan_without_municipalities(shapes: Mapping[str, KpiShape], years: Sequence[int]) -> list[Chunk]:
    chunks = []
    for year_segment in segments([str(y) for y in years]):
        wanted = {int(y) for y in year_segment}
        weights = {k: len(s.municipalities) * len(wanted & set(s.years)) for k, s in shapes.items()}
        for kpis in partition(weights):
            estimate = sum(weights[k] for k in kpis)
            chunks.append(Chunk(tuple(kpis), tuple(sorted(wanted)), None, estimate))
    return chunks


def _plan_with_municipalities(
    shapes: Mapping[str, KpiShape], years: Sequence[int], municipalities: Sequence[str]
) -> list[Chunk]:
    chunks = []
    for year_segment in segments([str(y) for y in years]):
        wanted = {int(y) for y in year_segment}
        for muni_segment in segments(sorted(municipalities)):
            members = set(muni_segment)
            weights = {
                k: len(s.municipalities & members) * len(wanted & set(s.years)) for k, s in shapes.items()
            }
            for kpis in partition(weights):
                estimate = sum(weights[k] for k in kpis)
                chunks.append(Chunk(tuple(kpis), tuple(sorted(wanted)), muni_segment, estimate))
    return chunks


def incremental_chunks(kpis: Sequence[str], years: Sequence[int]) -> list[Chunk]:
    """Requests for values changed since a date: few changes are expected, so the fewest chunks."""
    chunks = []
    for year_segment in segments([str(y) for y in years]):
        ys = tuple(sorted(int(y) for y in year_segment))
        chunks.extend(Chunk(seg, ys, None, 0) for seg in segments(sorted(kpis)))
    return chunks
