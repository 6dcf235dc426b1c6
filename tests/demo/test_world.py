"""The simulated world: deterministic, complete where it must be, and small where it may be."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from orchestration.lib.demo.cast import choose_cast
from orchestration.lib.demo.simulation import simulate_world
from orchestration.lib.demo.specs import FORBUND_KPI, YEARS

FRAMES = ("municipalities", "kpis", "groups", "kolada_values", "scb_values")


def test_same_seed_gives_the_identical_world(registry, world):
    again = simulate_world(registry, 2026)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(world, name), getattr(again, name))
    assert again.scb_verksamhet_labels == world.scb_verksamhet_labels
    assert again.scb_region_labels == world.scb_region_labels


def test_another_seed_gives_other_values_on_the_same_grid(registry, world):
    other = simulate_world(registry, 7)
    keys = ["kpi", "municipality", "year", "gender"]
    pd.testing.assert_frame_equal(other.kolada_values[keys], world.kolada_values[keys])
    share_equal = (other.kolada_values["value"] == world.kolada_values["value"]).mean()
    assert share_equal < 0.5
    assert not other.scb_values["value_tkr"].equals(world.scb_values["value_tkr"])


def test_every_kommun_and_riket_are_listed(registry, world):
    munis = world.municipalities
    assert len(munis) == 291
    assert set(munis.loc[munis["type"] == "K", "id"]) == set(registry.kommuner)
    assert munis.loc[munis["id"] == "0000", ["title", "type"]].values.tolist() == [["Riket", "L"]]


def test_kpi_metadata_covers_the_followed_kpis(registry, world):
    kpis = world.kpis.set_index("id")
    assert list(kpis.index) == sorted(set(registry.kpi_ids()) | set(registry.signature_kpi_ids()))
    titles = {k.id: k.title for a in registry.areas.values() for k in a.kpis}
    assert kpis.loc["N07041", "title"] == titles["N07041"]
    assert kpis.loc["N01951", "municipality_type"] == "A"
    assert set(kpis["municipality_type"]) <= {"K", "A"}
    assert kpis.loc["N17441", "is_divided_by_gender"] == 1
    assert kpis["publication_date"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()


def test_values_only_for_members_and_a_pool_of_similar_kommuner(registry, world):
    cast = choose_cast(registry)
    followed = world.kolada_values[~world.kolada_values["kpi"].isin(registry.signature_kpi_ids())]
    with_values = set(followed["municipality"])
    assert set(registry.member_kommuner()) <= with_values
    non_members = with_values - cast.members
    assert len(non_members) >= 60
    assert with_values == set(cast.ids)
    population = followed.query("kpi == 'N01951' and gender == 'T' and year == 2024")
    assert population.set_index("municipality").loc[sorted(non_members), "value"].max() < 45000


def _complete(totals: pd.DataFrame, kommuner: list[str], kpi: str) -> list[str]:
    rows = totals[(totals["kpi"] == kpi) & totals["municipality"].isin(kommuner)]
    years = rows.groupby("municipality")["year"].agg(lambda y: set(y) == set(YEARS))
    filled = rows.groupby("municipality")["value"].count() >= len(YEARS) - 2
    return sorted(k for k in kommuner if years.get(k, False) and filled.get(k, False))


def test_members_and_pool_have_every_followed_kpi_2010_2025(registry, totals):
    cast = choose_cast(registry)
    members, pool = registry.member_kommuner(), list(cast.pool)
    for kpi in registry.kpi_ids():
        if kpi == FORBUND_KPI:
            continue  # only förbund members report it: see test_traps
        assert _complete(totals, members, kpi) == members, kpi
        assert len(_complete(totals, pool, kpi)) >= 40, kpi
    assert len(_complete(totals, pool, FORBUND_KPI)) >= 40


def test_kpis_divided_by_gender_have_women_and_men(world):
    pop = world.kolada_values[world.kolada_values["kpi"] == "N01951"]
    wide = pop.pivot_table(index=["municipality", "year"], columns="gender", values="value")
    assert (wide["K"] + wide["M"] == wide["T"]).all()
    assert set(world.kolada_values.loc[world.kolada_values["kpi"] == "N17441", "gender"]) == {"T", "K", "M"}
    assert set(world.kolada_values.loc[world.kolada_values["kpi"] == "N07041", "gender"]) == {"T"}


def test_each_group_the_registry_names_holds_the_cooperation_s_members(registry, world):
    # Checked against the registry, not the table the world is built from: a cooperation that names a
    # Kolada group (kolada_group) finds exactly its members in it, under one title.
    named = [a for a in registry.agreements if a.kolada_group]
    assert named, "the registry names no Kolada group: nothing checked"
    for a in named:
        rows = world.groups[world.groups["group_id"] == a.kolada_group]
        members = {m.kommun for m in a.members if m.kommun in registry.kommuner}
        assert set(rows["municipality_id"]) == members, a.id
        assert len(set(rows["group_title"])) == 1 and rows["group_title"].iloc[0], a.id


def test_comparison_groups_follow_the_area_pattern(registry, world):
    simulated = world.groups[world.groups["group_id"].str.startswith("G9")]
    patterns = {
        key: re.compile("^" + re.escape(a.comparison_group).replace(re.escape("{kommun}"), "(.+)") + "$")
        for key, a in registry.areas.items()
        if a.comparison_group
    }
    names = {name: code for code, name in registry.kommuner.items()}
    cast = choose_cast(registry)
    wanted = {(a.area, m.kommun) for a in registry.agreements if a.area in patterns for m in a.members}
    seen = set()
    for (group_id, title), rows in simulated.groupby(["group_id", "group_title"]):
        area, match = next((k, p.match(title)) for k, p in patterns.items() if p.match(title))
        kommun = names[match.group(1)]
        seen.add((area, kommun))
        assert len(rows) == 7 and kommun not in set(rows["municipality_id"]), group_id
        assert set(rows["municipality_id"]) <= set(cast.pool), group_id
    assert seen == wanted


@pytest.mark.parametrize("column", ["kpi", "municipality", "gender", "status"])
def test_value_columns_are_plain_strings(world, column):
    assert world.kolada_values[column].map(type).eq(str).all()


def test_signature_kpis_have_values_for_every_kommun(registry, world):
    values = world.kolada_values
    for kpi in ("U37009", "U37002", "U37008", "U17808", "U07414", "U07489", "U07490", "U07496"):
        assert set(values.loc[values["kpi"] == kpi, "municipality"]) == set(registry.kommuner), kpi
