"""`uppsikt effects estimate` end to end: a long CSV and a registry folder in, effects and verdicts out."""

import csv
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from orchestration.cli import main

REGISTRY = Path(__file__).resolve().parents[2] / "registry"
MEMBERS = ("0682", "0685", "0684")  # Nässjö (host), Vetlanda, Sävsjö
JOIN = 2016
COOPERATION = (
    f"""id: testforbund
name: Testförbundet
form: kommunalforbund
area: raddningstjanst
purpose: [kostnad]
host: "0682"
seat: "0682"
start: {JOIN}-01-01
end: null
predecessor: null
successor: null
kolada_group: null
members:
"""
    + "".join(f'  - {{kommun: "{m}", joined: {JOIN}-01-01}}\n' for m in MEMBERS)
    + """sources:
  - about: [form, members]
    source: "Påhittad samverkan för ett test"
"""
)
KPIS = {"N07009": 1000.0, "N07041": 1100.0, "U07442": 12.0, "N07035": 30.0, "N01951": 15000.0}


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("registry")
    shutil.copy(REGISTRY / "areas.yaml", root / "areas.yaml")
    shutil.copy(REGISTRY / "kommuner.csv", root / "kommuner.csv")
    (root / "cooperations").mkdir()
    (root / "cooperations" / "testforbund.yaml").write_text(COOPERATION, encoding="utf-8")
    return root


def write_values(path: Path, saving: float) -> None:
    """Every kommun in kommuner.csv, 2010–2024; the members' N07009 falls by `saving` kr/inv after joining."""
    kommuner = pd.read_csv(REGISTRY / "kommuner.csv", dtype=str)["kommunkod"]
    rng = np.random.default_rng(3)
    years = np.arange(2010, 2025)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["kpi", "municipality", "year", "value"])
        common = {k: np.cumsum(rng.normal(0, 0.01, len(years))) for k in KPIS}
        for kommun in kommuner:
            for kpi, base in KPIS.items():
                level = base * np.exp(rng.normal(0, 0.15))
                series = level * (1 + 0.015 * (years - 2010) + common[kpi] + rng.normal(0, 0.02, len(years)))
                if kpi == "N07009" and kommun in MEMBERS:
                    series = series - saving * (years > JOIN)
                out.writerows([kpi, kommun, int(y), f"{v:.3f}"] for y, v in zip(years, series, strict=True))


@pytest.fixture(scope="module")
def result(registry, tmp_path_factory) -> tuple[int, pd.DataFrame, pd.DataFrame]:
    work = tmp_path_factory.mktemp("estimate")
    write_values(work / "values.csv", saving=150.0)
    code = main(["effects", "estimate", "--values", str(work / "values.csv"), "--registry", str(registry),
                 "--out", str(work / "out")])  # fmt: skip
    effects = pd.read_csv(work / "out" / "effects.csv", dtype={"municipality": str})
    verdicts = pd.read_csv(work / "out" / "verdicts.csv", dtype={"municipality": str})
    return code, effects, verdicts


def test_effects_file_has_every_unit_kpi_and_method(result):
    code, effects, _ = result
    assert code == 0
    units = {*MEMBERS, "total", "ovriga"}
    assert set(effects["municipality"]) == units
    assert set(effects["method"]) == {"synthetic_did", "synthetic_control", "diff_in_diff"}
    assert {"effect", "effect_pct", "ci_low", "ci_high", "p_value", "mde", "flags"} <= set(effects.columns)
    # 7 KPIs in the area; N07032, U07440, N07415 have no values here and are flagged, not dropped (the
    # non-host group exists only where members could be estimated).
    assert len(effects) == 4 * len(units) * 3 + 3 * (len(units) - 1) * 3
    assert effects.loc[effects["kpi"] == "U07440", "flags"].str.contains("data_saknas").all()


def test_the_saving_is_found_and_judged(result):
    _, effects, verdicts = result
    total = effects.query("kpi == 'N07009' and municipality == 'total' and method == 'synthetic_did'").iloc[0]
    assert total["ci_low"] <= -150.0 <= total["ci_high"] and total["ci_high"] < 0
    whole = verdicts[verdicts["municipality"] == "total"].set_index("dimension")
    assert whole.loc["kostnad", "verdict"] == "levererar"
    # Staff counts exclude a förbund's employees: never a verdict, and it says why.
    assert whole.loc["personal", "undecided_kind"] == "ej_matbart"
    assert set(verdicts["municipality"]) == {*MEMBERS, "total", "ovriga"}
    assert len(verdicts) == (len(MEMBERS) + 2) * 4


def test_bad_value_names_file_line_and_field_and_writes_nothing(registry, tmp_path, capsys):
    values = tmp_path / "values.csv"
    values.write_text(
        "kpi,municipality,year,value\nN07009,0682,2015,1000\nN07009,0682,2016,mycket\n", "utf-8"
    )
    code = main(["effects", "estimate", "--values", str(values), "--registry", str(registry),
                 "--out", str(tmp_path / "out")])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert f"{values}, rad 3: fältet value ska vara ett tal" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "day", [None, date(2019, 12, 31), date(2020, 1, 1), date(2020, 6, 30), date(2020, 12, 30)]
)
def test_the_standalone_year_out_rule_is_dbt_s(day: date | None) -> None:
    # The CLI runs without a warehouse, so it keeps the rule in Python; the warehouse's is the dbt macro.
    import duckdb

    from orchestration.lib.transform.analysis_tables import render_macro
    from orchestration.lib.transform.effects.standalone import _year_out

    sql = f"select {render_macro('first_partial_year', 'day')} from (select cast(? as date) as day)"
    assert duckdb.connect().execute(sql, [day]).fetchone()[0] == _year_out(day)
