"""A real run: dbt builds staging on a raw warehouse, Dagster runs the estimator, dbt the effect marts."""

import dagster as dg
import pytest

from orchestration.defs.transform import effects
from orchestration.lib.ops.resources import resources
from orchestration.lib.transform import analysis_tables
from orchestration.lib.transform.effects.config import RulesError
from tests.dbt import run_dbt
from tests.effects import warehouse as wh

KEYS = {
    "analysis/effect_estimates",
    "analysis/effect_series",
    "analysis/effect_verdicts",
    "analysis/member_verdicts",
    "analysis/donor_weights",
    "analysis/effect_bands",
    "analysis/effect_kpi_roles",
}


@pytest.fixture(scope="module")
def world():
    return wh.world()


@pytest.fixture(scope="module")
def staged(tmp_path_factory, world):
    """A warehouse with the raw tables and every dbt model but the effect marts built (once per module)."""
    work = tmp_path_factory.mktemp("effects_asset")
    path = wh.make_warehouse(work / "uppsikt.duckdb", world)
    result = run_dbt(["run", "--exclude", "path:models/marts/effects"], path, work)
    assert result.returncode == 0, result.stdout[-4000:]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UPPSIKT_WAREHOUSE", str(path))
        yield path


def materialise() -> dg.ExecuteInProcessResult:
    return dg.materialize([effects.effect_models], raise_on_error=False, resources=resources())


def test_definitions_expose_the_analysis_tables():
    defs = effects.defs()
    keys = {k.to_user_string() for a in defs.assets for k in a.keys}
    assert keys == KEYS
    spec_deps = {d.to_user_string() for ds in effects.effect_models.asset_deps.values() for d in ds}
    assert {"staging/stg_kolada__values", "staging/stg_registry__members"} <= spec_deps
    assert set(effects.effect_models.group_names_by_key.values()) == {"transform"}


def test_run_writes_analysis_tables_and_marts(staged, tmp_path):
    result = materialise()
    assert result.success
    done = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert done == KEYS
    rows = wh.query(staged, "select count(*), count(distinct agreement_id) from analysis.effect_estimates")
    # forbund_a: 3 members + total + the two non-host members together, namnd_b: 2 + total; 4 KPIs;
    # three methods.
    assert rows == [((5 + 3) * 4 * 3, 2)]
    verdicts = wh.query(staged, "select agreement_id, dimension, verdict from analysis.effect_verdicts")
    assert len(verdicts) == 2 * 4
    members = wh.query(staged, "select count(*) from analysis.member_verdicts")
    assert members == [((4 + 2) * 4,)]
    built = run_dbt(["build", "--select", "path:models/marts/effects"], staged, tmp_path)
    assert built.returncode == 0, built.stdout[-4000:]
    marts = wh.query(staged, "select count(*), count(agreement_name) from marts.fct_agreement_effects")
    assert marts == [(96, 96)]
    _assert_the_report_shows_the_estimator_s_kpi_roles(staged)
    named = wh.query(staged, "select count(*), count(municipality_name) from marts.fct_member_verdicts")
    assert named == [(24, 24)]
    weights = wh.query(
        staged,
        "select round(sum(weight), 6) from marts.fct_agreement_donor_weights "
        "where method = 'synthetic_did' group by agreement_id, municipality_id, kpi_id",
    )
    assert weights and all(abs(w - 1.0) < 1e-3 for (w,) in weights)
    # Every year the charts draw has its band, and each band holds its counterfactual.
    lines = wh.query(staged, "select count(*) from marts.fct_agreement_effect_lines where line_order = 2")
    bands = wh.query(
        staged,
        "select count(*), count(band_low), count(*) filter (band_low <= counterfactual "
        "and counterfactual <= band_high and band_low < band_high) from marts.fct_agreement_effect_bands",
    )
    assert bands[0][0] == lines[0][0] > 0 and bands[0][1] == bands[0][2] > 0, (bands, lines)


def _assert_the_report_shows_the_estimator_s_kpi_roles(staged):
    sql = "select kpi_id, kpi_role from analysis.effect_kpi_roles where agreement_id = 'namnd_b'"
    roles = wh.query(staged, sql)
    # N07009 is declared primary: N07041 is secondary; the one-KPI dimensions decide on their own.
    assert sorted(roles) == [("N07009", "primart"), ("N07035", "avgor_tillsammans"), ("N07041", "sekundart"),
                             ("U07442", "avgor_tillsammans")]  # fmt: skip
    # Every row of the mart the report reads carries the role the estimator wrote and judged by, and no
    # row falls back to "ger_ingen_dom" for want of one.
    shown = wh.query(
        staged,
        "select count(*), count(*) filter (where r.kpi_role is distinct from e.kpi_role), "
        "count(*) filter (where e.is_primary_kpi <> (r.kpi_role = 'primart')) "
        "from marts.fct_agreement_effect_rows as e left join analysis.effect_kpi_roles as r "
        "using (agreement_id, kpi_id)",
    )
    assert shown == [(96, 0, 0)]


def test_a_second_run_reuses_every_unit_and_writes_the_same_tables(staged):
    assert materialise().success
    first = wh.query(staged, "select * from analysis.effect_estimates order by all")
    again = materialise()
    meta = {
        e.asset_key.to_user_string(): e.materialization.metadata
        for e in again.get_asset_materialization_events()
    }["analysis/effect_estimates"]
    # forbund_a: 3 members + total, namnd_b: 2 + total; 4 KPIs.
    assert (meta["units_reused"].value, meta["units_estimated"].value) == ((4 + 3) * 4, 0)
    assert wh.query(staged, "select * from analysis.effect_estimates order by all") == first
    assert wh.query(staged, "select count(*) from cache.effect_blocks") == [(2 * 4,)]


def test_run_uses_kolada_groups_and_flags_the_host(staged, world):
    assert materialise().success
    comparison = wh.query(
        staged,
        "select distinct flags like '%jamforelse_kolada%' from analysis.effect_estimates "
        "where method = 'diff_in_diff' and municipality_id <> 'total' and effect is not null",
    )
    assert comparison == [(True,)]
    host = world.members["forbund_a"][0]
    flagged = wh.query(
        staged,
        "select agreement_id, municipality_id from analysis.effect_estimates where kpi_id = 'N07041' "
        "and method = 'synthetic_control' and flags like '%nettokostnad_vardkommun%' order by 1, 2",
    )
    other_host = world.members["namnd_b"][0]
    expected = {("forbund_a", host), ("forbund_a", "total"), ("namnd_b", other_host), ("namnd_b", "total")}
    assert set(flagged) == expected


def test_injected_saving_is_found_end_to_end(staged):
    assert materialise().success
    effect = wh.query(
        staged,
        "select effect, ci_low, ci_high from analysis.effect_estimates where agreement_id = 'forbund_a' "
        "and municipality_id = 'total' and kpi_id = 'N07009' and method = 'synthetic_did'",
    )[0]
    # One simulated world: the saving must be estimated near its size and inside the interval (which
    # also allows a trend of the members' own); how often the interval covers it and how often a
    # saving this size is significant are rates, measured in test_calibration.py.
    assert -160.0 <= effect[0] <= -70.0
    assert effect[1] <= -120.0 <= effect[2]


def test_failed_write_keeps_the_old_tables(staged, monkeypatch):
    assert materialise().success
    before = wh.query(staged, "select count(*) from analysis.effect_estimates")
    calls = []

    def failing_insert(con, table, frame):
        calls.append(table)
        if table == "analysis.effect_verdicts":
            raise RuntimeError("disk full")
        con.execute(f"delete from {table}")

    monkeypatch.setattr(analysis_tables, "_insert", failing_insert)
    assert not materialise().success
    assert calls[-1] == "analysis.effect_verdicts"
    assert wh.query(staged, "select count(*) from analysis.effect_estimates") == before


def test_bad_rules_file_stops_the_run_with_its_name(staged, tmp_path, monkeypatch):
    bad = tmp_path / "rules.yaml"
    bad.write_text("verdicts:\n  alpha: 2\n", encoding="utf-8")
    monkeypatch.setattr("orchestration.lib.transform.effects.config.RULES_PATH", bad)
    with pytest.raises(RulesError, match=r"rules\.yaml, rad 2: fältet verdicts\.alpha"):
        dg.materialize([effects.effect_models], resources=resources())
