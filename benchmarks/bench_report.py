"""How the report's build and print time grow with its pages (40, 160, 360), beside the speed targets.

Sites are cut from the demo's: the built warehouse (`make run` first; it is only read) is copied and its
marts keep cooperations and kommuner in the demo's proportion (the first cooperations, the pages they link
to, their members, then other kommuner) until the site has about N pages (the whole demo is 366). Each
size is built with Evidence in a staged copy of reports/ and every cooperation and kommun page is printed
to PDF, in a temporary folder. With --runs, `uppsikt run` is also timed fresh and then warm with nothing
new, in a folder of its own. Figures are printed beside the targets; the benchmark always exits 0, whatever
they are (it measures, it does not judge).
Run: `uv run python benchmarks/bench_report.py [--sizes 40,160,360] [--runs]`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from targets import EXIT_NOTE, print_targets

from orchestration.lib.ops.settings import PROJECT_ROOT, load_settings
from orchestration.lib.report.evidence import PRERENDER_PHASE, build, install, stage_project
from orchestration.lib.report.pdf import PrintJob, print_site

# Pages whatever the data: the overview, five report pages, "i hela landet" and its five areas.
FIXED_PAGES = 12
# Kommun pages are built from these marts (one row per kommun); other marts keep every kommun's rows.
KOMMUN_PAGE_TABLES = [
    "dim_municipalities",
    "fct_municipality_summary",
    "fct_municipality_questions",
    "fct_municipality_candidates",
]
# Columns naming another cooperation whose page a kept cooperation's page links to.
LINKED_AGREEMENT_COLUMNS = [
    "predecessor_agreement_id",
    "successor_agreement_id",
    "credited_to_agreement_id",
    "attributed_agreement_id",
]


@dataclass
class Size:
    pages: int
    build_s: float
    print_s: float
    compiled: bool  # the build compiled the site; otherwise it prerendered the last compile


def subset_warehouse(source: Path, target: Path, pages: int) -> None:
    """Copy the warehouse and keep cooperations and kommuner in the demo's proportion until ~`pages` pages:
    the first cooperations (with those their pages link to) and their members, then other kommuner."""
    shutil.copy2(source, target)
    with duckdb.connect(str(target)) as con:
        ids = _column(con, "select agreement_id from marts.dim_agreements order by 1")
        kommuner = _column(con, "select municipality_id from marts.dim_municipalities order by 1")
        share = len(ids) / (len(ids) + len(kommuner))
        count = max(1, round((pages - FIXED_PAGES) * share))
        kept, members = _with_members(con, ids[:count])
        while count > 1 and len(kept) + len(members) > pages - FIXED_PAGES:  # members fill a small site
            count -= 1
            kept, members = _with_members(con, ids[:count])
        others = [m for m in kommuner if m not in members]
        room = max(0, pages - FIXED_PAGES - len(kept) - len(members))
        _keep(con, "agreement_id", kept, "/samverkan/", _tables_with(con, "agreement_id"))
        _keep(con, "municipality_id", members + others[:room], "/kommun/", KOMMUN_PAGE_TABLES)


def _with_members(con: duckdb.DuckDBPyConnection, chosen: list[str]) -> tuple[list[str], list[str]]:
    kept = _linked_agreements(con, chosen)
    members = _column(
        con,
        "select distinct municipality_id from marts.fct_agreement_members "
        "where agreement_id in (select unnest(?)) order by 1",
        [kept],
    )
    return kept, members


def _column(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[str]:
    return [row[0] for row in con.execute(sql, params or []).fetchall()]


def _tables_with(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    return _column(
        con,
        "select table_name from duckdb_columns() where schema_name = 'marts' and column_name = ? "
        "and database_name = current_database() order by 1",
        [column],
    )


def _linked_agreements(con: duckdb.DuckDBPyConnection, chosen: list[str]) -> list[str]:
    """`chosen` with the cooperations their pages name (predecessor, successor, credited to), repeatedly."""
    kept = set(chosen)
    while True:
        linked = {
            found
            for column in LINKED_AGREEMENT_COLUMNS
            for table in _tables_with(con, column)
            for found in _column(
                con,
                f"select distinct {column} from marts.{table} "
                f"where agreement_id in (select unnest(?)) and {column} is not null",
                [sorted(kept)],
            )
        }
        if linked <= kept:
            return sorted(kept)
        kept |= linked


def _keep(
    con: duckdb.DuckDBPyConnection, column: str, kept: list[str], section: str, tables: list[str]
) -> None:
    """Delete the rows of `tables` for the others, and every row that links to one of their pages."""
    for table in tables:
        con.execute(
            f"delete from marts.{table} where {column} is not null and {column} not in (select unnest(?))",
            [kept],
        )
    pages = [f"{section}{item}/" for item in kept]
    for table, link in con.execute(
        "select table_name, column_name from duckdb_columns() where schema_name = 'marts' "
        "and column_name like '%link' and database_name = current_database()"
    ).fetchall():
        con.execute(
            f"delete from marts.{table} where starts_with({link}, ?) and {link} not in (select unnest(?))",
            [section, pages],
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
    subset_warehouse(warehouse, scaled, pages)
    project = stage_project(PROJECT_ROOT / "reports", work / f"reports-{pages}")
    started = time.perf_counter()
    phases: list[str] = []
    index = build(project, scaled, phase=lambda text: _phase(text, phases))
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
    reused = any(text.startswith(PRERENDER_PHASE) for text in phases)
    return Size(len(list(index.parent.rglob("index.html"))), built, printed, compiled=not reused)


def _phase(text: str, phases: list[str]) -> None:
    phases.append(text)
    print(f"  {text}", flush=True)


def _progress(done: int, total: int, path: str) -> None:
    if done == total or done % max(1, total // 5) == 0:
        print(f"  PDF {done} av {total} ({path})", flush=True)


# The run log's count of pages a prerender took from the last build (lib/report/evidence.py).
KEPT = re.compile(r"(\d+) sidor är oförändrade sedan förra bygget")


@dataclass
class Runs:
    fresh_s: float
    warm_s: float
    changed_s: float
    printed: int  # PDFs printed by the run after the change (the others reused)
    total: int
    kept: str  # pages the run after the change took from the last build (lib/report/page_reuse.py)


def time_runs(work: Path) -> Runs:
    """`uppsikt run` on the demo in a folder of its own: fresh, warm with nothing new, and after one
    cooperation's name changed in a copy of the registry (its page and its members' pages change)."""
    reports = stage_project(PROJECT_ROOT / "reports", work / "run" / "reports")
    registry = Path(shutil.copytree(PROJECT_ROOT / "registry", work / "run" / "registry"))
    outbox = work / "run" / "outbox"
    env = {
        **os.environ,
        "UPPSIKT_SOURCE": "demo",
        "UPPSIKT_WAREHOUSE": str(work / "run" / "uppsikt.duckdb"),
        "UPPSIKT_REPORTS": str(reports),
        "UPPSIKT_REGISTRY": str(registry),
        "UPPSIKT_OUTBOX": str(outbox),
        "UPPSIKT_SMTP_HOST": "",
        "DAGSTER_HOME": str(work / "run" / "dagster"),
    }
    (work / "run" / "dagster").mkdir(parents=True, exist_ok=True)
    seconds = [_timed_run(env)[0], _timed_run(env)[0]]
    # Renamed twice: the first report after the first one adds a comparison with it to every page (so
    # every PDF changes); the second rename is the case measured.
    for name in ("Nytt namn: ", "Nyare namn: "):
        cooperation = sorted((registry / "cooperations").glob("*.yaml"))[0]
        text = cooperation.read_text(encoding="utf-8")
        cooperation.write_text(text.replace('\nname: "', f'\nname: "{name}', 1), encoding="utf-8")
        changed, output = _timed_run(env)
    seconds.append(changed)
    kept = KEPT.search(output)
    manifest = json.loads(
        (outbox / (outbox / "latest.txt").read_text().strip() / "manifest.json").read_text()
    )
    printed = len(manifest.get("printed", []))
    return Runs(*seconds, printed, len(manifest["reports"]), kept.group(1) if kept else "?")


def _timed_run(env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    command = [sys.executable, "-m", "orchestration.cli", "run"]
    done = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done.stdout + done.stderr


def print_growth(sizes: list[Size]) -> None:
    print(f"\n{'sidor':>6} {'bygge s':>8} {'s/sida':>7} {'utskrift s':>11} {'s/sida':>7} {'tillväxt':>9}")
    first = sizes[0]
    for size in sizes:
        growth = (size.build_s + size.print_s) / (first.build_s + first.print_s)
        how = "kompilerad" if size.compiled else "förra kompileringen"
        print(
            f"{size.pages:>6} {size.build_s:>8.1f} {size.build_s / size.pages:>7.2f} {size.print_s:>11.1f}"
            f" {size.print_s / size.pages:>7.2f} {growth:>8.2f}x  (sidor {size.pages / first.pages:.2f}x;"
            f" bygget: {how})"
        )
    if len(sizes) > 1:  # the straight line through the sizes: what is paid once, and per page
        pages = [size.pages for size in sizes]
        for name, seconds in (
            ("bygge", [s.build_s for s in sizes]),
            ("utskrift", [s.print_s for s in sizes]),
        ):
            slope, intercept = _line(pages, seconds)
            print(f"{name}: {intercept:.0f} s en gång + {slope:.3f} s per sida".replace(".", ","))


def _line(x: list[float], y: list[float]) -> tuple[float, float]:
    """Least-squares slope and intercept."""
    mean_x, mean_y = sum(x) / len(x), sum(y) / len(y)
    slope = sum((a - mean_x) * (b - mean_y) for a, b in zip(x, y, strict=True)) / sum(
        (a - mean_x) ** 2 for a in x
    )
    return slope, mean_y - slope * mean_x


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
            runs = time_runs(Path(tmp))
            # A compile of the site kept from an earlier build (lib/report/compiled.py) is used here too.
            measured["färsk make run"] = f"{runs.fresh_s:.0f} s (uppsikt run, utan installation)"
            measured["varm körning utan nytt"] = f"{runs.warm_s:.0f} s"
            printed = (
                f"{runs.printed} av {runs.total} PDF:er utskrivna, {runs.kept} sidor tagna från förra bygget"
            )
            measured["efter ändring i en samverkan"] = f"{runs.changed_s:.0f} s, {printed}"
    print_targets(measured)


if __name__ == "__main__":
    main()
