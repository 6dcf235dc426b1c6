"""Reading YAML with ruamel so every key keeps its line number for error messages."""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from orchestration.lib.extract.registry.issues import Issue
from orchestration.lib.extract.registry.yamlguard import expansion_issue, size_issue

PathT = tuple[str | int, ...]
CACHE_SIZE = 1024
_parsed: dict[str, Any] = {}


class _TextDatesConstructor(RoundTripConstructor):
    """Round-trip constructor that keeps dates as text.

    An impossible date (2019-02-30) then reaches the checker, which reports it at its line, instead
    of aborting the whole parse without one. A subclass, so other ruamel users keep real dates.
    """


def _as_text(constructor: Any, node: Any) -> str:
    return str(constructor.construct_scalar(node))


_TextDatesConstructor.add_constructor("tag:yaml.org,2002:timestamp", _as_text)


def _reader() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextDatesConstructor
    return yaml


def parse(path: Path, shown: str) -> tuple[Any, list[Issue]]:
    """The round-trip document (with line info), or None and the YAML error with its line."""
    try:
        too_large = size_issue(path, shown)
        text = "" if too_large else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Issue(shown, 1, "(filen)", f"kan inte läsas: {exc}")]
    if text in _parsed:  # read before in this process: it passed the guards and parsed then
        return copy.deepcopy(_parsed[text]), []
    try:
        refused = too_large or expansion_issue(text, shown)
        return (None, [refused]) if refused else (_load(text), [])
    except DuplicateKeyError as exc:
        key = re.search(r'duplicate key "(.*?)"', str(exc.problem or ""))
        message = f"ogiltig YAML: nyckeln {key.group(1) if key else ''!r} förekommer två gånger"
        return None, [Issue(shown, _line(exc), "(filen)", message)]
    except MarkedYAMLError as exc:
        detail = exc.problem or exc.context
        return None, [Issue(shown, _line(exc), "(filen)", f"ogiltig YAML (tolkaren säger: {detail})")]
    except (YAMLError, ValueError) as exc:
        return None, [Issue(shown, 1, "(filen)", f"ogiltig YAML (tolkaren säger: {exc})")]


def _load(text: str) -> Any:
    """The document of `text`, kept (by its text) for the next read of the same text."""
    # A run reads each registry file several times (the check before the run, the registry asset, the
    # steps that need the cooperations); ruamel's round-trip parse and the guard's compose are pure
    # Python, and both together take eight times a copy. The cache is keyed on the text, so a changed
    # file is always checked and parsed again; a text that failed either is never kept.
    if len(_parsed) >= CACHE_SIZE:
        _parsed.clear()
    _parsed[text] = _reader().load(text)
    return copy.deepcopy(_parsed[text])


def _line(exc: MarkedYAMLError) -> int:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark else 1


def line_of(doc: Any, path: PathT) -> int:
    """1-based line of the deepest part of path that exists in doc (the file's first line if none)."""
    line, node = _own_line(doc), doc
    for part in path:
        if isinstance(node, CommentedMap):
            key = _find_key(node, part)
            if key is None:
                break  # a missing field is reported at the start of the section it belongs in
            line, node = node.lc.key(key)[0] + 1, node[key]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.lc.item(part)[0] + 1, node[part]
        else:
            break
    return line


def _own_line(node: Any) -> int:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else 1


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
