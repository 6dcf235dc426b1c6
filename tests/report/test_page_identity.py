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
from orchestration.lib.report.outbox import (
    Plan,
    latest_outbox,
    plan_reports,
    read_manifest,
    staged_outbox,
    write_manifest,
)
from orchestration.lib.report.page_identity import identify, print_changed, reuse_unchanged
from tests.report.conftest import REPORTS, BuiltSite
from tests.report.warehouse_fixture import AGREEMENTS

# Rewrites prerendered query results as another build would give them, every column keeping its type and
# every row its place: `set` gives columns one value in every row (a file is changed only if it has them
# all), `rename` [before, after] replaces text in the text columns. argv: the reports folder, a result file
# or a folder of them, where to write (a file, or the same folder), and the change as JSON. Prints how many
# files changed.
REWRITE = """
const { createRequire } = require('node:module');
const { readFileSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const [reports, source, target, change] = process.argv.slice(1);
const arrow = createRequire(reports + '/package.json')('apache-arrow');
const { set = {}, rename = null } = JSON.parse(change);
const typed = (value, type) => (arrow.DataType.isInt(type) && type.bitWidth === 64 ? BigInt(value) : value);
const swap = (value) => (typeof value === 'string' ? value.replaceAll(rename[0], rename[1]) : value);
const files = statSync(source).isDirectory()
  ? readdirSync(source).map((name) => [join(source, name), join(target, name)])
  : [[source, target]];
let changed = 0;
for (const [input, output] of files) {
  const table = arrow.tableFromIPC(readFileSync(input));
  const names = table.schema.fields.map((field) => field.name);
  if (table.numRows === 0 || !Object.keys(set).every((column) => names.includes(column))) continue;
  const columns = {};
  let hit = Object.keys(set).length > 0;
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name);
    if (field.name in set) {
      const value = typed(set[field.name], field.type);
      columns[field.name] = arrow.vectorFromArray([...column].map(() => value), field.type);
    } else if (rename && arrow.DataType.isUtf8(field.type)) {
      const values = [...column];
      hit = hit || values.some((value) => swap(value) !== value);
      columns[field.name] = arrow.vectorFromArray(values.map(swap), new arrow.Utf8());
    } else {
      columns[field.name] = column;
    }
  }
  if (hit) writeFileSync(output, arrow.tableToIPC(new arrow.Table(columns)));
  changed += hit ? 1 : 0;
}
process.stdout.write(String(changed));
"""

# The verdict comparison as the first report shows it (reports/sources/uppsikt/verdict_changes.sql).
FIRST_REPORT = {
    "change": "forsta_rapporten",
    "is_changed": False,
    "change_text": "Första rapporten: inget att jämföra med",
    "previous_verdict": "saknas",
    "previous_verdict_text": "–",
    "has_previous_report": False,
    "previous_report_date": "–",
    "previous_data_year": "–",
}


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


def _rewrite(source: Path, change: dict[str, object], target: Path | None = None) -> int:
    """REWRITE on one result file (written to target) or on every result in a folder (in place)."""
    command = ["node", "-e", REWRITE, str(REPORTS), str(source), str(target or source), json.dumps(change)]
    return int(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def _set_columns(build: Path, values: dict[str, object]) -> int:
    return _rewrite(build / "api" / "prerendered_queries", {"set": values})


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
            # What a rebuild of the same data on another day gives: another report date, where the page
            # shows one.
            when = {"set": {"report_date": "2031-01-01"}}
            shown = (results / f"{rebuilt}.arrow").is_file()
            if not shown and not _rewrite(results / f"{meta}.arrow", when, results / f"{rebuilt}.arrow"):
                continue
            _point(query_list, "meta_data", rebuilt)
            rewritten += 1

    assert rewritten  # the kommun pages show the report date

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


def test_one_changed_cooperation_reprints_its_pages_and_a_same_day_rerun_reuses_the_rest(
    built_site: BuiltSite, build_copy: Path, tmp_path: Path
) -> None:
    # The outbox of a run earlier today, made from the fixture site as built.
    first = _plan(built_site)
    identify(first, REPORTS, build_copy)
    outbox = tmp_path / "outbox"
    with staged_outbox(outbox, first.day) as staging:
        for report in first.reports:
            (staging / report.file).write_bytes(b"%PDF-1.4 " + report.file.encode())
        write_manifest(staging, first)
    before = {path.name: path.read_bytes() for path in (outbox / first.day).glob("*.pdf")}
    # Then one cooperation is renamed in the registry and the site built again: every prerendered query
    # result that showed the old name shows the new one.
    agreement = next(a for a in AGREEMENTS if a.agreement_id == "dalslands_miljo_och_energiforbund")
    results = build_copy / "api" / "prerendered_queries"
    assert _rewrite(results, {"rename": [agreement.name, "Dalslandsförbundet"]}) > 0
    (tmp_path / "node_modules").symlink_to(REPORTS / "node_modules")  # tmp_path/build is the new site

    rerun, lines = _plan(built_site), []
    previous = latest_outbox(outbox)
    with staged_outbox(outbox, rerun.day) as staging:
        printed = print_changed(rerun, tmp_path, previous, staging, log=lines.append)
        write_manifest(staging, rerun)

    assert previous == outbox / rerun.day  # the same day's folder: read, then replaced
    mine = {f"samverkan-{agreement.agreement_id}.pdf", *(f"kommun-{m}.pdf" for m in agreement.members)}
    assert set(rerun.printed) == mine and len(printed) == len(mine)
    after = {path.name: path.read_bytes() for path in (outbox / rerun.day).glob("*.pdf")}
    assert after.keys() == before.keys()
    assert {name for name in after if after[name] != before[name]} == mine
    assert all(after[name].startswith(b"%PDF-") and len(after[name]) > 1000 for name in mine)
    assert lines == [
        f"Skriver ut {len(mine)} PDF:er från {tmp_path / 'build'}; "
        f"{len(before) - len(mine)} oförändrade tas från {previous}"
    ]
    assert read_manifest(outbox / rerun.day).printed == rerun.printed


def test_only_the_first_comparison_with_a_previous_report_changes_every_page(
    built_site: BuiltSite, build_copy: Path
) -> None:
    # The fixture's report has a previous one. The next report, with the same verdicts, differs in when
    # the report it compares with was built: no page shows anything new.
    compared = _identities(built_site, build_copy)
    assert _set_columns(build_copy, {"previous_report_date": "2031-01-01"}) > 0
    assert _identities(built_site, build_copy) == compared
    # The first report says on every page that there is nothing to compare with; the second says what
    # changed since: every page shows something new (why a second run prints every PDF once).
    assert _set_columns(build_copy, FIRST_REPORT) > 0
    first = _identities(built_site, build_copy)

    # All but the one cooperation the fixture has no verdicts for: "Inga domar att jämföra" in both.
    unchanged = [file for file in compared if first[file] == compared[file]]
    assert unchanged == ["samverkan-test_markup_forbund.pdf"]
