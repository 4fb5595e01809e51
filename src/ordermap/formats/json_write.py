"""Writing JSON text from plain values, never through ``float``.

The format encoders write with orjson (a runtime dependency for this reason alone): it gives
the same bytes as the writer here at about twice its speed, number text going in as
``orjson.Fragment``. The writer here stays the authority: it writes whatever orjson cannot
write the same way (an integer past 64 bits, a lone surrogate, ASCII escapes, an indent other
than two, a type orjson would write but this writer refuses) and raises every error, so
orjson's answer is taken only where it is known to be the same (see :func:`emit`).
:func:`emit_around` writes a page with a hole where its orders go.
"""

from __future__ import annotations

from decimal import Decimal
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

import orjson

from ..binding import Members, fail
from ..values import JsonNumber


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
