"""The Kolada client against the stand-in server: full pull, paging, tracing, incremental runs."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from orchestration.lib.extract.kolada.extract import KOLADA_TZ, KoladaScope, run_kolada
from orchestration.lib.ops.warehouse import connect
from tests.extract.conftest import FAST, KPIS, PAGE, value_rows


def data_targets(standin, contains: str = "") -> list[str]:
    return [t for t in standin.app.faults.targets("/data/") if contains in t]


def test_full_pull_loads_every_value_and_metadata(standin, access, scope, warehouse, world):
    report = run_kolada(warehouse, access, scope, **FAST)
    with connect(warehouse) as con:
        assert con.execute("select count(*) from raw.kolada_values").fetchall()[0][0] == value_rows(world)
        loaded = con.execute("select kpi, municipality, year, gender, value from raw.kolada_values").df()
        kpis = con.execute("select id, title, extra from raw.kolada_kpis order by id").fetchall()
        munis = con.execute("select count(*) from raw.kolada_municipalities").fetchall()[0][0]
        members = con.execute("select count(*) from raw.kolada_municipality_groups").fetchall()[0][0]
    expected = world.kolada_values[["kpi", "municipality", "year", "gender", "value"]]
    merged = expected.merge(loaded, on=["kpi", "municipality", "year", "gender"], suffixes=("", "_got"))
    assert len(merged) == len(expected)
    assert (merged["value"] - merged["value_got"]).abs().max() < 1e-9
    assert [k[0] for k in kpis] == sorted(KPIS)
    assert json.loads(kpis[0][2])["auspice"] == "E"  # a field without a column is kept, not dropped
    assert munis == len(world.municipalities) and members == len(world.groups)
    assert report.rows == value_rows(world) and report.full_kpis == sorted(KPIS)


def test_pages_are_followed_to_the_end_and_counted(standin, access, scope, warehouse, world):
    report = run_kolada(warehouse, access, scope, **FAST)
    objects = world.kolada_values.drop_duplicates(["kpi", "municipality", "year"])
    targets = data_targets(standin)
    pages = [int(parse_qs(urlsplit(t).query).get("page", ["1"])[0]) for t in targets]
    assert report.data_pages == len(targets) == -(-len(objects) // PAGE)  # every page, once
    assert max(pages) == len(objects) // PAGE
    assert report.requests == len(standin.app.faults.served)


def test_every_value_traces_to_the_response_it_came_from(access, scope, warehouse):
    run_kolada(warehouse, access, scope, **FAST)
    with connect(warehouse) as con:
        sample = con.execute(
            "select v.kpi, v.municipality, v.year, v.gender, v.value, r.body_gz, r.sha256, r.url, "
            "r.http_status from raw.kolada_values v join raw.responses r using (response_id) "
            "using sample 20 rows"
        ).fetchall()
        orphans = con.execute(
            "select count(*) from raw.kolada_values "
            "where response_id not in (select response_id from raw.responses)"
        ).fetchall()[0][0]
    assert orphans == 0 and sample
    for kpi, municipality, year, gender, value, body_gz, sha, url, status in sample:
        body = gzip.decompress(body_gz)
        assert hashlib.sha256(body).hexdigest() == sha and status == 200 and "/data/kpi/" in url
        found = [
            v
            for o in json.loads(body)["values"]
            if (o["kpi"], o["municipality"], o["period"]) == (kpi, municipality, year)
            for v in o["values"]
            if v["gender"] == gender
        ]
        assert found and abs(found[0]["value"] - value) < 1e-9


def test_second_run_with_nothing_new_asks_only_for_changes(standin, access, scope, warehouse):
    run_kolada(warehouse, access, scope, **FAST)
    before = len(standin.app.faults.served)
    report = run_kolada(warehouse, access, scope, **FAST)
    asked = standin.app.faults.targets()[before:]
    data = [t for t in asked if "/data/" in t]
    assert len(data) == 1 and "from_date=" in data[0]  # 8 KPIs: one segment, one empty page
    assert len(asked) == 3 + 1  # kpi, municipality, municipality_groups, then the changes
    assert report.rows == 0 and report.incremental_kpis == sorted(KPIS) and report.full_kpis == []
    with connect(warehouse) as con:
        runs = con.execute(
            "select from_date, status from raw.extract_runs order by run_started_at"
        ).fetchall()
    assert runs[0][0] is None and runs[1] == (report.from_date, "success")


def test_changes_since_the_last_pull_are_upserted_and_deletions_applied(
    standin, access, scope, warehouse, world
):
    run_kolada(warehouse, access, scope, **FAST)
    values = world.kolada_values
    # Kolada dates its changes in Swedish time, and the pull asks from the Swedish date of its last run
    # (after 23:00 UTC that is already tomorrow).
    today = pd.Timestamp(datetime.now(KOLADA_TZ).date())
    changed = (values["kpi"] == KPIS[3]) & (values["year"] == 2013)
    deleted = (values["kpi"] == KPIS[4]) & (values["municipality"] == values["municipality"].iloc[0])
    values.loc[changed, "value"] = -1.0
    values.loc[changed | deleted, "updated"] = today
    values.loc[deleted, "isdeleted"] = True
    standin.app.reload()
    report = run_kolada(warehouse, access, scope, **FAST)
    with connect(warehouse) as con:
        got = con.execute(
            "select value from raw.kolada_values where kpi = ? and year = 2013", [KPIS[3]]
        ).fetchall()
        left = con.execute(
            "select count(*) from raw.kolada_values where kpi = ? and municipality = ?",
            [KPIS[4], values["municipality"].iloc[0]],
        ).fetchall()[0][0]
        total = con.execute("select count(*) from raw.kolada_values").fetchall()[0][0]
    assert {g[0] for g in got} == {-1.0} and len(got) == int(changed.sum())
    assert left == 0 and total == value_rows(world)
    assert report.deleted == int(deleted.sum()) and report.rows == int(changed.sum())


def test_a_kpi_new_in_the_registry_is_pulled_in_full_the_rest_incrementally(standin, access, warehouse):
    run_kolada(warehouse, access, KoladaScope(KPIS[:5]), **FAST)
    before = len(standin.app.faults.served)
    report = run_kolada(warehouse, access, KoladaScope(KPIS[:6]), **FAST)
    asked = [t for t in standin.app.faults.targets()[before:] if "/data/" in t]
    full = [t for t in asked if "from_date" not in t]
    assert full and all(f"/data/kpi/{KPIS[5]}/year/" in t for t in full)
    assert report.full_kpis == [KPIS[5]] and report.incremental_kpis == sorted(KPIS[:5])
    with connect(warehouse) as con:
        kpis = con.execute("select distinct kpi from raw.kolada_values order by 1").fetchall()
    assert [k[0] for k in kpis] == sorted(KPIS[:6])


def test_years_run_from_2010_to_the_current_year(standin, access, scope, warehouse):
    run_kolada(warehouse, access, scope, **FAST)
    first = data_targets(standin)[0]
    years = urlsplit(first).path.split("/year/")[1].split(",")
    assert years == [str(y) for y in range(2010, access.as_of.year + 1)]
    assert "per_page=5000" in first
