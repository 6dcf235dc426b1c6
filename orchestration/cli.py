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


def _registry_discover(args: argparse.Namespace) -> int:
    from orchestration.lib.registry.discover import main as discover_main

    return discover_main(Path(args.out) if args.out else None)


def _demo_generate(_: argparse.Namespace) -> int:
    from orchestration.lib.demo.generate import main as generate_main

    return generate_main()


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
    discover = registry.add_parser("discover", help="samverkan som Koladas värden avslöjar, mot registret")
    discover.add_argument("--out", help="skriv ett utkast per oregistrerad kandidat i denna mapp")
    discover.set_defaults(func=_registry_discover)
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
