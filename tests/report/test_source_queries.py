"""The report only formats: every source query is one select from one mart, with no business CASE.

Business rules, labels and judgements live in the dbt marts; a source query that reads below the marts
(raw, staging, intermediate, quality, analysis) or decides with a CASE would be a second home for a rule.
The marts the report reads must have an enforced dbt contract, so a changed column breaks dbt, not the site.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from orchestration.lib.ops.settings import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "reports" / "sources" / "uppsikt"
MODELS = PROJECT_ROOT / "dbt" / "models"
# Formatting helpers (Swedish number and time formats) run before every query; not a source query.
HELPERS = "initialize.sql"
RELATION = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)(?:\.([a-z_][a-z0-9_]*))?", re.IGNORECASE)


def _code(sql: str) -> str:
    """The query without comments and string literals (a word in a label is not a keyword)."""
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.DOTALL)
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def problems(sql: str) -> list[str]:
    """What makes a source query more than one formatting select from a mart (empty when fine)."""
    code = _code(sql)
    found = []
    relations = [(schema, name) for schema, name in RELATION.findall(code) if schema.lower() != "unnest"]
    for schema, name in relations:
        if not name or schema.lower() != "marts":
            found.append(f"läser {schema}.{name}".rstrip(".") + " (inte en mart)")
    if len({(s.lower(), n.lower()) for s, n in relations}) > 1:
        found.append(f"läser {len(relations)} tabeller, inte en mart")
    if re.search(r"\bcase\b", code, re.IGNORECASE):
        found.append("innehåller CASE (en regel hör hemma i en mart)")
    if re.search(r"\bwith\b", code, re.IGNORECASE):
        found.append("har CTE:er (logik hör hemma i en mart)")
    return found


def _source_files() -> list[Path]:
    return sorted(p for p in SOURCES.glob("*.sql") if p.name != HELPERS)


def _contracted_marts() -> set[str]:
    names = set()
    for path in (MODELS / "marts").rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            if ((model.get("config") or {}).get("contract") or {}).get("enforced"):
                names.add(model["name"])
    return names


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: p.name)
def test_source_query_is_one_select_from_a_mart(path: Path) -> None:
    assert problems(path.read_text(encoding="utf-8")) == [], path.name


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: p.name)
def test_the_mart_a_source_reads_has_an_enforced_contract(path: Path) -> None:
    marts = {name for _, name in RELATION.findall(_code(path.read_text(encoding="utf-8")))}
    assert marts and marts <= _contracted_marts(), f"{path.name}: {marts - _contracted_marts()}"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select * from staging.stg_extract__responses", "läser staging.stg_extract__responses"),
        ("select * from quality.freshness", "läser quality.freshness"),
        ("select a from marts.x join intermediate.int_y on true", "läser intermediate.int_y"),
        ("select case form when 'bolag' then 'Bolag' end from marts.dim_agreements", "CASE"),
        ("with a as (select * from marts.x) select * from a", "CTE"),
        ("select * from marts.x join marts.y using (k)", "2 tabeller"),
    ],
)
def test_the_check_catches_a_rule_outside_the_marts(sql: str, expected: str) -> None:
    assert any(expected in problem for problem in problems(sql))


def test_labels_inside_strings_are_not_mistaken_for_keywords() -> None:
    assert problems("select 'Case från staging' as label, x from marts.dim_agreements") == []
