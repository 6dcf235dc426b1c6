"""Table rules every raw suite shares: one row per key, some rows, and no sudden drop in volume."""

from __future__ import annotations

import math

from expectations.spec import Params, Rule, Severity

# A table that shrinks below this share of its last good size is a suspect pull, not a revision.
MIN_VOLUME_SHARE = 0.8


def key_unique_rule(key: tuple[str, ...], description: str) -> Rule:
    """At most one row per key."""
    return Rule(
        name="key_unique",
        expectation="ExpectCompoundColumnsToBeUnique",
        kwargs=lambda _: {"column_list": list(key)},
        severity=Severity.BLOCKING,
        description=description,
    )


def has_rows_rule() -> Rule:
    """An empty delivery is never a valid one."""
    return Rule(
        name="has_rows",
        expectation="ExpectTableRowCountToBeBetween",
        kwargs=lambda _: {"min_value": 1},
        severity=Severity.BLOCKING,
        description="Tabellen har minst en rad",
    )


def volume_rule(share: float = MIN_VOLUME_SHARE) -> Rule:
    """The table keeps at least `share` of the rows it had after the last good run."""

    def kwargs(params: Params) -> dict[str, int]:
        floor = 1 if params.baseline is None else max(1, math.ceil(params.baseline * share))
        return {"min_value": floor}

    return Rule(
        name="volume_vs_previous",
        expectation="ExpectTableRowCountToBeBetween",
        kwargs=kwargs,
        severity=Severity.BLOCKING,
        description=(
            f"Antalet rader är minst {share * 100:.0f} % av antalet efter förra godkända körningen "
            "(en hämtning som plötsligt ger långt färre rader är misstänkt)"
        ),
        keeps_baseline=True,
    )
