"""Limits a registry file must keep before it is loaded: its size, and what its aliases expand to.

A YAML alias (`*a`) repeats an anchored node (`&a`) without copying it, so a few lines can describe
billions of nodes ("billion laughs"). Loading is cheap, but every later step that walks the data
(validation, the tables) would expand it and run out of memory after minutes. The node graph is
composed once and its expanded size counted with memoisation, so a bomb is refused in milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from orchestration.lib.extract.registry.issues import Issue

MAX_BYTES = 1_000_000  # the largest registry file today is a few kB
MAX_NODES = 100_000  # after alias expansion; a cooperation file has a few hundred


def size_issue(path: Path, shown: str) -> Issue | None:
    """The file is too large to be a registry file."""
    size = path.stat().st_size
    if size <= MAX_BYTES:
        return None
    message = f"filen är {size / 1e6:.1f} MB; ett registerfil får vara högst {MAX_BYTES / 1e6:.0f} MB"
    return Issue(shown, 1, "(filen)", message)


def expansion_issue(text: str, shown: str) -> Issue | None:
    """The document's aliases expand beyond MAX_NODES, or refer to themselves."""
    if "&" not in text:
        # No anchor, so nothing to expand (an alias without one is the parser's own error, with its line);
        # composing every registry file for nothing took as long as parsing it.
        return None
    root = YAML(typ="rt").compose(text)
    if root is None:
        return None
    sizes: dict[int, int] = {}
    overflow = _expanded(root, sizes, set())
    if overflow is None:
        return None
    line = overflow.start_mark.line + 1 if overflow.start_mark else 1
    message = (
        f"ankare och alias (&/*) expanderas här till fler än {MAX_NODES:,} noder".replace(",", " ")
        + "; skriv ut värdena i stället för att upprepa dem med alias"
    )
    return Issue(shown, line, "(filen)", message)


def _expanded(node: Node, sizes: dict[int, int], open_nodes: set[int]) -> Node | None:
    """Fill sizes[id(node)]; return the node where the bound is crossed (or a cycle closes), else None."""
    key = id(node)
    if key in sizes:
        return None
    if key in open_nodes:
        return node  # an alias inside its own anchor: infinite
    open_nodes.add(key)
    total = 1
    for child in _children(node):
        found = _expanded(child, sizes, open_nodes)
        if found is not None:
            return found
        total += sizes[id(child)]
        if total > MAX_NODES:
            return node
    open_nodes.discard(key)
    sizes[key] = total
    return None


def _children(node: Node) -> list[Any]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []
