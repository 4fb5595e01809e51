"""dexero-mini-json: a small extra format, to show that adding one is one module and one
``ordermap.formats.register`` call.

It is Dexero's JSON under other envelope names: a page is ``{"minis": {..., "order": [...]}}``
and a single order ``{"mini": {...}}``. Everything else (the members, their types and
spellings) is dexero-json's, so it is built from the same parts as the built-in format
modules: dexero-json's converter and ordermap's JSON reader and writer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ordermap.binding import Members
from ordermap.errors import DecodeError, Location, Problem, pointer, printable
from ordermap.formats import dexero_json, json_read, json_write
from ordermap.formats.common import json_locator, json_page_frame, structure, unstructure
from ordermap.limits import DEFAULT_LIMITS, Limits
from ordermap.model import DexeroOrder, DexeroOrderPage
from ordermap.places import TOP, Place

FORMAT = "dexero-mini-json"
FAMILY = "dexero"
SYNTAX = "json"
KINDS: Mapping[str, type] = dexero_json.KINDS
ENVELOPES: Mapping[str, str] = {"page": "minis", "order": "mini"}
PAGE_ORDERS = ("minis", "order")
PAGE_KEYS = ("minis",)
ORDER_LEVEL = 3
ORDER_POINTER = "/mini"
ORDER_PLACEHOLDER = '{"id":0}'
LINES = True
BARE_ITEMS = True
TEXT_LIMIT = ""
SCHEMA_FILE = "dexero-mini-json.schema.json"
CONVERTER = dexero_json.CONVERTER


def parse(data: bytes | str, limits: Limits = DEFAULT_LIMITS, place: Place = TOP) -> Any:
    return json_read.parse(data, limits, FORMAT, place)


def classify(parsed: Any) -> str | None:
    if type(parsed) is dict and len(parsed) == 1:
        for kind, envelope in ENVELOPES.items():
            if envelope in parsed:
                return kind
    return None


def decode_parsed(
    parsed: Any, kind: str | None = None, limits: Limits = DEFAULT_LIMITS, place: Place = TOP
) -> Any:
    found = classify(parsed)
    if found is None or (kind is not None and kind != found):
        where = Location(pointer=place.point())
        raise DecodeError(
            [Problem("unknown-document", "expected a mini envelope", where)], format=FORMAT
        )
    envelope = ENVELOPES[found]
    locate = json_locator([*place.pointer, envelope])
    return structure(CONVERTER, parsed[envelope], KINDS[found], FORMAT, locate, limits)


def decode(data: bytes | str, *, kind: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Any:
    return decode_parsed(parse(data, limits), kind, limits)


def encode(document: Any, *, indent: int | None = None) -> bytes:
    envelope = ENVELOPES["page" if type(document) is DexeroOrderPage else "order"]
    members: Members = unstructure(CONVERTER, document, FORMAT, json_locator([envelope]))
    return json_write.emit(Members([(envelope, members)]), indent)


def decode_order(payload: Any, limits: Limits, place: Place) -> DexeroOrder:
    value = parse(payload, limits, place)
    order = structure(CONVERTER, value, DexeroOrder, FORMAT, json_locator([*place.pointer]), limits)
    assert isinstance(order, DexeroOrder)
    return order


def order_tree(payload: Any, limits: Limits, place: Place) -> Any:
    """A streamed order's parsed form (validation walks it when the order does not decode)."""
    return json_read.parse(payload, limits, FORMAT, place)


def order_locator(payload: Any, place: Place) -> Callable[[list[str | int]], Location]:
    """Where a path below a streamed order at ``place`` is: a JSON Pointer in the input."""
    return json_locator([*place.pointer])


def encode_order(
    order: DexeroOrder, at: list[str | int], *, indent: int | None, level: int
) -> tuple[bytes, bool]:
    members: Members = unstructure(CONVERTER, order, FORMAT, json_locator(at))
    return json_write.emit(members, indent, level=level), False


order_separator = dexero_json.order_separator


def page_frame(
    around: Callable[[Sequence[DexeroOrder]], Any],
    count: int,
    *,
    indent: int | None,
    orders_use_nil: bool,
) -> tuple[bytes, bytes, int]:
    page = around((DexeroOrder(),) * min(count, 2))
    members: Members = unstructure(CONVERTER, page, FORMAT, json_locator([ENVELOPES["page"]]))
    return json_page_frame(Members([(ENVELOPES["page"], members)]), PAGE_ORDERS, indent)


def content(parsed: Any) -> tuple[Any, str] | None:
    kind = classify(parsed)
    return None if kind is None else (parsed[ENVELOPES[kind]], kind)


def _prefix(parsed: Any) -> list[str | int]:
    kind = classify(parsed)
    return [] if kind is None else [ENVELOPES[kind]]


def locator(parsed: Any) -> Callable[[list[str | int]], Location]:
    return json_locator(_prefix(parsed))


def spot(parsed: Any, path: list[str | int]) -> str:
    return str(printable(pointer([*_prefix(parsed), *path])))


def unwritable(text: str) -> str | None:
    return None


def schema_text() -> str:
    return '{"title": "dexero-mini-json"}\n'
