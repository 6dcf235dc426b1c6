"""A raw warehouse filled from a simulated world, for the asset and marts tests (dbt: tests/dbt.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.lib.demo.calibration.world import CalibrationWorld, SimAgreement, SimKpi, calibration_world
from orchestration.lib.ops.warehouse import connect
from tests.transform.fixtures import create_raw_tables

LOADED_AT = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
AREA = "raddningstjanst"
TEMPLATE = "Liknande kommuner räddningstjänst, {kommun}, 2024"
KPIS = {
    AREA: [
        SimKpi("N07009", dimension="kostnad", better="lower", base=900.0, cost_basis="kostnad", primary=True),
        SimKpi("N07041", dimension="kostnad", better="lower", base=1000.0, cost_basis="nettokostnad"),
        SimKpi("U07442", dimension="kvalitet", better="lower", base=12.0, noise=0.05),
        SimKpi("N07035", dimension="personal", better="higher", base=20.0, noise=0.05),
    ]
}
AGREEMENTS = [
    SimAgreement("forbund_a", AREA, 3, 2016, purpose=("kostnad",), effects={"N07009": -120.0}),
    SimAgreement("namnd_b", AREA, 2, 2018, purpose=("kvalitet", "personal")),
]


def world(n_kommuner: int = 60) -> CalibrationWorld:
    return calibration_world(
        11, KPIS, AGREEMENTS, n_kommuner=n_kommuner, years=range(2010, 2025), kolada_groups=True
    )


def name(kommun: str) -> str:
    return f"Kommun {kommun}"


def make_warehouse(path: Path, w: CalibrationWorld) -> Path:
    """Every raw table of the contract; the ones the effect models read are filled from the world."""
    con = connect(path)
    try:
        create_raw_tables(con)
        for table, frame in raw_tables(w).items():
            con.register("frame", frame)
            con.execute(f"insert into raw.{table} by name select * from frame")
            con.unregister("frame")
    finally:
        con.close()
    return path


def raw_tables(w: CalibrationWorld) -> dict[str, pd.DataFrame]:
    values = w.inputs.values
    ids = sorted(values["municipality_id"].unique())
    return {
        "kolada_values": pd.DataFrame({
            "kpi": values["kpi_id"], "municipality": values["municipality_id"], "year": values["year"],
            "gender": "T", "value": values["value"], "is_deleted": False, "response_id": "r1",
            "loaded_at": LOADED_AT,
        }),
        "kolada_municipalities": pd.DataFrame({"id": ids, "title": [name(m) for m in ids], "type": "K"}),
        "kolada_municipality_groups": _groups(w),
        "registry_kommuner": pd.DataFrame({"kommun": ids, "name": [name(m) for m in ids], "lan": "Län"}),
        "registry_agreements": _agreements(w),
        "registry_members": pd.DataFrame({
            "agreement_id": w.inputs.members["agreement_id"],
            "kommun": w.inputs.members["municipality_id"],
            "joined": [date(int(y), 1, 1) for y in w.inputs.members["joined_year"]],
        }),
        "registry_area_kpis": _area_kpis(w),
        "registry_areas": pd.DataFrame(
            {"area": [AREA], "title": ["Räddningstjänst"], "comparison_group": [TEMPLATE]}
        ),
    }  # fmt: skip


def _groups(w: CalibrationWorld) -> pd.DataFrame:
    # Kolada's groups are named after the kommun they belong to, and list its peers.
    peers = w.inputs.peers
    titles = [TEMPLATE.format(kommun=name(m)) for m in peers["municipality_id"]]
    return pd.DataFrame({
        "group_id": ["G" + m for m in peers["municipality_id"]],
        "group_title": titles,
        "municipality_id": peers["peer_id"],
    }).drop_duplicates(["group_id", "municipality_id"])  # fmt: skip


def _agreements(w: CalibrationWorld) -> pd.DataFrame:
    frame = w.inputs.agreements
    return pd.DataFrame({
        "agreement_id": frame["agreement_id"],
        "name": frame["agreement_id"].str.replace("_", " ").str.capitalize(),
        "form": "kommunalforbund",
        "area": frame["area"],
        "purpose": frame["purpose"],
        "host_kommun": frame["host_municipality_id"],
        "start_date": [date(a.join_year, 1, 1) for a in AGREEMENTS],
        "source_file": [f"registry/cooperations/{a}.yaml" for a in frame["agreement_id"]],
    })  # fmt: skip


def _area_kpis(w: CalibrationWorld) -> pd.DataFrame:
    kpis = w.inputs.area_kpis.rename(columns={"kpi_id": "kpi"})
    context = pd.DataFrame([{"area": "_context", "kpi": "N01951", "title": "Invånare totalt, antal",
                             "dimension": "personal", "better": "none", "unit": "antal"}])  # fmt: skip
    return pd.concat([kpis, context], ignore_index=True)


def query(path: Path, sql: str) -> list[tuple]:
    """Rows of one query on a closed warehouse file, read-only, so a test never holds the writer's lock."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
