"""A suite's results taken from an earlier validation when nothing the suite depends on has changed.

What a suite finds is decided by its rules with this run's parameters (the day, the reference lists, the
baseline), the rows its frames select, and the code that runs them. When all of that hashes the same as in
an earlier validation that moved no row to quarantine, validating again would find the same and move
nothing: the earlier results are stored again for this run instead, and Great Expectations is not even
imported (its import alone is about 3 s of a run that pulled nothing new). A validation that moved rows is
never reused: its moves changed the table, and the next validation reads the table as it is now.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb

from expectations.spec import Params, Rule, Suite
from orchestration.lib.ops.incremental import add_files, rows_digest
from orchestration.lib.validate.gx_run import RuleResult
from orchestration.lib.validate.store import FINGERPRINTS, RESULTS

# The code that turns rules and rows into results: this package and the suites.
CODE = (Path(__file__).parent, Path(__file__).parents[3] / "expectations")
STORED = (
    "expectation, expectation_type, success, observed_value, element_count, unexpected_count, "
    "unexpected_percent, details"
)


def fingerprint(con: duckdb.DuckDBPyConnection, suite: Suite, params: Params) -> str:
    """The hash of everything `suite`'s outcome depends on in this run, read before it changes anything."""
    digest = hashlib.sha256(f"{_code()}\n{suite.name}\n{suite.table}\n".encode())
    for rule in suite.all_rules:
        digest.update(_rule_text(rule, params).encode())
    for name in sorted(suite.frames):
        # A frame's order is not part of what the rules see.
        digest.update(f"{name}:{rows_digest(con, suite.frames[name])}\n".encode())
    return digest.hexdigest()


def earlier(con: duckdb.DuckDBPyConnection, suite: Suite, mark: str) -> tuple[str, list[RuleResult]] | None:
    """The run id and results of the last validation of `suite` with fingerprint `mark`, if it is stored."""
    last = f"select run_id from {FINGERPRINTS} where suite = ? and fingerprint = ? order by checked_at desc"
    row = con.execute(f"{last} limit 1", [suite.name, mark]).fetchone()
    if row is None:
        return None
    stored = f"select {STORED} from {RESULTS} where suite = ? and run_id = ?"
    by_name = {result[0]: result for result in con.execute(stored, [suite.name, row[0]]).fetchall()}
    if set(by_name) != {rule.name for rule in suite.all_rules}:
        return None  # results pruned or written by another version of the suite: validate
    return row[0], [RuleResult(rule, *by_name[rule.name][1:]) for rule in suite.all_rules]


def remember(
    con: duckdb.DuckDBPyConnection, suite: Suite, run_id: str, mark: str, checked_at: datetime
) -> None:
    """Note that the validation of `suite` in `run_id`, which moved no row, read what `mark` hashes."""
    con.execute(f"insert into {FINGERPRINTS} values (?, ?, ?, ?)", [suite.name, run_id, mark, checked_at])


def _rule_text(rule: Rule, params: Params) -> str:
    # kwargs(params) holds whatever of the day, reference lists and baseline the rule uses.
    parts = [rule.name, rule.expectation, rule.severity.value, rule.frame, rule.description]
    parts += [rule.quarantine_reason, rule.keeps_baseline, rule.kwargs(params)]
    return json.dumps(parts, sort_keys=True, default=_plain, ensure_ascii=False) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)  # a set's order is not its content
    return str(value)


@functools.cache
def _code() -> str:
    digest = hashlib.sha256(version("great_expectations").encode())
    for folder in CODE:
        add_files(digest, folder, folder.parent, lambda path: path.suffix != ".py")
    return digest.hexdigest()
