"""The top-level verbs: detect a document's format, decode it, encode it.

:func:`decode` has overloads, so that type checkers know the class a format and kind give
(``decode(data, "dexero-xml", kind="page")`` is a ``DexeroOrderPage``) and refuse a format
or kind that does not exist; the document it returns remembers its format
(:mod:`ordermap.provenance`).
"""

from __future__ import annotations

from typing import Any, Literal, cast, overload

from attrs import frozen

from . import formats
from .binding import paused_gc
from .errors import DecodeError, EncodeError, Location, Problem
from .formats import json_read
from .limits import DEFAULT_LIMITS, Limits
from .model import (
    DexeroOrder,
    DexeroOrderPage,
    Document,
    TalkdeskErrorBody,
    TalkdeskOrder,
    TalkdeskOrderPage,
)
from .names import (
    DexeroFormat,
    FormatName,
    Kind,
    TalkdeskFormat,
    expect_data,
    expect_kind,
    expect_limits,
    expect_name,
)
from .places import TOP, Place
from .provenance import format_of, remember

__all__ = ["Detection", "decode", "detect", "encode", "format_of", "formats_for"]

_GZIP = b"\x1f\x8b"


@frozen
class Detection:
    """What a document is: its format name and kind (``page``, ``order`` or ``error``)."""

    format: FormatName
    kind: Kind


def _first_byte(data: bytes | str) -> str:
    if isinstance(data, str):
        head = data[:4096]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = data[2:4096].decode("utf-16-le" if data[0] == 0xFF else "utf-16-be", "replace")
    else:
        head = data[:4096].decode("latin-1")
    head = head.removeprefix("\ufeff").removeprefix("\xef\xbb\xbf").lstrip(" \t\r\n")
    return head[:1]


def _problem(code: str, message: str) -> DecodeError:
    return DecodeError([Problem(code, message, Location(line=1, column=1))])


def _sniff(data: bytes | str) -> str:
    """``"xml"`` or ``"json"`` from the first significant character, or a clear error."""
    if isinstance(data, bytes) and data.startswith(_GZIP):
        raise _problem("compressed", "input is gzip-compressed; decompress it first")
    first = _first_byte(data)
    if first == "<":
        return "xml"
    if first in ("{", "["):
        return "json"
    if not first:
        raise _problem("empty", "input is empty")
    if isinstance(data, bytes) and (data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in data[:4]):
        # A byte order mark, or a NUL among the first bytes: UTF-16 or UTF-32 text.
        raise _problem("encoding", "input is UTF-16 or UTF-32; JSON must be UTF-8")
    raise _problem("unknown-format", "input is neither JSON (starts with '{') nor XML ('<')")


def _classify(parsed: Any, syntax: str) -> Detection | None:
    """The first registered format of ``syntax`` that knows the parsed document."""
    for module in formats.formats_of_syntax(syntax):
        kind = module.classify(parsed)
        if kind is not None:
            # A format registered at run time has a name the Literal does not list.
            return Detection(cast("FormatName", module.FORMAT), cast("Kind", kind))
    return None


def _unknown(parsed: Any, syntax: str) -> DecodeError:
    if syntax == "xml":
        # Every XML format knows its root elements; this one is none of them.
        return DecodeError(
            [Problem("unknown-document", f"unknown root element <{parsed.tag}>", Location(line=1))],
            format=_first_of(syntax),
        )
    what = (
        "a JSON object"
        if type(parsed) is dict
        else "a JSON " + ("array" if type(parsed) is list else "scalar")
    )
    return DecodeError(
        [
            Problem(
                "unknown-document",
                f"{what} that is neither a Talkdesk document (_embedded, id/order_number, "
                "code/message) nor a Dexero envelope (orders or order)",
                Location(pointer=""),
            )
        ]
    )


def _first_of(syntax: str) -> str | None:
    return next((m.FORMAT for m in formats.formats_of_syntax(syntax)), None)


def _parse(
    data: bytes | str, limits: Limits, place: Place = TOP
) -> tuple[Any, str, Detection | None]:
    """Parse input once by its syntax: the parsed form, the syntax, and what it is."""
    syntax = _sniff(data)
    parser = _first_of(syntax)
    if parser is None:
        raise _problem("unknown-format", f"no {syntax.upper()} format is registered")
    if syntax == "xml":
        parsed = formats.get(parser).parse(data, limits, place)
    else:
        parsed = json_read.parse(data, limits, "json", place)
    return parsed, syntax, _classify(parsed, syntax)


def detect(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS) -> Detection:
    """Tell the format and kind of a document from its content.

    Raises:
        DecodeError: The input is not JSON or XML, or matches no known document.
        TypeError: ``data`` is neither bytes nor text.
    """
    data = expect_data(data)
    expect_limits(limits)
    parsed, syntax, found = _parse(data, limits)
    if found is None:
        raise _unknown(parsed, syntax)
    return found


@overload
def decode(
    data: bytes | str, format: DexeroFormat, *, kind: Literal["page"], limits: Limits = ...
) -> DexeroOrderPage: ...
@overload
def decode(
    data: bytes | str, format: DexeroFormat, *, kind: Literal["order"], limits: Limits = ...
) -> DexeroOrder: ...
@overload
def decode(
    data: bytes | str, format: DexeroFormat, *, kind: None = ..., limits: Limits = ...
) -> DexeroOrderPage | DexeroOrder: ...
@overload
def decode(
    data: bytes | str, format: TalkdeskFormat, *, kind: Literal["page"], limits: Limits = ...
) -> TalkdeskOrderPage: ...
@overload
def decode(
    data: bytes | str, format: TalkdeskFormat, *, kind: Literal["order"], limits: Limits = ...
) -> TalkdeskOrder: ...
@overload
def decode(
    data: bytes | str, format: TalkdeskFormat, *, kind: Literal["error"], limits: Limits = ...
) -> TalkdeskErrorBody: ...
@overload
def decode(
    data: bytes | str, format: TalkdeskFormat, *, kind: None = ..., limits: Limits = ...
) -> TalkdeskOrderPage | TalkdeskOrder | TalkdeskErrorBody: ...
@overload
def decode(
    data: bytes | str, format: None = ..., *, kind: Literal["page"], limits: Limits = ...
) -> DexeroOrderPage | TalkdeskOrderPage: ...
@overload
def decode(
    data: bytes | str, format: None = ..., *, kind: Literal["order"], limits: Limits = ...
) -> DexeroOrder | TalkdeskOrder: ...
@overload
def decode(
    data: bytes | str, format: None = ..., *, kind: Literal["error"], limits: Limits = ...
) -> TalkdeskErrorBody: ...
@overload
def decode(
    data: bytes | str,
    format: FormatName | None = ...,
    *,
    kind: Kind | None = ...,
    limits: Limits = ...,
) -> Document: ...
def decode(
    data: bytes | str,
    format: FormatName | None = None,
    *,
    kind: Kind | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Document:
    """Read a document in any format.

    The overloads give type checkers the class to expect: ``decode(data, "dexero-xml",
    kind="page")`` is a :class:`~ordermap.DexeroOrderPage`, ``decode(data, "dexero-xml")`` a
    Dexero page or order, and a format or kind that does not exist is a type error.

    Args:
        data: The document, as bytes (preferred; a ``bytearray`` or ``memoryview`` will do)
            or text.
        format: A registered format name (``talkdesk-json``, ``dexero-json``,
            ``dexero-xml``); detected when omitted.
        kind: ``page``, ``order`` or ``error``; detected when omitted.
        limits: Bounds on size, depth and number length.

    Returns:
        A ``TalkdeskOrderPage``, ``TalkdeskOrder``, ``TalkdeskErrorBody``,
        ``DexeroOrderPage`` or ``DexeroOrder``, which remembers the format it was read as
        (:func:`format_of`).

    Raises:
        DecodeError: The input cannot be read as the format.
        ValidationError: The input breaks the format's rules; every problem is listed.
        TypeError: An argument of the wrong type (a file or a path for ``data``, say).
        ValueError: An unknown format name, or a kind the format does not hold.
    """
    data = expect_data(data)
    expect_name("format", format, optional=True)
    expect_kind(kind)
    expect_limits(limits)
    if kind is not None:
        kinds = ("page", "order", "error") if format is None else tuple(_module(format).KINDS)
        if kind not in kinds:
            raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(kinds)}")
    document, read_as = decode_as(data, format, kind=kind, limits=limits)
    remember(document, read_as)
    return document


def parse_as(
    data: bytes | str,
    format: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    place: Place = TOP,
) -> tuple[formats.FormatModule, Any, str | None]:
    """Parse input once: its format module, the parsed form, and its kind when detected
    (problems located at ``place``).

    Raises:
        DecodeError: The input cannot be parsed, or matches no registered format.
    """
    if format is not None:
        module = _module(format)
        return module, module.parse(data, limits, place), None
    parsed, syntax, found = _parse(data, limits, place)
    if found is None:
        if syntax == "xml":
            # The XML format reports the root element it expected, with its path and line.
            return formats.get(str(_first_of(syntax))), parsed, None
        raise _unknown(parsed, syntax)
    return formats.get(found.format), parsed, found.kind


@paused_gc()
def decode_as(
    data: bytes | str,
    format: str | None = None,
    *,
    kind: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    place: Place = TOP,
) -> tuple[Document, str]:
    """Like :func:`decode`, also returning the format the document was read as.

    ``place`` is where the document is inside a stream (a line of newline-delimited JSON):
    its problems are located there.
    """
    module, parsed, found = parse_as(data, format, limits, place)
    document: Document = module.decode_parsed(parsed, kind or found, limits, place)
    return document, module.FORMAT


def kind_of(document: Document) -> str:
    """``page``, ``order`` or ``error``: the kind of a document."""
    for module in formats.FORMATS.values():
        for kind, cls in module.KINDS.items():
            if type(document) is cls:
                return str(kind)
    raise TypeError(f"not a document: {type(document).__name__}")


def formats_for(document: Document) -> tuple[str, ...]:
    """The formats that can write a document as it is (without translation)."""
    kind = type(document)
    return tuple(
        module.FORMAT for module in formats.FORMATS.values() if kind in module.KINDS.values()
    )


@paused_gc()
def encode(document: Document, format: str, *, indent: int | None = None) -> bytes:
    """Write a document in a format (``ordermap.encode`` is this with the format typed as a
    ``Literal``; the engine calls this one with the names it holds).

    Args:
        document: A document read by :func:`decode` or built from the model classes.
        format: ``talkdesk-json``, ``dexero-json`` or ``dexero-xml``.
        indent: Spaces per nesting level; ``None`` writes compactly.

    Raises:
        EncodeError: The document cannot be written in the format (a value it cannot hold,
            or a Talkdesk document asked for in a Dexero format).
        TypeError: An argument of the wrong type (bytes for the document, say).
        ValueError: An unknown format name.
    """
    expect_name("format", format)
    module = _module(format)
    if indent is not None and not isinstance(indent, int):
        raise TypeError(f"indent must be a number of spaces (int) or None, not {indent!r}")
    # The same test as ``format in formats_for(document)``, without importing every format.
    if type(document) not in module.KINDS.values():
        if not any(type(document) in each.KINDS.values() for each in formats.FORMATS.values()):
            raise TypeError(
                "document must be an order, page or error body of the model (as "
                f"ordermap.decode returns), not {type(document).__name__}"
            )
        raise EncodeError(
            [
                Problem(
                    "needs-translation",
                    f"a {type(document).__name__} cannot be written as {format} as it is; "
                    "translate it between Talkdesk and Dexero first",
                )
            ],
            format=format,
        )
    output: bytes = module.encode(document, indent=indent)
    return output


def _module(format: str) -> formats.FormatModule:
    return formats.get(format)
