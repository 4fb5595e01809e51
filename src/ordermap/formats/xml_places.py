"""Where an element's start tag is in XML text: line and column, found only when asked.

libxml2 keeps each element's line (lxml's ``sourceline``) but no column, and a streamed
page's elements are gone once checked. So :func:`start_tags` reads the input once more, with
the standard library's expat parser (which reports the line and column of each start tag),
for the element paths of the problems found: a valid document costs nothing. The input was
read by ordermap's hardened parser first, so it holds no DOCTYPE and no entity; expat is
told to read no external entity all the same.

An element path is ordermap's (``/orders/order[3]/items/item[2]/sku``, XPath's steps with a
position where siblings share a name; a step without one is the first of its name). A path
that is not there (a missing member) gets the start tag of its closest ancestor that is, as
its line is that ancestor's. Lines and columns are 1-based; a column counts characters, as
JSON's do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any
from xml.parsers import expat

__all__ = ["Steps", "parse_path", "start_tags"]

Steps = tuple[tuple[str, int], ...]
"""An element path as (name, position among the siblings of that name) steps."""

_STEP = re.compile(r"([^/\[\]]+)(?:\[([1-9][0-9]*)\])?\Z")


def parse_path(path: str) -> Steps | None:
    """The steps of an element path such as ``/orders/order[3]/id``, or ``None``."""
    if not path.startswith("/") or path == "/":
        return None
    steps = []
    for part in path[1:].split("/"):
        found = _STEP.match(part)
        if found is None:
            return None
        steps.append((found.group(1), int(found.group(2) or 1)))
    return tuple(steps)


class _Done(Exception):
    """Every wanted start tag is found: the reading can stop."""


class _Node:
    __slots__ = ("children", "steps")

    def __init__(self, steps: Steps) -> None:
        self.children: dict[tuple[str, int], _Node] = {}
        self.steps = steps


def start_tags(
    source: bytes | str | IO[bytes], paths: Iterable[Steps]
) -> dict[Steps, tuple[int, int]]:
    """The line and column of each path's start tag in ``source`` (bytes, text, or a binary
    file read from where it is), or of its closest ancestor's; paths not reached are left
    out (the text is not XML expat reads, in an encoding it does not know, say)."""
    wanted = set(paths)
    if not wanted:
        return {}
    root = _Node(())
    for steps in wanted:
        node = root
        for depth, step in enumerate(steps):
            child = node.children.get(step)
            if child is None:
                child = node.children[step] = _Node(steps[: depth + 1])
            node = child
    reached: dict[Steps, tuple[int, int]] = {}
    left = {prefix for steps in wanted for prefix in (steps[:n] for n in range(1, len(steps) + 1))}
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    # Per open element: the wanted node it is (None: none below it is wanted) and how many
    # children of each name it has had so far.
    stack: list[tuple[_Node | None, dict[str, int]]] = [(root, {})]
    outside = _OUTSIDE

    def start(name: str, attributes: Any) -> None:
        node, counts = stack[-1]
        if node is None:
            stack.append(outside)
            return
        position = counts.get(name, 0) + 1
        counts[name] = position
        child = node.children.get((name, position))
        if child is None:
            stack.append(outside)
            return
        reached[child.steps] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        left.discard(child.steps)
        if not left:
            raise _Done
        stack.append((child, {}))

    def end(name: str) -> None:
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        if isinstance(source, bytes | str):
            parser.Parse(source, True)
        else:
            parser.ParseFile(source)
    except (_Done, expat.ExpatError, ValueError, OSError):
        pass  # found all, or read what expat could: what was reached stands
    found: dict[Steps, tuple[int, int]] = {}
    for steps in wanted:
        for length in range(len(steps), 0, -1):
            if steps[:length] in reached:
                found[steps] = reached[steps[:length]]
                break
    return found


_OUTSIDE: tuple[_Node | None, dict[str, int]] = (None, {})
