"""Faults the stand-in can inject, consumed request by request, and the log of what it answered."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

KINDS = (
    "429",
    "500",
    "stall",
    "truncate",
    "drop",
    "malformed",
    "missing_field",
    "next_url",
    "count",
    "value",
    "trickle",
    "oversize",
)


@dataclass
class Fault:
    """Answer the next `times` requests whose path and query contain `match` badly, in the way `kind` says.

    429 carries Retry-After `retry_after` seconds; stall waits `seconds` before answering (longer than the
    client's timeout); truncate sends the headers of the whole body and half of it; drop closes the
    connection unanswered; malformed sends broken JSON with correct framing; missing_field removes `field`
    from the first data object. next_url sets the page's next_url to `url` ("self": the page's own URL);
    count sets the page's count to `count`; value sets the first data object's first value to `value`;
    trickle sends the body one byte every `seconds`; oversize sends `size` bytes without Content-Length
    (and counts in `sent` how many got out before the client hung up).
    """

    kind: str
    times: int = 1
    match: str = ""
    retry_after: float = 1.0
    seconds: float = 5.0
    field: str = "period"
    url: str = ""
    count: int = 0
    value: Any = None
    size: int = 0
    sent: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {KINDS}")


@dataclass(frozen=True)
class Served:
    target: str  # path and query as requested
    status: int
    fault: str | None


@dataclass
class FaultPlan:
    faults: list[Fault] = field(default_factory=list)
    served: list[Served] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, *faults: Fault) -> None:
        with self._lock:
            self.faults.extend(faults)

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
            self.served.clear()

    def take(self, target: str) -> Fault | None:
        """The first pending fault that applies to this request, used up by one."""
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.match in target:
                    fault.times -= 1
                    return fault
        return None

    def note(self, target: str, status: int, fault: Fault | None) -> None:
        with self._lock:
            self.served.append(Served(target, status, fault.kind if fault else None))

    def targets(self, contains: str = "") -> list[str]:
        with self._lock:
            return [s.target for s in self.served if contains in s.target]
