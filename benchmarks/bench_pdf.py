"""Printing the built report site to PDF: pages per second and seconds, one page at a time against several.

Prints every cooperation and kommun page of reports/build (only read; build it with `make run` first) once
per worker count, into a temporary folder, and checks that each count gives the same text as the first, so
printing at once never catches a page before it has filled in. Figures are printed beside their targets; it
exits 0 whatever they are.
Run: `uv run python benchmarks/bench_pdf.py [--workers 1,2,3,4] [--build DIR]`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from targets import EXIT_NOTE, verdict

from orchestration.lib.ops.settings import DEFAULT_PDF_WORKERS, PROJECT_ROOT
from orchestration.lib.report.pdf import PrintJob, print_site

SECTIONS = ("samverkan", "kommun")


def site_pages(build: Path) -> list[str]:
    """The pages report_pdfs prints from: /samverkan/<id>/ and /kommun/<kod>/ of the build."""
    return [
        f"/{section}/{folder.parent.name}/"
        for section in SECTIONS
        for folder in sorted((build / section).glob("*/index.html"))
    ]


def texts(paths: list[Path]) -> list[str]:
    return ["\n".join(page.extract_text() for page in PdfReader(path).pages) for path in paths]


def run_once(build: Path, pages: list[str], workers: int, out: Path) -> tuple[float, list[str]]:
    """Seconds to print every page with `workers` at once, and the PDFs' text in page order."""
    folder = out / f"workers-{workers}"
    jobs = [PrintJob(page, folder / f"{page.strip('/').replace('/', '-')}.pdf") for page in pages]
    start = time.perf_counter()
    printed = print_site(build, jobs, workers=workers)
    elapsed = time.perf_counter() - start
    return elapsed, texts([page.target for page in printed])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    workers = f"1,{DEFAULT_PDF_WORKERS}"
    parser.add_argument("--workers", default=workers, help="worker counts, comma-separated")
    parser.add_argument("--build", type=Path, default=PROJECT_ROOT / "reports" / "build")
    args = parser.parse_args()
    if not (args.build / "index.html").is_file():
        print(f"Ingen byggd webbplats i {args.build}: kör `make run` först. Inget mättes.")
        return
    pages = site_pages(args.build)
    counts = [int(count) for count in args.workers.split(",")]
    print(EXIT_NOTE)
    print(
        f"{len(pages)} sidor ur {args.build}; mål: samma text som med {counts[0]} arbetare på varje sida, och"
    )
    print("hela rapporten (bygge + utskrift) under 5 min: bench_report.py mäter den")
    print(f"{'workers':>7} {'seconds':>8} {'pages/s':>8} {'speed-up':>8}  same text as workers={counts[0]}")
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        first: tuple[float, list[str]] | None = None
        for workers in counts:
            elapsed, text = run_once(args.build, pages, workers, Path(tmp))
            first = first or (elapsed, text)
            same = sum(a == b for a, b in zip(first[1], text, strict=True))
            print(
                f"{workers:>7} {elapsed:>8.1f} {len(pages) / elapsed:>8.2f} {first[0] / elapsed:>7.2f}x"
                f"  {same}/{len(pages)} {verdict(same == len(pages))}"
            )


if __name__ == "__main__":
    main()
