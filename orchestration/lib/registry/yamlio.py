"""Reading YAML with ruamel so every key keeps its line number for error messages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from orchestration.lib.registry.issues import Issue

PathT = tuple[str | int, ...]


def parse(path: Path, shown: str) -> tuple[Any, list[Issue]]:
    """The round-trip document (with line info), or None and the YAML error with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Issue(shown, 1, "(filen)", f"kan inte läsas: {exc}")]
    try:
        return YAML(typ="rt").load(text), []
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        return None, [
            Issue(shown, line, "(filen)", f"ogiltig YAML: samma nyckel förekommer två gånger ({_key(exc)})")
        ]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Issue(shown, line, "(filen)", f"ogiltig YAML: {exc.problem or exc.context}")]
    except (YAMLError, ValueError) as exc:
        return None, [Issue(shown, 1, "(filen)", f"ogiltig YAML: {exc}")]


def _key(exc: DuplicateKeyError) -> str:
    problem = str(exc.problem or "")
    return problem.split("key", 1)[-1].strip() if "key" in problem else problem


def line_of(doc: Any, path: PathT) -> int:
    """1-based line of the deepest part of path that exists in doc (the file's first line if none)."""
    line, node = 1, doc
    for part in path:
        if isinstance(node, CommentedMap):
            key = _find_key(node, part)
            if key is None:
                break
            line, node = node.lc.key(key)[0] + 1, node[key]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.lc.item(part)[0] + 1, node[part]
        else:
            break
    return line


def _find_key(node: CommentedMap, part: str | int) -> Any:
    # A kommunkod written without quotes is read as an int; match it on its text as well.
    for key in node:
        if key == part or str(key) == str(part):
            return key
    return None


def to_plain(node: Any) -> Any:
    """JSON-like data for schema validation: string keys, dates as ISO text."""
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, (date, datetime)):
        return node.isoformat()
    if isinstance(node, bool) or node is None or isinstance(node, str):
        return node if not isinstance(node, str) else str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node
