"""`uppsikt registry discover [--out DIR]`: the candidates the data reveals, as a table or as drafts.

Reads the discovery marts (fct_cooperation_candidates, fct_cooperation_candidate_members) from the
warehouse; the set-finding and the registry match are dbt's (METOD.md, "Upptäckt samverkan"). Drafts are
written in the registry's own schema to DIR/cooperations/, with the registry's reference files beside them
so `uppsikt registry check DIR` can check them; the curated registry is never written.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from ruamel.yaml import YAML

from orchestration.lib.extract.registry.signatures import SIGNATURES_FILE

CANDIDATES_SQL = """
select candidate_id, candidate_name, area_id, form, member_count, members_text, first_year,
       start_censored, last_year, is_ended, gap_years, evidence, kolada_group_id, registry_match,
       agreement_id, match_note
from marts.fct_cooperation_candidates
order by registry_match, area_id, candidate_id
"""
MEMBERS_SQL = """
select candidate_id, municipality_id, first_year, left_year
from marts.fct_cooperation_candidate_members
order by candidate_id, municipality_id
"""
REFERENCE_FILES = ("areas.yaml", "kommuner.csv", SIGNATURES_FILE)
MATCH_LABELS = {"registrerad": "registrerad", "avviker": "avviker", "ej_registrerad": "ej registrerad"}
KPI_URL = "https://api.kolada.se/v3/data/kpi/"


class DiscoverError(Exception):
    """A Swedish message for the user: nothing has been written."""


@dataclass(frozen=True)
class Candidates:
    rows: list[dict[str, Any]]
    members: dict[str, list[dict[str, Any]]]


def read_candidates(warehouse: Path) -> Candidates:
    """The discovery marts; DiscoverError when the warehouse or the marts are missing."""
    if not warehouse.is_file():
        raise DiscoverError(f"{warehouse}: lagret finns inte; kör `uppsikt run` först")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise DiscoverError(f"{warehouse}: kan inte öppna lagret: {error}") from error
    try:
        rows = _records(con, CANDIDATES_SQL)
        members: dict[str, list[dict[str, Any]]] = {}
        for member in _records(con, MEMBERS_SQL):
            members.setdefault(member["candidate_id"], []).append(member)
    except duckdb.CatalogException as error:
        raise DiscoverError(
            f"{warehouse}: marts.fct_cooperation_candidates saknas; kör `uppsikt run` först"
        ) from error
    finally:
        con.close()
    return Candidates(rows, members)


def _records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def table(candidates: Candidates) -> str:
    """The candidates as a plain Swedish text table, one line each."""
    head = ("Kandidat", "Område", "Medl.", "År", "Registret", "Medlemmar")
    lines = [head]
    for row in candidates.rows:
        start = f"≤{row['first_year']}" if row["start_censored"] else str(row["first_year"])
        years = f"{start}–{row['last_year'] if row['is_ended'] else ''}"
        match = MATCH_LABELS[row["registry_match"]]
        if row["agreement_id"]:
            match += f" ({row['agreement_id']})"
        lines.append(
            (row["candidate_id"], row["area_id"], str(row["member_count"]), years, match, row["members_text"])
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head) - 1)]
    out = [
        "  ".join([*(cell.ljust(w) for cell, w in zip(line, widths, strict=False)), line[-1]])
        for line in lines
    ]
    counts = {
        label: sum(r["registry_match"] == key for r in candidates.rows) for key, label in MATCH_LABELS.items()
    }
    summary = ", ".join(f"{n} {label}" for label, n in counts.items())
    return "\n".join([*out, f"{len(candidates.rows)} kandidater: {summary}"])


def draft(row: dict[str, Any], members: list[dict[str, Any]]) -> dict[str, Any]:
    """One unregistered candidate in the registry's schema; what the data cannot tell is unverified."""
    kpis = sorted({part.split(" ")[0].split("=")[0] for part in (row["evidence"] or "").split("; ") if part})
    unverified = ["name", "form", "host", "purpose", "start", "members"] + (
        ["end"] if row["is_ended"] else []
    )
    censored = (
        " Redovisningen börjar med dataserien, så starten kan vara tidigare." if row["start_censored"] else ""
    )
    return {
        "id": row["candidate_id"],
        "name": row["candidate_name"],
        "form": row["form"] or "ovrig",
        "area": row["area_id"],
        "purpose": ["kostnad", "kvalitet", "personal"],
        "host": None,
        "start": date(row["first_year"], 1, 1),
        "end": date(row["last_year"], 12, 31) if row["is_ended"] else None,
        "kolada_group": row["kolada_group_id"],
        "members": [_member(m) for m in members],
        "sources": [
            {
                "about": ["members", "start"],
                "source": f"Kolada, identiska värden hos medlemmarna: {row['evidence']}",
                "url": KPI_URL + ",".join(kpis),
            }
        ],
        "unverified": unverified,
        "notes": (
            "Utkast från uppsikt registry discover: upptäckt i Koladas värden, inte bekräftat mot en "
            f"primärkälla.{censored} Form, värdkommun, syfte och exakta datum går inte att utläsa ur data. "
            f"{row['match_note']}"
        ),
    }


def _member(m: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"kommun": m["municipality_id"], "joined": date(m["first_year"], 1, 1)}
    if m["left_year"] is not None:
        out["left"] = date(m["left_year"] - 1, 12, 31)
    return out


def write_drafts(candidates: Candidates, out_dir: Path, registry: Path) -> list[Path]:
    """One YAML per unregistered candidate in out_dir/cooperations/, and the registry's reference files."""
    if out_dir.resolve() == registry.resolve() or registry.resolve() in out_dir.resolve().parents:
        raise DiscoverError(f"{out_dir}: utkast skrivs aldrig i registret {registry}; ange en annan mapp")
    folder = out_dir / "cooperations"
    folder.mkdir(parents=True, exist_ok=True)
    for name in REFERENCE_FILES:
        if (registry / name).is_file():
            shutil.copyfile(registry / name, out_dir / name)
    written = []
    for row in (r for r in candidates.rows if r["registry_match"] == "ej_registrerad"):
        path = folder / f"{row['candidate_id']}.yaml"
        with path.open("w", encoding="utf-8") as handle:
            handle.write(
                "# Utkast från uppsikt registry discover: bekräfta innan det flyttas till registret.\n"
            )
            _yaml().dump(draft(row, candidates.members.get(row["candidate_id"], [])), handle)
        written.append(path)
    return written


def _yaml() -> YAML:
    out = YAML()
    out.width = 110
    out.default_flow_style = False
    return out


def main(out_dir: Path | None = None) -> int:
    """Print the table, or write the drafts; 1 with a Swedish message when the marts are missing."""
    from orchestration.lib.ops.settings import load_settings

    settings = load_settings()
    try:
        candidates = read_candidates(settings.warehouse)
        if out_dir is None:
            print(table(candidates))
            return 0
        written = write_drafts(candidates, out_dir, settings.registry)
    except DiscoverError as error:
        print(f"uppsikt registry discover: {error}", file=sys.stderr)
        return 1
    print(
        f"{len(written)} utkast skrivna i {out_dir / 'cooperations'}; "
        f"kontrollera med `uppsikt registry check {out_dir}`"
    )
    return 0
