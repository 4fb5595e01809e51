"""Reading JSON text, keeping every number's text and refusing what JSON should not hold.

Reading gives plain Python values: ``dict`` (member order kept), ``list``, ``str``, ``bool``,
``None``, ``int`` for integers, ``Decimal`` for plain fractions (``10.50`` stays ``10.50``) and
:class:`~ordermap.values.JsonNumber` for number text neither keeps (``1e5``, ``-0``). Duplicate
keys, ``NaN``/``Infinity``, numbers longer than the limit, nesting deeper than the limit, byte
order marks, UTF-16/32, gzip and invalid UTF-8 are refused with a
:class:`~ordermap.errors.DecodeError` naming line and column (and the JSON Pointer, where the
text could be read that far).

The standard library's parser does the reading; it cannot say where a construct it was
asked to refuse sits, so a refused document is read a second time by
:func:`~ordermap.formats.json_findings.findings` to place each refusal.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..errors import DecodeError, Location, Problem, preview
from ..limits import Limits
from ..places import TOP, Place
from ..values import JsonNumber
from .json_findings import findings

_GZIP = b"\x1f\x8b"


def _problem(
    code: str,
    message: str,
    line: int | None = None,
    column: int | None = None,
    at: str | None = None,
) -> Problem:
    return Problem(code, message, Location(pointer=at, line=line, column=column))


def line_col(text: str | bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column of an offset into a text (characters, or bytes for bytes)."""
    newline = "\n" if isinstance(text, str) else b"\n"
    line = text.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    start = text.rfind(newline, 0, offset) + 1  # type: ignore[arg-type]
    return line, offset - start + 1


_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xef\xbb\xbf", "a UTF-8 byte order mark"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


def to_text(data: bytes | str, format: str, place: Place = TOP) -> str:
    """Decode JSON input bytes as UTF-8 (RFC 8259), refusing byte order marks and UTF-16/32.

    Problems are located at ``place`` (where the text is in a stream).
    """
    if isinstance(data, str):
        return data
    start = place.position(1, 1)
    if data.startswith(_GZIP):
        raise DecodeError(
            [_problem("compressed", "input is gzip-compressed; decompress it first", *start)],
            format=format,
        )
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise DecodeError(
                [
                    _problem(
                        "encoding",
                        f"input starts with {name}; JSON must be UTF-8 without a BOM",
                        *start,
                    )
                ],
                format=format,
            )
    if len(data) >= 2 and (data[0] == 0 or data[1] == 0):
        raise DecodeError(
            [_problem("encoding", "input looks like UTF-16 or UTF-32; JSON must be UTF-8", *start)],
            format=format,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = place.position(*line_col(data, exc.start))
        raise DecodeError(
            [_problem("encoding", f"invalid UTF-8 byte 0x{data[exc.start]:02x}", line, col)],
            format=format,
        ) from None


class _Refused(Exception):
    """A JSON construct refused while parsing (the parser's own position is unknown)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused("duplicate-key", f"duplicate member {preview(key)} in an object")
            seen.add(key)
    return obj


def _constant(name: str) -> Any:
    raise _Refused("not-a-number", f"{name} is not a JSON number")


def _too_long(digits: int) -> _Refused:
    return _Refused("number-too-long", f"a number with more than {digits} characters")


def _decoder(limits: Limits) -> json.JSONDecoder:
    digits = limits.max_number_digits

    def parse_int(text: str) -> int | JsonNumber:
        if len(text) > digits:
            raise _too_long(digits)
        if text == "-0":
            return JsonNumber(text)
        try:
            return int(text)
        except ValueError:  # past Python's own cap on integer digits (CVE-2020-10735)
            raise _too_long(digits) from None

    def parse_float(text: str) -> Decimal | JsonNumber:
        if len(text) > digits:
            raise _too_long(digits)
        if "e" in text or "E" in text:
            return JsonNumber(text)
        return Decimal(text)

    return json.JSONDecoder(
        object_pairs_hook=_pairs,
        parse_float=parse_float,
        parse_int=parse_int,
        parse_constant=_constant,
    )


def parse(data: bytes | str, limits: Limits, format: str, place: Place = TOP) -> Any:
    """Parse JSON input into plain values, or raise :class:`DecodeError`.

    ``place`` is where the text is in a stream: problems are located in the whole input.
    """
    if len(data) > limits.max_bytes:
        raise DecodeError(
            [
                _problem(
                    "too-large", f"input is larger than {limits.max_bytes} bytes", at=place.point()
                )
            ],
            format=format,
        )
    text = to_text(data, format, place)
    if not text.strip():
        raise DecodeError(
            [_problem("empty", "input is empty", *place.position(1, 1))], format=format
        )
    try:
        return _decoder(limits).decode(text)
    except json.JSONDecodeError as exc:
        line, column = place.position(exc.lineno, exc.colno)
        problem = _problem("json-syntax", f"not valid JSON: {exc.msg}", line, column)
        raise DecodeError([problem], format=format) from None
    except _Refused as exc:
        problem = _problem(exc.code, exc.message)
    except RecursionError:
        problem = _problem("too-deep", "JSON nested too deeply to read")
    problems, omitted = _placed(text, limits, place, depth=problem.code == "too-deep")
    raise DecodeError(problems or [problem], format=format, omitted=omitted)


def _placed(text: str, limits: Limits, place: Place, *, depth: bool) -> tuple[list[Problem], int]:
    """The refused constructs of a text, located at ``place``, capped: (problems, how many
    left out)."""
    problems: list[Problem] = []
    count = 0
    for finding in findings(text, limits, depth=depth):
        if finding.code == "lone-surrogate":
            continue
        count += 1
        if count <= limits.max_problems:
            problems.append(finding.problem(place))
    if count > limits.max_problems:
        note = f"{count - limits.max_problems} more problems not shown"
        problems.append(Problem("too-many-problems", note, problems[-1].location))
    return problems, max(count - limits.max_problems, 0)
