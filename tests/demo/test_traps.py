"""The traps the demo must carry faithfully, because the real data has them."""

from __future__ import annotations

from datetime import date

import numpy as np

from orchestration.lib.demo.meta import AS_OF
from orchestration.lib.demo.published import PRELIMINARY_STATUS

HOGLANDET = ["0604", "0682", "0684", "0685", "0686"]
NVU = ["1904", "1962", "1982"]


def _wide(totals, kpi, kommuner):
    rows = totals[(totals["kpi"] == kpi) & totals["municipality"].isin(kommuner)]
    return rows.pivot(index="year", columns="municipality", values="value")


def test_hoglandet_reports_one_joint_u37009_from_2019(totals):
    wide = _wide(totals, "U37009", HOGLANDET)
    assert list(wide.columns) == HOGLANDET
    assert (wide.loc[2019:].nunique(axis=1) == 1).all()
    assert (wide.loc[:2018].nunique(axis=1) > 1).all()


def test_forbund_kpi_is_identical_across_nvu_while_it_existed(totals):
    wide = _wide(totals, "N17304", NVU)
    assert list(wide.index) == list(range(2010, 2021))  # wound up in 2021: no förbund value after
    assert (wide.nunique(axis=1) == 1).all()
    assert wide.notna().all().all()


def test_method_break_in_nettokostnadsavvikelse_2019(totals):
    wide = totals[totals["kpi"] == "N17001"].pivot(index="municipality", columns="year", values="value")
    changes = wide.diff(axis=1).loc[:, 2011:]
    spread = changes.std()
    # every kommun shifts by its own amount in 2019: the year-on-year change is far more spread then
    assert spread[2019] > 1.3 * spread.drop(2019).max()


def test_latest_year_is_preliminary(world):
    values = world.kolada_values
    latest = values["year"] == 2025
    assert (values.loc[latest, "status"] == PRELIMINARY_STATUS).all()
    assert (values.loc[~latest, "status"] == "").all()


def test_a_few_missing_values_and_one_deleted(world):
    values = world.kolada_values
    missing = values["value"].isna()
    assert 5 <= missing.sum() <= 30
    assert values.loc[missing, "kpi"].nunique() > 1
    assert (values.loc[missing, "count"] == 0).all() and (values.loc[~missing, "count"] == 1).all()
    deleted = values[values["isdeleted"]]
    assert len(deleted) == 1 and deleted["value"].notna().all()


def test_updated_dates_follow_publication_and_some_revisions(world):
    values = world.kolada_values
    updated = values["updated"]
    assert all(isinstance(d, date) for d in updated)
    years_after = np.array([d.year for d in updated]) - values["year"].to_numpy()
    assert (years_after >= 1).all() and (updated <= AS_OF).all()
    assert 0.01 < (years_after >= 2).mean() < 0.1  # most values unchanged since publication
    assert (updated >= date(2026, 1, 1)).sum() > (values["year"] == 2025).sum()  # recent revisions too
