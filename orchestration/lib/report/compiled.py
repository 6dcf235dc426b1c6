"""Reuse of a compiled Evidence site: when the project's sources are unchanged, prerender with new data only.

`evidence build` first compiles the project (Vite's server and client builds: two thirds of its time) and
then prerenders every page with the data. The compile reads the project's sources, never the data, so
after a build that compiled the same sources the pages are prerendered again from that compile
(prerender.mjs, with the state the `UPPSIKT_KIT_STATE` patch of @sveltejs/kit saves). The site is the same
as a full build's, apart from what differs between any two builds anyway: the build's version stamp (and
so the file names of the compiled scripts) and the random ids of menus.

A compile is kept in the staging copy (used again in place) and in a cache beside node_modules, shared
by every staged copy of the project (parallel test workers, a second checkout of the report), keyed by
a hash of the sources it was compiled from.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import uuid
from pathlib import Path

from orchestration.lib.ops.incremental import add_files

log = logging.getLogger(__name__)

# The project entries the compile reads (the rest, static/, is data: the downloads and the source data).
COMPILE_INPUTS = (
    "package.json",
    "package-lock.json",
    "patches",
    "evidence.config.yaml",
    "evidence.settings.json",
    "pages",
    "partials",
    "components",
    "sources",
)
# The patch of @sveltejs/kit: where to save the compiled app's state, and to stop after compiling.
STATE_VARIABLE = "UPPSIKT_KIT_STATE"
COMPILE_ONLY = "UPPSIKT_KIT_COMPILE_ONLY"
TEMPLATE = Path(".evidence") / "template"
STATE = ".uppsikt-kit-state"
STAMP = ".uppsikt-compiled"
CACHE_DIR = ".compile-cache"
CACHE_KEEP = 2
# What a compile does not need: data and outputs of the last prerender (TEMPLATE-relative). Besides, the
# project's own static files (the downloads) are copied in again by every build.
NOT_CACHED = ("static/data", ".evidence-queries", "build", ".svelte-kit/output/prerendered")
PRERENDER = Path(__file__).with_name("prerender.mjs")
KIT = Path("node_modules") / "@sveltejs" / "kit"
# What @evidence-dev/evidence's cli.js sets for `vite build`; prerender.mjs runs where that build ran.
CLI_ENV = {
    "EVIDENCE_DATA_URL_PREFIX": "static/data",
    "EVIDENCE_DATA_DIR": "./static/data",
    "EVIDENCE_IS_BUILDING": "true",
    "EVIDENCE_STRICT_MODE": "true",
}


def compile_key(project: Path) -> str:
    """Hash of every file the compile reads, in a fixed order."""
    digest = hashlib.sha256()
    for name in COMPILE_INPUTS:
        add_files(digest, project / name, project)
    return digest.hexdigest()


def cache_root(reports_dir: Path) -> Path:
    """The shared cache, beside the node_modules every staged copy links to."""
    return (reports_dir / "node_modules").resolve().parent / CACHE_DIR


def state_file(staging: Path) -> Path:
    return staging / TEMPLATE / STATE


def ready(staging: Path, key: str, cache: Path) -> bool:
    """Whether `staging` holds a compile of `key`, taking it from the cache when the staging copy has none."""
    template = staging / TEMPLATE
    stamp = template / STAMP
    if stamp.is_file() and stamp.read_text() == key and state_file(staging).is_file():
        return True
    cached = cache / key
    if not (cached / STATE).is_file():
        return False
    try:
        _restore(cached, template)
    except OSError as error:  # pruned by another build while it was copied: compile instead
        log.warning("Den sparade kompileringen kunde inte kopieras (%s); rapporten byggs om helt", error)
        return False
    stamp.write_text(key)
    return True


def key_lock(cache: Path, key: str) -> Path:
    """The lock file of one compile (held while it is made or looked for)."""
    cache.mkdir(parents=True, exist_ok=True)
    return cache / f".{key}.lock"


def discard(staging: Path, cache: Path) -> None:
    """Forget the compile in `staging` and its copy in the cache (prerendering from it failed)."""
    stamp = staging / TEMPLATE / STAMP
    if stamp.is_file():
        shutil.rmtree(cache / stamp.read_text(), ignore_errors=True)
        stamp.unlink()


def _restore(cached: Path, template: Path) -> None:
    # As `evidence build` empties its template, except static/ (with the data `evidence sources` just wrote).
    for entry in template.iterdir() if template.is_dir() else []:
        if entry.name != "static":
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    shutil.copytree(cached, template, symlinks=True, dirs_exist_ok=True)


def save(staging: Path, key: str, cache: Path) -> None:
    """After a full build: mark the staging copy's compile and keep a copy of it in the cache."""
    template = staging / TEMPLATE
    (template / STAMP).write_text(key)
    if (cache / key / STATE).is_file():
        return
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f".{key}.{uuid.uuid4().hex}"
    shutil.copytree(template, partial, symlinks=True, ignore=_not_cached(staging))
    try:
        partial.rename(cache / key)  # whole or not at all; another build may have put it there first
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
    _prune(cache, key)


def _not_cached(staging: Path):  # noqa: ANN202 (shutil's ignore callback)
    template = staging / TEMPLATE
    skipped = {template / name for name in NOT_CACHED}
    # The client output holds a copy of the template's static/ (Vite's public folder), copied in again by
    # prerender.mjs; the template's static/ a copy of the project's, copied in again by copy_static.
    copies = {
        template / ".svelte-kit" / "output" / "client": _names(template / "static"),
        template / "static": _names(staging / "static"),
    }

    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        return {n for n in names if here / n in skipped or n in copies.get(here, ())} | {STAMP}

    return ignore


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _prune(cache: Path, key: str) -> None:
    # Keep the newest few compiles: the project's sources change rarely, and each is about 100 MB.
    kept = sorted((p for p in cache.iterdir() if not p.name.startswith(".")), key=os.path.getmtime)
    for old in [p for p in kept if p.name != key][: max(0, len(kept) - CACHE_KEEP)]:
        shutil.rmtree(old, ignore_errors=True)
        (cache / f".{old.name}.lock").unlink(missing_ok=True)


def prerender_command(reports_dir: Path, staging: Path) -> list[str]:
    """The command that prerenders the compiled site in `staging` (run in its template folder)."""
    kit = (reports_dir / KIT).resolve()
    return ["node", str(PRERENDER), str(kit), str(state_file(staging).resolve())]


def copy_static(staging: Path) -> None:
    """Copy the project's static files (the downloads) into the template, as `evidence build` does."""
    shutil.copytree(staging / "static", staging / TEMPLATE / "static", dirs_exist_ok=True)
