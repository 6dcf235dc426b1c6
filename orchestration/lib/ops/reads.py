"""Which warehouse tables code reads, found in its SQL text: an asset's dependencies derived, not typed.

A module's source (or a folder of .sql files) is scanned for `from`/`join` of a table in one of the
warehouse's schemas, so a query that starts reading a new table gives its asset the new dependency.
Keys are [schema, table], as the dbt assets, the raw tables and the analysis tables are keyed.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import dagster as dg

SCHEMAS = ("raw", "staging", "intermediate", "marts", "analysis", "quality", "history")
RELATION = re.compile(rf"\b(?:from|join)\s+({'|'.join(SCHEMAS)})\.([a-z_][a-z0-9_]*)\b", re.IGNORECASE)


def tables_in(text: str) -> set[tuple[str, str]]:
    """The (schema, table) pairs `text` selects from or joins, comments included (a safe excess)."""
    return {(schema.lower(), name.lower()) for schema, name in RELATION.findall(text)}


def module_reads(*modules: str) -> set[tuple[str, str]]:
    """The tables the SQL in the named modules reads, found without importing them."""
    found: set[tuple[str, str]] = set()
    for module in modules:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError(module)
        found |= tables_in(Path(spec.origin).read_text(encoding="utf-8"))
    return found


def folder_reads(folder: Path, pattern: str = "*.sql") -> set[tuple[str, str]]:
    """The tables the query files in `folder` read."""
    return set().union(*(tables_in(p.read_text(encoding="utf-8")) for p in sorted(folder.glob(pattern))))


def asset_keys(tables: Iterable[tuple[str, ...]]) -> list[dg.AssetKey]:
    """Dagster keys of `tables`, in a stable order."""
    return [dg.AssetKey(list(table)) for table in sorted(set(tables))]


def table_specs(
    schema: str, descriptions: Mapping[str, str], deps: list[dg.AssetKey], group: str
) -> list[dg.AssetSpec]:
    """One spec per table a multi-asset writes into `schema`, all with the same upstream `deps`."""
    return [
        dg.AssetSpec([schema, name], deps=deps, group_name=group, description=text)
        for name, text in descriptions.items()
    ]
