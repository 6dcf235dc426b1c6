"""`uppsikt registry check [DIR]`: report every error in the registry at once, compiler style."""

from __future__ import annotations

import sys
from pathlib import Path

from orchestration.lib.extract.registry.load import collect
from orchestration.lib.ops.settings import load_settings


def collect_errors(root: Path) -> list[str]:
    """Every issue in the registry at root as `file:line: field: message`; empty when it is valid."""
    return [str(issue) for issue in collect(root)[1]]


def main(argv_dir: Path | None = None) -> int:
    """Print each issue as `file:line: field: message`; 1 if there is any, else 0."""
    root = argv_dir if argv_dir is not None else load_settings().registry
    registry, issues = collect(root)
    warnings = registry.warnings if registry else ()
    for issue in [*issues, *warnings]:
        print(issue)
    if issues:
        print(f"{len(issues)} fel i registret {root}", file=sys.stderr)
        return 1
    count = len(registry.agreements) if registry else 0
    noted = f", {len(warnings)} varningar" if warnings else ""
    print(f"registret {root} är giltigt: {count} samverkan{noted}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
