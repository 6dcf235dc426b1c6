"""A real `dbt build` (models, data and unit tests) on the hand-made raw warehouse; the marts' figures."""

import duckdb
import pytest

from tests.dbt import run_dbt
from tests.transform import fixtures as fx
from tests.transform.built import DbtBuilt

STORAGE_SQL = "select tags from duckdb_databases() where database_name = 'uppsikt'"


@pytest.fixture(scope="module")
def built(dbt_built: DbtBuilt) -> duckdb.DuckDBPyConnection:
    """The marts of the session's one `dbt build` of the hand-made raw warehouse (transform/built.py)."""
    assert "ERROR=0" in dbt_built.stdout and "unit_test" in dbt_built.stdout
    con = duckdb.connect(str(dbt_built.warehouse), read_only=True)
    yield con
    con.close()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> object:
    return con.execute(sql, list(params)).fetchone()[0]


def test_schemas_are_exactly_the_contracts(built):
    rows = built.execute("select schema_name from duckdb_schemas() where not internal").fetchall()
    schemas = {r[0] for r in rows}
    assert {"raw", "staging", "intermediate", "marts"} <= schemas
    assert not [s for s in schemas if s.startswith("main_")]


def test_file_keeps_storage_v1_4(built):
    tags = built.execute(STORAGE_SQL).fetchone()[0]
    assert tags["storage_version"] == "v1.4.0+"


def test_dbt_creates_a_new_warehouse_in_storage_v1_4(tmp_path):
    warehouse = tmp_path / "new" / "uppsikt.duckdb"
    warehouse.parent.mkdir()
    result = run_dbt(["debug"], warehouse, tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tags = con.execute(STORAGE_SQL).fetchone()[0]
    assert tags["storage_version"] == "v1.4.0+"


def test_dbt_sends_no_usage_events(tmp_path, monkeypatch):
    # The project's own flag (dbt_project.yml), not the environment, keeps dbt from reporting its use.
    for name in ("DO_NOT_TRACK", "DBT_SEND_ANONYMOUS_USAGE_STATS"):
        monkeypatch.delenv(name, raising=False)
    result = run_dbt(["--debug", "debug"], tmp_path / "uppsikt.duckdb", tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "'send_anonymous_usage_stats': 'False'" in result.stdout
    assert "Sending event" not in result.stdout


def test_tests_dbt_takes_up_the_last_parse_on_another_warehouse(tmp_path):
    # tests/dbt.py: each test's warehouse is given to dbt under one name, so the profile dbt checks its
    # saved parse against is the same and a run on another warehouse parses nothing again.
    for name in ("a", "b"):
        result = run_dbt(["parse"], tmp_path / name / "uppsikt.duckdb", tmp_path / name)
        assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / "b" / "target" / "partial_parse.msgpack").is_file()
    assert "Unable to do partial parsing" not in result.stdout, result.stdout[-3000:]


def test_dimension_row_counts(built):
    assert scalar(built, "select count(*) from marts.dim_agreements") == len(fx.AGREEMENTS)
    # Kolada's regions (type L) are not kommuner.
    assert scalar(built, "select count(*) from marts.dim_municipalities") == len(fx.KOMMUNER)
    assert scalar(built, "select count(*) from marts.dim_kpis") == len(fx.KPI_META)
    assert scalar(built, "select count(*) from marts.dim_report_meta") == 1


def _expected_kpi_value_rows() -> int:
    """Kolada total, non-deleted rows per ever-member on the agreement's area and context KPIs."""
    members: dict[str, set[str]] = {}
    for agreement_id, kommun, _, _ in fx.MEMBERS:
        members.setdefault(agreement_id, set()).add(kommun)
    rows = [r for r in fx._kolada_rows() if r[3] == "T" and not r[7]]
    total = 0
    for agreement in fx.AGREEMENTS:
        kpis = {k[0] for k in fx.AREA_KPIS[agreement[3]] + fx.AREA_KPIS["_context"]}
        total += sum(1 for r in rows if r[0] in kpis and r[1] in members[agreement[0]])
    return total


def test_fact_row_counts(built):
    assert scalar(built, "select count(*) from marts.fct_agreement_kpi_values") == _expected_kpi_value_rows()
    ever_members = len({(m[0], m[1]) for m in fx.MEMBERS})
    assert scalar(built, "select count(*) from marts.fct_member_costs") == ever_members * len(fx.YEARS)


def test_membership_by_year(built):
    sql = """select year, bool_and(is_member_that_year) from marts.fct_agreement_kpi_values
             where agreement_id = ? and kpi_id = 'N01951' group by year order by year"""
    nvu = dict(built.execute(sql, ["norra_vastmanlands_utbildningsforbund"]).fetchall())
    assert nvu[2021] is True and nvu[2022] is False
    fn = dict(built.execute(sql, ["fagersta_norberg_gymnasium"]).fetchall())
    assert fn[2020] is False and fn[2021] is True
    hosts = built.execute("""select distinct municipality_id from marts.fct_agreement_kpi_values
                             where agreement_id = 'fagersta_norberg_gymnasium' and is_host""").fetchall()
    assert hosts == [("1982",)]


def test_kpi_values_skip_gender_and_deleted_rows(built):
    value = scalar(
        built,
        """select value from marts.fct_agreement_kpi_values where agreement_id =
                   'hoglandets_overformyndarnamnd' and municipality_id = '0604' and kpi_id = 'N01951'
                   and year = 2023""",
    )
    assert value == fx.population("0604", 2023)
    latest = "select population_latest from marts.dim_municipalities where municipality_id = '0604'"
    assert scalar(built, latest) == fx.population("0604", 2023)
    assert (
        scalar(
            built,
            """select count(distinct year) filter (where is_preliminary) from
                  marts.fct_agreement_kpi_values""",
        )
        == 1
    )


def member_cost(con: duckdb.DuckDBPyConnection, agreement: str, kommun: str, year: int) -> dict:
    sql = "select * from marts.fct_member_costs where agreement_id = ? and municipality_id = ? and year = ?"
    cursor = con.execute(sql, [agreement, kommun, year])
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))


def test_fixed_key_against_host_cost(built):
    row = member_cost(built, "hoglandets_overformyndarnamnd", "0682", 2021)
    assert row["share_pct"] == fx.OVF_FIXED["0682"] and row["expected_basis"] == "host_cost"
    assert row["expected_tkr"] == pytest.approx(0.28 * 20000)
    assert row["difference_tkr"] == pytest.approx(5800 - 5600)
    # The others paid 14 200 against 70 % of the host's 20 000.
    assert row["agreement_host_surplus_tkr"] == pytest.approx(14200 - 14000)


def test_population_key_shares(built):
    members = fx.HOGLANDET
    total = sum(fx.population(k, 2022) for k in members)
    row = member_cost(built, "hoglandets_overformyndarnamnd", "0604", 2022)
    assert row["key_rule"] == "population"
    assert row["share_pct"] == pytest.approx(100 * fx.population("0604", 2022) / total)
    assert row["expected_tkr"] == pytest.approx(21000 * fx.population("0604", 2022) / total)
    shares = scalar(
        built,
        """select sum(share_pct) from marts.fct_member_costs
                    where agreement_id = 'hoglandets_overformyndarnamnd' and year = 2022""",
    )
    assert shares == pytest.approx(100)


def test_avtal_host_charge_and_total_paid_basis(built):
    norberg = member_cost(built, "fagersta_norberg_gymnasium", "1962", 2022)
    assert norberg["expected_tkr"] == pytest.approx(15000)
    assert norberg["difference_tkr"] == pytest.approx(-500)
    assert norberg["agreement_host_surplus_tkr"] == pytest.approx(-500)
    nvu = member_cost(built, "norra_vastmanlands_utbildningsforbund", "1982", 2020)
    assert nvu["expected_basis"] == "total_paid" and nvu["expected_tkr"] == pytest.approx(0.55 * 70000)


def test_costs_from_kolada_and_scb(built):
    row = member_cost(built, "hoglandets_raddningstjanstforbund", "0682", 2022)
    assert row["net_cost_kpi_id"] == "N07041" and row["cost_kpi_id"] == "N07009"
    assert row["net_cost_kr_per_inv"] == fx.kpi_value("N07041", "0682", 2022)
    assert row["scb_net_cost_tkr"] == pytest.approx(fx.scb_net_cost("0682", 2022, ["270", "275"]))
    assert row["kolada_net_cost_tkr"] == pytest.approx(row["net_cost_kr_per_inv"] * row["population"] / 1000)
    weights = {k: fx.population(k, 2022) for k in ("0682", "0685")}
    weighted = sum(fx.kpi_value("N07041", k, 2022) * w for k, w in weights.items()) / sum(weights.values())
    assert row["agreement_net_cost_kr_per_inv_weighted"] == pytest.approx(weighted)
    assert row["is_illustrative"] is True


def test_dim_agreements_text_and_years(built):
    cursor = built.execute("""select members_text, host_name, area_title, kolada_group_title,
                              latest_data_year, successor_agreement_id from marts.dim_agreements
                              where agreement_id = 'norra_vastmanlands_utbildningsforbund'""")
    assert cursor.fetchone() == (
        "Fagersta, Norberg, Skinnskatteberg",
        None,
        "Gymnasieskola",
        "Norra Västmanlands Utbildningsförbund",
        fx.LATEST_YEAR,
        "fagersta_norberg_gymnasium",
    )


def test_report_meta_for_demo(built):
    row = built.execute(
        "select data_source, is_demo, banner_text, latest_data_year from marts.dim_report_meta"
    )
    assert row.fetchone() == (
        "demo",
        True,
        "Demodata – simulerade värden, inte verklig statistik",
        fx.LATEST_YEAR,
    )


INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}
COLUMNS_SQL = (
    "select table_name, column_name, data_type from information_schema.columns where table_schema = 'marts'"
)


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Columns per mart, with the integer widths folded into one kind (a whole number either way)."""
    tables: dict[str, dict[str, str]] = {}
    for table, column, data_type in con.execute(COLUMNS_SQL).fetchall():
        tables.setdefault(table, {})[column] = "INTEGER" if data_type in INTEGERS else data_type
    return tables


def test_the_report_fixture_s_hand_written_marts_have_dbt_s_columns(built, tmp_path):
    # The report tests build their site on hand-written base marts: checked here against what dbt builds.
    from tests.report.warehouse_fixture import write_base_marts

    with duckdb.connect(str(write_base_marts(tmp_path / "report.duckdb")), read_only=True) as fixture:
        written = _columns(fixture)
    real = _columns(built)
    drift = {table: (cols, real.get(table)) for table, cols in written.items() if cols != real.get(table)}
    assert drift == {}


def _set_null(con: duckdb.DuckDBPyConnection, mart: str, column: str) -> None:
    """`column` of the mart's first row set to null."""
    con.execute(
        f"update marts.{mart} set {column} = null where rowid = (select min(rowid) from marts.{mart})"
    )


def test_a_repeated_or_missing_key_or_a_missing_value_fails_its_test(dbt_built, tmp_path):
    warehouse = dbt_built.copy_to(tmp_path)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into marts.fct_member_costs select * from marts.fct_member_costs limit 1")
        _set_null(con, "fct_agreement_members", "municipality_id")
        # The overall row: its event year is null, which the key allows (`nullable`).
        con.execute(
            "insert into marts.fct_national_effects"
            " (area_id, form, kpi_id, n_cooperations, n_municipalities, interpretation)"
            " values ('a', 'f', 'k', 1, 2, 'Samlat')"
        )
        _set_null(con, "fct_member_costs", "is_host")
        # Under an enforced contract, not null is the table's own constraint: the database refuses the row.
        with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
            _set_null(con, "fct_agreement_targets", "measure")
    models = ("fct_member_costs", "fct_agreement_members", "fct_national_effects", "dim_agreements")
    selection = [f"test_name:primary_key,{model}" for model in models]
    selection += ["test_name:not_null_columns,fct_member_costs", "test_name:not_null_columns,dim_kpis"]
    result = run_dbt(["test", "--select", *selection], warehouse, tmp_path, UPPSIKT_SOURCE="demo")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "FAIL 1 primary_key_fct_member_costs_agreement_id__municipality_id__year" in result.stdout
    assert "FAIL 1 primary_key_fct_agreement_members_agreement_id__municipality_id" in result.stdout
    assert "PASS primary_key_fct_national_effects_area_id__form__kpi_id__event_year" in result.stdout
    assert "PASS primary_key_dim_agreements_agreement_id" in result.stdout
    assert "FAIL 1 not_null_columns_fct_member_costs_is_member_that_year__is_host" in result.stdout
    assert "PASS not_null_columns_dim_kpis" in result.stdout
