"""How the report's build and print time grow with its pages (40, 160, 360), beside the speed targets.

Pages are generated from the demo: the built warehouse (`make run` first; it is only read) is copied and
every cooperation's rows in the marts are repeated under new ids until the site has about N pages. Each
size is built with Evidence in a staged copy of reports/ and every cooperation and kommun page is printed
to PDF, in a temporary folder. With --runs, `uppsikt run` is also timed fresh and then warm with nothing
new, in a folder of its own. Figures are printed beside the targets; the benchmark always exits 0, whatever
they are (it measures, it does not judge).
Run: `uv run python benchmarks/bench_report.py [--sizes 40,160,360] [--runs]`.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from targets import EXIT_NOTE

from orchestration.lib.ops.settings import PROJECT_ROOT, load_settings
from orchestration.lib.report.evidence import build, install, stage_project
from orchestration.lib.report.pdf import PrintJob, print_site

# Target, the figure before this round's speed work (measured 2026-12-05 on this 2-core machine shared by
# five developers, load average 15-29: a demo `make run` with 64 cooperations, 366 pages, 244 PDFs).
TARGETS = [
    ("varm körning utan nytt", "< 30 s", "stannar efter hämtningen (inget byggs om)"),
    (
        "hela nationella demorapporten, varmt",
        "< 5 min",
        "Evidence 474 s (366 sidor) + PDF ~16 s/PDF (3 samtidigt)",
    ),
    ("efter ändring i en samverkan", "< 60 s", "som en hel körning"),
    ("färsk make run", "< 5 min", "21 min 24 s, stoppad vid PDF 25 av 244"),
    ("make test, färsk klon", "< 8 min", "34,5 min (CI)"),
]


@dataclass
class Size:
    pages: int
    build_s: float
    print_s: float


def scale_warehouse(source: Path, target: Path, pages: int) -> None:
    """Copy the warehouse and repeat each cooperation's mart rows under new ids until ~`pages` pages."""
    shutil.copy2(source, target)
    with duckdb.connect(str(target)) as con:
        ids = [row[0] for row in con.execute("select agreement_id from marts.dim_agreements").fetchall()]
        kommuner = con.execute("select count(*) from marts.dim_municipalities").fetchone()[0]
        copies = max(0, math.ceil((pages - kommuner - len(ids) - 6) / max(1, len(ids))))
        tables = con.execute(
            "select table_name from duckdb_columns() where schema_name = 'marts' "
            "and column_name = 'agreement_id' and database_name = current_database()"
        ).fetchall()
        for (table,) in tables:
            for copy in range(1, copies + 1):
                con.execute(
                    f"insert into marts.{table} select * replace (agreement_id || '-kopia-{copy}' as "
                    f"agreement_id) from marts.{table} where agreement_id in (select unnest(?))",
                    [ids],
                )


def report_pages(build_dir: Path) -> list[str]:
    """Every cooperation and kommun page of a built site, as report_pdfs prints them."""
    return [
        f"/{section}/{folder.parent.name}/"
        for section in ("samverkan", "kommun")
        for folder in sorted((build_dir / section).glob("*/index.html"))
    ]


def measure(warehouse: Path, pages: int, work: Path) -> Size:
    """Build and print a site of about `pages` pages; seconds for each."""
    scaled = work / f"uppsikt-{pages}.duckdb"
    scale_warehouse(warehouse, scaled, pages)
    project = stage_project(PROJECT_ROOT / "reports", work / f"reports-{pages}")
    started = time.perf_counter()
    index = build(project, scaled, phase=lambda text: print(f"  {text}", flush=True))
    built = time.perf_counter() - started
    paths = report_pages(index.parent)
    jobs = [
        PrintJob(path, work / f"pdf-{pages}" / f"{path.strip('/').replace('/', '-')}.pdf") for path in paths
    ]
    started = time.perf_counter()
    printed_pages = print_site(index.parent, jobs, progress=_progress)
    printed = time.perf_counter() - started
    navigated = sum(page.navigated for page in printed_pages)
    print(f"  {len(printed_pages)} PDF:er, {navigated} nådda med sajtens egen navigering", flush=True)
    return Size(len(list(index.parent.rglob("index.html"))), built, printed)


def _progress(done: int, total: int, path: str) -> None:
    if done == total or done % max(1, total // 5) == 0:
        print(f"  PDF {done} av {total} ({path})", flush=True)


def time_runs(work: Path) -> tuple[float, float]:
    """Seconds of `uppsikt run` on the demo in a folder of its own: fresh, then warm with nothing new."""
    reports = stage_project(PROJECT_ROOT / "reports", work / "run" / "reports")
    env = {
        **os.environ,
        "UPPSIKT_SOURCE": "demo",
        "UPPSIKT_WAREHOUSE": str(work / "run" / "uppsikt.duckdb"),
        "UPPSIKT_REPORTS": str(reports),
        "UPPSIKT_OUTBOX": str(work / "run" / "outbox"),
        "UPPSIKT_SMTP_HOST": "",
        "DAGSTER_HOME": str(work / "run" / "dagster"),
    }
    (work / "run" / "dagster").mkdir(parents=True, exist_ok=True)
    seconds = []
    for _ in range(2):
        started = time.perf_counter()
        command = [sys.executable, "-m", "orchestration.cli", "run"]
        subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, check=False)
        seconds.append(time.perf_counter() - started)
    return seconds[0], seconds[1]


def print_growth(sizes: list[Size]) -> None:
    print(f"\n{'sidor':>6} {'bygge s':>8} {'s/sida':>7} {'utskrift s':>11} {'s/sida':>7} {'tillväxt':>9}")
    first = sizes[0]
    for size in sizes:
        growth = (size.build_s + size.print_s) / (first.build_s + first.print_s)
        print(
            f"{size.pages:>6} {size.build_s:>8.1f} {size.build_s / size.pages:>7.2f} {size.print_s:>11.1f}"
            f" {size.print_s / size.pages:>7.2f} {growth:>8.2f}x  (sidor {size.pages / first.pages:.2f}x)"
        )


def print_targets(measured: dict[str, str]) -> None:
    print(f"\n{'mål':<40} {'riktvärde':>9}  {'i dag (före)':<40} mätt nu")
    for name, target, before in TARGETS:
        print(f"{name:<40} {target:>9}  {before:<40} {measured.get(name, 'mäts inte här')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="40,160,360", help="sidantal, kommaseparerade")
    parser.add_argument("--runs", action="store_true", help="tidta även uppsikt run, färsk och varm")
    args = parser.parse_args()
    print(EXIT_NOTE)
    warehouse = load_settings().warehouse
    measured: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        install(PROJECT_ROOT / "reports")
        if warehouse.is_file():
            sizes = [measure(warehouse, int(n), Path(tmp)) for n in args.sizes.split(",")]
            print_growth(sizes)
            last = sizes[-1]
            measured["hela nationella demorapporten, varmt"] = (
                f"{last.build_s + last.print_s:.0f} s för {last.pages} sidor (bygge + utskrift)"
            )
        else:
            print(f"Inget lager i {warehouse}: kör `make run` först. Tillväxten mättes inte.")
        if args.runs:
            fresh, warm = time_runs(Path(tmp))
            measured["färsk make run"] = f"{fresh:.0f} s (uppsikt run, utan installation)"
            measured["varm körning utan nytt"] = f"{warm:.0f} s"
    print_targets(measured)


if __name__ == "__main__":
    main()
