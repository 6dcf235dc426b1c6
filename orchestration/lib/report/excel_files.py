"""The workbooks' files: written atomically, and only when what goes into them changed.

A workbook carries a content hash of what it was made from (its title, banner and rows, and the code and
openpyxl version that lay it out) in its document properties (dc:identifier). The next run makes the same
hash from the warehouse and leaves a file whose stored hash equals it as it is: openpyxl's output is not
byte for byte the same twice (it stamps the time), so the hash, not the bytes, says whether it changed. A
CSV is plain text, written only when its text differs from the file's.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from importlib.metadata import version
from pathlib import Path

from openpyxl import Workbook

from orchestration.lib.ops.incremental import add_files
from orchestration.lib.ops.swap import replace_file

# What lays a workbook out: a change to either gives every workbook a new hash.
LAYOUT_SOURCES = (Path(__file__).with_name("excel.py"), Path(__file__).with_name("cell_text.py"))
DIGEST_PREFIX = "uppsikt-sha256:"
_STORED = re.compile(
    rb"<dc:identifier>" + re.escape(DIGEST_PREFIX.encode()) + rb"([0-9a-f]{64})</dc:identifier>"
)


def layout_digest() -> str:
    """Hash of the code that lays the workbooks out and of openpyxl's version."""
    digest = hashlib.sha256(f"openpyxl={version('openpyxl')}".encode())
    for source in LAYOUT_SOURCES:
        add_files(digest, source, source.parent)
    return digest.hexdigest()


def content_digest(layout: str, title: str, banner: str | None, rows: list[dict[str, object]]) -> str:
    """Hash of everything one workbook is made from (values by their repr: type and value both count)."""
    digest = hashlib.sha256(f"{layout}\0{title}\0{banner}\0".encode())
    for row in rows:
        digest.update(repr(sorted(row.items())).encode() + b"\n")
    return digest.hexdigest()


def mark(book: Workbook, digest: str) -> None:
    """Store the content hash in the workbook's document properties."""
    book.properties.identifier = f"{DIGEST_PREFIX}{digest}"


def stored_digest(path: Path) -> str | None:
    """The content hash a workbook was written with; None if there is no such file or no hash in it."""
    try:
        with zipfile.ZipFile(path) as archive:
            found = _STORED.search(archive.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    return found.group(1).decode() if found else None


def save_atomically(book: Workbook, target: Path) -> None:
    """Save next to the target, then rename: a reader never sees a half-written file."""
    replace_file(target, book.save)


def write_text_if_changed(text: str, target: Path) -> bool:
    """Write `text` (UTF-8, newlines as given) atomically unless the file already holds exactly it."""
    data = text.encode("utf-8")
    try:
        if target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    replace_file(target, lambda temp: temp.write_bytes(data))
    return True
