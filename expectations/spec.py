"""The vocabulary of the suites: a rule is one Great Expectations expectation with a severity.

Great Expectations is imported only when a suite is built, so loading the Dagster code location
stays fast.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import great_expectations as gx

# The frame a suite's row-level rules read: it must select `rowid as _row_id` from the guarded table,
# so failing rows can be moved to quarantine exactly.
ROWS = "rows"
ROW_ID = "_row_id"
# The frame the quarantine guard reads: one row per row of ROWS, built by the runner.
GUARD_FRAME = "_quarantine_guard"
GUARD_COLUMN = "passes_row_rules"


class Severity(enum.StrEnum):
    BLOCKING = "blocking"  # the guarded asset's downstream assets do not run
    WARNING = "warning"  # recorded and shown; the data flows on


@dataclass(frozen=True)
class Params:
    """What a rule may depend on at run time."""

    today: date
    reference: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    # The observed value the suite's baseline rule had in its last successful run.
    baseline: float | None = None


@dataclass(frozen=True)
class Rule:
    """One expectation: `expectation` names a class in `great_expectations.expectations`."""

    name: str
    expectation: str
    kwargs: Callable[[Params], dict[str, Any]]
    severity: Severity
    description: str  # Swedish: shown on the report's Datakvalitet page
    frame: str = ROWS
    # Set for row-level rules: failing rows move to quarantine with this reason, formatted with the row.
    quarantine_reason: str | None = None
    # The observed value of a passing run is the next run's Params.baseline (e.g. the row count).
    keeps_baseline: bool = False

    def __post_init__(self) -> None:
        # A row-level failure is contained by moving the rows aside, so the rest may flow on;
        # what bites when too many rows fail is the suite's quarantine guard.
        if self.row_level and (self.severity is not Severity.WARNING or self.frame != ROWS):
            raise ValueError(f"Regel {self.name}: radregler är varningar och läser ramen {ROWS!r}")

    @property
    def row_level(self) -> bool:
        return self.quarantine_reason is not None

    def build(self, params: Params) -> gx.expectations.Expectation:
        """The Great Expectations expectation for this run's parameters."""
        import great_expectations as gx

        expectation_class = getattr(gx.expectations, self.expectation)
        # The description also keeps two rules with the same test (say, two row-count floors)
        # apart: a GX suite drops an expectation equal to one it already holds.
        return expectation_class(
            **self.kwargs(params),
            meta={"rule": self.name},
            description=self.description,
            severity="critical" if self.severity is Severity.BLOCKING else "warning",
        )


@dataclass(frozen=True)
class Suite:
    """Every rule for one table, with the frames (SQL selects) the rules read."""

    name: str
    asset_key: tuple[str, ...]
    table: str
    key_columns: tuple[str, ...]
    frames: Mapping[str, str]
    rules: tuple[Rule, ...]
    description: str
    # name -> SQL returning one column; an empty answer is an error, never "everything is unknown".
    reference: Mapping[str, str] = field(default_factory=dict)
    # More failing rows than this share means a systematic fault: block and move nothing.
    max_quarantine_share: float = 0.1
    # Other assets the rules read, so a run materialises them before the check.
    reads: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        for attribute in ("name", "description"):
            values = [getattr(rule, attribute) for rule in self.all_rules]
            if len(values) != len(set(values)):
                raise ValueError(f"Sviten {self.name}: två regler har samma {attribute}")
        unknown = {rule.frame for rule in self.rules} - set(self.frames)
        if unknown:
            raise ValueError(f"Sviten {self.name} läser ramar som saknas: {sorted(unknown)}")

    @property
    def row_rules(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.row_level)

    @property
    def table_rules(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if not rule.row_level)

    @property
    def guard_rule(self) -> Rule | None:
        """The blocking rule that stops a quarantine of too many rows (only with row-level rules)."""
        if not self.row_rules:
            return None
        share = self.max_quarantine_share
        return Rule(
            name="quarantine_share",
            expectation="ExpectColumnValuesToBeInSet",
            kwargs=lambda _: {"column": GUARD_COLUMN, "value_set": [True], "mostly": 1 - share},
            severity=Severity.BLOCKING,
            description=(
                f"Högst {share * 100:.0f} % av raderna bryter mot radreglerna; annars flyttas inget till "
                "karantän och kedjan stoppas"
            ),
            frame=GUARD_FRAME,
        )

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        guard = self.guard_rule
        return (*self.rules, guard) if guard else self.rules
