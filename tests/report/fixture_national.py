"""The national marts of the report fixture (fct_national_effects, fct_agreement_peer_comparison), with
columns as the dbt marts define them and texts as they word them."""

from __future__ import annotations

import duckdb

from orchestration.lib.ops.warehouse import insert_rows

DDL = """
create or replace table marts.fct_national_effects (area_id varchar, form varchar, kpi_id varchar,
    event_year integer, estimate double, estimate_pct double, se double, ci_low double, ci_high double,
    ci_low_pct double, ci_high_pct double, level double, n_cooperations integer, n_municipalities integer,
    pretrend_p double, pretrend_events integer, is_overall boolean, area_title varchar, form_label varchar,
    kpi_title varchar, unit varchar, unit_text varchar, dimension varchar, better varchar,
    direction varchar, judgement varchar, pretrend_rejected boolean, estimate_text varchar,
    size_text varchar, interval_text varchar, interpretation varchar, research_text varchar);
create or replace table marts.fct_agreement_peer_comparison (agreement_id varchar, area_id varchar,
    form varchar, kpi_id varchar, own_estimate double, own_se double, own_pct double, own_level double,
    national_estimate double, national_pct double, tau double, shrunk_estimate double, shrunk_pct double,
    shrinkage double, n_peers integer, n_members integer, agreement_name varchar, kpi_title varchar,
    unit varchar, dimension varchar, form_label varchar, own_ci_low double, own_ci_high double,
    comparison_text varchar);
"""
TITLE = "Kostnad för överförmyndare/-nämnd, kr/ställföreträdarskap"
UNIT = "kr/ställföreträdarskap"
INTERPRETATION = (
    "Kommuner i gemensamma nämnder för överförmyndare har i genomsnitt 800,0 kr/ställföreträdarskap "
    "(5,0 %) lägre kostnad åren efter starten än de hade haft utan samverkan (95 % intervall −1200,0 till "
    "−400,0), alltså bättre."
)
RESEARCH = (
    "Ferraresi m.fl. (2018) fann omkring −5 % lägre kostnader, en effekt som växte över 6–9 år. "
    "Skattningen här stämmer med det (intervallet rymmer −5 %)."
)
COMPARISON = "Er egen skattning är −1500,0 kr/ställföreträdarskap; vikten på hela landet är 40 %."
N_PEERS = 5


def _event_row(event: int | None) -> tuple:
    estimate = -800.0 if event is None else (-200.0 * event if event >= 0 else 50.0 * (event + 1))
    low, high = (estimate, estimate) if event == -1 else (estimate - 400.0, estimate + 400.0)
    text = INTERPRETATION if event is None else f"År {event}."
    return ("overformyndare", "gemensam_namnd", "U37009", event, estimate, estimate / 160, 200.0, low, high,
            low / 160, high / 160, 16000.0, 6, 24, 0.6, 3, event is None, "Överförmyndare",
            "gemensamma nämnder", TITLE, UNIT, UNIT, "kostnad", "lower", "lower", "bättre", False, "",
            "", "", text, RESEARCH if event is None else None)  # fmt: skip


def write_national(con: duckdb.DuckDBPyConnection) -> None:
    """Six överförmyndare nämnder by years since start, and Höglandet's place among them."""
    con.execute(DDL)
    rows = [_event_row(e) for e in (-3, -2, -1, 0, 1, 2, 3, None)]
    insert_rows(con, "marts.fct_national_effects", rows)
    peer = ("hoglandets_overformyndarnamnd", "overformyndare", "gemensam_namnd", "U37009", -1500.0, 700.0,
            -9.0, 16600.0, -800.0, -5.0, 450.0, -1080.0, -6.5, 0.4, N_PEERS, 5,
            "Höglandets överförmyndarnämnd", TITLE, UNIT, "kostnad", "gemensamma nämnder", -2872.0, -128.0,
            COMPARISON)  # fmt: skip
    con.execute(f"insert into marts.fct_agreement_peer_comparison values ({', '.join('?' * 24)})", peer)
