"""The `uppsikt` command line."""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from pathlib import Path


def _run(_: argparse.Namespace) -> int:
    from orchestration.definitions import defs
    from orchestration.defs.pipeline import PIPELINE_JOB
    from orchestration.lib.ops.pipeline import run_pipeline

    return run_pipeline(defs, PIPELINE_JOB)


def _check(_: argparse.Namespace) -> int:
    from orchestration.lib.ops.check import main as check_main

    return check_main()


def _serve(args: argparse.Namespace) -> int:
    from orchestration.lib.ops.service import serve

    return serve(args.host, args.port)


def _dev(args: argparse.Namespace) -> int:
    from orchestration.lib.ops.service import dev

    return dev(args.host, args.port)


def _registry_check(args: argparse.Namespace) -> int:
    from orchestration.lib.extract.registry.check import main as check_main

    return check_main(Path(args.dir) if args.dir else None)


def _registry_discover(args: argparse.Namespace) -> int:
    from orchestration.lib.extract.registry.discover import main as discover_main

    return discover_main(Path(args.out) if args.out else None)


def _demo_generate(_: argparse.Namespace) -> int:
    from orchestration.lib.demo.generate import main as generate_main

    return generate_main()


def _effects_estimate(args: argparse.Namespace) -> int:
    import sys

    from orchestration.lib.extract.registry.issues import RegistryError
    from orchestration.lib.extract.registry.load import load_registry
    from orchestration.lib.transform.effects.config import RulesError, load_config
    from orchestration.lib.transform.effects.standalone import ValuesError, estimate_to_files

    try:
        registry = load_registry(Path(args.registry))
        tables = estimate_to_files(Path(args.values), registry, Path(args.out), load_config())
    except (ValuesError, RegistryError, RulesError) as exc:
        print(f"fel: {exc}", file=sys.stderr)
        return 1
    print(
        f"skrev {args.out}/effects.csv ({len(tables.estimates)} rader) och {args.out}/verdicts.csv",
        file=sys.stderr,
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="uppsikt", description="Uppföljning av mellankommunal samverkan.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="kör hela kedjan: hämta, modellera, validera, bygg rapporten").set_defaults(
        func=_run
    )
    sub.add_parser(
        "check", help="kontrollera inställningar, register, Chromium, Node, lager, e-post"
    ).set_defaults(func=_check)
    for name, func, text in (
        ("serve", _serve, "driftläge: Dagsters daemon (schema, sensorer, felnotiser) och webbgränssnitt"),
        ("dev", _dev, "utvecklingsläge: Dagsters gränssnitt med schema och sensorer"),
    ):
        service = sub.add_parser(name, help=text)
        service.add_argument("--host", default="127.0.0.1", help="adress för webbgränssnittet")
        service.add_argument("--port", type=int, default=3000, help="port för webbgränssnittet")
        service.set_defaults(func=func)
    registry = sub.add_parser("registry", help="samverkansregistret")
    registry = registry.add_subparsers(dest="action", required=True)
    check = registry.add_parser("check", help="validera registret")
    check.add_argument("dir", nargs="?", help="registrets mapp (standard: UPPSIKT_REGISTRY)")
    check.set_defaults(func=_registry_check)
    discover = registry.add_parser("discover", help="samverkan som Koladas värden avslöjar, mot registret")
    discover.add_argument("--out", help="skriv ett utkast per oregistrerad kandidat i denna mapp")
    discover.set_defaults(func=_registry_discover)
    effects = sub.add_parser("effects", help="effektmodellerna").add_subparsers(dest="action", required=True)
    estimate = effects.add_parser("estimate", help="skatta effekter och domar för en egen värdefil")
    estimate.add_argument(
        "--values", required=True, help="CSV i långt format: kpi,municipality,year,value (med N01951)"
    )
    estimate.add_argument(
        "--registry", required=True, help="registrets mapp (areas.yaml, kommuner.csv, cooperations/)"
    )
    estimate.add_argument("--out", required=True, help="mapp där effects.csv och verdicts.csv skrivs")
    estimate.set_defaults(func=_effects_estimate)
    demo = sub.add_parser("demo", help="demodata").add_subparsers(dest="action", required=True)
    generate = demo.add_parser("generate", help="simulera och spela in demodata på nytt")
    generate.set_defaults(func=_demo_generate)
    return parser


def settings_problem() -> str | None:
    """The one Swedish line that says what is wrong with the settings, or None when they are valid."""
    from orchestration.lib.ops.settings import SettingsError, load_settings
    from orchestration.lib.report.mail import DeliveryError, smtp_config_from_env

    try:
        load_settings()
        smtp_config_from_env()
    except (SettingsError, DeliveryError) as exc:
        return str(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    from orchestration.lib.ops.settings import load_dotenv

    load_dotenv()  # .env, read the same way by every command (python-dotenv)
    args = _parser().parse_args(argv)
    # Every command but `check` (which reports it as one item among others) stops here on a bad setting,
    # before any work, with one line and no traceback.
    problem = None if args.func is _check else settings_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    return int(args.func(args))


def entry() -> None:
    """The `uppsikt` command: main(), then exit without taking the interpreter apart."""
    code = main()
    # Taking apart thousands of loaded modules (Dagster, dbt, Great Expectations) took 1.7-1.9 s after
    # the last line of every `uppsikt run`. By now every warehouse connection and Dagster instance is
    # closed (with-blocks); the exit handlers (logging's flush, temporary folders) still run.
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
