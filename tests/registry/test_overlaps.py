"""Two cooperations of one area sharing a kommun at the same time: a warning that names both files."""

from __future__ import annotations

from orchestration.lib.extract.registry.check import main
from tests.registry.conftest import VALID


def _second(empty_registry, *replacements: tuple[str, str]) -> None:
    empty_registry.variant(("id: testnamnd", "id: andranamnd"), *replacements, name="andranamnd")


def test_overlapping_cooperations_warn_and_name_both_files(empty_registry, capsys):
    empty_registry.variant()
    _second(empty_registry, ("start: 2019-01-01", "start: 2018-01-01"), ("joined: 2019", "joined: 2018"))
    assert main(empty_registry.root) == 0  # a warning, not an error
    out, err = capsys.readouterr()
    lines = [line for line in out.splitlines() if "testnamnd" in line and "andranamnd" in line]
    assert lines[0] == (
        "registry/cooperations/andranamnd.yaml:11: members[0].kommun: varning: 0685 (Vetlanda) är under "
        "2019-01-01– också medlem i testnamnd (registry/cooperations/testnamnd.yaml:11) inom samma område "
        "(overformyndare); en effekt i kommunen kan bara tillskrivas den ena"
    )
    assert len(lines) == 2  # both shared members
    assert "varningar" in err


def test_a_successor_that_starts_the_day_after_does_not_warn(empty_registry, capsys):
    ended = VALID.replace("end: null", "end: 2018-12-31").replace("2019-01-01", "2015-01-01")
    head = ended[: ended.index("cost_keys:")]  # the example keys and targets are for 2019–2020
    empty_registry.write("testnamnd", head + ended[ended.index("sources:") :])
    _second(empty_registry)
    assert main(empty_registry.root) == 0
    out, _ = capsys.readouterr()
    assert out == ""


def test_the_same_kommun_in_another_area_does_not_warn(empty_registry, capsys):
    empty_registry.variant()
    _second(
        empty_registry,
        ("area: overformyndare", "area: familjeratt"),
        ("measure: U37009", "measure: nettokostnad_tkr"),
    )
    main(empty_registry.root)
    out, _ = capsys.readouterr()
    assert "varning" not in out
