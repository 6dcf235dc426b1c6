"""A small warehouse holding only the tables the report reads, written by hand.

The report tests build the real Evidence site from it. Columns follow the dbt marts (dbt/models/marts);
values follow simple formulas (see `kpi_value`) so a test can read the same numbers back from the file.
One cooperation's name carries markup on purpose: the site must show it as text.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.lib.ops.warehouse import connect, insert_rows
from tests.report.fixture_derived import write_derived
from tests.report.fixture_marts import add_base_columns, build_report_marts
from tests.report.fixture_national import write_national

YEARS = range(2012, 2025)
LATEST_YEAR = max(YEARS)
DEMO_BANNER = "Demodata – simulerade värden, inte verklig statistik"

# kommunkod: (name, county, population in the latest year)
MUNICIPALITIES = {
    "0604": ("Aneby", "Jönköpings län", 6_900),
    "0682": ("Nässjö", "Jönköpings län", 31_600),
    "0684": ("Sävsjö", "Jönköpings län", 11_600),
    "0685": ("Vetlanda", "Jönköpings län", 27_900),
    "0686": ("Eksjö", "Jönköpings län", 17_700),
    "1438": ("Dals-Ed", "Västra Götalands län", 4_700),
    "1439": ("Färgelanda", "Västra Götalands län", 6_500),
    "1460": ("Bengtsfors", "Västra Götalands län", 9_500),
    "1461": ("Mellerud", "Västra Götalands län", 9_200),
    "1962": ("Norberg", "Västmanlands län", 5_700),
    "1982": ("Fagersta", "Västmanlands län", 13_300),
    "2584": ("Kiruna", "Norrbottens län", 22_000),  # in no cooperation: its page says so
    "2480": ("Umeå", "Västerbottens län", 130_000),  # also none; sorts before Åsele, Älmhult, Örebro
    "2462": ("Vilhelmina", "Västerbottens län", 6_600),
    "2463": ("Åsele", "Västerbottens län", 2_800),
    "0765": ("Älmhult", "Kronobergs län", 18_000),
    "1880": ("Örebro", "Örebro län", 160_000),
}

# kpi_id: (title, area, dimension, better, unit, cost_basis, level in the first year, change per year)
KPIS = {
    "U37009": ("Kostnad för överförmyndare/-nämnd, kr/ställföreträdarskap", "overformyndare", "kostnad",
               "lower", "kr/ställföreträdarskap", "kostnad", 14_800.0, 310.0),
    "U37002": ("Invånare som har ställföreträdarskap, antal/1000 invånare", "overformyndare", "personal",
               "none", "antal/1000 inv", None, 9.4, 0.15),
    "N07026": ("Nettokostnad miljö- och hälsoskydd, myndighetsutövning, kr/inv", "miljo_halsoskydd",
               "kostnad", "lower", "kr/inv", "nettokostnad", 212.0, 6.5),
    "U07449": ("Företagsklimat Insikt - Miljö- och hälsoskydd - Index", "miljo_halsoskydd", "kvalitet",
               "higher", "index", None, 68.0, 0.4),
    "N17014": ("Nettokostnad gymnasieskola, kr/inv", "gymnasieskola", "kostnad", "lower", "kr/inv",
               "nettokostnad", 4_650.0, 95.0),
    "N07041": ("Nettokostnad räddningstjänst, kr/inv", "raddningstjanst", "kostnad", "lower", "kr/inv",
               "nettokostnad", 980.0, 27.5),
}  # fmt: skip

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
    end: date | None = None


AGREEMENTS = (
    FixtureAgreement("hoglandets_overformyndarnamnd", "Höglandets överförmyndarnämnd", "gemensam_namnd",
                     "overformyndare", ("kvalitet", "kostnad"), "0685", date(2019, 1, 1),
                     ("0604", "0682", "0684", "0685", "0686")),
    FixtureAgreement("dalslands_miljo_och_energiforbund", "Dalslands miljö- och energiförbund",
                     "kommunalforbund", "miljo_halsoskydd", ("kvalitet", "personal"), "1461",
                     date(2016, 1, 1), ("1438", "1439", "1460", "1461")),
    FixtureAgreement("fagersta_norberg_gymnasium", "Gymnasieavtal Fagersta–Norberg", "avtalssamverkan",
                     "gymnasieskola", ("kostnad",), "1982", date(2021, 7, 1), ("1962", "1982"),
                     date(2023, 6, 30)),  # ended: shown as ended with its end date, never as current
    FixtureAgreement("test_markup_forbund", "Räddningsförbundet <b>x</b>", "kommunalforbund",
                     "raddningstjanst", ("kostnad", "personal"), None, date(2002, 1, 1), ("0682", "0685")),
    # started 2002, ten years before the first year with data: "Medlem sedan 2002", never 2012
)  # fmt: skip

DDL = """
create schema if not exists marts;
create or replace table marts.dim_report_meta (data_source varchar, is_demo boolean, banner_text varchar,
    latest_data_year int, kolada_extracted_at timestamptz, scb_extracted_at timestamptz,
    built_at timestamptz);
create or replace table marts.dim_municipalities (municipality_id varchar primary key,
    municipality_name varchar, county_id varchar, county_name varchar, population_latest double,
    population_year int, agreement_count int, is_in_registry boolean, is_in_kolada boolean);
create or replace table marts.dim_agreements (agreement_id varchar primary key, agreement_name varchar,
    form varchar, area_id varchar, area_title varchar, purpose varchar[], purpose_text varchar,
    host_municipality_id varchar, host_name varchar, seat_municipality_id varchar, seat_name varchar,
    start_date date, end_date date, is_active boolean, predecessor_agreement_id varchar,
    successor_agreement_id varchar, kolada_group_id varchar, kolada_group_title varchar,
    member_count int, member_ids varchar[], members_text varchar, latest_data_year int,
    sources varchar[], unverified_fields varchar[], illustrative_sections varchar[],
    has_illustrative_figures boolean, notes varchar, source_file varchar);
create or replace table marts.dim_kpis (kpi_id varchar primary key, kpi_title varchar, area_id varchar,
    is_context boolean, dimension varchar, better varchar, unit varchar, cost_basis varchar,
    is_reported_jointly boolean, method_break_year int, first_data_year int, latest_data_year int);
create or replace table marts.fct_agreement_kpi_values (agreement_id varchar, municipality_id varchar,
    kpi_id varchar, year int, value double, is_member_that_year boolean, is_host boolean,
    is_joining_year boolean, years_since_joined int, kpi_role varchar, dimension varchar,
    population double, source varchar, response_id varchar, status varchar, is_value_missing boolean,
    is_preliminary boolean, is_reported_jointly boolean, is_after_method_break boolean);
"""


def kpi_value(kpi_id: str, municipality_id: str, year: int) -> float:
    """The fixture's value: a level and trend per KPI, shifted per kommun, rounded as Kolada does."""
    level, slope = KPIS[kpi_id][6], KPIS[kpi_id][7]
    shift = 1 + (int(municipality_id) % 7 - 3) / 40
    return round((level + slope * (year - min(YEARS))) * shift, 1)


def response_id(kpi_id: str, municipality_id: str) -> str:
    return f"resp-{kpi_id}-{municipality_id}"


def _agreement_row(a: FixtureAgreement) -> tuple:
    names = {m: MUNICIPALITIES[m][0] for m in a.members}
    host = MUNICIPALITIES[a.host][0] if a.host else None
    members_text = ", ".join(sorted(names.values()))
    return (a.agreement_id, a.name, a.form, a.area, AREA_TITLES[a.area], list(a.purpose),
            ", ".join(a.purpose), a.host, host, None, None, a.start, a.end, a.end is None, None, None, None,
            None,
            len(a.members), sorted(a.members), members_text, LATEST_YEAR, [], [], [], False, "",
            f"registry/cooperations/{a.agreement_id}.yaml")  # fmt: skip


def _kpi_value_rows() -> list[tuple]:
    rows = []
    for a in AGREEMENTS:
        for member in a.members:
            for kpi in (k for k, meta in KPIS.items() if meta[1] == a.area):
                rows += [
                    (a.agreement_id, member, kpi, year, kpi_value(kpi, member, year), year >= a.start.year,
                     member == a.host, year == a.start.year, year - a.start.year, "area", KPIS[kpi][2],
                     float(MUNICIPALITIES[member][2]), "kolada", response_id(kpi, member), None, False,
                     year == LATEST_YEAR, False, False)
                    for year in YEARS
                ]  # fmt: skip
    return rows


def _municipality_rows() -> list[tuple]:
    counts = {m: sum(m in a.members for a in AGREEMENTS) for m in MUNICIPALITIES}
    return [
        (m, name, m[:2], county, float(pop), LATEST_YEAR, counts[m], True, True)
        for m, (name, county, pop) in MUNICIPALITIES.items()
    ]


def write_report_warehouse(path: Path) -> Path:
    """Write the tables the report reads into a new warehouse file at `path`."""
    write_base_marts(path)
    build_report_marts(path, path.parent / "dbt")
    return path


def write_base_marts(path: Path) -> Path:
    """The hand-written base marts, completed to dbt's columns; the marts built on them are not built."""
    con = connect(path)
    try:
        con.execute(DDL)
        meta = ("demo", True, DEMO_BANNER, LATEST_YEAR, "2025-03-01 06:00:00+00", "2025-03-01 06:05:00+00")
        con.execute("insert into marts.dim_report_meta values (?, ?, ?, ?, ?, ?, current_timestamp)", meta)
        insert_rows(con, "marts.dim_municipalities", _municipality_rows())
        insert_rows(con, "marts.dim_agreements", [_agreement_row(a) for a in AGREEMENTS])
        kpis = [
            (k, m[0], m[1], False, *m[2:6], False, None, min(YEARS), LATEST_YEAR) for k, m in KPIS.items()
        ]
        insert_rows(con, "marts.dim_kpis", kpis)
        insert_rows(con, "marts.fct_agreement_kpi_values", _kpi_value_rows())
        write_derived(con)
        write_national(con)
    finally:
        con.close()
    add_base_columns(path)
    return path


# The cooperation and member the tests change a figure of.
DALSLAND = "dalslands_miljo_och_energiforbund"
HOGLANDET_ID = "hoglandets_overformyndarnamnd"


def with_costs(warehouse: Path, column: str) -> list[str]:
    """The cooperations (`agreement_id`) or kommuner (`municipality_id`) with a row of cost figures."""
    with connect(warehouse, read_only=True) as con:
        sql = f"select distinct {column} from marts.fct_member_cost_trail order by 1"
        return [key for (key,) in con.execute(sql).fetchall()]


def with_changed_payment(warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the warehouse where Bengtsfors (1460) paid 1 tkr more in Dalsland's förbund one year."""
    changed = tmp_path / "changed.duckdb"
    shutil.copy(warehouse, changed)
    with connect(changed) as con:
        sql = (
            "select max(year) from marts.fct_member_cost_trail where agreement_id = ? and municipality_id = ?"
        )
        year = con.execute(sql, [DALSLAND, "1460"]).fetchone()[0]
        con.execute(
            "update marts.fct_member_cost_trail set paid_tkr = coalesce(paid_tkr, 0) + 1 "
            "where agreement_id = ? and municipality_id = ? and year = ?",
            [DALSLAND, "1460", year],
        )
    return changed
