"""The rule table in expectations/README.md, rendered from the suites so the two cannot drift apart.

Run `uv run python -m expectations.catalogue` and paste the output into the README.
"""

from __future__ import annotations

from expectations import SUITES


def rules_table() -> str:
    """A markdown table: one row per rule of every suite."""
    lines = [
        "| table (suite) | rule | GX expectation | level | severity | what must hold |",
        "|---|---|---|---|---|---|",
    ]
    for suite in SUITES.values():
        for rule in suite.all_rules:
            level = "row → quarantine" if rule.row_level else "table"
            lines.append(
                f"| {suite.table} (`{suite.name}`) | `{rule.name}` | {rule.expectation} | {level} "
                f"| {rule.severity.value} | {rule.description} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    print(rules_table())
