"""SCB PxWebApi v2 as the stand-in serves it: TAB4199 metadata and data in JSON-stat2, from a DemoWorld."""

from __future__ import annotations

import math
from typing import Any

from orchestration.lib.demo.world import DemoWorld

TABLE = "TAB4199"
DIMENSIONS = ("Region", "Verksomrkom", "ContentsCode", "Tid")
MAX_CELLS = 150_000
CONTENTS = {
    "0000005Z": "Bruttokostnad, tkr",
    "0000005Y": "Bruttointäkt, tkr",
    "0000005X": "Nettokostnad, tkr",
    "00000060": "Kostnad för det egna åtagandet, tkr",
    "00000061": "Produktionskostnad, tkr",
}
DIMENSION_LABELS = {
    "Region": "region",
    "Verksomrkom": "verksamhetsområde",
    "ContentsCode": "tabellinnehåll",
    "Tid": "år",
}


class ScbError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


class ScbApi:
    """Routes under the SCB prefix: /tables/TAB4199/metadata and /tables/TAB4199/data."""

    def __init__(self, world: DemoWorld, updated: str = "2026-05-28T06:00:00Z") -> None:
        self.world = world
        self.updated = updated
        frame = world.scb_values
        self.cells: dict[tuple[str, str, str, str], float] = {
            (r, v, c, str(y)): float(x)
            for r, v, c, y, x in zip(
                frame["region"],
                frame["verksamhet"],
                frame["contents_code"],
                frame["year"],
                frame["value_tkr"],
                strict=True,
            )
        }
        years = sorted({str(y) for y in frame["year"]})
        self.labels = {
            "Region": dict(world.scb_region_labels),
            "Verksomrkom": dict(world.scb_verksamhet_labels),
            "ContentsCode": dict(CONTENTS),
            "Tid": {y: y for y in years},
        }

    def handle(self, path: str, query: list[tuple[str, str]]) -> dict[str, Any]:
        parts = [p for p in path.strip("/").split("/") if p]
        if len(parts) != 3 or parts[0] != "tables" or parts[2] not in ("metadata", "data"):
            raise LookupError(path)
        if parts[1] != TABLE:
            raise ScbError(404, f"Table {parts[1]} not found")
        if parts[2] == "metadata":
            return self._dataset({d: list(self.labels[d]) for d in DIMENSIONS}, with_values=False)
        params = dict(query)
        if params.get("outputFormat", "json-stat2") != "json-stat2":
            raise ScbError(400, "only outputFormat=json-stat2 is served here")
        return self._dataset(self._selection(query), with_values=True)

    def _selection(self, query: list[tuple[str, str]]) -> dict[str, list[str]]:
        chosen: dict[str, list[str]] = {}
        for key, value in query:
            if key.startswith("valueCodes[") and key.endswith("]"):
                chosen[key[len("valueCodes[") : -1]] = value.split(",")
        selection = {}
        for dim in DIMENSIONS:
            codes = chosen.get(dim)
            if not codes:
                raise ScbError(400, f"valueCodes[{dim}] is required")
            selection[dim] = list(self.labels[dim]) if codes == ["*"] else codes
            unknown = [c for c in selection[dim] if c not in self.labels[dim]]
            if unknown:
                raise ScbError(400, f"Non-existent value {unknown[0]} for {dim}")
        cells = math.prod(len(c) for c in selection.values())
        if cells > MAX_CELLS:
            raise ScbError(403, f"Too many cells selected: {cells} > {MAX_CELLS}")
        return selection

    def _dataset(self, selection: dict[str, list[str]], *, with_values: bool) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "version": "2.0",
            "class": "dataset",
            "label": "Kostnader och intäkter per verksamhet, tkr efter region, verksamhetsområde, "
            "tabellinnehåll och år",
            "source": "SCB",
            "updated": self.updated,
            "id": list(DIMENSIONS),
            "size": [len(selection[d]) for d in DIMENSIONS],
            "dimension": {d: self._dimension(d, selection[d]) for d in DIMENSIONS},
            "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        }
        if with_values:
            doc["value"], doc["status"] = self._values(selection)
        return doc

    def _dimension(self, dim: str, codes: list[str]) -> dict[str, Any]:
        return {
            "label": DIMENSION_LABELS[dim],
            "category": {
                "index": {c: i for i, c in enumerate(codes)},
                "label": {c: self.labels[dim][c] for c in codes},
            },
        }

    def _values(self, selection: dict[str, list[str]]) -> tuple[list[float | None], dict[str, str]]:
        """Row-major over id: the last dimension (Tid) varies fastest."""
        values: list[float | None] = []
        status: dict[str, str] = {}
        for r in selection["Region"]:
            for v in selection["Verksomrkom"]:
                for c in selection["ContentsCode"]:
                    for t in selection["Tid"]:
                        value = self.cells.get((r, v, c, t))
                        if value is None:
                            status[str(len(values))] = ".."
                        values.append(value)
        return values, status
