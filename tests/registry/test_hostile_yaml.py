"""Hostile registry files are refused fast, with file:line, before anything expands them."""

from __future__ import annotations

import subprocess
import sys
import time

from orchestration.lib.extract.registry.check import main
from orchestration.lib.extract.registry.yamlguard import MAX_BYTES
from orchestration.lib.ops.settings import PROJECT_ROOT
from tests.registry.conftest import VALID

# Nine levels of nine aliases: 9**9 (387 million) strings once expanded, 12 lines as written.
BOMB_LINES = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] + [
    f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
]
BOMB = VALID + "\n".join(BOMB_LINES) + "\n"


def test_an_alias_bomb_fails_fast_with_its_line(seeded_registry, capsys):
    seeded_registry.write("testnamnd", BOMB)
    # CPU time, not wall time: on a shared machine the wall clock measures the neighbours. Expanded, the
    # bomb ran out of memory after minutes.
    started = time.process_time()
    assert main(seeded_registry.root) == 1
    assert time.process_time() - started < 10
    out, _ = capsys.readouterr()
    bomb_line = VALID.count("\n") + 6  # the level (f:) where the expansion passes the bound
    assert out == (
        f"registry/cooperations/testnamnd.yaml:{bomb_line}: (filen): ankare och alias (&/*) expanderas här "
        "till fler än 100 000 noder; skriv ut värdena i stället för att upprepa dem med alias\n"
    )


def test_an_alias_bomb_is_refused_by_the_command_in_seconds(seeded_registry):
    seeded_registry.write("testnamnd", BOMB)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "registry", "check", str(seeded_registry.root)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "testnamnd.yaml:" in done.stdout and "expanderas" in done.stdout
    assert (
        time.monotonic() - started < 60
    )  # mostly interpreter start-up under load; it used to run out of memory


def test_an_alias_inside_its_own_anchor_is_refused(seeded_registry, capsys):
    seeded_registry.write("testnamnd", VALID + "loop: &l [1, *l]\n")
    assert main(seeded_registry.root) == 1
    out, _ = capsys.readouterr()
    assert out.startswith(f"registry/cooperations/testnamnd.yaml:{VALID.count(chr(10)) + 1}: (filen): ankare")


def test_a_few_small_aliases_are_fine(seeded_registry):
    text = VALID.replace("purpose: [kvalitet]", "purpose: &p [kvalitet]").replace(
        "sources:", "unverified: []\nillustrative: []\nsources:"
    )
    seeded_registry.write("testnamnd", text)
    assert main(seeded_registry.root) == 0


def test_a_file_over_the_size_limit_is_refused_unread(seeded_registry, capsys):
    seeded_registry.write(
        "testnamnd", VALID + "notes: |\n" + ("  " + "x" * 99 + "\n") * (MAX_BYTES // 100 + 1)
    )
    assert main(seeded_registry.root) == 1
    out, _ = capsys.readouterr()
    assert out.startswith("registry/cooperations/testnamnd.yaml:1: (filen): filen är 1.0 MB")


def test_an_alias_with_no_anchor_is_an_error_at_its_line(seeded_registry, capsys):
    # No '&' in the file: the expansion guard does not compose it, and the parser names the alias.
    seeded_registry.write("testnamnd", VALID + "extra: *nowhere\n")
    assert main(seeded_registry.root) == 1
    out, _ = capsys.readouterr()
    line = VALID.count("\n") + 1
    assert out.startswith(f"registry/cooperations/testnamnd.yaml:{line}: (filen): ogiltig YAML"), out
    assert "nowhere" in out
