"""Two cooperations of one area with the same kommun at the same time: a warning naming both files.

Not an error: a kommun can really be in two (a new nämnd set up before the old one is wound up).
But an effect in that kommun cannot be credited to both; which one gets it is decided in dbt
(int_member_overlaps, see docs/architecture.md), and the marts say so.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations

from orchestration.lib.extract.registry.context import FileContext
from orchestration.lib.extract.registry.issues import Issue
from orchestration.lib.extract.registry.model import Agreement, Member
from orchestration.lib.extract.registry.yamlio import line_of

OPEN_END = date.max


def overlap_warnings(loaded: list[tuple[FileContext, Agreement | None]]) -> list[Issue]:
    """One warning per kommun and pair of same-area cooperations whose memberships overlap in time."""
    valid = [(ctx, a) for ctx, a in loaded if a is not None]
    warnings: list[Issue] = []
    for (ctx_a, a), (ctx_b, b) in combinations(valid, 2):
        if a.area != b.area:
            continue
        for i, j, first, last in _shared(a, b):
            where = f"{ctx_b.shown}:{line_of(ctx_b.doc, ('members', j))}"
            warnings.append(
                Issue(
                    ctx_a.shown,
                    line_of(ctx_a.doc, ("members", i)),
                    f"members[{i}].kommun",
                    f"varning: {ctx_a.kommun(a.members[i].kommun)} är under {first}–{last} också medlem i "
                    f"{b.id} ({where}) inom samma område ({a.area}); en effekt i kommunen kan bara "
                    "tillskrivas den ena",
                )
            )
    return warnings


def _shared(a: Agreement, b: Agreement) -> list[tuple[int, int, str, str]]:
    """(member index in a, in b, first day, last day) for each overlapping membership."""
    found = []
    for (i, ma), (j, mb) in ((x, y) for x in enumerate(a.members) for y in enumerate(b.members)):
        if ma.kommun != mb.kommun:
            continue
        first = max(ma.joined, mb.joined)
        last = min(_until(ma, a), _until(mb, b))
        if first <= last:
            found.append((i, j, first.isoformat(), "" if last == OPEN_END else last.isoformat()))
    return found


def _until(member: Member, agreement: Agreement) -> date:
    ends = [d for d in (member.left, agreement.end) if d is not None]
    return min(ends) if ends else OPEN_END
