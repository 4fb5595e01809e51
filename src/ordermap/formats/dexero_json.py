"""dexero-json: Dexero eCommerce REST API orders, JSON rendering (``orders.json``).

The short form of ``specs/dexero-json.md``. Documents: an order page
``{"orders": {"totalResults", "startIndex", "itemsPerPage", "pageCount", "uri"?, "order": [...]}}``
and a single order ``{"order": {...}}``.

The module is longer than most because it is the whole format in one place, as a format
module should be (``ordermap.formats``): its registry entry, its scalar hooks with the inline
forms the generated hooks use, its readers, its writers and its schema.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import cattrs

from ..binding import (
    FieldSpec,
    Members,
    Profile,
    fail,
    inline,
    is_dict,
    never,
    paused_gc,
    register_model_hooks,
    register_scalar,
    shortcut,
)
from ..errors import DecodeError, Location, Problem, pointer, printable
from ..lexical import AMOUNT_TEXT, INT_RANGE, LONG_RANGE
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Amount, Base64Text, DexeroOrder, DexeroOrderPage, Int32, Long
from ..places import TOP, Place
from ..values import CalendarDate, JsonNumber, Timestamp, is_json_number_text, scalar_text
from . import json_read, json_write
from .common import (
    AMOUNT_CHECK,
    BASE64_CHECK,
    INLINE_NAMES,
    amount_from_text,
    amount_text,
    base64_shortcut,
    check_base64,
    check_range,
    date_or_timestamp_from_text,
    date_or_timestamp_out,
    int32_out,
    json_locator,
    json_page_frame,
    long_out,
    null_order,
    strict_boolean,
    structure,
    timestamp_from_string,
    timestamp_out,
    typed_out,
    unstructure_plain,
)

__all__ = [
    "BARE_ITEMS",
    "CONVERTER",
    "ENVELOPES",
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

FORMAT = "dexero-json"
FAMILY = "dexero"
SYNTAX = "json"
Kind = Literal["page", "order"]
KINDS: Mapping[str, type] = {"page": DexeroOrderPage, "order": DexeroOrder}
ENVELOPES: Mapping[str, str] = {"page": "orders", "order": "order"}
PAGE_ORDERS = ("orders", "order")
PAGE_KEYS = ("orders",)
ORDER_LEVEL = 3
ORDER_POINTER = "/order"  # where a single order's members sit
ORDER_PLACEHOLDER = '{"id":0}'
BARE_ITEMS = True  # a list field may hold its one item bare
TEXT_LIMIT = ""  # JSON holds any text
LINES = True
SCHEMA_FILE = "dexero-json.schema.json"
DexeroDocument = DexeroOrderPage | DexeroOrder


@shortcut("type(raw) is str", kinds=(str,))
def _string(value: Any, _: Any) -> str:
    # Dexero's JSON types a string by its look, so a number or boolean token stands for its text.
    text = scalar_text(value)
    if text is None:
        fail("wrong-type", "expected a string", value)
    return text


def _integer(bounds: tuple[int, int], what: str) -> Any:
    @shortcut(f"type(raw) is int and {bounds[0]} <= raw <= {bounds[1]}", kinds=(int,))
    def structure(value: Any, _: Any) -> int:
        if type(value) is not int:
            fail("wrong-type", f"expected {what} (a JSON integer)", value)
        return check_range(value, bounds, what)

    return structure


@shortcut(
    "type(raw) is _Decimal and _AMOUNT_MATCH(_text := format(raw, 'f')) is not None",
    "_Decimal(_text)",
    kinds=(Decimal,),
    _Decimal=Decimal,
    _AMOUNT_MATCH=AMOUNT_TEXT.match,
)
def _amount(value: Any, _: Any) -> Decimal:
    kind = type(value)
    if kind is str:
        return amount_from_text(value)
    if kind is Decimal:
        return amount_from_text(format(value, "f"))
    if kind is int:
        return amount_from_text(int.__repr__(value))
    if kind is JsonNumber:
        return amount_from_text(value.text)
    fail("wrong-type", "expected a decimal(20,2) as a JSON number or string", value)


def _amount_out(value: Any) -> Decimal:
    amount_text(value)
    return value  # type: ignore[no-any-return]


@base64_shortcut
def _base64(value: Any, _: Any) -> str:
    return check_base64(_string(value, _))


def _base64_out(value: Any) -> str:
    if type(value) is not str:
        fail("wrong-type", f"expected a string, got {type(value).__name__}", value)
    return check_base64(value)


# How compiled writers check these values in place (see ordermap.binding.inline).
inline(_amount_out, AMOUNT_CHECK, **INLINE_NAMES)
inline(_base64_out, BASE64_CHECK, **INLINE_NAMES)


def _date_or_timestamp(value: Any, _: Any) -> Timestamp | CalendarDate:
    if type(value) is not str:
        fail("wrong-type", "expected a date or RFC 3339 timestamp string", value)
    return date_or_timestamp_from_text(value)


_TEXT_TOKENS = frozenset({str})
_NUMBER_TOKENS = frozenset({int, Decimal, JsonNumber})
_LIST_TOKENS = frozenset({list})
_ANY_TOKENS = frozenset({str, int, Decimal, JsonNumber, bool, dict, list})


def _default_tokens(tp: Any) -> frozenset[type]:
    """The raw token types a field is written with by default; others are remembered."""
    if tp in (str, Base64Text):
        return _TEXT_TOKENS
    if tp == Amount:
        return _NUMBER_TOKENS
    if getattr(tp, "__origin__", None) is tuple:
        return _LIST_TOKENS
    return _ANY_TOKENS


def _respell(spelling: str, spec: FieldSpec, value: Any) -> Any:
    """Write a value back the way it was read, where it still fits that spelling."""
    if spelling == "string" and type(value) is Decimal:
        return format(value, "f")
    if spelling == "number" and type(value) is str and is_json_number_text(value):
        return JsonNumber(value)
    if spelling == "boolean" and value in ("true", "false"):
        return value == "true"
    if spelling == "object" and type(value) is list and len(value) == 1:
        return value[0]
    return value


PROFILE = Profile(
    name=FORMAT,
    record_spelling=True,
    single_item=is_dict,
    expand_lists=False,
    is_object=is_dict,
    empty_object=never,
    default_tokens=_default_tokens,
    omit_empty_lists=True,
)


def configure_converter(converter: cattrs.Converter) -> None:
    """Configure a converter for dexero-json.

    - ``long`` and ``int`` fields are JSON integers in range (``"1001"`` and ``7.9`` are
      errors); booleans are ``true``/``false`` only.
    - A ``decimal(20,2)`` is a JSON number or a JSON string (``10.50`` or ``"10.50"``) in
      plain notation with at most 18 integer and 2 fraction digits.
    - A string field also takes a JSON number or boolean, read as its text (postal code
      ``90210``, custom value ``true``).
    - A list field also takes a bare object for a one-item list.
    - Whatever spelling was read is remembered and written back; a document made in code is
      written with numbers for numeric fields, booleans, strings and arrays.
    - ``purchase_date`` is an RFC 3339 date-time; ``date_created`` a date or a date-time;
      both keep their text. ``fileContentBase64`` must be valid base64.
    """
    register_scalar(converter, str, _string, typed_out(str, "a string"))
    register_scalar(converter, bool, strict_boolean, typed_out(bool, "a bool"))
    register_scalar(converter, Long, _integer(LONG_RANGE, "a long"), long_out)
    register_scalar(converter, Int32, _integer(INT_RANGE, "an int"), int32_out)
    register_scalar(converter, Amount, _amount, _amount_out)
    register_scalar(converter, Base64Text, _base64, _base64_out)
    register_scalar(converter, Timestamp, timestamp_from_string, timestamp_out)
    register_scalar(converter, Timestamp | CalendarDate, _date_or_timestamp, date_or_timestamp_out)
    register_model_hooks(converter, PROFILE, _respell)


def make_converter() -> cattrs.Converter:
    """A new converter configured for dexero-json."""
    converter = cattrs.Converter()
    configure_converter(converter)
    return converter


CONVERTER = make_converter()


def classify(value: Any) -> Kind | None:
    """The kind of a parsed Dexero document, or ``None`` when it does not look like one."""
    if type(value) is dict and len(value) == 1:
        if "orders" in value:
            return "page"
        if "order" in value:
            return "order"
    return None


def decode_value(
    value: Any, kind: Kind | None = None, limits: Limits = DEFAULT_LIMITS, place: Place = TOP
) -> DexeroDocument:
    """Structure an already parsed JSON value as a Dexero document (found at ``place``)."""
    found = classify(value)
    if found is None or (kind is not None and found != kind):
        wanted = (
            '{"orders": {...}} or {"order": {...}}'
            if kind is None
            else f'{{"{ENVELOPES[kind]}": {{...}}}}'
        )
        raise DecodeError(
            [
                Problem(
                    "unknown-document",
                    f"expected a Dexero envelope {wanted} with no other top-level member",
                    Location(pointer=place.point()),
                )
            ],
            format=FORMAT,
        )
    envelope = ENVELOPES[found]
    locate = json_locator([*place.pointer, envelope])
    result: DexeroDocument = structure(
        CONVERTER, value[envelope], KINDS[found], FORMAT, locate, limits
    )
    return result


decode_parsed = decode_value


def parse(data: bytes | str, limits: Limits = DEFAULT_LIMITS, place: Place = TOP) -> Any:
    """Parse JSON input into plain values (numbers keep their text)."""
    return json_read.parse(data, limits, FORMAT, place)


def decode_order(payload: Any, limits: Limits, place: Place) -> DexeroOrder:
    """One order of a streamed page, from its JSON text (the value of ``order``) at ``place``."""
    value = json_read.parse(payload, limits, FORMAT, place)
    if value is None:
        raise null_order(FORMAT, place)
    order = structure(CONVERTER, value, DexeroOrder, FORMAT, json_locator([*place.pointer]), limits)
    assert isinstance(order, DexeroOrder)
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


def _prefix(parsed: Any) -> list[str | int]:
    kind = classify(parsed)
    return [] if kind is None else [ENVELOPES[kind]]


def content(parsed: Any) -> tuple[Any, Kind] | None:
    """A parsed document's members below its envelope, and its kind (``None``: not one)."""
    kind = classify(parsed)
    return None if kind is None else (parsed[ENVELOPES[kind]], kind)


def locator(parsed: Any) -> Callable[[list[str | int]], Location]:
    """Where a path below the envelope is: a JSON Pointer from the top of the document."""
    return json_locator(_prefix(parsed))


def spot(parsed: Any, path: list[str | int]) -> str:
    """The place :func:`locator` names, as text (no line)."""
    return str(printable(pointer([*_prefix(parsed), *path])))


def unwritable(text: str) -> str | None:
    """JSON holds any text (lone surrogates as escapes): always ``None``."""
    return None


def schema_text() -> str:
    """The JSON Schema that ``specs/dexero-json.schema.json`` holds."""
    from ..schema import schema_text as generated

    return generated(FORMAT)


@paused_gc()
def decode(
    data: bytes | str, *, kind: Kind | None = None, limits: Limits = DEFAULT_LIMITS
) -> DexeroDocument:
    """Read a dexero-json document.

    Args:
        data: The JSON text, as UTF-8 bytes or a string.
        kind: ``"page"`` or ``"order"``; detected from the envelope when omitted.
        limits: Bounds on size, depth and number length.

    Raises:
        DecodeError: The input is not JSON, passes a limit, or has no Dexero envelope.
        ValidationError: The JSON breaks the dexero-json rules (every problem is listed).
    """
    return decode_value(json_read.parse(data, limits, FORMAT), kind, limits)


@paused_gc()
def encode(document: DexeroDocument, *, indent: int | None = None) -> bytes:
    """Write a Dexero document as UTF-8 JSON, in the spelling it was read with.

    Raises:
        EncodeError: A value cannot be written (out of range, too many decimals, bad base64).
    """
    members, plain = _document_members(document)
    return json_write.emit(members, indent, plain=plain)


def _document_members(document: DexeroDocument) -> tuple[Members, bool]:
    """The document's members in its envelope, and whether its free-form values are plain."""
    envelope = {DexeroOrderPage: "orders", DexeroOrder: "order"}.get(type(document))
    if envelope is None:
        raise TypeError(f"dexero-json cannot write a {type(document).__name__}")
    members, plain = unstructure_plain(CONVERTER, document, FORMAT, json_locator([envelope]))
    return Members([(envelope, members)]), plain


def page_frame(
    around: Callable[[Sequence[DexeroOrder]], DexeroOrderPage],
    count: int,
    *,
    indent: int | None,
    orders_use_nil: bool,
) -> tuple[bytes, bytes, int]:
    """What a page of ``count`` (one or more) orders writes before and after them.

    ``around`` makes the page around given orders (the orders themselves are not written:
    blank ones give the list its spelling). Returns the head, the tail and how deep the
    orders sit (one level less than :data:`ORDER_LEVEL` where one order is a bare object).
    Used to write a page order by order (:mod:`ordermap.stream`).
    """
    page = around((DexeroOrder(),) * min(count, 2))
    return json_page_frame(_document_members(page)[0], PAGE_ORDERS, indent)


def encode_order(
    order: DexeroOrder, at: list[str | int], *, indent: int | None, level: int
) -> tuple[bytes, bool]:
    """Write one order as :func:`encode` writes it inside a page, ``level`` levels deep.

    ``at`` is the order's place in its document (for the locations of encoding problems).
    Used to write a page order by order (:mod:`ordermap.stream`).
    """
    members, plain = unstructure_plain(CONVERTER, order, FORMAT, json_locator(at))
    return json_write.emit(members, indent, level=level, plain=plain), False
