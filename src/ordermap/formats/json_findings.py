"""Where things are in JSON text: a small scanner that knows positions and paths.

The standard library's parser refuses a document without saying where the refused construct
sits; :func:`findings` reads the text again and names each refusal (and each lone surrogate
escape, which validation reports) with its line, column and JSON Pointer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]  # not in typeshed
from typing import Any

from attrs import frozen

from ..errors import Location, Problem, preview
from ..limits import Limits
from ..places import TOP, Place


@frozen
class Finding:
    """Something :func:`findings` found in a JSON text, and where."""

    code: str
    message: str
    path: list[str | int]
    line: int
    column: int

    def problem(self, place: Place = TOP) -> Problem:
        """The finding as an error record with its JSON Pointer, line and column (in the
        input, when the text is at ``place`` in a stream)."""
        line, column = place.position(self.line, self.column)
        return Problem(
            self.code, self.message, Location(place.point(self.path), None, line, column)
        )


_TOKEN = re.compile(
    r"[ \t\n\r]*(?:"
    r'(?P<string>"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*")'
    r"|(?P<open>[{\[])|(?P<close>[}\]])|(?P<comma>,)|(?P<colon>:)"
    r"|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"
    r"|(?P<constant>NaN|-?Infinity)|(?P<literal>true|false|null))"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_TEXT = re.compile(r"\\u[dD][89a-fA-F]")

# What the scanner expects next; the first two are the states in which a value may come.
_VALUE, _FIRST_VALUE, _KEY, _FIRST_KEY, _COLON, _AFTER = range(6)


def has_lone_surrogate_escape(data: bytes | str) -> bool:
    """Whether a JSON text may hold a lone surrogate: a fast test, true for paired ones too."""
    if isinstance(data, str):
        return bool(_SURROGATE.search(data) or _SURROGATE_ESCAPE_TEXT.search(data))
    return _SURROGATE_ESCAPE.search(data) is not None


def _string(token: str) -> str:
    """The text of a string token (whose escapes the token pattern has checked)."""
    if "\\" not in token:
        return token[1:-1]
    return scanstring(token, 1, True)[0]  # type: ignore[no-any-return]


def findings(text: str, limits: Limits, *, depth: bool = False) -> Iterator[Finding]:
    """What a JSON text holds that ordermap refuses or warns about, in document order.

    Duplicate members, ``NaN``/``Infinity``, numbers longer than ``limits.max_number_digits``,
    strings or member names holding a lone surrogate (``lone-surrogate``: kept, but worth a
    warning) and, with ``depth``, the place where the nesting passes ``limits.max_depth``
    levels from the top of the document (for a document too deep for the parser; the scan
    ends there). Each comes with its path, line and column. The scan stops quietly where the
    text stops being JSON; the parser reports that.
    """
    digits = limits.max_number_digits
    depth_limit = limits.max_depth if depth else len(text)
    # Per open container: whether it is an object, the key or index being read, and (for
    # objects) the keys seen so far.
    stack: list[list[Any]] = []
    expect = _VALUE
    pos = 0
    line, line_start, counted = 1, 0, 0

    def _found(code: str, message: str, offset: int) -> Finding:
        nonlocal line, line_start, counted
        newlines = text.count("\n", counted, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted, offset) + 1
        counted = offset
        return Finding(code, message, [entry[1] for entry in stack], line, offset - line_start + 1)

    match_token = _TOKEN.match
    while True:
        match = match_token(text, pos)
        if match is None:
            return
        kind = match.lastgroup
        pos = match.end()
        if kind == "string":
            token = match.group(kind)
            start = pos - len(token)
            odd = "\\u" in token or _SURROGATE.search(token) is not None
            if expect in (_KEY, _FIRST_KEY):
                top = stack[-1]
                key = _string(token)
                top[1] = key
                if key in top[2]:
                    yield _found(
                        "duplicate-key", f"duplicate member {preview(key)} in an object", start
                    )
                top[2].add(key)
                expect = _COLON
            elif expect > _FIRST_VALUE:
                return
            if odd and _SURROGATE.search(_string(token)) is not None:
                yield _found(
                    "lone-surrogate",
                    "text holds a lone surrogate (an unpaired \\ud800-\\udfff escape), "
                    "which is not a Unicode character",
                    start,
                )
            if expect == _COLON:
                continue
        elif kind == "open":
            if expect > _FIRST_VALUE:
                return
            if len(stack) >= depth_limit:
                yield _found(
                    "too-deep",
                    f"JSON nested too deeply to read: this value is more than {depth_limit} "
                    "levels down",
                    pos - 1,
                )
                return
            if text[pos - 1] == "{":
                stack.append([True, None, set()])
                expect = _FIRST_KEY
            else:
                stack.append([False, 0, None])
                expect = _FIRST_VALUE
            continue
        elif kind == "close":
            if not stack:
                return
            is_object = stack[-1][0]
            if is_object != (text[pos - 1] == "}"):
                return
            if expect != _AFTER and expect != (_FIRST_KEY if is_object else _FIRST_VALUE):
                return
            stack.pop()
        elif kind == "comma":
            if expect != _AFTER or not stack:
                return
            top = stack[-1]
            if top[0]:
                expect = _KEY
            else:
                top[1] += 1
                expect = _VALUE
            continue
        elif kind == "colon":
            if expect != _COLON:
                return
            expect = _VALUE
            continue
        else:
            if expect > _FIRST_VALUE:
                return
            if kind == "constant":
                token = match.group(kind)
                yield _found("not-a-number", f"{token} is not a JSON number", pos - len(token))
            elif kind == "number" and pos - match.start(kind) > digits:
                yield _found(
                    "number-too-long",
                    f"a number with more than {digits} characters",
                    match.start(kind),
                )
        # A value has ended.
        if not stack:
            return
        expect = _AFTER
