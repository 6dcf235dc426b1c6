"""Kolada national pull against the stand-in: requests, wall time and peak memory, ours against koladapy.

290 kommuner × 60 KPIs × 2010–2025, the stand-in answering after 50 ms, both clients held to 5 requests/s.
The stand-in runs in its own process, and each pull in a fresh process, so peak memory (max RSS) is the
client's alone. Run: `uv run python benchmarks/bench_extract.py` (figures are printed
beside their targets; it exits 0 whatever they are).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
from targets import EXIT_NOTE, verdict

KOMMUNER = 290
KPIS = [f"N{10000 + i}" for i in range(60)]
YEARS = list(range(2010, 2026))
GENDERED = KPIS[:20]
LATENCY = 0.05
RATE = 5.0
PER_PAGE = 5000
STATS = "/_standin/stats"  # not counted as served
METADATA_ENDPOINTS = 3  # kpi, municipality, municipality_groups: one page each here


def serve() -> None:
    """Child: build the world, serve it, print the origin, stay up until stdin closes."""
    from orchestration.lib.demo.standin.app import StandinApp
    from orchestration.lib.demo.standin.server import serve as run_server
    from orchestration.lib.demo.standin.synthetic import synthetic_world
    from orchestration.lib.demo.world import kommun_ids

    world = synthetic_world(kpis=KPIS, kommuner=kommun_ids(KOMMUNER), years=YEARS, gendered=GENDERED)
    with run_server(StandinApp(world, latency=LATENCY)) as running:
        print(running.origin, flush=True)
        sys.stdin.read()


async def _warm_up(origin: str) -> None:
    # Import and first-use costs of the HTTP stack are not part of a pull (this environment does not
    # cache bytecode); both clients make one untimed request first.
    async with httpx.AsyncClient() as client:
        (await client.get(f"{origin}{STATS}")).raise_for_status()


def pull_ours(origin: str, warehouse: str) -> dict[str, float]:
    """Child: one run of the project's Kolada extraction into a DuckDB file."""
    from orchestration.lib.extract.http import SourceAccess
    from orchestration.lib.extract.kolada.extract import KoladaScope, run_kolada

    access = SourceAccess(f"{origin}/kolada/v3", f"{origin}/scb/api/v2", RATE, date(2025, 9, 1), True)
    asyncio.run(_warm_up(origin))
    started = time.perf_counter()
    report = run_kolada(Path(warehouse), access, KoladaScope(tuple(KPIS)))
    wall = time.perf_counter() - started
    return {
        "wall": wall,
        "requests": report.requests,
        "data_requests": report.data_pages,
        "rows": report.rows,
    }


def pull_koladapy(origin: str) -> dict[str, float]:
    """Child: the same pull through koladapy (metadata, then every value into a DataFrame)."""
    os.environ["TQDM_DISABLE"] = "1"
    from koladapy.api import KoladaAPI

    api = KoladaAPI(base_url=f"{origin}/kolada/v3/", max_requests_per_second=RATE)
    api.session.get(f"{origin}{STATS}").raise_for_status()
    started = time.perf_counter()
    api.get_kpis(KPIS)
    api.get_municipalities()
    api.get_municipality_groups()
    frame = api.get_data_as_dataframe(kpi_id=KPIS, years=YEARS)
    return {"wall": time.perf_counter() - started, "rows": len(frame)}


def child(kind: str, origin: str, warehouse: str) -> dict[str, float]:
    """Run one pull in a fresh interpreter; its own max RSS is its peak memory."""
    command = [sys.executable, __file__, "--child", kind, "--origin", origin, "--warehouse", warehouse]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def served(origin: str) -> int:
    return int(httpx.get(f"{origin}{STATS}").json()["served"])


def measure(kind: str, origin: str, warehouse: str) -> dict[str, float]:
    before = served(origin)
    result = child(kind, origin, warehouse)
    result["served"] = served(origin) - before
    return result


def minimum() -> tuple[int, int, float]:
    """(data pages, all requests, seconds the rate allows at best) for the pull."""
    data_min = math.ceil(KOMMUNER * len(KPIS) * len(YEARS) / PER_PAGE)
    total_min = data_min + METADATA_ENDPOINTS
    return data_min, total_min, total_min / RATE


def report_setup() -> None:
    data_min, total_min, floor = minimum()
    objects = KOMMUNER * len(KPIS) * len(YEARS)
    print(f"Pull: {KOMMUNER} kommuner × {len(KPIS)} KPIs × {YEARS[0]}–{YEARS[-1]} = {objects:,} data objects")
    print(f"stand-in latency {LATENCY * 1000:.0f} ms, clients held to {RATE:g} requests/s\n")
    print(
        f"minimum requests: {data_min} data pages of {PER_PAGE} + {METADATA_ENDPOINTS} metadata = {total_min}"
    )
    print(f"rate floor: {total_min} / {RATE:g} per s = {floor:.1f} s\n")


def report_ours(ours: dict[str, float]) -> None:
    data_min, total_min, floor = minimum()
    print("uppsikt (stand-in count):")
    print(
        f"  requests {ours['served']:.0f} ({ours['data_requests']:.0f} data), "
        f"{ours['served'] / total_min:.3f} × minimum (data: {ours['data_requests'] / data_min:.3f} ×; "
        f"target 1.000 ×: {verdict(ours['served'] <= total_min)})"
    )
    ratio = ours["wall"] / floor
    print(f"  wall {ours['wall']:.2f} s = {ratio:.3f} × rate floor (target ≤ 1.00: {verdict(ratio <= 1.0)})")
    print(f"  peak memory {ours['maxrss_mb']:.0f} MB, rows loaded {ours['rows']:.0f}")


def report_comparison(ours: dict[str, float], theirs: dict[str, float], again: dict[str, float]) -> None:
    print("koladapy:")
    print(
        f"  requests {theirs['served']:.0f}, wall {theirs['wall']:.2f} s, peak {theirs['maxrss_mb']:.0f} MB"
    )
    print("ratios (uppsikt / koladapy; target ≤ 1 each):")
    for name, key in (("requests", "served"), ("wall", "wall"), ("memory", "maxrss_mb")):
        ratio = ours[key] / theirs[key]
        print(f"  {name} {ratio:.3f}: {verdict(ratio <= 1.0)}")
    print("incremental re-pull, nothing changed upstream (median of 3):")
    print(
        f"  requests {again['served']:.0f} ({again['data_requests']:.0f} data), wall {again['wall']:.2f} s "
        f"= {100 * again['wall'] / ours['wall']:.1f} % of the full pull "
        f"(target 0 data requests: {verdict(again['data_requests'] == 0)})"
    )


def main() -> None:
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        origin = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as tmp:
            warehouse = str(Path(tmp) / "bench.duckdb")
            ours = measure("ours", origin, warehouse)
            # The machine may be shared: the median of three re-pulls is the figure, not one draw.
            repulls = sorted((measure("ours", origin, warehouse) for _ in range(3)), key=lambda r: r["wall"])
            again = repulls[1]
            theirs = measure("koladapy", origin, warehouse)
        print(EXIT_NOTE)
        report_setup()
        report_ours(ours)
        report_comparison(ours, theirs, again)
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=30)


def _cli() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--child", choices=["ours", "koladapy"])
    parser.add_argument("--origin")
    parser.add_argument("--warehouse")
    args = parser.parse_args()
    if args.serve:
        serve()
    elif args.child:
        result = (
            pull_ours(args.origin, args.warehouse) if args.child == "ours" else pull_koladapy(args.origin)
        )
        result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
    else:
        main()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    _cli()
