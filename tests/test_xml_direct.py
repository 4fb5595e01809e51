"""Reading dexero-xml straight from lxml elements (the generated element hooks) gives what the
two-step way gives (``xml_read.to_node``, then the class hooks): the same instances (exact
text, types, member order, spelling, extra) or the same errors (codes, messages, element
paths, lines, inputs, their order and the cap on them), for whole documents and for the
orders of a stream, on generated documents and on documents broken on purpose.
"""

from __future__ import annotations

import copy
import io
import linecache
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import ordermap
from ordermap import stream
from ordermap.binding import LIMITS, Fault, Irregular, field_specs, is_model
from ordermap.errors import OrdermapError
from ordermap.formats import dexero_xml, xml_read
from ordermap.limits import DEFAULT_LIMITS, Limits
from ordermap.model import DexeroOrder, DexeroOrderPage
from ordermap.places import Place
from tests.sample import dexero_page_xml
from tests.strategies import raw_dexero_xml
from tests.test_structure_gen import shape

XSI_NIL = xml_read.XSI_NIL


@contextmanager
def direct(on: bool) -> Iterator[None]:
    before = dexero_xml.DIRECT
    dexero_xml.DIRECT = on
    try:
        yield
    finally:
        dexero_xml.DIRECT = before


def outcome(call: Any) -> Any:
    """What a call gives: the shape of its document, or its error in full."""
    try:
        return ("ok", shape(call()))
    except OrdermapError as error:
        return ("error", type(error).__name__, error.format, error.omitted, error.problems)


def both(call: Any) -> tuple[Any, Any]:
    with direct(True):
        found = outcome(call)
    with direct(False):
        expected = outcome(call)
    return found, expected


# --- breaking documents on purpose ----------------------------------------------------------

_ODD_TEXTS = [
    None,
    "",
    " ",
    "\u00a0",
    "x",
    "-0",
    "007",
    "1",
    "-1",
    "9" * 30,
    "true",
    "10.50",
    "10.505",
    "2021-09-14T12:16:50Z",
    "2021-13-01",
    "2021-09-14",
    "QUJD",
    "QUJ",
]
# Tags of every class's members, so that an added element is as often known as unknown.
_TAGS = sorted(
    {spec.key for cls in (DexeroOrderPage, *dexero_xml.KINDS.values()) for spec in field_specs(cls)}
    | {"id", "value", "product", "customer", "billing_address", "zz"}
)


_ACTIONS = (
    *("text", "text", "nil", "attribute", "child", "repeat"),
    *("drop", "move", "tail", "pi", "namespace", "empty"),
)


def _mutate(draw: Any, root: Any) -> None:
    """One change somewhere in the tree: odd text or tail, an attribute, an added, repeated,
    dropped or moved element, a processing instruction, a namespace, an emptied element."""
    elements = list(root.iter(tag=etree.Element))
    element = draw(st.sampled_from(elements))
    parent = element.getparent()
    action = draw(st.sampled_from(_ACTIONS))
    if action == "text":
        element.text = draw(st.sampled_from(_ODD_TEXTS))
    elif action == "nil":
        element.set(XSI_NIL, draw(st.sampled_from(["true", "true", "false"])))
    elif action == "attribute":
        element.set(draw(st.sampled_from(["b", "{urn:n}c"])), "1")
    elif action == "child":
        child = etree.SubElement(element, draw(st.sampled_from(_TAGS)))
        child.text = draw(st.sampled_from(_ODD_TEXTS))
        if draw(st.booleans()):
            etree.SubElement(child, draw(st.sampled_from(_TAGS))).text = "1"
    elif action == "repeat" and parent is not None:
        parent.insert(parent.index(element) + 1, copy.deepcopy(element))
    elif action == "drop" and parent is not None:
        parent.remove(element)
    elif action == "move" and parent is not None:
        parent.append(element)
    elif action == "tail" and parent is not None:
        element.tail = draw(st.sampled_from(["x", " \n ", "\u2003x", "\u00a0"]))
    elif action == "pi":
        element.insert(draw(st.integers(0, len(element))), etree.ProcessingInstruction("pi", "x"))
    elif action == "namespace":
        etree.SubElement(element, "{urn:n}a").text = "1"
    elif action == "empty":
        element[:] = []
        element.text = draw(st.sampled_from([None, " ", "x"]))


@st.composite
def broken_xml(draw: Any) -> bytes:
    """A generated dexero-xml document with up to three changes."""
    root = etree.fromstring(draw(raw_dexero_xml()).encode())
    for _ in range(draw(st.integers(0, 3))):
        _mutate(draw, root)
    return bytes(etree.tostring(root))


_LIMITS = st.sampled_from(
    [DEFAULT_LIMITS, Limits(max_problems=1), Limits(max_problems=2), Limits(max_depth=8)]
)


# --- whole documents --------------------------------------------------------------------


@given(text=raw_dexero_xml(), limits=_LIMITS)
def test_generated_documents_read_alike(text: str, limits: Limits) -> None:
    found, expected = both(lambda: dexero_xml.decode(text.encode(), limits=limits))
    assert found == expected


@given(data=broken_xml(), limits=_LIMITS)
def test_broken_documents_read_alike(data: bytes, limits: Limits) -> None:
    found, expected = both(lambda: dexero_xml.decode(data, limits=limits))
    assert found == expected


@given(data=broken_xml())
def test_documents_read_alike_through_the_library(data: bytes) -> None:
    found, expected = both(lambda: ordermap.decode(data))
    assert found == expected


# --- the orders of a stream ---------------------------------------------------------------


@given(text=st.one_of(raw_dexero_xml("page"), broken_xml()), limits=_LIMITS)
def test_streamed_orders_read_alike(text: str | bytes, limits: Limits) -> None:
    data = text.encode() if isinstance(text, str) else text
    root = etree.fromstring(data)
    for index, element in enumerate(root.iterchildren("order")):
        place = Place(("orders", "order", index), f"/orders/order[{index + 1}]", 3)
        # An element of the parsed input, and the order's own bytes (as a worker gets it).
        for payload in (element, bytes(etree.tostring(element, with_tail=False))):
            found, expected = both(
                lambda payload=payload, place=place: dexero_xml.decode_order(payload, limits, place)
            )
            assert found == expected


def test_the_stream_reads_orders_the_direct_way(monkeypatch: pytest.MonkeyPatch) -> None:
    data = dexero_page_xml(5)
    expected = io.BytesIO()
    stream.convert(io.BytesIO(data), expected, "dexero-json")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read in two steps")

    monkeypatch.setattr(dexero_xml, "decode_nodes", refuse)
    out = io.BytesIO()
    stream.convert(io.BytesIO(data), out, "dexero-json")
    assert out.getvalue() == expected.getvalue()


# --- each class, on odd members -----------------------------------------------------------


def _classes() -> list[type]:
    found: list[type] = []
    pending: list[type] = [DexeroOrderPage]
    while pending:
        cls = pending.pop()
        if cls not in found:
            found.append(cls)
            for spec in field_specs(cls):
                inner = spec.item_type or spec.type
                if is_model(inner):
                    pending.append(inner)
    return found


@pytest.mark.parametrize("cls", _classes(), ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_every_class_hook_takes_only_what_the_general_way_gives(cls: type, data: Any) -> None:
    keys = [spec.key for spec in field_specs(cls)]
    element = etree.Element("x", nsmap={"xsi": xml_read.XSI})
    members = data.draw(
        st.lists(
            st.tuples(st.sampled_from([*keys, "unknown"]), st.sampled_from(_ODD_TEXTS)),
            max_size=8,
        )
    )
    for key, text in members:
        child = etree.SubElement(element, key)
        if text is None:
            child.set(XSI_NIL, "true")
        else:
            child.text = text
    if data.draw(st.booleans()):
        element[:] = sorted(element, key=lambda child: [*keys, child.tag].index(child.tag))
    token = LIMITS.set(DEFAULT_LIMITS)
    try:
        try:
            found = dexero_xml.element_hook(cls)(element)
        except Irregular:
            return  # the general way decides
        node = xml_read.to_node(element, "test")
        try:
            expected = dexero_xml.CONVERTER.get_structure_hook(cls)(node, cls)
        except Fault as fault:
            message = f"the direct way took what the general way refuses: {fault}"
            raise AssertionError(message) from None
        assert shape(found) == shape(expected)
    finally:
        LIMITS.reset(token)


# --- the direct way is the way taken ------------------------------------------------------


def test_pages_are_read_without_the_two_step_way(monkeypatch: pytest.MonkeyPatch) -> None:
    # The sample's orders hold their members in another order than the model's, and some
    # members it does not know.
    page_bytes = dexero_page_xml(30, seed=3)
    with direct(False):
        expected = shape(ordermap.decode(page_bytes))

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read in two steps")

    monkeypatch.setattr(dexero_xml, "decode_nodes", refuse)
    assert shape(ordermap.decode(page_bytes)) == expected
    in_order = b"<orders><totalResults>1</totalResults><order><id>1</id><currency>EUR</currency>"
    in_order += b"<product><id>2</id></product><product/></order></orders>"
    assert dexero_xml.decode(in_order).orders[0].products[1].wire.keys == ()  # type: ignore[index]


def test_orders_read_in_one_member_order_share_their_wire_record() -> None:
    page = ordermap.decode(
        b"<orders><order><id>1</id><currency>EUR</currency></order>"
        b"<order><id>2</id><currency>USD</currency></order></orders>"
    )
    first, second = page.orders
    assert first.wire is second.wire
    assert first.wire.keys == ("id", "currency")


def test_a_nil_member_is_remembered() -> None:
    order = ordermap.decode(
        b'<order xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        b'<id>1</id><currency xsi:nil="true"/><product xsi:nil="true"/></order>'
    )
    assert isinstance(order, DexeroOrder)
    assert order.currency is None and order.products is None
    assert dict(order.wire.spelling) == {"currency": "null", "product": "null"}
    assert ordermap.encode(order, "dexero-xml").count(b'xsi:nil="true"') == 2


def test_a_traceback_shows_the_generated_line() -> None:
    hook = dexero_xml.element_hook(DexeroOrder)
    assert linecache.getline(hook.__code__.co_filename, 1).startswith("def structure(e):")
