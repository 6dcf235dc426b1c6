"""`uppsikt effects estimate`: the effect models on anyone's own panel (a CSV) and a registry folder.

The values and the registry are shaped as store.read_inputs shapes the warehouse's staging (the same
first-year-out rule for end dates, gender T, kommuner only), then run_models runs exactly as in the
pipeline. Kolada's comparison groups are not in a CSV, so DiD uses the nearest kommuner; and the
pipeline's discovery (dbt int_area_excluded_controls, kommuner the data shows in a joint organisation
the registry lacks) does not run, so such kommuner can be donors here (METOD.md says so).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd

from orchestration.lib.extract.registry.model import Agreement, AreaKpi, Member, Registry
from orchestration.lib.ops.swap import replace_file
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.model import EffectInputs, EffectTables, run_models

VALUE_COLUMNS = ("kpi", "municipality", "year", "value")
VERDICT_FILE_COLUMNS = [
    "agreement_id", "municipality", "is_host", "dimension", "in_purpose", "verdict", "rule", "undecided_kind",
    "undecided_text", "mde_abs", "mde_pct", "judgeable_from_year", "reasons",
]  # fmt: skip


class ValuesError(ValueError):
    """The values file is malformed; the message names the file, line and field."""


def read_values(path: Path) -> pd.DataFrame:
    """kpi_id, municipality_id, year, value from a long CSV; an empty value is a missing value."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in VALUE_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ValuesError(
                    f"{path}, rad 1: kolumnen {missing[0]!r} saknas (kräver {', '.join(VALUE_COLUMNS)})"
                )
            rows = [_value_row(path, n, r) for n, r in enumerate(reader, start=2)]
    except OSError as exc:
        raise ValuesError(f"{path}: kan inte läsas: {exc}") from exc
    frame = pd.DataFrame(
        [r for r in rows if r is not None], columns=["kpi_id", "municipality_id", "year", "value"]
    )
    duplicated = frame.duplicated(["kpi_id", "municipality_id", "year"])
    if duplicated.any():
        r = frame[duplicated].iloc[0]
        raise ValuesError(
            f"{path}: värdet för {r.kpi_id}, {r.municipality_id}, {r.year} finns mer än en gång"
        )
    return frame


def _value_row(path: Path, line: int, raw: dict[str, str]) -> tuple | None:
    kpi, kommun = (raw.get("kpi") or "").strip(), (raw.get("municipality") or "").strip()
    if not kpi:
        raise ValuesError(f"{path}, rad {line}: fältet kpi är tomt")
    if not (len(kommun) == 4 and kommun.isdigit()):
        raise ValuesError(f"{path}, rad {line}: fältet municipality ska vara en kommunkod med fyra siffror")
    try:
        year = int((raw.get("year") or "").strip())
    except ValueError:
        raise ValuesError(f"{path}, rad {line}: fältet year ska vara ett årtal") from None
    text = (raw.get("value") or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return kpi, kommun, year, float(text)
    except ValueError:
        raise ValuesError(f"{path}, rad {line}: fältet value ska vara ett tal") from None


def _year_out(day: date | None) -> int | None:
    # The first calendar year no longer a full year of membership: dbt's macro first_partial_year, which
    # the warehouse path uses (tests/effects/test_standalone.py checks that the two agree).
    if day is None:
        return None
    return day.year + 1 if (day.month, day.day) == (12, 31) else day.year


def inputs_from_registry(registry: Registry, values: pd.DataFrame) -> EffectInputs:
    """The frames run_models reads, from a loaded registry and the values."""
    agreements = pd.DataFrame([_agreement(a) for a in sorted(registry.agreements, key=lambda a: a.id)])
    members = pd.DataFrame([_member(a.id, m) for a in registry.agreements for m in a.members])
    area_kpis = pd.DataFrame(
        [_kpi(key, k) for key, area in sorted(registry.areas.items()) for k in area.kpis]
    )
    peers = pd.DataFrame(columns=["area", "municipality_id", "peer_id"])
    return EffectInputs(values, agreements, members, area_kpis, peers)


def _agreement(a: Agreement) -> dict:
    return {
        "agreement_id": a.id,
        "area": a.area,
        "purpose": list(a.purpose),
        "host_municipality_id": a.host,
        "end_year": _year_out(a.end),
    }


def _member(agreement_id: str, m: Member) -> dict:
    return {
        "agreement_id": agreement_id,
        "municipality_id": m.kommun,
        "joined_year": m.joined.year,
        "left_year": _year_out(m.left),
    }


def _kpi(area: str, k: AreaKpi) -> dict:
    return {
        "area": area,
        "kpi_id": k.id,
        "title": k.title,
        "dimension": k.dimension,
        "better": k.better,
        "unit": k.unit,
        "cost_basis": k.cost_basis,
        "reported_jointly": k.reported_jointly,
        "method_break": k.method_break,
        "caution": k.caution,
        "is_primary": k.primary,
    }


def estimate_to_files(values: Path, registry: Registry, out: Path, cfg: EffectsConfig) -> EffectTables:
    """Run the models and write effects.csv and verdicts.csv into out, each whole or not at all."""
    tables = run_models(inputs_from_registry(registry, read_values(values)), cfg)
    effects = tables.estimates.rename(columns={"kpi_id": "kpi", "municipality_id": "municipality"})
    whole = tables.verdicts.assign(municipality_id="total", is_host=None)
    verdicts = pd.concat([whole, tables.member_verdicts], ignore_index=True)
    verdicts = verdicts.rename(columns={"municipality_id": "municipality"})
    out.mkdir(parents=True, exist_ok=True)
    _write_csv(effects, out / "effects.csv")
    _write_csv(verdicts[VERDICT_FILE_COLUMNS], out / "verdicts.csv")
    return tables


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    # Written beside the target and renamed into place: a reader never sees half a file.
    replace_file(path, lambda temp: frame.to_csv(temp, index=False))
