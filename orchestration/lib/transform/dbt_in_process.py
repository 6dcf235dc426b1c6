"""dbt inside this process, shaped like the dbt process that dagster-dbt reads.

A dbt process spends 3-6 s starting (Python, importing dbt) before it reads the project; a run has already
imported dbt to load its definitions, and each of its two dbt steps started a process anyway. Here the
same command runs on a thread of the run's process through dbt's programmatic entry point (dbtRunner), and
its structured log lines are handed on as a dbt process prints them with --log-format json, so dagster-dbt
turns them into the same asset events. A run that is killed takes dbt with it, as it did the guarded
process. One invocation at a time: dbt keeps global state per process.
"""

from __future__ import annotations

import json
import queue
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliInvocation, DbtCliResource, DbtProject
from dagster_dbt.asset_utils import (
    DbtCliInvocationPartialParams,
    extract_runtime_selection_from_args,
    get_updated_cli_invocation_params_for_context,
)
from packaging import version

from orchestration.lib.ops.swap import replace_file

PARTIAL_PARSE = "partial_parse.msgpack"
# What `dbt --log-format json` prints at its default level; dbt.log keeps the debug events as before.
LOGGED_LEVELS = frozenset({"info", "warn", "error"})
QUIET_CONSOLE = ["--log-level", "none", "--log-level-file", "debug"]
EXIT_SUCCESS, EXIT_FAILURE, EXIT_ERROR = 0, 1, 2
_ONE_AT_A_TIME = threading.Lock()
_END = b""


def invoke(
    args: Sequence[str], callbacks: Sequence[Callable[[Any], None]] = ()
) -> tuple[int, BaseException | None]:
    """Run dbt with args in this process, one invocation at a time, and close its warehouse after.
    Returns the exit code the dbt command gives (0 success, 1 a failed node or test, 2 an error) and the
    error that stopped dbt, if one did."""
    from dbt.cli.main import dbtRunner

    with _ONE_AT_A_TIME:
        try:
            result = dbtRunner(callbacks=list(callbacks)).invoke(list(args))
        finally:
            release_warehouse()
    if result.success:
        return EXIT_SUCCESS, None
    return (EXIT_ERROR if result.exception is not None else EXIT_FAILURE), result.exception


def release_warehouse() -> None:
    """Close dbt-duckdb's database, which it keeps open in the process between invocations: the next step
    (in this process or another, such as Evidence's) must be able to open the file."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
    if environment is not None:
        environment.close()


def interrupt_queries() -> None:
    """Interrupt the query dbt-duckdb is running in this process, if any (dbt then fails that node)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    connection = getattr(DuckDBConnectionManager._ENV, "conn", None)
    if connection is not None:
        connection.interrupt()


class _Lines:
    """The invocation's log lines (JSON, as bytes) as a process's stdout pipe yields them, until dbt ends."""

    def __init__(self, lines: queue.SimpleQueue[bytes]) -> None:
        self._lines = lines
        self.closed = False

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *_: object) -> None:
        self.closed = True

    def __iter__(self) -> Iterator[bytes]:
        while not self.closed and (line := self._lines.get()) != _END:
            yield line
        self.closed = True


class InProcessDbt:
    """A dbt command on a thread of this process, with what dagster-dbt reads of its subprocess.Popen:
    args, stdout, wait(), returncode and send_signal()."""

    def __init__(self, args: Sequence[str]) -> None:
        self.args = ["dbt", *args]
        self.returncode: int | None = None
        self._lines: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self.stdout = _Lines(self._lines)
        # A daemon thread: a process that ends does not wait for dbt.
        self._thread = threading.Thread(target=self._run, args=(list(args),), name="dbt", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> int | None:
        self._thread.join(timeout)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if sig in (signal.SIGINT, signal.SIGTERM):
            interrupt_queries()

    def _forward(self, msg: Any) -> None:
        from dbt_common.events.functions import msg_to_json

        if msg.info.level in LOGGED_LEVELS:
            self._lines.put(msg_to_json(msg).encode())

    def _run(self, args: list[str]) -> None:
        error: BaseException | None = None
        try:
            self.returncode, error = invoke([*args, *QUIET_CONSOLE], [self._forward])
        except Exception as unexpected:  # reported like dbt's own errors, on the stream
            self.returncode, error = EXIT_ERROR, unexpected
        finally:
            # An error that stopped dbt outside its nodes (a bad flag, an unreadable project) may be in none
            # of its events: it goes on the stream as an error line, which dagster-dbt reports.
            if self.returncode != EXIT_SUCCESS and error is not None:
                self._lines.put(_error_line(f"dbt avbröts: {error}"))
            self._lines.put(_END)


def _error_line(message: str) -> bytes:
    info = {"level": "error", "msg": message, "name": "MainEncounteredError"}
    return json.dumps({"info": info, "data": {"exc": message}}).encode()


def location_flags(project_dir: Path, profiles_dir: Path, target: Path) -> list[str]:
    """Where dbt finds the project and writes its artifacts and log: flags, where dagster-dbt gives a dbt
    process environment variables (this process's environment is shared by every thread)."""
    return [
        *("--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir)),
        *("--target-path", str(target), "--log-path", str(target)),
        "--no-send-anonymous-usage-stats",
    ]


def start_from_last_parse(project_target: Path, target: Path) -> None:
    """Give the invocation's target folder the project's last parse, which dbt takes up when the project,
    profile and vars are unchanged (as dagster-dbt does for a dbt process)."""
    parsed = project_target / PARTIAL_PARSE
    if parsed.is_file() and not (target / PARTIAL_PARSE).exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(parsed, target / PARTIAL_PARSE)


def keep_parse(step_target: Path, project_target: Path) -> None:
    """Keep the step's parse as the project's: each dbt step starts from target/partial_parse.msgpack, which
    dbt reuses only when it was made with the same --vars and profile. The manifest Dagster loads is parsed
    without the run's vars, so without this every step parsed the whole project again (3-7 s); now the next
    step and the next run with the same settings parse only what changed. Replaced atomically: another
    process may be starting a step from it."""
    parsed = step_target / PARTIAL_PARSE
    if parsed.is_file():
        replace_file(project_target / PARTIAL_PARSE, lambda staged: shutil.copyfile(parsed, staged))


class InProcessDbtCli(DbtCliResource):
    """Dagster's dbt resource with dbt run in the run's own process (InProcessDbt)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        # dagster-dbt asks an executable only to tell dbt-core from the Fusion engine; this is dbt-core.
        return version.parse(metadata.version("dbt-core"))

    def cli(  # type: ignore[override]
        self,
        args: Sequence[str],
        *,
        raise_on_error: bool = True,
        context: dg.AssetExecutionContext | None = None,
        target_path: Path | None = None,
    ) -> DbtCliInvocation:
        """DbtCliResource.cli for dbt-core (the context's selection; a target folder of the invocation's
        own that starts from the last parse) without its dbt adapter opened for column metadata, which
        these assets never fetch."""
        params, command = _selected(args, context)
        project_dir = Path(params.dbt_project.project_dir if params.dbt_project else self.project_dir)
        target = project_dir / (target_path or self._get_unique_target_path(context=context))
        start_from_last_parse(project_dir / "target", target)
        locations = location_flags(project_dir, Path(self.profiles_dir or project_dir), target)
        return DbtCliInvocation(
            process=InProcessDbt([*command, *locations]),  # type: ignore[arg-type]
            manifest=params.manifest,
            dagster_dbt_translator=params.dagster_dbt_translator,
            project_dir=project_dir,
            target_path=target,
            raise_on_error=raise_on_error,
            context=context,
            adapter=None,
            cli_version=self._cli_version,
            project=params.dbt_project,
        )


def _selected(
    args: Sequence[str], context: dg.AssetExecutionContext | None
) -> tuple[DbtCliInvocationPartialParams, list[str]]:
    """The command with the step's selection (the assets the run materialises), as dagster-dbt adds it."""
    cleaned, selects, excludes = extract_runtime_selection_from_args(args)
    params = get_updated_cli_invocation_params_for_context(
        context=context,
        manifest={},
        dagster_dbt_translator=DagsterDbtTranslator(),
        runtime_selects=selects,
        runtime_excludes=excludes,
    )
    indirect = ["--indirect-selection", params.indirect_selection] if params.indirect_selection else []
    return params, [*cleaned, *params.selection_args, *indirect]


def dbt_resource(project: DbtProject) -> InProcessDbtCli:
    """The run's dbt resource on `project` (dagster-dbt checks that a dbt executable exists; none starts)."""
    return InProcessDbtCli(project_dir=project, dbt_executable=str(Path(sys.executable).with_name("dbt")))
