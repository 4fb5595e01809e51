"""talkdesk-json: Talkdesk Retail Ecommerce Integration order JSON.

The short form of ``specs/talkdesk-json.md``. Documents: an order page
(``{"_embedded": {"orders": [...]}, "_links": {...}}``), a single order (the order object) and
an error body (``{"code", "message", "description"?, "fields"?}``).
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import cattrs

from ..binding import (
    Members,
    Profile,
    fail,
    free_mapping,
    inline,
    is_dict,
    never,
    note_free,
    paused_gc,
    register_model_hooks,
    register_scalar,
    shortcut,
)
from ..errors import DecodeError, Location, Problem, pointer, printable
from ..lexical import PLAIN_LIMIT, plain_decimal
from ..limits import DEFAULT_LIMITS, Limits
from ..model import TalkdeskErrorBody, TalkdeskOrder, TalkdeskOrderPage
from ..places import TOP, Place
from ..values import JsonNumber, Timestamp
from . import json_read, json_write
from .common import (
    json_locator,
    json_page_frame,
    null_order,
    strict_boolean,
    strict_string,
    structure,
    timestamp_from_string,
    timestamp_out,
    typed_out,
    unstructure,
    unstructure_plain,
)

__all__ = [
    "BARE_ITEMS",
    "CONVERTER",
    "FAMILY",
    "FORMAT",
    "KINDS",
    "LINES",
    "ORDER_LEVEL",
    "ORDER_PLACEHOLDER",
    "ORDER_POINTER",
    "PAGE_KEYS",
    "PAGE_ORDERS",
    "SCHEMA_FILE",
    "SYNTAX",
    "TEXT_LIMIT",
    "classify",
    "configure_converter",
    "content",
    "decode",
    "decode_order",
    "decode_parsed",
    "encode",
    "encode_order",
    "locator",
    "make_converter",
    "order_separator",
    "page_frame",
    "parse",
    "schema_text",
    "spot",
    "unwritable",
]

FORMAT = "talkdesk-json"
FAMILY = "talkdesk"
SYNTAX = "json"
Kind = Literal["page", "order", "error"]
KINDS: Mapping[str, type] = {
    "page": TalkdeskOrderPage,
    "order": TalkdeskOrder,
    "error": TalkdeskErrorBody,
}
PAGE_ORDERS = ("_embedded", "orders")
PAGE_KEYS = ("_embedded", "_links")
ORDER_LEVEL = 3
ORDER_POINTER = ""  # where a single order's members sit
ORDER_PLACEHOLDER = '{"id":"0","order_number":"0"}'
BARE_ITEMS = False  # a list field may hold its one item bare
TEXT_LIMIT = ""  # JSON holds any text
LINES = True
SCHEMA_FILE = "talkdesk-json.schema.json"
TalkdeskDocument = TalkdeskOrderPage | TalkdeskOrder | TalkdeskErrorBody


@shortcut("type(raw) is int", kinds=(int,))
def _integer(value: Any, _: Any) -> int:
    if type(value) is not int:
        fail("wrong-type", "expected an integer", value)
    return value


@shortcut("type(raw) is _Decimal", kinds=(Decimal,), _Decimal=Decimal)
def _number(value: Any, _: Any) -> Decimal:
    kind = type(value)
    if kind is Decimal:
        return typing.cast(Decimal, value)
    if kind is int:
        return Decimal(value)
    if kind is JsonNumber:
        # An exponent form (1e3, 1.05E1) or -0: any JSON number is an amount. Its text is
        # remembered beside the Decimal (the profile's number_text) and written back.
        number = plain_decimal(value.text)
        if number is None:
            fail(
                "number-too-long",
                f"the amount written plainly would be longer than {PLAIN_LIMIT:,} characters",
                value,
            )
        return number
    fail("wrong-type", "expected a JSON number", value)


# The raw kinds that need no spelling note: any for every field but an amount, whose
# exponent forms (read as JsonNumber) are remembered by their text.
_AMOUNT_TOKENS = frozenset({Decimal, int})
_ANY_TOKENS = frozenset({str, int, Decimal, JsonNumber, bool, dict, list})


def _default_tokens(tp: Any) -> frozenset[type]:
    return _AMOUNT_TOKENS if tp is Decimal else _ANY_TOKENS


def _respell(spelling: str, spec: Any, value: Any) -> Any:
    """An amount read in exponent form is written back in that text while it is that value."""
    if (
        type(value) is Decimal
        and spelling != "null"
        and Decimal(spelling).as_tuple() == value.as_tuple()
    ):
        return JsonNumber(spelling)
    return value


def _number_out(value: Any) -> Decimal:
    if type(value) is not Decimal:
        fail("wrong-type", f"expected a Decimal, got {type(value).__name__}", value)
    if not value.is_finite():
        fail("not-a-number", "NaN and infinity cannot be written as JSON numbers", value)
    return value


# How compiled writers check a number in place (see ordermap.binding.inline).
inline(_number_out, "type(v) is _Decimal and v.is_finite()", _Decimal=Decimal)


PROFILE = Profile(
    name=FORMAT,
    record_spelling=True,
    single_item=never,
    expand_lists=False,
    is_object=is_dict,
    empty_object=never,
    default_tokens=_default_tokens,
    number_text=True,
)


def configure_converter(converter: cattrs.Converter) -> None:
    """Configure a converter for talkdesk-json.

    - Every scalar has exactly one JSON token kind: strings are strings, ``true``/``false``
      are booleans, ``items_number`` is an integer. ``"3"`` is not 3, 0 is not false.
    - Money ``value`` is a JSON number kept as a ``Decimal`` with its exact text: any JSON
      number, exponent forms included, whose text is remembered where the ``Decimal`` does
      not keep it; ``NaN`` and ``Infinity`` are not JSON.
    - Timestamps are RFC 3339 date-times with an offset, kept as written.
    - Enums (``generic_type``, ``detailed_type``, ``delivery_type``) are open: any string.
    - ``custom_fields`` is a free-form object, kept verbatim.
    - ``null`` for an optional member is kept as ``null``; for a required one it is an error.
    """
    register_scalar(converter, str, strict_string, typed_out(str, "a string"))
    register_scalar(converter, bool, strict_boolean, typed_out(bool, "a bool"))
    register_scalar(converter, int, _integer, typed_out(int, "an int"))
    register_scalar(converter, Decimal, _number, _number_out)
    register_scalar(converter, Timestamp, timestamp_from_string, timestamp_out)
    register_scalar(converter, Mapping[str, Any], free_mapping, note_free)
    register_model_hooks(converter, PROFILE, _respell)


def make_converter() -> cattrs.Converter:
    """A new converter configured for talkdesk-json."""
    converter = cattrs.Converter()
    configure_converter(converter)
    return converter


CONVERTER = make_converter()


def classify(value: Any) -> Kind | None:
    """The kind of a parsed Talkdesk document, or ``None`` when it does not look like one."""
    if type(value) is not dict:
        return None
    if "_embedded" in value or "_links" in value:
        return "page"
    if "code" in value and "message" in value and "id" not in value:
        return "error"
    if "order_number" in value or "id" in value:
        return "order"
    return None


def decode_value(
    value: Any, kind: Kind | None = None, limits: Limits = DEFAULT_LIMITS, place: Place = TOP
) -> TalkdeskDocument:
    """Structure an already parsed JSON value as a Talkdesk document (found at ``place``)."""
    if kind is None:
        kind = classify(value)
        if kind is None:
            message = (
                "expected a JSON object"
                if type(value) is not dict
                else "not a Talkdesk page, order or error body (no _embedded, id or code)"
            )
            raise DecodeError(
                [Problem("unknown-document", message, Location(pointer=place.point()))],
                format=FORMAT,
            )
    elif kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(KINDS)}")
    result: TalkdeskDocument = structure(
        CONVERTER, value, KINDS[kind], FORMAT, json_locator([*place.pointer]), limits
    )
    return result


decode_parsed = decode_value


def parse(data: bytes | str, limits: Limits = DEFAULT_LIMITS, place: Place = TOP) -> Any:
    """Parse JSON input into plain values (numbers keep their text)."""
    return json_read.parse(data, limits, FORMAT, place)


def decode_order(payload: Any, limits: Limits, place: Place) -> TalkdeskOrder:
    """One order of a streamed page, from its JSON text at ``place``."""
    value = json_read.parse(payload, limits, FORMAT, place)
    if value is None:
        raise null_order(FORMAT, place)
    order = decode_value(value, "order", limits, place)
    assert isinstance(order, TalkdeskOrder)
    return order


def order_tree(payload: Any, limits: Limits, place: Place) -> Any:
    """A streamed order's parsed form (validation walks it when the order does not decode)."""
    return json_read.parse(payload, limits, FORMAT, place)


def order_locator(payload: Any, place: Place) -> Callable[[list[str | int]], Location]:
    """Where a path below a streamed order at ``place`` is: a JSON Pointer in the input."""
    return json_locator([*place.pointer])


def order_separator(indent: int | None) -> bytes:
    """What a page writes between two orders: a comma, and the line break of the indent."""
    pad = "" if indent is None else "\n" + " " * (indent * ORDER_LEVEL)
    return ("," + pad).encode()


def content(parsed: Any) -> tuple[Any, Kind] | None:
    """A parsed document's members and its kind (``None``: not a Talkdesk document)."""
    kind = classify(parsed)
    return None if kind is None else (parsed, kind)


def locator(parsed: Any) -> Callable[[list[str | int]], Location]:
    """Where a path is: a JSON Pointer from the top of the document."""
    return json_locator([])


def spot(parsed: Any, path: list[str | int]) -> str:
    """The place :func:`locator` names, as text (no line)."""
    return str(printable(pointer(path)))


def unwritable(text: str) -> str | None:
    """JSON holds any text (lone surrogates as escapes): always ``None``."""
    return None


def schema_text() -> str:
    """The JSON Schema that ``specs/talkdesk-json.schema.json`` holds."""
    from ..schema import schema_text as generated

    return generated(FORMAT)


@paused_gc()
def decode(
    data: bytes | str, *, kind: Kind | None = None, limits: Limits = DEFAULT_LIMITS
) -> TalkdeskDocument:
    """Read a talkdesk-json document.

    Args:
        data: The JSON text, as UTF-8 bytes or a string.
        kind: ``"page"``, ``"order"`` or ``"error"``; detected from the content when omitted.
        limits: Bounds on size, depth and number length.

    Raises:
        DecodeError: The input is not JSON or passes a limit.
        ValidationError: The JSON breaks the talkdesk-json rules (every problem is listed).
    """
    return decode_value(json_read.parse(data, limits, FORMAT), kind, limits)


@paused_gc()
def encode(document: TalkdeskDocument, *, indent: int | None = None) -> bytes:
    """Write a Talkdesk document as UTF-8 JSON.

    Raises:
        EncodeError: A value cannot be written (a required member without a value, a wrong
            type, a non-finite amount).
    """
    if type(document) not in KINDS.values():
        raise TypeError(f"talkdesk-json cannot write a {type(document).__name__}")
    members, plain = unstructure_plain(CONVERTER, document, FORMAT, json_locator([]))
    return json_write.emit(members, indent, plain=plain)


def page_frame(
    around: Callable[[Sequence[TalkdeskOrder]], TalkdeskOrderPage],
    count: int,
    *,
    indent: int | None,
    orders_use_nil: bool,
) -> tuple[bytes, bytes, int]:
    """What a page of ``count`` (one or more) orders writes before and after them.

    ``around`` makes the page around given orders (blank ones stand in for them). Returns the
    head, the tail and how deep the orders sit. Used to write a page order by order
    (:mod:`ordermap.stream`).
    """
    page = around((TalkdeskOrder(id="", order_number=""),) * min(count, 2))
    members: Members = unstructure(CONVERTER, page, FORMAT, json_locator([]))
    return json_page_frame(members, PAGE_ORDERS, indent)


def encode_order(
    order: TalkdeskOrder, at: list[str | int], *, indent: int | None, level: int
) -> tuple[bytes, bool]:
    """Write one order as :func:`encode` writes it inside a page, ``level`` levels deep.

    ``at`` is the order's place in its document (for the locations of encoding problems).
    Used to write a page order by order (:mod:`ordermap.stream`).
    """
    members, plain = unstructure_plain(CONVERTER, order, FORMAT, json_locator(at))
    return json_write.emit(members, indent, level=level, plain=plain), False
