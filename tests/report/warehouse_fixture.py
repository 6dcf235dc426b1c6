"""A small warehouse holding only the marts the report reads, written by hand.

The report tests build the real Evidence site from it, so the values follow simple formulas and a
test can read the same numbers back from the file. One cooperation's name carries markup on purpose:
the site must show it as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.lib.warehouse import connect

YEARS = range(2012, 2025)
LATEST_YEAR = max(YEARS)

MARTS_DDL = """
create schema if not exists marts;
create or replace table marts.dim_municipalities (municipality_id varchar primary key,
    municipality_name varchar, county_name varchar);
create or replace table marts.dim_agreements (agreement_id varchar primary key, agreement_name varchar,
    form varchar, area_id varchar, area_title varchar, purpose varchar[], host_municipality_id varchar,
    start_date date, end_date date, kolada_group_id varchar, notes varchar);
create or replace table marts.dim_kpis (kpi_id varchar primary key, kpi_title varchar, area_id varchar,
    dimension varchar, better varchar, unit varchar, cost_basis varchar, reported_jointly boolean,
    method_break_year int);
create or replace table marts.fct_agreement_kpi_values (agreement_id varchar, municipality_id varchar,
    kpi_id varchar, year int, value double, is_member_that_year boolean, source varchar,
    response_id varchar, primary key (agreement_id, municipality_id, kpi_id, year));
"""

MUNICIPALITIES = {
    "0604": ("Aneby", "Jönköpings län"),
    "0682": ("Nässjö", "Jönköpings län"),
    "0684": ("Sävsjö", "Jönköpings län"),
    "0685": ("Vetlanda", "Jönköpings län"),
    "0686": ("Eksjö", "Jönköpings län"),
    "1438": ("Dals-Ed", "Västra Götalands län"),
    "1439": ("Färgelanda", "Västra Götalands län"),
    "1460": ("Bengtsfors", "Västra Götalands län"),
    "1461": ("Mellerud", "Västra Götalands län"),
    "1962": ("Norberg", "Västmanlands län"),
    "1982": ("Fagersta", "Västmanlands län"),
}

# kpi_id -> (title, area, dimension, better, unit, cost_basis, level in 2012, change per year)
KPIS = {
    "U37009": (
        "Kostnad för överförmyndare/-nämnd, kr/ställföreträdarskap",
        "overformyndare",
        "kostnad",
        "lower",
        "kr/ställföreträdarskap",
        "kostnad",
        14800.0,
        310.0,
    ),
    "U37002": (
        "Invånare som har ställföreträdarskap, antal/1000 invånare",
        "overformyndare",
        "personal",
        "none",
        "antal/1000 inv",
        None,
        9.4,
        0.15,
    ),
    "N07026": (
        "Nettokostnad miljö- och hälsoskydd, myndighetsutövning, kr/inv",
        "miljo_halsoskydd",
        "kostnad",
        "lower",
        "kr/inv",
        "nettokostnad",
        212.0,
        6.5,
    ),
    "U07449": (
        "Företagsklimat Insikt - Miljö- och hälsoskydd - Index",
        "miljo_halsoskydd",
        "kvalitet",
        "higher",
        "index",
        None,
        68.0,
        0.4,
    ),
    "N17014": (
        "Nettokostnad gymnasieskola, kr/inv",
        "gymnasieskola",
        "kostnad",
        "lower",
        "kr/inv",
        "nettokostnad",
        4650.0,
        95.0,
    ),
    "N07041": (
        "Nettokostnad räddningstjänst, kr/inv",
        "raddningstjanst",
        "kostnad",
        "lower",
        "kr/inv",
        "nettokostnad",
        980.0,
        27.5,
    ),
}

AREA_TITLES = {
    "overformyndare": "Överförmyndare",
    "miljo_halsoskydd": "Miljö- och hälsoskydd, livsmedel",
    "gymnasieskola": "Gymnasieskola",
    "raddningstjanst": "Räddningstjänst",
}


@dataclass(frozen=True)
class FixtureAgreement:
    agreement_id: str
    name: str
    form: str
    area: str
    purpose: tuple[str, ...]
    host: str | None
    start: date
    members: tuple[str, ...]


AGREEMENTS = (
    FixtureAgreement(
        "hoglandets_overformyndarnamnd",
        "Höglandets överförmyndarnämnd",
        "gemensam_namnd",
        "overformyndare",
        ("kvalitet", "kostnad"),
        "0685",
        date(2019, 1, 1),
        ("0604", "0682", "0684", "0685", "0686"),
    ),
    FixtureAgreement(
        "dalslands_miljo_och_energiforbund",
        "Dalslands miljö- och energiförbund",
        "kommunalforbund",
        "miljo_halsoskydd",
        ("kvalitet", "personal"),
        "1461",
        date(2016, 1, 1),
        ("1438", "1439", "1460", "1461"),
    ),
    FixtureAgreement(
        "fagersta_norberg_gymnasium",
        "Gymnasieavtal Fagersta–Norberg",
        "avtalssamverkan",
        "gymnasieskola",
        ("kostnad",),
        "1982",
        date(2021, 7, 1),
        ("1962", "1982"),
    ),
    FixtureAgreement(
        "test_markup_forbund",
        "Räddningsförbundet <b>x</b>",
        "kommunalforbund",
        "raddningstjanst",
        ("kostnad", "personal"),
        None,
        date(2018, 1, 1),
        ("0682", "0685"),
    ),
)


def kpi_value(kpi_id: str, municipality_id: str, year: int) -> float:
    """The fixture's value: a level and trend per KPI, shifted per kommun, rounded as Kolada does."""
    level, slope = KPIS[kpi_id][6], KPIS[kpi_id][7]
    shift = 1 + (int(municipality_id) % 7 - 3) / 40
    return round((level + slope * (year - min(YEARS))) * shift, 1)


def _kpi_value_rows() -> list[tuple]:
    rows = []
    for agreement in AGREEMENTS:
        kpis = [kpi for kpi, meta in KPIS.items() if meta[1] == agreement.area]
        for member in agreement.members:
            for kpi in kpis:
                rows.extend(
                    (
                        agreement.agreement_id,
                        member,
                        kpi,
                        year,
                        kpi_value(kpi, member, year),
                        year >= agreement.start.year,
                        "kolada",
                        f"resp-{kpi}-{member}",
                    )
                    for year in YEARS
                )
    return rows


def _agreement_rows() -> list[tuple]:
    return [
        (
            a.agreement_id,
            a.name,
            a.form,
            a.area,
            AREA_TITLES[a.area],
            list(a.purpose),
            a.host,
            a.start,
            None,
            None,
            "",
        )
        for a in AGREEMENTS
    ]


def write_report_warehouse(path: Path) -> Path:
    """Write the marts the report reads into a new warehouse file at `path`."""
    con = connect(path)
    try:
        con.execute(MARTS_DDL)
        con.executemany(
            "insert into marts.dim_municipalities values (?, ?, ?)",
            [(k, name, county) for k, (name, county) in MUNICIPALITIES.items()],
        )
        con.executemany(
            "insert into marts.dim_agreements values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _agreement_rows()
        )
        con.executemany(
            "insert into marts.dim_kpis values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(k, *meta[:6], False, None) for k, meta in KPIS.items()],
        )
        con.executemany(
            "insert into marts.fct_agreement_kpi_values values (?, ?, ?, ?, ?, ?, ?, ?)", _kpi_value_rows()
        )
    finally:
        con.close()
    return path
