"""JSON text in and out, keeping every number's text and refusing what JSON should not hold.

Reading gives plain Python values: ``dict`` (member order kept), ``list``, ``str``, ``bool``,
``None``, ``int`` for integers, ``Decimal`` for plain fractions (``10.50`` stays ``10.50``) and
:class:`~ordermap.values.JsonNumber` for number text neither keeps (``1e5``, ``-0``). Duplicate
keys, ``NaN``/``Infinity``, numbers longer than the limit, nesting deeper than the limit, byte
order marks, UTF-16/32, gzip and invalid UTF-8 are refused with a
:class:`~ordermap.errors.DecodeError` naming line and column (and the JSON Pointer, where the
text could be read that far).

The standard library's parser does the reading; it cannot say where a construct it was
asked to refuse sits, so a refused document is read a second time by :func:`findings`, a
small scanner that knows positions and paths, to place each refusal.

Writing takes the same values back and never goes through ``float``. The format encoders
write with orjson (a runtime dependency for this reason alone): it gives the same bytes as
the writer here at about twice its speed, number text going in as ``orjson.Fragment``. The
writer here stays the authority: it writes whatever orjson cannot write the same way (an
integer past 64 bits, a lone surrogate, ASCII escapes, an indent other than two, a type
orjson would write but this writer refuses) and raises every error, so orjson's answer is
taken only where it is known to be the same (see :func:`emit`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from json.decoder import scanstring  # type: ignore[attr-defined]  # not in typeshed
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

import orjson
from attrs import frozen

from ._place import TOP, Place
from .binding import Members, fail
from .errors import DecodeError, Location, Problem, preview
from .limits import Limits
from .values import JsonNumber

__all__ = [
    "Finding",
    "emit",
    "findings",
    "has_lone_surrogate_escape",
    "line_col",
    "parse",
    "to_text",
]

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


# --- finding where things are ------------------------------------------------------------


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


class _Hole:
    """Where a page's orders go when its envelope is written apart from them."""

    def __repr__(self) -> str:
        return "<orders>"


HOLE: Any = _Hole()
"""Put in a value's place, :func:`emit_around` writes the text before it and after it."""


class _Cut:
    __slots__ = ("level",)

    def __init__(self, level: int) -> None:
        self.level = level


def emit_around(value: Any, indent: int | None = None) -> tuple[bytes, bytes, int]:
    """Write a value holding :data:`HOLE` once; returns the text before the hole, the text
    after it, and how many levels deep the hole sits (for the indentation of what fills it).

    The text falls back to ``\\u`` escapes as :func:`emit` does, both parts together.
    """
    for string in (encode_basestring, encode_basestring_ascii):
        parts: list[Any] = []
        _emit(value, parts, string, indent, 0)
        cuts = [index for index, part in enumerate(parts) if type(part) is _Cut]
        if len(cuts) != 1:
            raise ValueError(f"expected one hole in the value, found {len(cuts)}")
        (cut,) = cuts
        try:
            head = "".join(parts[:cut]).encode("utf-8")
            tail = "".join(parts[cut + 1 :]).encode("utf-8")
        except UnicodeEncodeError:
            continue
        return head, tail, parts[cut].level
    raise AssertionError("ASCII escapes always encode")  # pragma: no cover


def emit(
    value: Any,
    indent: int | None = None,
    *,
    ascii_only: bool = False,
    level: int = 0,
    plain: bool = False,
) -> bytes:
    """Write plain values (as :func:`parse` makes them) as UTF-8 JSON text.

    Lone surrogates, which UTF-8 cannot carry, make the whole text fall back to ``\\u``
    escapes, so the value always survives; ``ascii_only`` asks for those escapes throughout.
    ``level`` indents the text as a value that many levels deep (for a value written inside
    a document that is streamed piece by piece).

    ``plain`` says that the value holds no type that orjson writes on its own but this
    writer refuses (``float``, an ``Enum``, a ``UUID``, an ``orjson.Fragment``): true of what
    the formats' unstructure hooks make when they noted no odd free-form value. Only then is
    orjson asked, and its text is kept only when it wrote everything the way this writer
    would; anything else (and every error) is left to the writer here.
    """
    if plain and not ascii_only and (indent is None or (type(indent) is int and indent == 2)):
        try:
            data = orjson.dumps(
                value,
                default=_orjson_default,
                option=_ORJSON_OPTIONS if indent is None else _ORJSON_INDENTED,
            )
        except orjson.JSONEncodeError:
            pass  # something only the writer here writes, or an error it raises itself
        else:
            if indent is not None and level and b"\n" in data:
                data = data.replace(b"\n", b"\n" + b" " * (indent * level))
            return data
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


# orjson hands these to _orjson_default instead of writing them its own way: subclasses of
# str, int, list and dict (which _emit refuses, all but dict's and Members), datetimes and
# dataclasses (refused by _emit).
_ORJSON_OPTIONS = (
    orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
_ORJSON_INDENTED = _ORJSON_OPTIONS | orjson.OPT_INDENT_2


class _NotSame(Exception):
    """A value that orjson would not write as :func:`_emit` does."""


def _orjson_default(value: Any) -> Any:
    """What orjson writes for a value it does not know, as :func:`_emit` writes it.

    Number text goes in verbatim as a fragment; the members of an object being written
    become a ``dict`` (unless a key repeats, which a ``dict`` cannot hold). Anything else
    stops orjson, and :func:`_emit` writes the value or refuses it.
    """
    kind = type(value)
    if kind is Decimal:
        if value.is_finite():
            return orjson.Fragment(format(value, "f"))
    elif kind is Members:
        members = dict(value)
        if len(members) == len(value):
            return members
    elif kind is JsonNumber:
        return orjson.Fragment(value.text)
    elif isinstance(value, dict):
        return dict(value.items())
    raise _NotSame


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
                _emit(item, out, string, indent, level + 1)
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
    elif value is HOLE:
        out.append(_Cut(level))  # type: ignore[arg-type]  # emit_around takes the parts apart
    else:
        fail("wrong-type", f"cannot write a {kind.__name__} as JSON", value)
