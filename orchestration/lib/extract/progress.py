"""Progress of a long pull (pages fetched of planned), for the console and Dagster's run log."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Seconds between progress lines.
PROGRESS_EVERY = 2.0


@dataclass
class PullProgress:
    """Pages fetched of planned, told to `say` every few seconds and when the last planned page is in."""

    label: str
    say: Callable[[str], None]
    planned: int = 0
    fetched: int = 0
    _last: float = field(default=0.0, repr=False)

    def plan(self, pages: int) -> None:
        self.planned += pages

    def fetched_one(self) -> None:
        self.fetched += 1
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY or self.fetched == self.planned:
            self._last = now
            self.say(f"{self.label}: {self.fetched} av {max(self.planned, self.fetched)} sidor hämtade")
