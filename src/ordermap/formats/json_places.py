"""Where a JSON Pointer's value starts in a JSON text: line and column, found only when asked.

Reading JSON keeps no positions (the standard library's parser gives none, and recording one
per value would cost every valid document what only a broken one needs). A problem carries
its JSON Pointer instead, and :func:`positions` reads the text once more for the pointers of
the problems found: it follows each pointer's path token by token, and jumps over every
value that holds none of them with the standard library's scanner, so the cost is that of
the branches named, not of the document.

A pointer names where its problem's offending token starts:

- a member or item that is there: the first character of its value (``"``, ``{``, a digit);
- with ``name=True`` (an unknown member): the opening quote of the member's name;
- a member or item that is not there (a missing member): the value of its closest ancestor
  that is (the ``{`` of the object it is missing from).

Lines and columns are 1-based; a column counts characters (code points) of its line, not
bytes, so ``é`` is one column (``specs/cli.md``).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from json.decoder import scanstring  # type: ignore[attr-defined]  # not in typeshed
from typing import Any

__all__ = ["Wanted", "offsets", "parse_pointer", "positions"]


def _nothing(pairs: object) -> None:
    return None


# Values that hold no wanted place are skipped by the C scanner, which is asked to build as
# little as it can (the text was read before: only its extent matters here): numbers and
# constants stay text, objects become nothing, which halves the cost of a skip. Its
# scan_once (not raw_decode, a Python wrapper) raises StopIteration where no value starts.
_SKIP = json.JSONDecoder(  # type: ignore[attr-defined]  # scan_once is not in typeshed
    parse_float=str, parse_int=str, parse_constant=str, object_pairs_hook=_nothing
).scan_once
_BLANK = frozenset(" \t\n\r")
_SPACE = re.compile(r"[ \t\n\r]*")

Wanted = tuple[tuple[str, ...], bool]
"""A place asked for: its path of keys and indexes (as text), and whether it names the
member's name rather than its value."""


def parse_pointer(pointer: str) -> tuple[str, ...] | None:
    """The path of an RFC 6901 JSON Pointer (``""`` is the root), or ``None`` if it is none."""
    if pointer == "":
        return ()
    if not pointer.startswith("/"):
        return None
    return tuple(step.replace("~1", "/").replace("~0", "~") for step in pointer[1:].split("/"))


class _Node:
    """A step of the wanted paths: what is wanted here, and the steps below."""

    __slots__ = ("children", "name", "value")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.value = False  # the value's start is wanted
        self.name = False  # the member name's start is wanted


def _trie(wanted: Iterable[Wanted]) -> _Node:
    root = _Node()
    for path, name in wanted:
        node = root
        for step in path:
            node = node.children.setdefault(step, _Node())
        if name and path:
            node.name = True
        else:
            node.value = True
    return root


def positions(text: str, wanted: Iterable[Wanted]) -> dict[Wanted, tuple[int, int]]:
    """The 1-based line and column in ``text`` of each wanted place (see the module
    docstring); a place whose path is not there gets its closest ancestor's value.

    ``text`` must be JSON that was read without error. A text that stops being JSON where
    a path leads (which a caller should not pass) leaves the places below unfound.
    """
    return _lines(text, offsets(text, wanted))


def offsets(text: str, wanted: Iterable[Wanted]) -> dict[Wanted, int]:
    """Where each wanted place starts in ``text``, as an offset (see :func:`positions`)."""
    asked = list(dict.fromkeys(wanted))
    if not asked:
        return {}
    offsets: dict[tuple[tuple[str, ...], bool], int] = {}
    reached: dict[tuple[str, ...], int] = {}  # each path prefix reached: its value's offset
    # Text that stops being JSON past some point leaves what was found before it standing.
    with contextlib.suppress(ValueError, IndexError, StopIteration):
        _walk(text, _SPACE.match(text, 0).end(), _trie(asked), (), offsets, reached)  # type: ignore[union-attr]
    found: dict[Wanted, int] = {}
    for path, name in asked:
        if (path, name) in offsets:
            found[path, name] = offsets[path, name]
            continue
        for length in range(len(path), -1, -1):
            if path[:length] in reached:
                found[path, name] = reached[path[:length]]
                break
    return found


def _walk(
    text: str,
    pos: int,
    node: _Node,
    path: tuple[str, ...],
    offsets: dict[tuple[tuple[str, ...], bool], int],
    reached: dict[tuple[str, ...], int],
) -> int:
    """Follow the wanted paths through the value at ``pos``; returns where it ends.

    White space is skipped with a test of one character before the pattern, since most
    machine-written JSON has none between tokens.
    """
    reached[path] = pos
    if node.value:
        offsets[path, False] = pos
    if not node.children:
        return _SKIP(text, pos)[1]  # type: ignore[no-any-return]
    space, blank = _SPACE.match, _BLANK
    char = text[pos]
    if char not in "{[":
        return _SKIP(text, pos)[1]  # type: ignore[no-any-return]  # nothing below a scalar
    closing = "}" if char == "{" else "]"
    pos += 1
    if text[pos] in blank:
        pos = space(text, pos).end()  # type: ignore[union-attr]
    if text[pos] == closing:
        return pos + 1
    index = 0
    while True:
        if char == "{":
            start = pos
            key, pos = scanstring(text, pos + 1, True)
            if text[pos] in blank:
                pos = space(text, pos).end()  # type: ignore[union-attr]
            if text[pos] != ":":
                raise ValueError("expected ':'")
            pos += 1
            if text[pos] in blank:
                pos = space(text, pos).end()  # type: ignore[union-attr]
        else:
            key = str(index)
            index += 1
        child = node.children.get(key)
        if child is None:
            pos = _SKIP(text, pos)[1]
        else:
            here = (*path, key)
            # A duplicate member: the first is the one a problem names.
            if char == "{" and child.name and (here, True) not in offsets:
                offsets[here, True] = start
            pos = _walk(text, pos, child, here, offsets, reached)
        if text[pos] in blank:
            pos = space(text, pos).end()  # type: ignore[union-attr]
        if text[pos] == closing:
            return pos + 1
        if text[pos] != ",":
            raise ValueError(f"expected ',' or {closing!r}")
        pos += 1
        if text[pos] in blank:
            pos = space(text, pos).end()  # type: ignore[union-attr]


def _lines(text: str, found: dict[Any, int]) -> dict[Any, tuple[int, int]]:
    """Offsets as 1-based lines and columns, counting line breaks once, in offset order."""
    located: dict[Any, tuple[int, int]] = {}
    line, line_start, counted = 1, 0, 0
    for key, offset in sorted(found.items(), key=lambda item: item[1]):
        newlines = text.count("\n", counted, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted, offset) + 1
        counted = offset
        located[key] = (line, offset - line_start + 1)
    return located
