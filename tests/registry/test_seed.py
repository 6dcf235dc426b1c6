"""The registry that ships with the project: it checks clean and holds the documented facts."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from jsonschema import Draft7Validator
from ruamel.yaml import YAML

from orchestration.lib.extract.registry import load_registry
from orchestration.lib.extract.registry.check import main
from tests.registry.conftest import PROJECT_REGISTRY


@pytest.fixture(scope="module")
def registry():
    return load_registry(PROJECT_REGISTRY)


def test_seeded_registry_checks_clean(capsys):
    assert main(PROJECT_REGISTRY) == 0
    out, err = capsys.readouterr()
    assert out == ""
    files = len(list((PROJECT_REGISTRY / "cooperations").glob("*.yaml")))
    assert f"är giltigt: {files} samverkan" in err


def test_all_290_kommuner_with_lan(registry):
    assert len(registry.kommuner) == 290
    assert registry.kommuner["0685"] == "Vetlanda"
    assert registry.lan["0685"] == "Jönköpings län"
    assert registry.kommuner["2084"] == "Avesta"
    assert registry.lan["2084"] == "Dalarnas län"
    # The first two digits of a kommunkod are its län: every län has one name.
    by_prefix: dict[str, set[str]] = {}
    for code, lan in registry.lan.items():
        by_prefix.setdefault(code[:2], set()).add(lan)
    assert len(by_prefix) == 21
    assert all(len(names) == 1 for names in by_prefix.values())


def test_kommuner_csv_has_its_own_format():
    with (PROJECT_REGISTRY / "kommuner.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["kommunkod", "namn", "lan"]


def test_documented_facts(registry):
    by_id = {a.id: a for a in registry.agreements}
    ofn = by_id["hoglandets-overformyndarnamnd"]
    assert (ofn.form, ofn.host, ofn.start) == ("gemensam_namnd", "0685", date(2019, 1, 1))
    assert [m.kommun for m in ofn.members] == ["0604", "0682", "0684", "0685", "0686"]
    nvu = by_id["norra-vastmanlands-utbildningsforbund"]
    assert (nvu.end, nvu.successor, nvu.kolada_group) == (
        date(2021, 6, 30),
        "fagersta-norberg-gymnasieavtal",
        "G148079",
    )
    avtal = by_id["fagersta-norberg-gymnasieavtal"]
    assert (avtal.form, avtal.host, avtal.start, avtal.predecessor) == (
        "avtalssamverkan",
        "1982",
        date(2021, 7, 1),
        "norra-vastmanlands-utbildningsforbund",
    )
    lon = by_id["vastmanland-dalarna-lonenamnd"]
    assert lon.host == "1962" and "host" not in lon.unverified  # Norberg, sourced
    assert {"2083", "2084"} <= {m.kommun for m in lon.members}
    miljo = by_id["dalslands-miljo-och-energiforbund"]
    assert "1492" not in {m.kommun for m in miljo.members}
    assert miljo.start == date(2017, 1, 1) and "Dalslands kommunalförbund" in miljo.notes
    region = by_id["region-10"]
    joined = {m.kommun: m.joined.year for m in region.members}
    assert (
        region.start == date(2012, 1, 1)
        and joined["2506"] == joined["2505"] == 2018
        and joined["2481"] == 2012
    )
    assert "host" not in ofn.unverified and ofn.predecessor == "eksjo-aneby-overformyndarnamnd"
    before = by_id["eksjo-aneby-overformyndarnamnd"]
    assert (before.start, before.end, before.successor) == (date(2015, 1, 1), date(2018, 12, 31), ofn.id)


def test_found_cooperations_have_data_sources_and_leave_the_unknown_unverified(registry):
    found = [
        a
        for a in registry.agreements
        if a.area == "overformyndare" and a.id != "eksjo-aneby-overformyndarnamnd"
    ]
    assert len(found) == 38  # the joint överförmyndare organisations seen in Kolada's values up to 2022
    assert len({m.kommun for a in found for m in a.members}) == 145
    for a in found:
        assert any("U37009" in (s or "") for s in a.sources), a.id
        assert len(a.members) >= 2 and "purpose" in a.unverified, a.id
        assert a.host is not None or "host" in a.unverified, a.id
    censored = {a.id for a in found if a.start_censored}
    assert len(censored) == 12 and all(by.start == date(2015, 1, 1) for by in found if by.id in censored)
    gym = [a for a in registry.agreements if a.area == "gymnasieskola" and a.form == "kommunalforbund"]
    assert len(gym) == 11 and sum(a.end is None for a in gym) == 8  # active in 2022, and ended since 2014
    avfall = {a.id: a for a in registry.agreements if a.area == "avfall"}
    assert avfall["kalmarsundsregionens-renhallare"].successor == "kretslopp-sydost"
    assert {m.kommun for m in avfall["kretslopp-sydost"].members} >= {"0684", "0685", "0760"}


def test_demo_cooperations_carry_marked_example_figures(registry):
    needed = {
        "hoglandets-overformyndarnamnd",
        "hoglandets-raddningstjanstforbund",
        "dalslands-miljo-och-energiforbund",
        "fagersta-norberg-gymnasieavtal",
    }
    for a in registry.agreements:
        if a.id in needed:
            assert a.cost_keys and a.targets and a.ledger, a.id
            assert set(a.illustrative) == {"cost_keys", "targets", "ledger"}, a.id
            text = (PROJECT_REGISTRY / a.source_file).read_text(encoding="utf-8")
            assert "EXEMPELSIFFROR" in text, a.id


def test_every_file_names_its_schema_and_sources(registry):
    for a in registry.agreements:
        first = (PROJECT_REGISTRY / a.source_file).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/cooperation.schema.json"
        assert a.sources, a.id


def test_schema_is_a_valid_json_schema():
    schema = json.loads((PROJECT_REGISTRY / "schema" / "cooperation.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)


def test_kpi_ids_cover_areas_context_and_targets(registry):
    ids = registry.kpi_ids()
    assert {"U37009", "N07041", "N17441", "N01951"} <= set(ids)
    assert "avgift_tkr" not in ids  # a derived measure is computed, not fetched
    assert set(registry.member_kommuner()) >= {"0685", "1962", "2506"}


def test_loading_leaves_other_yaml_readers_dates_alone():
    load_registry(PROJECT_REGISTRY)
    assert YAML(typ="rt").load("start: 2019-01-01")["start"] == date(2019, 1, 1)


def test_only_a_cost_whose_unit_cannot_be_negative_is_never_negative(registry):
    from orchestration.lib.extract.registry.plausible import never_negative

    kpis = {k.id: k for a in registry.areas.values() for k in a.kpis}
    ranges = registry.plausible_ranges
    assert never_negative(kpis["U37009"], ranges)  # kr per ställföreträdarskap
    # Kostnad kr/inv is gross cost minus sales to other kommuner: negative for a host that sells more.
    assert not never_negative(kpis["N07001"], ranges) and not never_negative(kpis["N45029"], ranges)
    assert kpis["U07414"].is_share and not kpis["N17001"].is_share  # a deviation in % is not a share
