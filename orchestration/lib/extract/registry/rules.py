"""Checks on one cooperation: identity, kommuner, host, dates and membership."""

from __future__ import annotations

from orchestration.lib.extract.registry.context import FileContext
from orchestration.lib.extract.registry.model import Agreement, Member

FORM_NAMES = {
    "kommunalforbund": "ett kommunalförbund",
    "gemensam_namnd": "en gemensam nämnd",
    "avtalssamverkan": "en avtalssamverkan",
    "bolag": "ett bolag",
    "ovrig": "en övrig samverkan",
}
ROLE_NAMES = {"successor": "efterföljare", "predecessor": "föregångare"}
HOST_REQUIRED = {"gemensam_namnd", "avtalssamverkan"}
FIELDS = {
    *("id", "name", "form", "area", "purpose", "host", "seat", "start", "end", "predecessor"),
    *("successor", "kolada_group", "members", "cost_keys", "targets", "ledger", "sources", "notes"),
}


def check_identity(a: Agreement, stem: str, ctx: FileContext) -> None:
    if a.id != stem:
        ctx.add(("id",), f"id {a.id!r} ska vara samma som filnamnet ({stem!r})")
    if a.area not in ctx.ref.areas:
        ctx.add(("area",), f"okänt område {a.area!r}; kända områden: {', '.join(sorted(ctx.ref.areas))}")
    for i, name in enumerate(a.unverified):
        if name not in FIELDS:
            ctx.add(("unverified", i), f"okänt fält {name!r}; ange namnet på ett fält i filen, t.ex. host")


def check_kommuner(a: Agreement, ctx: FileContext) -> None:
    """Every kommunkod anywhere in the file must be a real kommun."""
    found = [(("host",), a.host), (("seat",), a.seat)]
    found += [(("members", i, "kommun"), m.kommun) for i, m in enumerate(a.members)]
    found += [(("cost_keys", i, "shares", k), k) for i, c in enumerate(a.cost_keys) for k in c.shares]
    found += [(("targets", i, "scope"), t.scope) for i, t in enumerate(a.targets) if t.scope != "total"]
    found += [(("ledger", i, "paid_tkr", k), k) for i, y in enumerate(a.ledger) for k in y.payments_tkr]
    for path, code in found:
        if code is not None and code not in ctx.ref.kommuner:
            ctx.add(path, f"okänd kommunkod {code!r}")


def check_host(a: Agreement, ctx: FileContext) -> None:
    members = {m.kommun for m in a.members}
    form = FORM_NAMES[a.form]
    if a.form in HOST_REQUIRED and a.host is None and "host" not in a.unverified:
        ctx.add(
            ("host",),
            f"värdkommun saknas; {form} har alltid en värdkommun (ange host, "
            "eller skriv host under unverified om den inte är känd)",
        )
    if a.host is not None and a.form in HOST_REQUIRED | {"kommunalforbund"} and a.host not in members:
        ctx.add(
            ("host",),
            f"värdkommunen {ctx.kommun(a.host)} är inte medlem; i {form} ska värdkommunen vara medlem",
        )
    if a.seat is not None and a.seat not in members:
        ctx.add(("seat",), f"sätet {ctx.kommun(a.seat)} är inte en medlemskommun")
    if a.seat is not None and a.form != "kommunalforbund":
        ctx.add(("seat",), "säte anges bara för kommunalförbund; ange värdkommun med host")


def dates_in_order(a: Agreement) -> bool:
    return a.end is None or a.start <= a.end


def check_dates(a: Agreement, ctx: FileContext) -> None:
    if not dates_in_order(a):
        # Member dates are not checked against a life that does not exist: one mistake, one message.
        ctx.add(("end",), f"slutdatum {a.end} ligger före startdatum {a.start}")
        return
    for i, m in enumerate(a.members):
        _check_member_dates(a, i, m, ctx)


def _check_member_dates(a: Agreement, i: int, m: Member, ctx: FileContext) -> None:
    who = ctx.kommun(m.kommun)
    if m.left is not None and m.left < m.joined:
        ctx.add(("members", i, "left"), f"utträdet {m.left} ligger före inträdet {m.joined}")
    if m.joined < a.start:
        ctx.add(("members", i, "joined"), f"{who} gick med {m.joined}, före samverkans start {a.start}")
    if a.end is not None and m.joined > a.end:
        ctx.add(("members", i, "joined"), f"{who} gick med {m.joined}, efter samverkans slut {a.end}")
    if a.end is not None and m.left is not None and m.left > a.end:
        ctx.add(("members", i, "left"), f"{who} lämnade {m.left}, efter samverkans slut {a.end}")


def check_member_overlap(a: Agreement, ctx: FileContext) -> None:
    """A kommun may rejoin, but its membership periods must not overlap."""
    seen: dict[str, list[int]] = {}
    for i, m in enumerate(a.members):
        for j in seen.get(m.kommun, []):
            other = a.members[j]
            if (other.left is None or m.joined <= other.left) and (m.left is None or other.joined <= m.left):
                ctx.add(
                    ("members", i, "kommun"),
                    f"{ctx.kommun(m.kommun)} är redan medlem under samma tid (members[{j}])",
                )
        seen.setdefault(m.kommun, []).append(i)


def check_links(a: Agreement, ids: dict[str, Agreement], present: set[str], ctx: FileContext) -> None:
    """Predecessor and successor must exist and name each other.

    A link to a file that exists but has errors of its own is not reported again.
    """
    for field, back in (("predecessor", "successor"), ("successor", "predecessor")):
        other_id = getattr(a, field)
        if other_id is None:
            continue
        other = ids.get(other_id)
        if other is None and other_id in present:
            continue
        if other is None:
            ctx.add((field,), f"det finns ingen samverkan med id {other_id!r} i registret")
        elif getattr(other, back) != a.id:
            ctx.add(
                (field,),
                f"{other_id} anger inte {a.id} som {ROLE_NAMES[back]}",
            )
