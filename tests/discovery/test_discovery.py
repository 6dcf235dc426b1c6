"""Discovery on the demo world, against the world's own truth: every joint organisation is found with its
members, first year, censoring, leaving members and gaps, and nothing else is."""

from __future__ import annotations

import pandas as pd
import pytest

from orchestration.lib.demo.signatures import DEMO_GROUPS, GYMNASIUM_FAMILY
from orchestration.lib.demo.specs import YEARS

FORMS = {2: "kommunalforbund", 3: "gemensam_namnd", 5: "bolag"}  # U07496 codes of a joint organisation


def _runs(years: set[int]) -> str:
    """Years as Swedish runs, as evidence lists them: 2019–2021, 2023–2025."""
    ordered, runs = sorted(years), []
    for year in ordered:
        if runs and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(f"{a}–{b}" for a, b in runs)


@pytest.fixture(scope="module")
def candidates(con):
    return con.execute("select * from marts.fct_cooperation_candidates").df().set_index("candidate_id")


@pytest.fixture(scope="module")
def members(con):
    return con.execute("select * from marts.fct_cooperation_candidate_members").df()


def test_every_organisation_of_the_world_is_found_and_nothing_else(expected, candidates):
    assert set(candidates.index) == set(expected)
    assert len(expected) >= 8


def test_members_and_years_are_the_worlds(expected, candidates, members):
    for candidate_id, e in expected.items():
        rows = members[members["candidate_id"] == candidate_id].set_index("municipality_id")
        assert set(rows.index) == set(e.members), candidate_id
        for kommun, (first, last) in e.members.items():
            assert (rows.loc[kommun, "first_year"], rows.loc[kommun, "last_year"]) == (first, last), kommun
            left = last + 1 if last < e.last else None
            found = rows.loc[kommun, "left_year"]
            assert (None if pd.isna(found) else found) == left, kommun
        row = candidates.loc[candidate_id]
        assert (row["first_year"], row["last_year"]) == (e.first, e.last), candidate_id
        assert bool(row["start_censored"]) == (e.first == YEARS[0]), candidate_id


def test_the_demo_only_groups_survive_the_registry(groups, demo_only):
    """Each of the demo's own groups is in the world, unregistered, and together they hold a member that
    left, a start before the data and a year without values (else the tests below would prove nothing)."""
    assert {d.name for d in DEMO_GROUPS} <= {g.name for g in groups}
    assert any(e.leavers for e in demo_only.values() if e.family == GYMNASIUM_FAMILY)
    assert any(e.first == YEARS[0] for e in demo_only.values())
    assert any(e.gaps for e in demo_only.values())


def test_a_member_that_left(demo_only, members):
    leavers = [(cid, k, last) for cid, e in demo_only.items() for k, last in e.leavers.items()]
    assert leavers
    for candidate_id, kommun, last in leavers:
        row = members[(members["candidate_id"] == candidate_id) & (members["municipality_id"] == kommun)]
        assert row[["last_year", "left_year"]].values.tolist() == [[last, last + 1]], kommun


def test_censored_start_and_gap_year(demo_only, candidates):
    censored = [cid for cid, e in demo_only.items() if e.first == YEARS[0]]
    gapped = {cid: e.gaps for cid, e in demo_only.items() if e.gaps}
    assert censored and gapped
    for candidate_id in censored:
        assert bool(candidates.loc[candidate_id, "start_censored"]), candidate_id
        assert candidates.loc[candidate_id, "first_year"] == YEARS[0], candidate_id
    for candidate_id, gaps in gapped.items():
        listed = ", ".join(str(y) for y in gaps)
        assert candidates.loc[candidate_id, "gap_years"] == listed, candidate_id
        assert all(str(y) in candidates.loc[candidate_id, "match_note"] for y in gaps), candidate_id


def test_registry_match(expected, candidates):
    for candidate_id, e in expected.items():
        row = candidates.loc[candidate_id]
        if not e.agreements:
            assert row["registry_match"] == "ej_registrerad" and pd.isna(row["agreement_id"]), candidate_id
        else:
            assert row["agreement_id"] in e.agreements, candidate_id
    assert candidates.loc["gymnasieforbund-1904", "registry_match"] == "registrerad"
    hoglandet = candidates.loc["overformyndare-0604"]
    assert hoglandet["registry_match"] == "avviker"
    assert "0604 Aneby från 20" in hoglandet["match_note"] and "(registret 2019)" in hoglandet["match_note"]


def test_evidence_and_form(registry, demo_only, candidates):
    joint = {s.id for s in registry.signatures if s.family == "overformyndare" and s.kind == "joint_value"}
    for candidate_id, e in demo_only.items():
        if e.family == "overformyndare" and e.gaps:
            evidence = "; ".join(f"{kpi} {_runs(e.years)}" for kpi in sorted(joint))
            assert candidates.loc[candidate_id, "evidence"] == evidence, candidate_id
        if e.family == GYMNASIUM_FAMILY and e.leavers:
            assert f"U17808=1 {_runs(e.years)}" in candidates.loc[candidate_id, "evidence"], candidate_id
    forms = {cid: e.form_codes for cid, e in demo_only.items() if e.family == "avfall"}
    assert {5, 2} <= set().union(*forms.values())  # a samägt bolag and a kommunalförbund
    for candidate_id, codes in forms.items():
        assert len(codes) == 1, candidate_id
        assert candidates.loc[candidate_id, "form"] == FORMS[min(codes)], candidate_id
    assert candidates.loc["gymnasieforbund-1904", "kolada_group_id"] == "G148079"


def test_discovered_members_are_no_controls_for_their_area(con, registry, expected):
    rows = con.execute(
        "select municipality_id, is_registered_member, is_discovered_member from "
        "intermediate.int_area_excluded_controls where area_id = 'overformyndare' order by 1"
    ).fetchall()
    by_kommun = {k: (reg, disc) for k, reg, disc in rows}
    assert by_kommun["0160"] == (False, True)
    assert by_kommun["0685"] == (True, True)
    counts = con.execute(
        "select excluded_count, registered_count, discovered_only_count"
        " from marts.fct_area_control_exclusions where area_id = 'overformyndare'"
    ).fetchone()
    registered = {m.kommun for a in registry.agreements if a.area == "overformyndare" for m in a.members}
    found = {k for e in expected.values() if e.family == "overformyndare" for k in e.members}
    assert set(by_kommun) == registered | found
    assert counts == (len(registered | found), len(registered), len(found - registered))


def test_the_estimators_read_the_exclusions(con, demo_only):
    from orchestration.lib.transform.effects.store import read_inputs

    inputs = read_inputs(con, "N01951")
    excluded = inputs.excluded[inputs.excluded["area"] == "overformyndare"]
    assert {"0160", "0183", "0604"} <= set(excluded["municipality_id"])
    forbund = {k for e in demo_only.values() if e.family == GYMNASIUM_FAMILY for k in e.members}
    gymnasium = inputs.excluded[inputs.excluded["area"] == "gymnasieskola"]
    assert forbund and forbund <= set(gymnasium["municipality_id"])  # förbund members are no controls
