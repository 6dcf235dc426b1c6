"""A build whose project sources are unchanged prerenders the last compile with the new data
(orchestration/lib/report/compiled.py): the same site a full build gives, built without compiling."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from orchestration.lib.ops.warehouse import connect
from orchestration.lib.report import compiled, page_reuse
from orchestration.lib.report.evidence import (
    PRERENDER_PHASE,
    STAGING_DIR,
    build,
    compile_ahead,
    stage_project,
)
from tests.report.conftest import REPORTS, BuiltSite
from tests.shared import copy_warehouse

RENAMED = "Omdöpt förbund för provet"
KEPT = re.compile(r"(\d+) sidor är oförändrade")
HASHED = re.compile(r"[0-9a-f]{32}")
# What differs between any two builds, compiled or not: menus' random ids, the build's version stamp (a
# time in ms) and the script file names and app name derived from it.
VOLATILE = re.compile(
    r'(?:id|for|aria-controls|aria-labelledby)="[A-Za-z0-9_-]{10}"'
    r"|\.[A-Za-z0-9_-]{8}\.(?=js|css)|__sveltekit_[a-z0-9]+|\b1\d{12}\b"
)


def _pages(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): VOLATILE.sub("~", p.read_text(encoding="utf-8"))
        for p in site.rglob("index.html")
    }


def _files(site: Path) -> set[str]:
    # The compiled scripts' names change with every compile, and query results and data files are named
    # by the MD5 of their content; everything else keeps its name.
    return {
        HASHED.sub("~", str(p.relative_to(site)))
        for p in site.rglob("*")
        if p.is_file() and "immutable" not in p.parts
    }


@pytest.mark.slow
def test_new_data_with_unchanged_sources_is_prerendered_from_the_last_compile(
    built_site: BuiltSite, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(built_site.warehouse, tmp_path / "warehouse")
    original = _rename(warehouse, RENAMED)
    # A copy of the built project (with its downloads) that has never compiled: the compile comes from the
    # cache beside node_modules, which the shared build filled.
    project = stage_project(built_site.project, tmp_path / "reports")
    phases: list[str] = []
    index = build(project, warehouse, phase=phases.append)
    assert any(phase.startswith(PRERENDER_PHASE) for phase in phases), phases
    assert _files(index.parent) == _files(built_site.index.parent)
    before, after = _pages(built_site.index.parent), _pages(index.parent)
    changed = {page for page in after if after[page] != before[page]}
    # Exactly the pages that name the renamed cooperation changed; every other page is the full build's.
    assert changed == {page for page, text in after.items() if RENAMED in text}
    assert changed

    # Renamed back: the pages whose query results are unchanged are taken from the last build, the others
    # rendered, and the site is the full build's of the same data, page by page.
    _rename(warehouse, original)
    phases.clear()
    index = build(project, warehouse, phase=phases.append)
    kept = [int(m.group(1)) for p in phases if (m := KEPT.search(p))]
    assert kept == [len(after) - len(changed)], phases
    assert _pages(index.parent) == before
    assert _files(index.parent) == _files(built_site.index.parent)
    listed = json.loads((index.parent / page_reuse.INDEX).read_text(encoding="utf-8"))
    assert len(listed) == len(before)
    assert all(page["sql"] for page in listed.values())  # every page's queries were found


def _rename(warehouse: Path, name: str) -> str:
    """Give the first cooperation `name`; its name before."""
    with connect(warehouse) as con:
        first = "select min(agreement_id) from marts.dim_agreements"
        (old,) = con.execute(
            f"select agreement_name from marts.dim_agreements where agreement_id = ({first})"
        ).fetchone()
        con.execute(
            f"update marts.dim_agreements set agreement_name = ? where agreement_id = ({first})", [name]
        )
    return old


def test_the_compile_key_follows_the_sources_not_the_data(tmp_path: Path) -> None:
    project = stage_project(REPORTS, tmp_path / "reports")
    key = compiled.compile_key(project)
    (project / "static" / "nedladdning").mkdir(parents=True, exist_ok=True)
    (project / "static" / "nedladdning" / "ny.csv").write_text("a;b\n")
    assert compiled.compile_key(project) == key
    page = next((project / "pages").rglob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nEn rad till.\n", encoding="utf-8")
    assert compiled.compile_key(project) != key


def test_a_last_build_that_cannot_be_compared_leaves_every_page_to_be_rendered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site, template = tmp_path / "build", tmp_path / "template"
    for version in (site / page_reuse.VERSION, template / page_reuse.COMPILED_VERSION):
        version.parent.mkdir(parents=True)
        version.write_text('{"version":"1"}')
    (site / page_reuse.INDEX).write_text('{"/": {"file": "index.html"', encoding="utf-8")  # cut short
    (site / "index.html").write_text("<html></html>", encoding="utf-8")

    assert page_reuse.reusable(site, template) == {}
    assert "Förra bygget kunde inte jämföras" in caplog.text


def test_compiling_ahead_neither_compiles_nor_copies_the_project_when_its_compile_is_kept(
    built_site: BuiltSite, tmp_path: Path
) -> None:
    # A copy of the project whose sources the shared build compiled: the compile is in the cache.
    project = stage_project(built_site.project, tmp_path / "reports")
    assert not compile_ahead(project)
    staging = project / STAGING_DIR
    assert (staging / compiled.TEMPLATE / compiled.STAMP).read_text() == compiled.compile_key(project)
    assert not (staging / "static").exists()  # the project was not copied to the staging folder
