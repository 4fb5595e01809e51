"""dexero-xml: Dexero eCommerce REST API orders, XML rendering (``orders.xml``, the default).

The short form of ``specs/dexero-xml.md``. Documents: an ``<orders>`` page holding
``<totalResults>``, ``<startIndex>``, ``<itemsPerPage>``, ``<pageCount>``, ``<uri>``? and
repeated ``<order>`` elements, and a single ``<order>``.

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
    LIMITS,
    Fault,
    Irregular,
    Profile,
    always,
    fail,
    inline,
    make_element_structure_fn,
    no_spelling,
    paused_gc,
    register_model_hooks,
    register_scalar,
    shortcut,
)
from ..errors import DecodeError, Location, Problem, ValidationError
from ..lexical import (
    AMOUNT_TEXT,
    BOOLEAN_TEXTS,
    INT_RANGE,
    LONG_RANGE,
)
from ..lexical import integer_from_text as lexical_integer
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Amount, Base64Text, DexeroOrder, DexeroOrderPage, Int32, Long
from ..places import TOP, Place
from ..values import CalendarDate, Timestamp
from . import xml_read, xml_write
from .common import (
    BASE64_CHECK,
    INLINE_NAMES,
    INT_CHECK,
    LONG_CHECK,
    amount_from_text,
    amount_text,
    base64_shortcut,
    check_base64,
    date_or_timestamp_from_text,
    date_or_timestamp_out,
    encode_error,
    int32_out,
    integer_from_text,
    long_out,
    structure,
    timestamp_from_text,
    timestamp_out,
    typed_out,
    unstructure,
    with_hole,
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

FORMAT = "dexero-xml"
FAMILY = "dexero"
SYNTAX = "xml"
Kind = Literal["page", "order"]
KINDS: Mapping[str, type] = {"page": DexeroOrderPage, "order": DexeroOrder}
ROOTS: Mapping[str, str] = {"page": "orders", "order": "order"}
PAGE_ORDERS = ("orders", "order")  # the root element, and its repeated order element
PAGE_KEYS = ("orders",)
ORDER_LEVEL = 1
ORDER_POINTER = "/order"  # a single order, in the JSON form reports use (dexero-json's)
ORDER_PLACEHOLDER = "<order><id>0</id></order>"
BARE_ITEMS = True  # a list field may hold its one item bare
TEXT_LIMIT = "XML 1.0"  # what the format is, where it cannot hold some text
LINES = False  # XML has no one-order-per-line form
SCHEMA_FILE = "dexero-xml.xsd"
DexeroDocument = DexeroOrderPage | DexeroOrder


def _text(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is list:
        fail("repeated", "element appears more than once", None)
    fail("wrong-type", "expected text, found child elements", None)


_Hook = Callable[[Any, Any], Any]


def _integer_shortcut(bounds: tuple[int, int]) -> Callable[[_Hook], _Hook]:
    """The inline form of :func:`~ordermap.formats.common.integer_from_text` on text: the
    lexical rule, with the hook's own messages for what it refuses."""
    return shortcut(
        f"type(raw) is str and (_number := _INTEGER(raw, {bounds!r})) is not None",
        "_number",
        kinds=(str,),
        _INTEGER=lexical_integer,
    )


@shortcut("type(raw) is str", kinds=(str,))
def _string(value: Any, _: Any) -> str:
    return _text(value)


@shortcut(
    "type(raw) is str and (_flag := _BOOLEANS.get(raw)) is not None",
    "_flag",
    kinds=(str,),
    _BOOLEANS=BOOLEAN_TEXTS,
)
def _boolean(value: Any, _: Any) -> bool:
    text = _text(value)
    found = BOOLEAN_TEXTS.get(text)
    if found is None:
        fail("wrong-type", "expected true or false", text)
    return found


@_integer_shortcut(LONG_RANGE)
def _long(value: Any, _: Any) -> int:
    return integer_from_text(_text(value), LONG_RANGE, "a long")


@_integer_shortcut(INT_RANGE)
def _int32(value: Any, _: Any) -> int:
    return integer_from_text(_text(value), INT_RANGE, "an int")


@shortcut(
    "type(raw) is str and _AMOUNT_MATCH(raw) is not None",
    "_Decimal(raw)",
    kinds=(str,),
    _Decimal=Decimal,
    _AMOUNT_MATCH=AMOUNT_TEXT.match,
)
def _amount(value: Any, _: Any) -> Decimal:
    return amount_from_text(_text(value))


@base64_shortcut
def _base64(value: Any, _: Any) -> str:
    return check_base64(_text(value))


def _timestamp(value: Any, _: Any) -> Timestamp:
    return timestamp_from_text(_text(value))


def _date_or_timestamp(value: Any, _: Any) -> Timestamp | CalendarDate:
    return date_or_timestamp_from_text(_text(value))


def _boolean_out(value: Any) -> str:
    if type(value) is not bool:
        fail("wrong-type", f"expected a bool, got {type(value).__name__}", value)
    return "true" if value else "false"


def _long_out(value: Any) -> str:
    return int.__repr__(long_out(value))


def _int32_out(value: Any) -> str:
    return int.__repr__(int32_out(value))


def _base64_out(value: Any) -> str:
    if type(value) is not str:
        fail("wrong-type", f"expected a string, got {type(value).__name__}", value)
    return check_base64(value)


# How compiled writers check these values in place (see ordermap.binding.inline).
inline(_boolean_out, "type(v) is _bool", "'true' if v else 'false'", **INLINE_NAMES)
inline(_long_out, LONG_CHECK, "_int_repr(v)", **INLINE_NAMES)
inline(_int32_out, INT_CHECK, "_int_repr(v)", **INLINE_NAMES)
inline(_base64_out, BASE64_CHECK, **INLINE_NAMES)


def _is_object(value: Any) -> bool:
    return type(value) is xml_read.XmlNode


def _is_empty_element(value: Any) -> bool:
    return type(value) is str and not value.strip()


PROFILE = Profile(
    name=FORMAT,
    record_spelling=False,
    single_item=always,
    expand_lists=True,
    is_object=_is_object,
    empty_object=_is_empty_element,
    default_tokens=no_spelling,
)


def configure_converter(converter: cattrs.Converter) -> None:
    """Configure a converter for dexero-xml.

    - Elements only, no namespace; one element per field, named like the JSON key; objects
      nest; a list is its element repeated with no wrapper.
    - The only attribute is ``xsi:nil="true"`` on an empty element, meaning JSON ``null``.
    - An absent field is an absent element; an empty string is an empty element.
    - ``long`` and ``int`` text is a plain integer in range (no sign ``+``, no leading zeros,
      no surrounding blanks); booleans are ``true``/``false``; a ``decimal(20,2)`` has at most
      18 integer and 2 fraction digits.
    - Text is kept exactly, blanks included; text XML 1.0 cannot hold is refused on output.
    - Element order is remembered, repeated elements included, and written back as read.
    """
    register_scalar(converter, str, _string, typed_out(str, "a string"))
    register_scalar(converter, bool, _boolean, _boolean_out)
    register_scalar(converter, Long, _long, _long_out)
    register_scalar(converter, Int32, _int32, _int32_out)
    register_scalar(converter, Amount, _amount, amount_text)
    register_scalar(converter, Base64Text, _base64, _base64_out)
    register_scalar(converter, Timestamp, _timestamp, timestamp_out)
    register_scalar(converter, Timestamp | CalendarDate, _date_or_timestamp, date_or_timestamp_out)
    register_model_hooks(converter, PROFILE)


def make_converter() -> cattrs.Converter:
    """A new converter configured for dexero-xml."""
    converter = cattrs.Converter()
    configure_converter(converter)
    return converter


CONVERTER = make_converter()


DIRECT = True
"""Whether documents are read straight from their elements when they can be (tests turn it
off to compare with the two-step way, which stays the reference for every problem)."""

_ELEMENT_HOOKS: dict[type, Callable[[Any], Any]] = {}


def _unknown(element: Any) -> Any:
    """The plain value of an element the model does not know, as ``extra`` keeps it; a break
    of the layout in it sends the whole document the two-step way."""
    try:
        return xml_read.to_node(element, FORMAT)
    except ValidationError:
        raise Irregular from None


def element_hook(cls: type) -> Callable[[Any], Any]:
    """The generated hook that reads an element of model class ``cls`` directly."""
    hook = _ELEMENT_HOOKS.get(cls)
    if hook is None:
        hook = _ELEMENT_HOOKS[cls] = make_element_structure_fn(
            cls, CONVERTER.get_structure_hook, element_hook, _unknown, xml_read.XSI_NIL, FORMAT
        )
    return hook


def _direct(root: Any, cls: type, limits: Limits) -> Any:
    """The document read straight from its elements, or ``None`` where the two-step way must
    decide (a problem, or anything out of the ordinary)."""
    if not xml_read.plain_attributes(root):
        return None
    token = LIMITS.set(limits)
    try:
        return element_hook(cls)(root)
    except Exception:  # whatever it is, the two-step way gives the problem (or the value)
        return None
    finally:
        LIMITS.reset(token)


def _root_kind(root: Any, kind: Kind | None, place: Place) -> Kind:
    """The kind of document a root element is, or the error for one that is not wanted."""
    if root.tag[0] == "{":
        xml_read.to_node(root, FORMAT, place)  # refuses the namespace with its path and line
    found: Kind | None = (
        "page" if root.tag == "orders" else "order" if root.tag == "order" else None
    )
    if found is None or (kind is not None and kind != found):
        wanted = "<orders> or <order>" if kind is None else f"<{ROOTS[kind]}>"
        raise DecodeError(
            [
                Problem(
                    "unknown-document",
                    f"expected a {wanted} root element, found <{root.tag}>",
                    Location(
                        path=place.element(f"/{root.tag}"), line=place.line_of(root.sourceline)
                    ),
                )
            ],
            format=FORMAT,
        )
    return found


def decode_element(
    root: Any, kind: Kind | None = None, limits: Limits = DEFAULT_LIMITS, place: Place = TOP
) -> DexeroDocument:
    """Structure a parsed root element (``<orders>`` or ``<order>``) as a Dexero document
    (found at ``place``): straight from the elements when the document is plain, else (and
    for every problem) through :func:`decode_nodes`."""
    found = _root_kind(root, kind, place)
    if DIRECT:
        document: DexeroDocument | None = _direct(root, KINDS[found], limits)
        if document is not None:
            return document
    return decode_nodes(root, found, limits, place)


def decode_nodes(
    root: Any, kind: Kind | None = None, limits: Limits = DEFAULT_LIMITS, place: Place = TOP
) -> DexeroDocument:
    """Structure a parsed root element in two steps: its elements as plain values
    (:func:`~ordermap.formats.xml_read.to_node`, which checks the layout), then those as the
    model. The reference the direct way is checked against, and what finds every problem."""
    found = _root_kind(root, kind, place)
    node = xml_read.to_node(root, FORMAT, place)
    result: DexeroDocument = structure(
        CONVERTER,
        node,
        KINDS[found],
        FORMAT,
        lambda path: xml_read.locate(root, path, place),
        limits,
    )
    return result


decode_parsed = decode_element


def parse(data: bytes | str, limits: Limits = DEFAULT_LIMITS, place: Place = TOP) -> Any:
    """Parse XML input with the hardened parser into its root element."""
    return xml_read.parse(data, limits, FORMAT, place)


def classify(root: Any) -> Kind | None:
    """The kind of a parsed document from its root element, or ``None``."""
    return "page" if root.tag == "orders" else "order" if root.tag == "order" else None


def unknown_root(root: Any) -> DecodeError:
    """The error for a root element that is neither ``<orders>`` nor ``<order>``."""
    return DecodeError(
        [Problem("unknown-document", f"unknown root element <{root.tag}>", Location(line=1))],
        format=FORMAT,
    )


def decode_order(payload: Any, limits: Limits, place: Place) -> DexeroOrder:
    """One ``<order>`` of a streamed page at ``place``: an element, or its bytes.

    The lines of the bytes (as a worker process gets the order) count from the order's start
    tag; an element's are the input's own.
    """
    element, place = _order_element(payload, limits, place)
    order = decode_element(element, "order", limits, place)
    assert isinstance(order, DexeroOrder)
    return order


def _order_element(payload: Any, limits: Limits, place: Place) -> tuple[Any, Place]:
    if isinstance(payload, bytes):
        return xml_read.parse(payload, limits, FORMAT, place), place
    return payload, place.with_own_lines()


def order_tree(payload: Any, limits: Limits, place: Place) -> Any:
    """A streamed order's elements as plain values (validation walks them when the order
    does not decode)."""
    return xml_read.to_node(_order_element(payload, limits, place)[0], FORMAT)


def order_locator(payload: Any, place: Place) -> Callable[[list[str | int]], Location]:
    """Where a path below a streamed order at ``place`` is: its element path and line."""
    element, place = _order_element(payload, DEFAULT_LIMITS, place)
    return lambda path: xml_read.locate(element, path, place)


def order_separator(indent: int | None) -> bytes:
    """What a page writes between two orders: nothing (each starts on its own line)."""
    return b""


def content(root: Any) -> tuple[Any, Kind] | None:
    """A parsed document's elements as plain values, and its kind (``None``: not one).

    Raises:
        ValidationError: The elements break the layout (attributes, mixed content).
    """
    kind = classify(root)
    return None if kind is None else (xml_read.to_node(root, FORMAT), kind)


def locator(root: Any) -> Callable[[list[str | int]], Location]:
    """Where a path below the root is: its element path and line."""
    return lambda path: xml_read.locate(root, path)


def spot(root: Any, path: list[str | int]) -> str:
    """The element path :func:`locator` names (no line)."""
    return xml_read.element_path(root.tag, path)


def unwritable(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot hold, or ``None``."""
    return xml_read.not_xml_char(text)


def schema_text() -> str:
    """The XSD that ``specs/dexero-xml.xsd`` holds."""
    from ..schema import xml_schema

    return xml_schema()


@paused_gc()
def decode(
    data: bytes | str, *, kind: Kind | None = None, limits: Limits = DEFAULT_LIMITS
) -> DexeroDocument:
    """Read a dexero-xml document.

    Args:
        data: The XML document as bytes (or text, which is encoded as UTF-8).
        kind: ``"page"`` or ``"order"``; detected from the root element when omitted.
        limits: Bounds on size and depth.

    Raises:
        DecodeError: The input is not well-formed XML, is compressed, has a DOCTYPE or an
            entity, or passes a limit (comments, processing instructions and CDATA are read
            past: they are not data).
        ValidationError: The XML breaks the Dexero layout or its types (every problem is
            listed with its element path and line).
    """
    return decode_element(xml_read.parse(data, limits, FORMAT), kind, limits)


@paused_gc()
def encode(document: DexeroDocument, *, indent: int | None = 2) -> bytes:
    """Write a Dexero document as UTF-8 XML with an XML declaration, in the order it was read.

    Raises:
        EncodeError: A value cannot be written (text XML 1.0 cannot hold, out of range, too
            many decimals, a name that is not an XML name).
    """
    root = {DexeroOrderPage: "orders", DexeroOrder: "order"}.get(type(document))
    if root is None:
        raise TypeError(f"dexero-xml cannot write a {type(document).__name__}")

    def where(path: list[str | int]) -> Location:
        return Location(path=xml_read.element_path(root, path))

    members = unstructure(CONVERTER, document, FORMAT, where)
    try:
        return xml_write.serialize(root, members, indent)
    except Fault as fault:
        raise encode_error(fault, FORMAT, where) from None


def page_frame(
    around: Callable[[Sequence[DexeroOrder]], DexeroOrderPage],
    count: int,
    *,
    indent: int | None,
    orders_use_nil: bool,
) -> tuple[bytes, bytes, int]:
    """What a page of ``count`` (one or more) orders writes before and after them.

    ``around`` makes the page around given orders (a blank one stands in for them); the
    orders are written together where the first of them was. The root declares ``xsi``
    when the page or its orders (``orders_use_nil``) use ``xsi:nil``. Returns the head, the
    tail and how deep the orders sit. Used to write a page order by order
    (:mod:`ordermap.stream`).
    """
    page = around((DexeroOrder(),))
    root = PAGE_ORDERS[0]

    def where(path: list[str | int]) -> Location:
        return Location(path=xml_read.element_path(root, path))

    members = with_hole(unstructure(CONVERTER, page, FORMAT, where), PAGE_ORDERS[1:], True)
    try:
        head, tail = xml_write.serialize_around(root, members, orders_use_nil, indent)
    except Fault as fault:
        raise encode_error(fault, FORMAT, where) from None
    return head, tail, ORDER_LEVEL


def encode_order(
    order: DexeroOrder, at: list[str | int], *, indent: int | None, level: int
) -> tuple[bytes, bool]:
    """Write one ``<order>`` as :func:`encode` writes it inside a page, ``level`` levels deep.

    ``at`` is the order's place in its document, root first (``["orders", "order", 7]``),
    for the locations of encoding problems. Returns the text and whether it uses
    ``xsi:nil`` (the root must then declare ``xsi``).
    Used to write a page order by order (:mod:`ordermap.stream`).
    """

    def where(path: list[str | int]) -> Location:
        return Location(path=xml_read.element_path(str(at[0]), [*at[1:], *path]))

    members = unstructure(CONVERTER, order, FORMAT, where)
    try:
        return xml_write.serialize_element("order", members, indent, level)
    except Fault as fault:
        raise encode_error(fault, FORMAT, where) from None
