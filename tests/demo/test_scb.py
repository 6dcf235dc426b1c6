"""SCB räkenskapssammandrag in the demo world: identities hold, and it agrees with Kolada's cost KPIs."""

from __future__ import annotations

import numpy as np
import pandas as pd

CONTENTS = {"0000005Z", "0000005Y", "0000005X", "00000060"}


def _wide(world):
    return world.scb_values.pivot_table(
        index=["region", "verksamhet", "year"], columns="contents_code", values="value_tkr"
    )


def test_grid_codes_and_years(registry, world):
    scb = world.scb_values
    codes = {c for a in registry.areas.values() for c in a.scb_verksamhet} | {"790"}
    assert set(scb["verksamhet"]) == codes == set(world.scb_verksamhet_labels)
    assert set(scb["contents_code"]) == CONTENTS
    assert sorted(scb["year"].unique()) == list(range(2011, 2025))
    assert set(scb["region"]) == set(world.scb_region_labels)
    assert world.scb_region_labels["00"] == "Riket"
    assert not scb.duplicated(["region", "verksamhet", "contents_code", "year"]).any()
    assert (scb["value_tkr"] == scb["value_tkr"].round()).all()


def test_nettokostnad_is_brutto_minus_intakt(world):
    wide = _wide(world)
    assert (wide["0000005Z"] - wide["0000005Y"] == wide["0000005X"]).all()
    assert (wide["00000060"] <= wide["0000005Z"]).all()


def test_riket_is_the_sum_of_the_kommuner(world):
    scb = world.scb_values
    kommuner = scb[scb["region"] != "00"].groupby(["verksamhet", "contents_code", "year"])["value_tkr"].sum()
    riket = scb[scb["region"] == "00"].set_index(["verksamhet", "contents_code", "year"])["value_tkr"]
    pd.testing.assert_series_equal(riket.sort_index(), kommuner.sort_index(), check_names=False)


def _kolada_tkr(totals, kpi):
    values = totals[totals["kpi"] == kpi].set_index(["municipality", "year"])["value"]
    pop = totals[totals["kpi"] == "N01951"].set_index(["municipality", "year"])["value"]
    return (values * pop / 1000).dropna(), pop


def test_kolada_cost_kpis_are_scb_tkr_per_inhabitant(world, totals):
    scb = world.scb_values[world.scb_values["region"] != "00"]
    for kpi, code, contents in [
        ("N07041", "270", "0000005X"),
        ("N07009", "270", "00000060"),
        ("N17014", "450", "0000005X"),
        ("N00096", "790", "0000005X"),
    ]:
        rows = scb[(scb["verksamhet"] == code) & (scb["contents_code"] == contents)]
        tkr = rows.rename(columns={"region": "municipality"}).set_index(["municipality", "year"])["value_tkr"]
        kolada, pop = _kolada_tkr(totals, kpi)
        both = pd.concat([kolada.rename("kolada"), tkr.rename("scb"), pop.rename("pop")], axis=1).dropna()
        assert len(both) > 1000, kpi
        assert np.all(np.abs(both["kolada"] - both["scb"]) <= both["pop"] / 2000 + 1e-6), kpi
