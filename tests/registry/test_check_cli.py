"""The checker as editors run it: every error at once, compiler style, exit status 1 or 0."""

from __future__ import annotations

import subprocess
import sys

import pytest

from orchestration.lib.extract.registry import RegistryError, load_registry
from orchestration.lib.extract.registry.check import main
from orchestration.lib.ops.settings import PROJECT_ROOT


def test_all_errors_in_all_files_at_once(seeded_registry, capsys):
    seeded_registry.variant(('"0682"', '"9999"'))
    seeded_registry.variant(
        ("area: overformyndare", "area: simhallar"), ("id: testnamnd", "id: andra"), name="andra"
    )
    assert main(seeded_registry.root) == 1
    out, err = capsys.readouterr()
    lines = [line for line in out.splitlines() if ": varning: " not in line]  # testnamnd overlaps a seed
    assert len(lines) == 4
    assert lines[0].startswith("registry/cooperations/andra.yaml:5: area: okänt område 'simhallar'")
    assert lines[1] == "registry/cooperations/testnamnd.yaml:12: members[1].kommun: okänd kommunkod '9999'"
    assert "4 fel i registret" in err


def test_load_registry_raises_with_every_message(seeded_registry):
    seeded_registry.variant(("end: null", "end: 2018-12-31"))
    seeded_registry.variant(("value: 9000", "value: mycket"), ("id: testnamnd", "id: andra"), name="andra")
    with pytest.raises(RegistryError) as raised:
        load_registry(seeded_registry.root)
    messages = [str(issue) for issue in raised.value.issues]
    assert messages == [
        'registry/cooperations/andra.yaml:18: targets[0].value: ska vara ett tal, inte "mycket"',
        "registry/cooperations/testnamnd.yaml:9: end: slutdatum 2018-12-31 ligger före startdatum 2019-01-01",
    ]
    assert str(raised.value).splitlines() == ["registret har 2 fel", *messages]


def test_missing_cooperations_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(tmp_path / "inget") == 1
    assert capsys.readouterr().out == "inget:1: (mapp): mappen cooperations/ saknas i registret\n"


def test_default_directory_comes_from_the_setting(seeded_registry, monkeypatch, capsys):
    monkeypatch.setenv("UPPSIKT_REGISTRY", str(seeded_registry.root))
    seeded_registry.variant(("end: null", "end: 2018-12-31"))
    assert main(None) == 1
    assert "testnamnd.yaml:9: end:" in capsys.readouterr().out


def test_markup_in_names_is_kept_as_written(seeded_registry):
    name = "<script>alert('x')</script> & <b>Nämnd</b> \"citat\""
    seeded_registry.variant(("name: Testnämnden", f"name: '{name.replace(chr(39), chr(39) * 2)}'"))
    registry = load_registry(seeded_registry.root)
    [agreement] = [a for a in registry.agreements if a.id == "testnamnd"]
    assert agreement.name == name


def test_module_entry_point(seeded_registry):
    seeded_registry.variant(("scope: total", 'scope: "0686"'))
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.lib.extract.registry.check", str(seeded_registry.root)],
        capture_output=True,
        text=True,
        cwd=seeded_registry.root.parent,
        env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": ""},
        check=False,
    )
    assert done.returncode == 1
    errors = [line for line in done.stdout.splitlines() if ": varning: " not in line]  # it overlaps a seed
    assert errors == [
        "registry/cooperations/testnamnd.yaml:18: targets[0].scope: 0686 (Eksjö) är inte medlem i samverkan"
    ]
    clean = subprocess.run(
        [sys.executable, "-m", "orchestration.lib.extract.registry.check", str(PROJECT_ROOT / "registry")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (clean.returncode, clean.stdout) == (0, "")
