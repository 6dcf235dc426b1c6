"""Discovery on the demo world, against the world's own truth: every joint organisation is found with its
members, first year, censoring, leaving members and gaps, and nothing else is."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from orchestration.lib.demo.signatures import SignatureGroup
from orchestration.lib.demo.simulate import true_signatures
from orchestration.lib.demo.specs import YEARS


@dataclass
class Expected:
    family: str
    members: dict[str, tuple[int, int]]  # kommun -> (first, last) joint year
    agreements: set[str]

    @property
    def first(self) -> int:
        return min(f for f, _ in self.members.values())

    @property
    def last(self) -> int:
        return max(last for _, last in self.members.values())


def _years(active: np.ndarray) -> tuple[int, int]:
    on = np.flatnonzero(active)
    return YEARS[on[0]], YEARS[on[-1]]


def expected_candidates(groups: list[SignatureGroup]) -> list[Expected]:
    """Organisations of one family that share a kommun report as one connected set: merge them."""
    merged: list[Expected] = []
    for g in groups:
        spans = {k: _years(g.active[i]) for i, k in enumerate(g.members) if g.active[i].any()}
        into = [e for e in merged if e.family == g.family and set(e.members) & set(spans)]
        target = Expected(g.family, {}, set())
        for e in into:
            merged.remove(e)
            target.members |= e.members
            target.agreements |= e.agreements
        for k, (first, last) in spans.items():
            old = target.members.get(k, (first, last))
            target.members[k] = (min(first, old[0]), max(last, old[1]))
        target.agreements |= {g.agreement_id} if g.agreement_id else set()
        merged.append(target)
    return [e for e in merged if len(e.members) >= 2]


@pytest.fixture(scope="module")
def expected(registry) -> dict[str, Expected]:
    return {f"{e.family}-{min(e.members)}": e for e in expected_candidates(true_signatures(registry))}


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


def test_a_member_that_left(members):
    soderkoping = members[
        (members["candidate_id"] == "gymnasieforbund-0580") & (members["municipality_id"] == "0582")
    ]
    assert soderkoping[["last_year", "left_year"]].values.tolist() == [[2020, 2021]]


def test_censored_start_and_gap_year(candidates):
    assert bool(candidates.loc["overformyndare-0183", "start_censored"])
    assert candidates.loc["overformyndare-0183", "first_year"] == YEARS[0]
    assert candidates.loc["overformyndare-0160", "gap_years"] == "2022"
    assert "2022" in candidates.loc["overformyndare-0160", "match_note"]


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


def test_evidence_and_form(candidates):
    assert candidates.loc["overformyndare-0160", "evidence"] == (
        "U37002 2019–2021, 2023–2025; U37008 2019–2021, 2023–2025; U37009 2019–2021, 2023–2025"
    )
    assert "U17808=1 2012–2025" in candidates.loc["gymnasieforbund-0580", "evidence"]
    assert candidates.loc["avfall-1283", "form"] == "bolag"  # U07496 = 5, samägt bolag
    assert candidates.loc["avfall-1402", "form"] == "kommunalforbund"  # U07496 = 2
    assert candidates.loc["gymnasieforbund-1904", "kolada_group_id"] == "G148079"


def test_discovered_members_are_no_controls_for_their_area(con):
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
    assert counts == (len(by_kommun), 5, len(by_kommun) - 5)


def test_the_estimators_read_the_exclusions(con):
    from orchestration.lib.effects.store import read_inputs

    inputs = read_inputs(con, "N01951")
    excluded = inputs.excluded[inputs.excluded["area"] == "overformyndare"]
    assert {"0160", "0183", "0604"} <= set(excluded["municipality_id"])
    assert not set(inputs.peers["peer_id"]) & {"0580", "0581"}  # gymnasium förbund members are no peers
