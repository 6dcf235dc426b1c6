"""A report page's content identity from the query results it was built with (lib/report/page_identity.py),
on the real Evidence build of the fixture warehouse."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from hashlib import md5
from pathlib import Path

import pytest

from orchestration.lib.ops.warehouse import connect
from orchestration.lib.report.outbox import Plan, plan_reports, write_manifest
from orchestration.lib.report.page_identity import identify, reuse_unchanged
from tests.report.conftest import REPORTS, BuiltSite

# Rewrites one prerendered query result with another build time: what a rebuild of the same data gives.
REBUILT = """
const { createRequire } = require('node:module');
const { readFileSync, writeFileSync } = require('node:fs');
const arrow = createRequire(process.argv[1] + '/package.json')('apache-arrow');
const table = arrow.tableFromIPC(readFileSync(process.argv[2]));
const rows = table.toArray().map((row) => ({ ...row.toJSON(), built_at: '2031-01-01 00:00', report_id: 1 }));
writeFileSync(process.argv[3], arrow.tableToIPC(arrow.tableFromJSON(rows)));
"""


def _plan(site: BuiltSite) -> Plan:
    with connect(site.warehouse, read_only=True) as con:
        return plan_reports(con, date(2026, 12, 5))


def _identities(site: BuiltSite, build: Path) -> dict[str, str | None]:
    plan = _plan(site)
    identify(plan, REPORTS, build)
    return {report.file: report.identity for report in plan.reports}


def _query_lists(build: Path) -> list[Path]:
    return sorted((build / "api").glob("*/*/all-queries.json"))


def _point(query_list: Path, name: str, result: str) -> None:
    queries = json.loads(query_list.read_text())
    queries[name] = result
    query_list.write_text(json.dumps(queries))


@pytest.fixture
def build_copy(built_site: BuiltSite, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_site.index.parent, tmp_path / "build"))


def test_every_printed_page_has_its_own_identity(built_site: BuiltSite) -> None:
    identities = _identities(built_site, built_site.index.parent)

    assert identities and all(identities.values())
    assert len(set(identities.values())) == len(identities)
    assert identities == _identities(built_site, built_site.index.parent)


def test_a_rebuild_of_the_same_data_keeps_every_identity(built_site: BuiltSite, build_copy: Path) -> None:
    before = _identities(built_site, build_copy)
    results = build_copy / "api" / "prerendered_queries"
    rewritten = 0
    for query_list in _query_lists(build_copy):
        meta = json.loads(query_list.read_text()).get("meta_data")  # the rows of the page's `meta` query
        if meta:
            rebuilt = f"{meta}-rebuilt"
            if not (results / f"{rebuilt}.arrow").is_file():
                command = ["node", "-e", REBUILT, str(REPORTS), str(results / f"{meta}.arrow")]
                subprocess.run([*command, str(results / f"{rebuilt}.arrow")], check=True)
            _point(query_list, "meta_data", rebuilt)
            rewritten += 1

    assert rewritten  # the kommun pages show when the report was built

    assert _identities(built_site, build_copy) == before


def test_a_page_showing_other_rows_gets_a_new_identity_and_no_other_page(
    built_site: BuiltSite, build_copy: Path
) -> None:
    before = _identities(built_site, build_copy)
    plan = _plan(built_site)
    first, second = [r for r in plan.reports if r.kind == "samverkan"][:2]
    route = md5(b"/samverkan/[agreement_id]").hexdigest()
    lists = [
        build_copy / "api" / route / md5(f"agreement_id\x1f{r.id}".encode()).hexdigest() / "all-queries.json"
        for r in (first, second)
    ]
    mine, theirs = (json.loads(path.read_text()) for path in lists)
    name = next(name for name in sorted(mine) if name in theirs and mine[name] != theirs[name])
    _point(lists[0], name, theirs[name])  # e.g. another cooperation's members

    after = _identities(built_site, build_copy)

    assert {file for file in before if before[file] != after[file]} == {first.file}


def test_unchanged_pdfs_are_reused_from_the_previous_outbox(built_site: BuiltSite, tmp_path: Path) -> None:
    plan = _plan(built_site)
    identify(plan, REPORTS, built_site.index.parent)
    previous, staging = tmp_path / "2026-12-04", tmp_path / "staging"
    previous.mkdir(), staging.mkdir()
    changed = plan.reports[0]
    for report in plan.reports:
        (previous / report.file).write_bytes(b"%PDF-1.4 " + report.file.encode())
    shown, changed.identity = changed.identity, "what the page showed before"
    write_manifest(previous, plan)
    changed.identity = shown

    reused = reuse_unchanged(plan, previous, staging)

    assert reused == {report.file for report in plan.reports} - {changed.file}
    assert sorted(path.name for path in staging.iterdir()) == sorted(reused)


def test_the_random_name_of_a_derived_query_does_not_count(built_site: BuiltSite, build_copy: Path) -> None:
    # Evidence names a query derived while a page renders (a chart's `.where(...)`) "<hash of its SQL>-0.
    # <random>", and that SQL holds a random alias: another build, another name (two real builds differed
    # so). The report's pages filter in the browser instead, so such a query is added here, as a build of a
    # page that used `.where(...)` would list it, pointing at one of the page's real results.
    lists = _query_lists(build_copy)
    for query_list in lists:
        result = next(iter(json.loads(query_list.read_text()).values()))
        _point(query_list, "1epk3qm-0.el_data", result)
    before = _identities(built_site, build_copy)
    for query_list in lists:
        queries = json.loads(query_list.read_text())
        queries["9zz0abc-0.q7_data"] = queries.pop("1epk3qm-0.el_data")
        query_list.write_text(json.dumps(queries))

    assert lists
    assert _identities(built_site, build_copy) == before
