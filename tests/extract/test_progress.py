"""The pull says how far it has come: pages fetched of planned, ending with all of them."""

from __future__ import annotations

import re
import subprocess
import time

from orchestration.lib.extract.kolada.extract import run_kolada
from orchestration.lib.extract.progress import heartbeat
from orchestration.lib.extract.scb.extract import ScbScope, run_scb
from tests.extract.conftest import FAST, VERKSAMHETER

LINE = re.compile(r"^(Kolada|SCB): (\d+) av (\d+) sidor hämtade$")


def test_kolada_progress_counts_every_page_and_ends_complete(standin, access, scope, warehouse):
    said: list[str] = []
    report = run_kolada(warehouse, access, scope, say=said.append, **FAST)
    pages = report.metadata_pages + report.data_pages
    assert pages > 10 and said[-1] == f"Kolada: {pages} av {pages} sidor hämtade"
    figures = [tuple(map(int, LINE.match(line).groups()[1:])) for line in said]  # type: ignore[union-attr]
    assert all(done <= planned for done, planned in figures)
    assert [done for done, _ in figures] == sorted(done for done, _ in figures)


def test_scb_progress_ends_with_every_request(standin, access, warehouse):
    said: list[str] = []
    report = run_scb(warehouse, access, ScbScope(VERKSAMHETER), say=said.append, **FAST)
    assert said[-1] == f"SCB: {report.requests} av {report.requests} sidor hämtade"


def test_a_step_that_cannot_count_says_it_is_still_going_until_it_ends():
    lines: list[str] = []
    with heartbeat("npm install", lines.append, every=0.1):
        subprocess.run(["sleep", "0.45"], check=True)  # a real child, as npm is
    told = len(lines)
    time.sleep(0.3)
    assert told >= 3 and len(lines) == told  # nothing after the step ended
    assert lines[0].startswith("npm install: pågår, ") and lines[0].endswith(" s")
