"""Publishing a new report folder leaves no moment in which a reader finds none."""

from __future__ import annotations

import threading
from pathlib import Path

from orchestration.lib.ops.swap import replace_file
from orchestration.lib.report.evidence import _swap_in


def _site(path: Path, text: str) -> Path:
    path.mkdir(parents=True)
    (path / "index.html").write_text(text)
    (path / "samverkan").mkdir()
    (path / "samverkan" / "index.html").write_text(text)
    return path


def test_readers_always_find_a_whole_report_while_it_is_replaced(tmp_path: Path) -> None:
    build = _site(tmp_path / "build", "0")
    misses: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                (build / "index.html").read_text()
            except FileNotFoundError as exc:
                misses.append(str(exc))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round_ in range(1, 300):
            _swap_in(_site(tmp_path / f"new-{round_}", str(round_)), build)
    finally:
        stop.set()
        reader.join()
    assert misses == []
    assert (build / "index.html").read_text() == "299"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]  # old copies removed


def test_the_first_publication_needs_no_previous_folder(tmp_path: Path) -> None:
    index = _swap_in(_site(tmp_path / "new", "1"), tmp_path / "build")
    assert index.read_text() == "1"


def test_a_replaced_file_is_as_readable_as_a_plainly_written_one(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("a;b\n")
    target = tmp_path / "kostnader-alla.csv"

    replace_file(target, lambda temp: temp.write_text("a;b\n"))

    assert target.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
