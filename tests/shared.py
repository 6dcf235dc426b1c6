"""Builds made once per test run and shared by every pytest-xdist worker (the documented xdist pattern).

Each worker has its own session, so a session fixture alone would build once per worker. The first worker
to ask builds into a folder beside the workers' own temporary folders, under a lock; the others wait for it
and read the same build. Without xdist it is a plain once-per-session build.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import shutil
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import pytest

from orchestration.lib.ops.incremental import add_files

T = TypeVar("T")


def shared_build(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """`make(folder)` once per test run; every worker gets its result (which must pickle)."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder, result = root / f"shared-{name}", root / f"shared-{name}.pickle"
    failed = root / f"shared-{name}.failed"
    with (root / f"shared-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.is_file():  # tried once this run already: the same error, not another half-hour build
            pytest.fail(f"The shared build {name} failed earlier in this run:\n{failed.read_text()}")
        if not result.is_file():
            folder.mkdir(exist_ok=True)
            try:
                built = make(folder)
            except BaseException:
                failed.write_text(traceback.format_exc())
                raise
            result.write_bytes(pickle.dumps(built))
        return pickle.loads(result.read_bytes())


def copy_warehouse(warehouse: Path, folder: Path) -> Path:
    """A private copy of a shared, read-only warehouse file in `folder`, for a test that writes to it or
    hands it to a process that may open it for writing (a file copy: nothing is built again)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in warehouse.parent.glob(warehouse.name + "*"):  # the file and a write-ahead log, if any
        shutil.copy(path, folder / path.name)
    return folder / warehouse.name


# Folders no build reads: generated output, caches and installed packages (their lockfiles are hashed).
NOT_INPUTS = {"__pycache__", "target", "logs", "node_modules", ".evidence", "build", ".user.yml"}


def content_hash(inputs: Iterable[Path]) -> str:
    """One digest of every file under `inputs` (names and bytes) and of the Python running them."""
    digest = hashlib.sha256(sys.version.encode())
    for root in inputs:
        add_files(
            digest,
            root,
            root.parent,
            lambda path, root=root: not NOT_INPUTS.isdisjoint(path.relative_to(root).parts),
        )
    return digest.hexdigest()[:20]


def cached_file(cache: Path, name: str, inputs: Iterable[Path], make: Callable[[Path], Path]) -> Callable:
    """`make(folder)` (it returns a warehouse file in `folder`) as a build for shared_build whose file is
    kept in `cache` under the content hash of `inputs`: a later test run with the same inputs copies it
    instead of building it again; any changed byte in an input is another key, so a stale file is never
    used. Only the newest key is kept."""

    def build(folder: Path) -> Path:
        kept = cache / f"{name}-{content_hash(inputs)}"
        if kept.is_dir():
            return copy_warehouse(next(kept.glob("*.duckdb")), folder)
        made = make(folder)
        for old in cache.glob(f"{name}-*"):
            shutil.rmtree(old, ignore_errors=True)
        partial = cache / f".{kept.name}.{os.getpid()}"
        copy_warehouse(made, partial)
        try:
            partial.rename(kept)  # whole or not at all: a run killed mid-copy leaves nothing under the key
        except OSError:  # another test run stored the same key meanwhile
            shutil.rmtree(partial)
        return made

    return build
