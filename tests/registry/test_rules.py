"""Each checker rule, from a bad file to the exact message an editor sees."""

from __future__ import annotations

import pytest

from orchestration.lib.extract.registry.check import collect_errors
from tests.registry.conftest import VALID

F = "registry/cooperations/testnamnd.yaml"
QUOTES = 'ska vara en kommunkod, fyra siffror inom citattecken, t.ex. "0685"'
AREAS = "avfall, bygg_plan, familjeratt, gymnasieskola, it_och_administration, miljo_halsoskydd, " + (
    "overformyndare, raddningstjanst, regional_utveckling, va"
)
DERIVED = (
    "avgift_kr_per_inv, avgift_tkr, nettokostnad_forandring_pct, nettokostnad_kr_per_inv, nettokostnad_tkr"
)

CASES: dict[str, tuple[list[tuple[str, str]], list[str]]] = {
    "valid as written": ([], []),
    "unknown kommunkod everywhere it appears": (
        [('"0682"', '"9999"')],
        [
            f"{F}:12: members[1].kommun: okänd kommunkod '9999'",
            f"{F}:16: cost_keys[0].shares.9999: okänd kommunkod '9999'",
            f"{F}:20: ledger[0].paid_tkr.9999: okänd kommunkod '9999'",
        ],
    ),
    "host of a gemensam nämnd not a member": (
        [('host: "0685"', 'host: "0686"')],
        [
            f"{F}:7: host: värdkommunen 0686 (Eksjö) är inte medlem; "
            "i en gemensam nämnd ska värdkommunen vara medlem"
        ],
    ),
    "host of an avtalssamverkan not a member": (
        [("form: gemensam_namnd", "form: avtalssamverkan"), ('host: "0685"', 'host: "0686"')],
        [
            f"{F}:7: host: värdkommunen 0686 (Eksjö) är inte medlem; "
            "i en avtalssamverkan ska värdkommunen vara medlem"
        ],
    ),
    "gemensam nämnd without host": (
        [('host: "0685"', "host: null")],
        [
            f"{F}:7: host: värdkommun saknas; en gemensam nämnd har alltid en värdkommun (ange host, "
            "eller skriv host under unverified om den inte är känd)",
            f"{F}:20: ledger[0].host_cost_tkr: värdkommunens kostnad kräver att host är angiven",
        ],
    ),
    "unknown host accepted when marked unverified": (
        [('host: "0685"', "host: null\nunverified: [host]"), (", host_cost_tkr: 1000", "")],
        [],
    ),
    "kommunalförbund needs no host": (
        [("form: gemensam_namnd", "form: kommunalforbund"), ('host: "0685"', 'seat: "0682"')],
        [f"{F}:20: ledger[0].host_cost_tkr: värdkommunens kostnad kräver att host är angiven"],
    ),
    "seat outside the members": (
        [
            ("form: gemensam_namnd", "form: kommunalforbund"),
            ('host: "0685"', 'seat: "0686"'),
            (", host_cost_tkr: 1000", ""),
        ],
        [f"{F}:7: seat: sätet 0686 (Eksjö) är inte en medlemskommun"],
    ),
    "end before start": (
        [("end: null", "end: 2018-12-31")],
        [f"{F}:9: end: slutdatum 2018-12-31 ligger före startdatum 2019-01-01"],
    ),
    "member joined before the start": (
        [('{kommun: "0682", joined: 2019-01-01}', '{kommun: "0682", joined: 2018-06-01}')],
        [f"{F}:12: members[1].joined: 0682 (Nässjö) gick med 2018-06-01, före samverkans start 2019-01-01"],
    ),
    "member left after the end": (
        [
            ("end: null", "end: 2022-12-31"),
            ("joined: 2019-01-01}\ncost", "joined: 2019-01-01, left: 2023-06-30}\ncost"),
        ],
        [f"{F}:12: members[1].left: 0682 (Nässjö) lämnade 2023-06-30, efter samverkans slut 2022-12-31"],
    ),
    "member joined after the end": (
        [("end: null", "end: 2022-12-31"), ('"0682", joined: 2019-01-01', '"0682", joined: 2023-01-01')],
        [
            f"{F}:12: members[1].joined: 0682 (Nässjö) gick med 2023-01-01, efter samverkans slut 2022-12-31",
            f"{F}:16: cost_keys[0].shares.0682: 0682 (Nässjö) har en andel men är inte medlem 2019",
            f"{F}:20: ledger[0].paid_tkr.0682: 0682 (Nässjö) var inte medlem 2020",
        ],
    ),
    "overlapping membership of one kommun": (
        [
            (
                '  - {kommun: "0682", joined: 2019-01-01}\n',
                '  - {kommun: "0682", joined: 2019-01-01}\n  - {kommun: "0682", joined: 2020-01-01}\n',
            )
        ],
        [f"{F}:13: members[2].kommun: 0682 (Nässjö) är redan medlem under samma tid (members[1])"],
    ),
    "shares not summing to 100": (
        [('"0682": 40}', '"0682": 38}')],
        [f"{F}:16: cost_keys[0].shares: andelarna för 2019 summerar till 98,0 %, inte 100 % (±0,5)"],
    ),
    "shares within the rounding tolerance": ([('"0682": 40}', '"0682": 40.4}')], []),
    "member without a share": (
        [
            (
                '  - {kommun: "0682", joined: 2019-01-01}\n',
                '  - {kommun: "0682", joined: 2019-01-01}\n  - {kommun: "0686", joined: 2019-01-01}\n',
            )
        ],
        [f"{F}:17: cost_keys[0].shares: medlemmen 0686 (Eksjö) saknar andel i nyckeln från 2019"],
    ),
    "population key with shares": (
        [("rule: fixed", "rule: population")],
        [f"{F}:16: cost_keys[0].shares: andelar anges bara för rule: fixed; med population räknas de ut"],
    ),
    "fixed key without shares": (
        [('    shares: {"0685": 60, "0682": 40}\n', "")],
        [f"{F}:14: cost_keys[0].shares: rule: fixed kräver andelar (shares) för medlemmarna"],
    ),
    "cost key before the start": (
        [("from_year: 2019", "from_year: 2017")],
        [f"{F}:14: cost_keys[0].from_year: året 2017 ligger utanför samverkans tid (2019–)"],
    ),
    "unknown area": (
        [("area: overformyndare", "area: simhallar")],
        [f"{F}:5: area: okänt område 'simhallar'; kända områden: {AREAS}"],
    ),
    "target on an unknown KPI id": (
        [("measure: U37009", "measure: U99999")],
        [
            f"{F}:18: targets[0].measure: okänt nyckeltal 'U99999': "
            "finns inte i registry/areas.yaml (areas eller context_kpis)"
        ],
    ),
    "target on an unknown measure": (
        [("measure: U37009", "measure: billigare")],
        [
            f"{F}:18: targets[0].measure: okänt mått 'billigare'; "
            f"ange ett nyckeltal från areas.yaml eller ett härlett mått: {DERIVED}"
        ],
    ),
    "target on a derived measure": ([("measure: U37009", "measure: avgift_kr_per_inv")], []),
    "target on a context KPI": ([("measure: U37009", "measure: N00090")], []),
    "target for a kommun that is not a member": (
        [("scope: total", 'scope: "0686"')],
        [f"{F}:18: targets[0].scope: 0686 (Eksjö) är inte medlem i samverkan"],
    ),
    "target with both year and from_year": (
        [("from_year: 2020, scope", "from_year: 2020, year: 2020, scope")],
        [
            f"{F}:18: targets[0]: ange antingen year (ett år) eller from_year (från och med), "
            "inte båda eller inget"
        ],
    ),
    "target ending before it starts": (
        [("from_year: 2020, scope", "from_year: 2020, to_year: 2019, scope")],
        [f"{F}:18: targets[0].to_year: to_year 2019 ligger före from_year 2020"],
    ),
    "ledger payment from a non-member": (
        [('"0682": 400}', '"0682": 400, "0686": 5}')],
        [f"{F}:20: ledger[0].paid_tkr.0686: 0686 (Eksjö) var inte medlem 2020"],
    ),
    "ledger year outside the life": (
        [("{year: 2020", "{year: 2017")],
        [f"{F}:20: ledger[0].year: året 2017 ligger utanför samverkans tid (2019–)"],
    ),
    "ledger year twice": (
        [("sources:", '  - {year: 2020, paid_tkr: {"0685": 1}}\nsources:')],
        [f"{F}:21: ledger[1].year: året 2020 finns redan i reskontran"],
    ),
    "id other than the file name": (
        [("id: testnamnd", "id: annan-namnd")],
        [f"{F}:2: id: id 'annan-namnd' ska vara samma som filnamnet ('testnamnd')"],
    ),
    "unknown predecessor": (
        [("end: null", "end: null\npredecessor: finns-inte")],
        [f"{F}:10: predecessor: det finns ingen samverkan med id 'finns-inte' i registret"],
    ),
    "unverified names an unknown field": (
        [("end: null", "end: null\nunverified: [värd]")],
        [f"{F}:10: unverified[0]: okänt fält 'värd'; ange namnet på ett fält i filen, t.ex. host"],
    ),
    "schema: required field missing": (
        [("name: Testnämnden\n", "")],
        [f"{F}:2: name: obligatoriskt fält saknas"],
    ),
    "schema: required field missing in a member": (
        [('{kommun: "0682", joined: 2019-01-01}', '{kommun: "0682"}')],
        [f"{F}:12: members[1].joined: obligatoriskt fält saknas"],
    ),
    "schema: wrong type": (
        [("value: 9000", "value: mycket")],
        [f'{F}:18: targets[0].value: ska vara ett tal, inte "mycket"'],
    ),
    "schema: unknown field": (
        [("name: Testnämnden\n", "name: Testnämnden\nbudget: 5\n")],
        [f"{F}:4: budget: okänt fält"],
    ),
    "schema: kommunkod without quotes": (
        [('host: "0685"', "host: 0685")],
        [f'{F}:7: host: kommunkod ska vara fyra siffror inom citattecken, t.ex. "0685"'],
    ),
    "schema: share key without quotes": (
        [('{"0685": 60', "{0685: 60")],
        [
            f"{F}:16: cost_keys[0].shares.685: {QUOTES}",
            f"{F}:20: ledger[0].paid_tkr.685: {QUOTES}",
        ],
    ),
    "schema: unknown form": (
        [("form: gemensam_namnd", "form: gemensamnamnd")],
        [
            f'{F}:4: form: ogiltigt värde "gemensamnamnd"; tillåtna värden: kommunalforbund, gemensam_namnd, '
            "avtalssamverkan, bolag, ovrig"
        ],
    ),
    "schema: unknown purpose": (
        [("purpose: [kvalitet]", "purpose: [kvalitet, pengar]")],
        [f'{F}:6: purpose[1]: ogiltigt värde "pengar"; tillåtna värden: kostnad, kvalitet, personal'],
    ),
    "schema: date in the wrong shape": (
        [("start: 2019-01-01", "start: 1/1 2019")],
        [f"{F}:8: start: datum ska skrivas ÅÅÅÅ-MM-DD, t.ex. 2019-01-01"],
    ),
    "a date that does not exist": (
        [("start: 2019-01-01", "start: 2019-02-30")],
        [f"{F}:8: start: datumet 2019-02-30 finns inte"],
    ),
    "malformed YAML": (
        [("purpose: [kvalitet]", "purpose: [kvalitet\n  oj: nej")],
        [f"{F}:7: (filen): ogiltig YAML (tolkaren säger: expected ',' or ']', but got ':')"],
    ),
    "a key given twice": (
        [("form: gemensam_namnd", "form: gemensam_namnd\nform: kommunalforbund")],
        [f"{F}:5: (filen): ogiltig YAML: nyckeln 'form' förekommer två gånger"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_rule_message(empty_registry, case):
    replacements, expected = CASES[case]
    empty_registry.variant(*replacements)
    assert collect_errors(empty_registry.root) == expected


def test_empty_file(empty_registry):
    empty_registry.write("testnamnd", "# bara en kommentar\n")
    assert collect_errors(empty_registry.root) == [f"{F}:1: (filen): filen är tom"]


def test_duplicate_ids_across_files(empty_registry):
    empty_registry.variant()
    empty_registry.variant(name="testnamnd-kopia")
    assert collect_errors(empty_registry.root) == [
        "registry/cooperations/testnamnd-kopia.yaml:2: id: id 'testnamnd' ska vara samma som filnamnet "
        "('testnamnd-kopia')",
        f"{F}:2: id: id 'testnamnd' används redan i registry/cooperations/testnamnd-kopia.yaml:2",
    ]


def test_successor_must_name_its_predecessor(empty_registry):
    empty_registry.variant(("end: null", "end: null\nsuccessor: nytt-avtal"))
    empty_registry.variant(("id: testnamnd", "id: nytt-avtal"), name="nytt-avtal")
    assert collect_errors(empty_registry.root) == [
        f"{F}:10: successor: nytt-avtal anger inte testnamnd som föregångare"
    ]


def test_bad_kommuner_csv_row(empty_registry):
    csv = empty_registry.root / "kommuner.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[5] = "123,Påhittad,Ingen län"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert collect_errors(empty_registry.root) == [
        "registry/kommuner.csv:6: kommunkod: ogiltig kommunkod '123': ska vara fyra siffror"
    ]


def test_bad_area_kpi_dimension(empty_registry):
    areas = empty_registry.root / "areas.yaml"
    text = areas.read_text(encoding="utf-8")
    areas.write_text(text.replace("dimension: kvalitet", "dimension: glädje", 1), encoding="utf-8")
    [error] = collect_errors(empty_registry.root)
    assert error.startswith("registry/areas.yaml:")
    assert error.endswith(".dimension: ska vara kostnad, kvalitet eller personal")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # A KPI without a direction cannot be a dimension's deciding test.
        ("better: none, unit: antal/1000 inv}", "better: none, unit: antal/1000 inv, primary: true}",
         "ett primärt nyckeltal måste ha en riktning (better) och ingen caution"),
        # Räddningstjänst's Kostnad is already primary for kostnad: its Nettokostnad cannot be too.
        ("cost_basis: nettokostnad}", "cost_basis: nettokostnad, primary: true}",
         "området har redan ett primärt nyckeltal i dimensionen kostnad"),
        ("primary: true}", "primary: ja}", "ska vara true eller false"),
    ],
)  # fmt: skip
def test_a_primary_kpi_is_one_per_dimension_and_can_give_a_verdict(empty_registry, old, new, message):
    areas = empty_registry.root / "areas.yaml"
    text = areas.read_text(encoding="utf-8")
    assert old in text
    areas.write_text(text.replace(old, new, 1), encoding="utf-8")
    errors = collect_errors(empty_registry.root)
    assert len(errors) == 1 and errors[0].startswith("registry/areas.yaml:")
    assert errors[0].endswith(f".primary: {message}")


def test_an_rs_line_measures_one_area(empty_registry):
    # RS line 100 (nämnd- och styrelseverksamhet) is the överförmyndare's: given to IT as well, a member's
    # net cost for its överförmyndare would be shown as what its IT costs.
    areas = empty_registry.root / "areas.yaml"
    old = "title: IT, lön och ekonomiadministration\n    scb_verksamhet: []"
    text = areas.read_text(encoding="utf-8")
    assert old in text
    areas.write_text(text.replace(old, old.replace("[]", '["100"]')), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 2
    assert collect_errors(empty_registry.root) == [
        f"registry/areas.yaml:{line}: areas.it_och_administration.scb_verksamhet[0]: verksamhet 100 hör "
        "redan till området overformyndare: en rad i räkenskapssammandraget kan bara mäta ett område"
    ]


def test_link_to_a_file_with_its_own_errors_is_not_reported_twice(empty_registry):
    empty_registry.variant(("end: null", "end: null\nsuccessor: nytt-avtal"))
    empty_registry.variant(
        ("id: testnamnd", "id: nytt-avtal"), ("value: 9000", "value: mycket"), name="nytt-avtal"
    )
    assert collect_errors(empty_registry.root) == [
        'registry/cooperations/nytt-avtal.yaml:18: targets[0].value: ska vara ett tal, inte "mycket"'
    ]


def test_a_targets_comment_and_action_are_kept_for_the_report(empty_registry):
    # Optional fields: the förbund's own comment and åtgärd reach raw.registry_targets for the report.
    from orchestration.lib.extract.registry.build import build_agreement
    from orchestration.lib.extract.registry.tables import _target_rows

    empty_registry.variant(
        ("scope: total}", 'scope: total, comment: "Fler ärenden.", action: "Ny nyckel 2025."}')
    )
    assert collect_errors(empty_registry.root) == []
    empty_registry.variant(("scope: total}", 'scope: total, comment: ""}'))
    assert collect_errors(empty_registry.root), "an empty comment is an error, not a silent blank"
    import json

    import yaml

    # Dates as the loader hands them over: ISO text.
    text = VALID.replace("scope: total}", 'scope: total, action: "Ny nyckel 2025."}')
    plain = json.loads(json.dumps(yaml.safe_load(text), default=str))
    (row,) = _target_rows(build_agreement(plain, "testnamnd.yaml"))
    assert row[-2:] == (None, "Ny nyckel 2025.")
