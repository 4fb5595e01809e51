"""JSON text in and out, keeping every number's text and refusing what JSON should not hold.

Reading gives plain Python values: ``dict`` (member order kept), ``list``, ``str``, ``bool``,
``None``, ``int`` for integers, ``Decimal`` for plain fractions (``10.50`` stays ``10.50``) and
:class:`~ordermap.values.JsonNumber` for number text neither keeps (``1e5``, ``-0``). Duplicate
keys, ``NaN``/``Infinity``, numbers longer than the limit, byte order marks, UTF-16/32 and
invalid UTF-8 are refused with a :class:`~ordermap.errors.DecodeError` naming line and column.

Writing takes the same values back and never goes through ``float``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

from ._convert import Members, fail
from .errors import DecodeError, Location, Problem
from .limits import Limits
from .values import JsonNumber

__all__ = ["emit", "parse", "to_text"]


def _problem(
    code: str, message: str, line: int | None = None, column: int | None = None
) -> Problem:
    return Problem(code, message, Location(pointer="", line=line, column=column))


def _line_col(text: str | bytes, offset: int) -> tuple[int, int]:
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


def to_text(data: bytes | str, format: str) -> str:
    """Decode JSON input bytes as UTF-8 (RFC 8259), refusing byte order marks and UTF-16/32."""
    if isinstance(data, str):
        return data
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise DecodeError(
                [
                    _problem(
                        "encoding",
                        f"input starts with {name}; JSON must be UTF-8 without a BOM",
                        1,
                        1,
                    )
                ],
                format=format,
            )
    if len(data) >= 2 and (data[0] == 0 or data[1] == 0):
        raise DecodeError(
            [_problem("encoding", "input looks like UTF-16 or UTF-32; JSON must be UTF-8", 1, 1)],
            format=format,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
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
                raise _Refused("duplicate-key", f"duplicate member {key!r} in an object")
            seen.add(key)
    return obj


def _constant(name: str) -> Any:
    raise _Refused("not-a-number", f"{name} is not a JSON number")


def _decoder(limits: Limits) -> json.JSONDecoder:
    digits = limits.max_number_digits

    def parse_int(text: str) -> int | JsonNumber:
        if len(text) > digits:
            raise _Refused("number-too-long", f"a number with more than {digits} characters")
        if text == "-0":
            return JsonNumber(text)
        return int(text)

    def parse_float(text: str) -> Decimal | JsonNumber:
        if len(text) > digits:
            raise _Refused("number-too-long", f"a number with more than {digits} characters")
        if "e" in text or "E" in text:
            return JsonNumber(text)
        return Decimal(text)

    return json.JSONDecoder(
        object_pairs_hook=_pairs,
        parse_float=parse_float,
        parse_int=parse_int,
        parse_constant=_constant,
    )


def parse(data: bytes | str, limits: Limits, format: str) -> Any:
    """Parse JSON input into plain values, or raise :class:`DecodeError`."""
    if len(data) > limits.max_bytes:
        raise DecodeError(
            [_problem("too-large", f"input is larger than {limits.max_bytes} bytes")], format=format
        )
    text = to_text(data, format)
    if not text.strip():
        raise DecodeError([_problem("empty", "input is empty", 1, 1)], format=format)
    try:
        return _decoder(limits).decode(text)
    except json.JSONDecodeError as exc:
        problem = _problem("json-syntax", f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)
    except _Refused as exc:
        problem = _problem(exc.code, exc.message)
    except RecursionError:
        problem = _problem("too-deep", "JSON nested too deeply to read")
    raise DecodeError([problem], format=format)


def emit(
    value: Any, indent: int | None = None, *, ascii_only: bool = False, level: int = 0
) -> bytes:
    """Write plain values (as :func:`parse` makes them) as UTF-8 JSON text.

    Lone surrogates, which UTF-8 cannot carry, make the whole text fall back to ``\\u``
    escapes, so the value always survives; ``ascii_only`` asks for those escapes throughout.
    ``level`` indents the text as a value that many levels deep (for a value written inside
    a document that is streamed piece by piece).
    """
    parts: list[str] = []
    if ascii_only:
        _emit(value, parts, encode_basestring_ascii, indent, level)
        return "".join(parts).encode("ascii")
    _emit(value, parts, encode_basestring, indent, level)
    text = "".join(parts)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        parts = []
        _emit(value, parts, encode_basestring_ascii, indent, level)
        return "".join(parts).encode("ascii")


def _emit(value: Any, out: list[str], string: Any, indent: int | None, level: int) -> None:
    kind = type(value)
    if kind is str:
        out.append(string(value))
    elif kind is Members or isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        members = value if kind is Members else value.items()
        if indent is None:
            out.append("{")
            first = True
            for key, item in members:
                if not first:
                    out.append(",")
                first = False
                out.append(string(key))
                out.append(":")
                _emit(item, out, string, indent, level)
            out.append("}")
        else:
            spacer = "\n" + " " * (indent * (level + 1))
            out.append("{")
            first = True
            for key, item in members:
                out.append(spacer if first else "," + spacer)
                first = False
                out.append(string(key))
                out.append(": ")
                _emit(item, out, string, indent, level + 1)
            out.append("\n" + " " * (indent * level) + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        pad = None if indent is None else "\n" + " " * (indent * (level + 1))
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            if pad is not None:
                out.append(pad)
            _emit(item, out, string, indent, level + 1)
        if pad is not None:
            out.append("\n" + " " * (indent * level))  # type: ignore[operator]
        out.append("]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is Decimal:
        if not value.is_finite():
            fail("not-a-number", "NaN and infinity cannot be written as JSON numbers", value)
        out.append(format(value, "f"))
    elif kind is JsonNumber:
        out.append(value.text)
    else:
        fail("wrong-type", f"cannot write a {kind.__name__} as JSON", value)
