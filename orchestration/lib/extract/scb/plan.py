"""TAB4199 requests: the selection split along one dimension into the fewest requests under 150,000 cells."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import httpx

TABLE = "TAB4199"
MAX_CELLS = 150_000
ORDER = ("Region", "Verksomrkom", "ContentsCode", "Tid")


@dataclass(frozen=True)
class Selection:
    codes: Mapping[str, tuple[str, ...]]

    @property
    def cells(self) -> int:
        return math.prod(len(self.codes[d]) for d in ORDER)

    def url(self, base_url: str) -> str:
        params = [("lang", "sv"), ("outputFormat", "json-stat2")]
        params += [(f"valueCodes[{d}]", ",".join(self.codes[d])) for d in ORDER]
        return str(httpx.URL(f"{base_url}/tables/{TABLE}/data", params=params))


def metadata_url(base_url: str) -> str:
    return f"{base_url}/tables/{TABLE}/metadata?lang=sv"


def _split(codes: Sequence[str], parts: int) -> list[tuple[str, ...]]:
    step = math.ceil(len(codes) / parts)
    return [tuple(codes[i : i + step]) for i in range(0, len(codes), step)]


def plan_selections(codes: Mapping[str, Sequence[str]], max_cells: int = MAX_CELLS) -> list[Selection]:
    """Split along the dimension that needs the fewest parts (ties: the earlier in ORDER)."""
    whole = Selection({d: tuple(codes[d]) for d in ORDER})
    if whole.cells <= max_cells:
        return [whole]
    best: tuple[int, str] | None = None
    for dim in ORDER:
        per_code = whole.cells // len(whole.codes[dim])
        if per_code > max_cells:
            continue
        parts = math.ceil(len(whole.codes[dim]) / (max_cells // per_code))
        if best is None or parts < best[0]:
            best = (parts, dim)
    if best is None:
        raise ValueError(f"no single dimension split keeps {whole.cells} cells under {max_cells}")
    parts, dim = best
    return [Selection({**whole.codes, dim: part}) for part in _split(whole.codes[dim], parts)]
