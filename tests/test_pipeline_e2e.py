"""The whole pipeline as a user runs it: `uppsikt run` on the bundled demo snapshot (tests/conftest.py's
one `pipeline_run` per session), in a subprocess, with a small registry taken from the project's own
(tests/pipeline.py:small_registry): a few cooperations of each form, every KPI and kommun."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader

from orchestration.lib.extract.registry import load_registry
from orchestration.lib.report.evidence import PRERENDER_PHASE
from tests.pipeline import Run, uppsikt
from tests.report.browser import pages_without_query_list

pytestmark = pytest.mark.slow

BANNER = "Demodata – simulerade värden, inte verklig statistik"


def test_run_succeeds_and_prints_the_report(pipeline_run: Run) -> None:
    assert pipeline_run.result.returncode == 0, pipeline_run.result.stderr[-4000:]
    index = pipeline_run.reports / "build" / "index.html"
    assert f"Rapporten är byggd: {index}" in pipeline_run.result.stdout
    assert BANNER in index.read_text(encoding="utf-8")
    # The site was compiled beside the pull and the models (or a kept compile was used): the build after
    # them only prerendered the pages with the data.
    assert PRERENDER_PHASE in pipeline_run.result.stderr + pipeline_run.result.stdout


def test_the_run_tests_the_data_but_leaves_the_unit_tests_to_make_test(pipeline_run: Run) -> None:
    finished = re.findall(
        r"Finished running ([^\n]*)", pipeline_run.result.stderr + pipeline_run.result.stdout
    )
    assert len(finished) == 2, finished  # the models, then the effect marts
    assert all("data test" in line and "unit test" not in line for line in finished), finished


def test_every_cooperation_has_a_page_and_a_verdict(pipeline_run: Run) -> None:
    assert pipeline_run.result.returncode == 0
    ids = {a.id for a in load_registry(pipeline_run.registry).agreements}
    assert len(ids) >= 4, ids  # the small registry, several cooperations
    pages = {p.parent.name for p in (pipeline_run.reports / "build" / "samverkan").glob("*/index.html")}
    assert ids <= pages
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        marts = set(con.execute("select agreement_id from marts.dim_agreements").fetchall())
        judged = con.execute(
            "select distinct agreement_id from marts.fct_agreement_verdicts where dimension = 'samlat'"
        ).fetchall()
        facts = con.execute("select count(*) from marts.fct_agreement_kpi_values").fetchone()
    assert {row[0] for row in marts} == ids
    assert {row[0] for row in judged} == ids
    assert facts is not None and facts[0] > 1000


def test_every_kommun_and_cooperation_page_has_its_prerendered_queries(pipeline_run: Run) -> None:
    # The browser asks for each page's query list; without it (the last pages rendered once lost theirs,
    # written after the site was copied) the page ran its queries in the browser and printed anew each run.
    assert pipeline_run.result.returncode == 0
    build = pipeline_run.reports / "build"
    assert len(list((build / "kommun").glob("*/index.html"))) == 290
    assert pages_without_query_list(build) == []


def test_warehouse_is_readable_by_node_duckdb_1_4(pipeline_run: Run) -> None:
    assert pipeline_run.result.returncode == 0
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        tags = con.execute("select tags from duckdb_databases() where database_name = 'uppsikt'").fetchone()
    assert tags is not None and tags[0]["storage_version"].startswith("v1.4.0")


def test_the_built_report_is_kept_for_the_next_ones_comparison(pipeline_run: Run) -> None:
    assert pipeline_run.result.returncode == 0
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        kept, reports = con.execute(
            "select count(*), count(distinct report_built_at) from history.report_verdicts"
        ).fetchone()
        verdicts = con.execute("select count(*) from marts.fct_agreement_verdicts").fetchone()[0]
        changes = con.execute("select distinct change from marts.fct_agreement_verdict_changes").fetchall()
    assert (kept, reports) == (verdicts, 1)
    assert changes == [("forsta_rapporten",)]  # the first report has nothing to compare with
    page = (pipeline_run.reports / "build" / "index.html").read_text(encoding="utf-8")
    assert "Det här är den första rapporten" in page


def test_pdfs_for_each_cooperation_land_in_the_outbox(pipeline_run: Run) -> None:
    assert pipeline_run.result.returncode == 0
    latest = (pipeline_run.outbox / "latest.txt").read_text(encoding="utf-8").strip()
    folder = pipeline_run.outbox / latest if not Path(latest).is_absolute() else Path(latest)
    pdfs = {p.name for p in folder.glob("*.pdf")}
    assert "samverkan-hoglandets-overformyndarnamnd.pdf" in pdfs
    assert any(name.startswith("kommun-") for name in pdfs)
    # Each PDF is its page printed: the cooperation's name and members, the kommun's own report.
    registry = load_registry(pipeline_run.registry)
    agreement = next(a for a in registry.agreements if a.id == "hoglandets-overformyndarnamnd")
    text = pdf_text(folder / "samverkan-hoglandets-overformyndarnamnd.pdf")
    assert BANNER in text and agreement.name in text
    assert [m.kommun for m in agreement.members if registry.kommuner[m.kommun] not in text] == []
    for member in agreement.members:
        name = registry.kommuner[member.kommun]
        assert f"Uppsiktsrapport för {name}" in pdf_text(folder / f"kommun-{member.kommun}.pdf"), name


def pdf_text(path: Path) -> str:
    """The PDF's text, white space folded (a name may wrap across lines)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _tree_digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for root in paths:
        for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]:
            digest.update(str(path.relative_to(root.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_an_invalid_registry_stops_the_run_before_writing(pipeline_run: Run, tmp_path: Path) -> None:
    assert pipeline_run.result.returncode == 0
    registry = tmp_path / "registry"
    shutil.copytree(pipeline_run.registry, registry)
    broken = registry / "cooperations" / "hoglandets-overformyndarnamnd.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace('"0604"', '"9999"', 1), encoding="utf-8")
    before = _tree_digest(pipeline_run.warehouse, pipeline_run.reports / "build")

    result = uppsikt({**pipeline_run.env, "UPPSIKT_REGISTRY": str(registry)}, "run")

    assert result.returncode == 1
    assert "hoglandets-overformyndarnamnd.yaml:" in result.stderr and "9999" in result.stderr
    assert _tree_digest(pipeline_run.warehouse, pipeline_run.reports / "build") == before


def test_a_second_run_on_the_same_snapshot_rebuilds_nothing_and_says_so(pipeline_run: Run) -> None:
    assert pipeline_run.result.returncode == 0
    index = pipeline_run.reports / "build" / "index.html"
    built = _tree_digest(pipeline_run.reports / "build", pipeline_run.outbox)
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        meta = con.execute("select built_at from marts.dim_report_meta").fetchall()

    result = uppsikt(pipeline_run.env, "run")

    assert result.returncode == 0, result.stderr[-4000:]
    assert (
        "Inget nytt sedan förra körningen" in result.stdout
        and f"Rapporten ligger kvar: {index}" in result.stdout
    )
    assert _tree_digest(pipeline_run.reports / "build", pipeline_run.outbox) == built  # no site, no PDF
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        assert con.execute("select built_at from marts.dim_report_meta").fetchall() == meta  # no mart
        reports = con.execute(
            "select count(distinct report_built_at) from history.report_verdicts"
        ).fetchone()
        runs = con.execute("select count(*) from history.run_inputs").fetchone()
    assert reports == (1,) and runs == (1,)  # the report is recorded once
