"""Checks on one cooperation's cost keys, targets and ledger."""

from __future__ import annotations

from orchestration.lib.extract.registry.context import FileContext
from orchestration.lib.extract.registry.model import Agreement, CostKey
from orchestration.lib.extract.registry.rules import dates_in_order

SHARE_TOLERANCE = 0.5  # percentage points: keys are often written with rounded shares


def _in_life(a: Agreement, year: int) -> bool:
    # With start and end swapped there is no life to be outside of; that error is reported once.
    if not dates_in_order(a):
        return True
    return a.start.year <= year and (a.end is None or year <= a.end.year)


def _years_text(a: Agreement) -> str:
    return f"{a.start.year}–{a.end.year if a.end else ''}"


def _outside_life(a: Agreement, year: int, path: tuple, ctx: FileContext) -> bool:
    """Report a year outside the cooperation's life; membership in such a year is then not checked."""
    if _in_life(a, year):
        return False
    ctx.add(path, f"året {year} ligger utanför samverkans tid ({_years_text(a)})")
    return True


def check_cost_keys(a: Agreement, ctx: FileContext) -> None:
    seen: set[int] = set()
    for i, key in enumerate(a.cost_keys):
        where = ("cost_keys", i, "from_year")
        if key.from_year in seen:
            ctx.add(where, f"det finns redan en kostnadsnyckel från {key.from_year}")
        seen.add(key.from_year)
        if not _outside_life(a, key.from_year, where, ctx):
            _check_shares(a, i, key, ctx)


def _check_shares(a: Agreement, i: int, key: CostKey, ctx: FileContext) -> None:
    where = ("cost_keys", i)
    if key.rule == "population":
        if key.shares:
            ctx.add((*where, "shares"), "andelar anges bara för rule: fixed; med population räknas de ut")
        return
    if not key.shares:
        ctx.add((*where, "shares"), "rule: fixed kräver andelar (shares) för medlemmarna")
        return
    total = sum(key.shares.values())
    if abs(total - 100.0) > SHARE_TOLERANCE:
        ctx.add(
            (*where, "shares"),
            f"andelarna för {key.from_year} summerar till {_pct(total)} %, inte 100 % (±0,5)",
        )
    members = set(a.members_in(key.from_year))
    for code in key.shares:
        if code in ctx.ref.kommuner and code not in members:
            ctx.add(
                (*where, "shares", code),
                f"{ctx.kommun(code)} har en andel men är inte medlem {key.from_year}",
            )
    for code in sorted((members - set(key.shares)) & set(ctx.ref.kommuner)):
        ctx.add(
            (*where, "shares"), f"medlemmen {ctx.kommun(code)} saknar andel i nyckeln från {key.from_year}"
        )


def _pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def check_targets(a: Agreement, raw_targets: list[dict], ctx: FileContext) -> None:
    known = ctx.ref.kpi_ids()
    for i, (target, raw) in enumerate(zip(a.targets, raw_targets, strict=True)):
        where = ("targets", i)
        if target.measure not in known and target.measure not in ctx.ref.derived:
            ctx.add((*where, "measure"), _unknown_measure(target.measure, ctx))
        if ("year" in raw) == ("from_year" in raw):
            ctx.add(
                where, "ange antingen year (ett år) eller from_year (från och med), inte båda eller inget"
            )
        elif "year" in raw and "to_year" in raw:
            ctx.add((*where, "to_year"), "to_year används bara tillsammans med from_year")
        elif target.to_year is not None and target.to_year < target.from_year:
            ctx.add((*where, "to_year"), f"to_year {target.to_year} ligger före from_year {target.from_year}")
        members = {m.kommun for m in a.members}
        if target.scope in ctx.ref.kommuner and target.scope not in members:
            ctx.add((*where, "scope"), f"{ctx.kommun(target.scope)} är inte medlem i samverkan")


def _unknown_measure(measure: str, ctx: FileContext) -> str:
    if measure[:1] in ("N", "U") and measure[1:].isdigit():
        return f"okänt nyckeltal {measure!r}: finns inte i registry/areas.yaml (areas eller context_kpis)"
    derived = ", ".join(sorted(ctx.ref.derived))
    return f"okänt mått {measure!r}; ange ett nyckeltal från areas.yaml eller ett härlett mått: {derived}"


def check_ledger(a: Agreement, ctx: FileContext) -> None:
    seen: set[int] = set()
    for i, entry in enumerate(a.ledger):
        where = ("ledger", i)
        if entry.year in seen:
            ctx.add((*where, "year"), f"året {entry.year} finns redan i reskontran")
        seen.add(entry.year)
        if entry.host_cost_tkr is not None and a.host is None:
            ctx.add((*where, "host_cost_tkr"), "värdkommunens kostnad kräver att host är angiven")
        if _outside_life(a, entry.year, (*where, "year"), ctx):
            continue
        members = set(a.members_in(entry.year))
        for code in entry.payments_tkr:
            if code in ctx.ref.kommuner and code not in members:
                ctx.add((*where, "paid_tkr", code), f"{ctx.kommun(code)} var inte medlem {entry.year}")
