"""Progress of long steps (pages fetched of planned; a heartbeat where nothing counts), for the console and
Dagster's run log."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


# Seconds between the lines of a step that cannot count its own progress (npm install, an Evidence phase).
HEARTBEAT_EVERY = 15.0


@contextmanager
def heartbeat(label: str, say: Callable[[str], None], every: float = HEARTBEAT_EVERY) -> Iterator[None]:
    """Tell `say` every `every` seconds that the step is still going, and how long it has run."""
    stop = threading.Event()
    started = time.monotonic()

    def beat() -> None:
        while not stop.wait(every):
            say(f"{label}: pågår, {time.monotonic() - started:.0f} s")

    thread = threading.Thread(target=beat, name=f"heartbeat {label}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
