"""Install and build the Evidence site in reports/, offline, without ever losing the last good build.

The build runs in a staging copy of the project (reports/.build-staging, sharing node_modules) so that
reports/build keeps serving the previous site until the new one is complete; then the two are swapped.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.lib.extract.progress import heartbeat
from orchestration.lib.ops.processes import kill_group, spawn
from orchestration.lib.ops.swap import replace_folder
from orchestration.lib.report import compiled, page_reuse

log = logging.getLogger(__name__)

SOURCE_NAME = "uppsikt"
BUILD_DIR = "build"
STAGING_DIR = ".build-staging"
INSTALL_STAMP = ".uppsikt-install"
# What the staging copy needs besides node_modules (which it links to): what the compile reads, and the
# downloads.
PROJECT_ENTRIES = (*compiled.COMPILE_INPUTS, "static")
INSTALL_TIMEOUT_S = 900
BUILD_TIMEOUT_S = 2400
TAIL_LINES = 40
NODE_GC_OPTIONS = "--max-semi-space-size=64"
# The last phase of a build, which starts once the source queries have read the warehouse; and its
# message when it prerenders the last compile (compiled.py) instead of compiling.
PAGES_PHASE = "Evidence 3/3"
PRERENDER_PHASE = f"{PAGES_PHASE}: skriver sidorna med nya data, källkoden är oförändrad sedan förra bygget"
# What a killed build may leave in the staging copy; a new build that finds it fails (ENOTEMPTY).
STALE_OUTPUTS = (".evidence/template/.evidence-queries", ".evidence/template/build", BUILD_DIR)


def _silent(_: str) -> None:
    return


class EvidenceError(RuntimeError):
    """An npm or Evidence step failed; the message ends with the tail of its output."""


def install(reports_dir: Path) -> bool:
    """Run `npm install` when node_modules is missing or the lockfile or patches changed; True if it ran."""
    stamp = reports_dir / "node_modules" / INSTALL_STAMP
    # Two processes (parallel test workers, a run beside `make dev`) must not run npm on one node_modules
    # at once; staged projects link to it, so the lock sits beside the folder the link resolves to.
    with _lock((reports_dir / "node_modules").resolve().parent / ".install.lock"):
        if stamp.is_file() and stamp.read_text() == _install_digest(reports_dir):
            return False
        # npm ci rejects this lockfile here (other platforms' optional binaries are absent): npm install.
        log.info("npm install: installerar rapportens paket (första gången 1–3 minuter)")
        started = time.monotonic()
        npm = ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"]
        # patch-package cannot apply a changed patch over the old one: the patched packages are
        # reinstalled clean, so an upgrade gets exactly the patches in reports/patches/.
        for folder in _patched_packages(reports_dir):
            shutil.rmtree(folder, ignore_errors=True)
        with heartbeat("npm install", log.info):
            _run(npm, reports_dir, INSTALL_TIMEOUT_S)
        # npm may rewrite the lockfile, so the stamp records the state after the install.
        stamp.write_text(_install_digest(reports_dir))
        log.info("npm install klar på %.0f s", time.monotonic() - started)
    return True


def _patched_packages(reports_dir: Path) -> list[Path]:
    """node_modules folders of the packages reports/patches/ changes, from patch-package's file names
    (`@scope+name+version.patch`)."""
    patches = sorted((reports_dir / "patches").glob("*.patch"))
    return [reports_dir / "node_modules" / Path(*p.stem.split("+")[:-1]) for p in patches]


def _install_digest(reports_dir: Path) -> str:
    digest = hashlib.sha256()
    patches = sorted((reports_dir / "patches").glob("*.patch"))
    for path in [reports_dir / "package.json", reports_dir / "package-lock.json", *patches]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build(reports_dir: Path, warehouse: Path, phase: Callable[[str], None] = _silent) -> Path:
    """Build the site from `warehouse` into reports_dir/build and return its index page.

    Whether pages carry the demo banner is read from the warehouse (marts.dim_report_meta).
    `phase` is told (in Swedish) as each phase starts. A failed build raises and leaves the previous site
    in place.
    """
    warehouse = warehouse.resolve()
    if not warehouse.is_file():
        raise EvidenceError(f"Rapporten kan inte byggas: lagret {warehouse} finns inte")
    with _build_lock(reports_dir):
        phase("Evidence 1/3: kopierar projektet till byggmappen")
        staging = _prepare_staging(reports_dir)
        env = build_environment(staging, warehouse)
        phase("Evidence 2/3: läser källfrågorna ur lagret (evidence sources)")
        started = time.monotonic()
        with heartbeat("Evidence 2/3", phase):
            _run(["npm", "run", "sources", "--", "--strict"], staging, BUILD_TIMEOUT_S, env)
        took = f"källorna tog {time.monotonic() - started:.0f} s"
        whole = f"{PAGES_PHASE}: bygger sidorna (evidence build; {took})"
        kept: page_reuse.Index = {}
        if not _compile(reports_dir, staging, env, phase, whole):
            prerendered = _prerender(reports_dir, staging, env, phase, took)
            if prerendered is None:
                compiled.discard(staging, compiled.cache_root(reports_dir))
                _compile(reports_dir, staging, env, phase, whole)
            kept = prerendered or {}
        page_reuse.write_index(staging / BUILD_DIR, staging / compiled.TEMPLATE, kept)
        return _swap_in(staging / BUILD_DIR, reports_dir / BUILD_DIR)


def compile_ahead(reports_dir: Path, phase: Callable[[str], None] = _silent) -> bool:
    """Compile the site before there is data to build it from, unless a compile of its sources is kept;
    True if it compiled. The next build then only prerenders (compiled.py); it waits for this one."""
    with _build_lock(reports_dir):
        key = compiled.compile_key(reports_dir)  # the staging copy's, before it is copied
        if compiled.ready(reports_dir / STAGING_DIR, key, compiled.cache_root(reports_dir)):
            return False
        staging = _prepare_staging(reports_dir)
        message = "Evidence: kompilerar rapportens sidor i förväg, medan data hämtas och modelleras"
        return _compile(reports_dir, staging, build_environment(staging), phase, message, only=True)


def _compile(
    reports_dir: Path,
    staging: Path,
    env: dict[str, str],
    phase: Callable[[str], None],
    message: str,
    only: bool = False,
) -> bool:
    """Unless `staging` holds (or the cache has) a compile of its sources: build the site (`only`: compile
    it) and keep the compile; True if it did. One process compiles given sources at a time: another
    waits, then takes the compile from the cache."""
    key, cache = compiled.compile_key(staging), compiled.cache_root(reports_dir)
    with _lock(compiled.key_lock(cache, key)):
        if compiled.ready(staging, key, cache):
            return False
        phase(message)
        env = {**env, compiled.STATE_VARIABLE: str(compiled.state_file(staging).resolve())}
        if only:
            env[compiled.COMPILE_ONLY] = "1"
        with heartbeat(message.split(":")[0], phase):
            _run(["npm", "run", "build:strict"], staging, BUILD_TIMEOUT_S, env)
        if only:
            _remove(staging / BUILD_DIR)  # empty: the pages come with the data
        compiled.save(staging, key, cache)
        return True


def _prerender(
    reports_dir: Path, staging: Path, env: dict[str, str], phase: Callable[[str], None], took: str
) -> page_reuse.Index | None:
    """Prerender the pages from the last compile, taking the last build's pages whose query results are
    unchanged; return those, or None (after a warning) if it fails, to compile anew."""
    template, last = staging / compiled.TEMPLATE, reports_dir / BUILD_DIR
    kept = page_reuse.reusable(last, template)
    phase(f"{PRERENDER_PHASE} ({took}; {len(kept)} sidor är oförändrade sedan förra bygget)")
    compiled.copy_static(staging)
    command = compiled.prerender_command(reports_dir, staging)
    env = {
        **env,
        **compiled.CLI_ENV,
        page_reuse.KEPT_VARIABLE: str(page_reuse.kept_pages_file(template, last, kept)),
    }
    try:
        with heartbeat(PAGES_PHASE, phase):
            _run(command, template, BUILD_TIMEOUT_S, env)
    except EvidenceError as error:
        # A broken or stale compile must not stop the report; a full build tells a real fault again.
        log.warning("Sidorna kunde inte skrivas från förra kompileringen; bygger om helt.\n%s", error)
        _remove(staging / BUILD_DIR)
        return None
    page_reuse.carry_over(last, staging / BUILD_DIR, kept)
    return kept


def build_environment(project_dir: Path, warehouse: Path | None = None) -> dict[str, str]:
    """The environment for `evidence sources` and `build`: the warehouse, relative to the source (a
    compile alone reads no data and needs none)."""
    # Vite/Rollup and the prerender allocate masses of short-lived objects; a larger young generation
    # means fewer scavenges (GC was a quarter of the compile's CPU time with Node's default).
    node_options = f"{os.environ.get('NODE_OPTIONS', '')} {NODE_GC_OPTIONS}".strip()
    env = {**os.environ, "NODE_OPTIONS": node_options}
    if warehouse is not None:
        source_dir = project_dir / "sources" / SOURCE_NAME
        # Evidence joins the filename onto the source folder, so it must be relative to that folder.
        env[f"EVIDENCE_SOURCE__{SOURCE_NAME}__filename"] = os.path.relpath(warehouse, source_dir.resolve())
    return env


def _prepare_staging(reports_dir: Path) -> Path:
    staging = stage_project(reports_dir, reports_dir / STAGING_DIR)
    for stale in STALE_OUTPUTS:
        _remove(staging / stale)
    return staging


def stage_project(reports_dir: Path, target: Path) -> Path:
    """Copy the Evidence project's own files to `target`, linking node_modules rather than copying it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_ENTRIES:
        source, copy = reports_dir / name, target / name
        _remove(copy)
        if source.is_dir():
            shutil.copytree(source, copy)
        elif source.is_file():
            shutil.copy2(source, copy)
    link = target / "node_modules"
    _remove(link)
    link.symlink_to(os.path.relpath(reports_dir / "node_modules", target), target_is_directory=True)
    return target


def _swap_in(new_build: Path, build_dir: Path) -> Path:
    index = new_build / "index.html"
    if not index.is_file():
        raise EvidenceError(f"Evidence rapporterade ett lyckat bygge men {index} saknas")
    replace_folder(new_build, build_dir)  # readers of build/ never find it missing
    return build_dir / "index.html"


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


@contextmanager
def _build_lock(reports_dir: Path) -> Iterator[None]:
    # Two builds at once would share the staging folder; the second waits for the first.
    with _lock(reports_dir / ".build.lock"):
        yield


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run(command: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> str:
    """Run a command, returning its output; raise EvidenceError with the output's tail on failure."""
    # A process group of its own that dies with this process (even on kill -9), so that a timeout or a
    # killed run ends npm's children (node, vite) too.
    with spawn(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            output, _ = process.communicate()
            raise EvidenceError(_failure(command, cwd, f"gav upp efter {timeout:.0f} s", output)) from None
        except BaseException:
            kill_group(process)
            raise
    if process.returncode != 0:
        raise EvidenceError(_failure(command, cwd, f"avslutades med kod {process.returncode}", output))
    return output


def _failure(command: list[str], cwd: Path, what: str, output: str) -> str:
    tail = "\n".join(output.strip().splitlines()[-TAIL_LINES:])
    return f"`{' '.join(command)}` i {cwd} {what}:\n{tail}"
