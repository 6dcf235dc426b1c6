"""Turning a schema-valid cooperation file into an Agreement."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from orchestration.lib.extract.registry.issues import Issue, field_name
from orchestration.lib.extract.registry.model import Agreement, CostKey, LedgerYear, Member, Target
from orchestration.lib.extract.registry.yamlio import PathT, line_of

# Only dates of the right shape are checked here; a wrong shape is the schema's message.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_FIELDS: tuple[PathT, ...] = (("start",), ("end",))


def date_issues(plain: dict[str, Any], doc: Any, shown: str) -> list[Issue]:
    """Dates that have the right shape but do not exist (2019-02-30)."""
    paths = [*DATE_FIELDS]
    for i, _ in enumerate(plain.get("members") or []):
        paths += [("members", i, "joined"), ("members", i, "left")]
    issues = []
    for path in paths:
        text = _get(plain, path)
        if isinstance(text, str) and ISO_DATE.fullmatch(text) and _parse_date(text) is None:
            issues.append(Issue(shown, line_of(doc, path), field_name(path), f"datumet {text} finns inte"))
    return issues


def _get(plain: Any, path: PathT) -> Any:
    for part in path:
        try:
            plain = plain[part]
        except (KeyError, IndexError, TypeError):
            return None
    return plain


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def build_agreement(plain: dict[str, Any], source_file: str) -> Agreement:
    return Agreement(
        id=plain["id"],
        name=plain["name"],
        form=plain["form"],
        area=plain["area"],
        purpose=tuple(plain["purpose"]),
        host=plain.get("host"),
        seat=plain.get("seat"),
        start=date.fromisoformat(plain["start"]),
        start_censored=bool(plain.get("start_censored", False)),
        end=_parse_date(plain.get("end")),
        members=tuple(_member(m) for m in plain["members"]),
        predecessor=plain.get("predecessor"),
        successor=plain.get("successor"),
        kolada_group=plain.get("kolada_group"),
        sources=tuple(_source(s) for s in plain["sources"]),
        notes=(plain.get("notes") or "").strip(),
        cost_keys=tuple(_cost_key(c) for c in plain.get("cost_keys") or []),
        targets=tuple(_target(t) for t in plain.get("targets") or []),
        ledger=tuple(_ledger(y) for y in plain.get("ledger") or []),
        source_file=source_file,
        unverified=tuple(plain.get("unverified") or ()),
        illustrative=tuple(plain.get("illustrative") or ()),
    )


def _member(raw: dict[str, Any]) -> Member:
    return Member(
        kommun=raw["kommun"], joined=date.fromisoformat(raw["joined"]), left=_parse_date(raw.get("left"))
    )


def _source(raw: dict[str, Any]) -> str:
    about = raw["about"] if isinstance(raw["about"], str) else ", ".join(raw["about"])
    url = f" <{raw['url']}>" if raw.get("url") else ""
    return f"{about}: {raw['source']}{url}"


def _cost_key(raw: dict[str, Any]) -> CostKey:
    shares = {k: float(v) for k, v in (raw.get("shares") or {}).items()}
    return CostKey(from_year=raw["from_year"], rule=raw["rule"], shares=shares)


def _target(raw: dict[str, Any]) -> Target:
    # "year" is shorthand for a target that holds for one year only.
    first = raw.get("year", raw.get("from_year"))
    last = raw.get("year", raw.get("to_year"))
    return Target(
        measure=raw["measure"],
        comparison=raw["comparison"],
        value=float(raw["value"]),
        from_year=first if first is not None else 0,
        to_year=last,
        scope=raw.get("scope", "total"),
        comment=raw.get("comment"),
        action=raw.get("action"),
    )


def _ledger(raw: dict[str, Any]) -> LedgerYear:
    payments = {k: float(v) for k, v in raw["paid_tkr"].items()}
    host_cost = raw.get("host_cost_tkr")
    return LedgerYear(
        year=raw["year"], payments_tkr=payments, host_cost_tkr=None if host_cost is None else float(host_cost)
    )
