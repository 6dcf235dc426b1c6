"""The `uppsikt` command line."""

from __future__ import annotations

import argparse
from pathlib import Path


def _run(_: argparse.Namespace) -> int:
    from orchestration.lib.pipeline import run_pipeline

    return run_pipeline()


def _registry_check(args: argparse.Namespace) -> int:
    from orchestration.lib.registry.check import main as check_main

    return check_main(Path(args.dir) if args.dir else None)


def _demo_generate(_: argparse.Namespace) -> int:
    from orchestration.lib.demo.generate import main as generate_main

    return generate_main()


def _effects_estimate(args: argparse.Namespace) -> int:
    import sys

    from orchestration.lib.effects.config import RulesError, load_config
    from orchestration.lib.effects.standalone import ValuesError, estimate_to_files
    from orchestration.lib.registry.issues import RegistryError
    from orchestration.lib.registry.load import load_registry

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
    registry = sub.add_parser("registry", help="samverkansregistret")
    registry = registry.add_subparsers(dest="action", required=True)
    check = registry.add_parser("check", help="validera registret")
    check.add_argument("dir", nargs="?", help="registrets mapp (standard: UPPSIKT_REGISTRY)")
    check.set_defaults(func=_registry_check)
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


def main(argv: list[str] | None = None) -> int:
    from orchestration.lib.settings import load_dotenv

    load_dotenv()  # as `dagster dev` does, so both read the same settings
    args = _parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
