"""Round-trip properties: what "lossless" means in the product brief, checked strictly.

Nothing here compares model objects with ``==`` (``Decimal("10.5") == Decimal("10.50")``):
documents are compared as bytes or as value trees that keep number text and token kinds, and
models through :func:`fingerprint`, which keeps every scalar's exact text and type.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

import ordermap
from ordermap.formats import json_write
from ordermap.model import (
    DexeroOrder,
    DexeroOrderPage,
    TalkdeskErrorBody,
    TalkdeskOrder,
    TalkdeskOrderPage,
)
from ordermap.values import CalendarDate, JsonNumber, Timestamp
from tests.strategies import (
    dexero_documents,
    json_documents,
    raw_dexero_json,
    raw_dexero_xml,
    raw_talkdesk_json,
    talkdesk_documents,
)

# Every registered format: the properties below run for each (a new format needs its
# strategy added to the dicts keyed by format name).
FORMATS = ordermap.formats.names()

# --- strict comparisons --------------------------------------------------------------------


def _number(text: str) -> tuple[str, str]:
    return ("number", text)


def json_tree(data: bytes) -> Any:
    """A JSON document's value tree, keeping number text, token kinds and member order.

    Objects become ``("object", ((key, value), ...))``, arrays ``("array", [...])`` and
    numbers ``("number", text)``, so ``10.5`` differs from ``10.50``, ``"1"`` from ``1`` and
    ``true`` from ``1``.
    """

    def array(value: Any) -> Any:
        if isinstance(value, list):
            return ("array", [array(item) for item in value])
        if isinstance(value, tuple) and value and value[0] == "object":
            return ("object", tuple((key, array(item)) for key, item in value[1]))
        return value

    tree = json.loads(
        data,
        object_pairs_hook=lambda pairs: ("object", tuple(pairs)),
        parse_int=_number,
        parse_float=_number,
        parse_constant=_number,
    )
    return array(tree)


def xml_tree(data: bytes | str) -> Any:
    """An XML document's element tree: tag, attributes, text and children in order.

    Only whitespace between elements is ignored (the text of an element with children, and
    tails); a leaf's text is kept exactly, with no text and empty text both ``""``.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    # Our own documents only: no DOCTYPE or entities to worry about.
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, strip_cdata=True))

    def convert(element: Any) -> Any:
        children = [convert(child) for child in element]
        text = element.text or ""
        if children and not text.strip():
            text = ""
        tails = [child.tail for child in element if child.tail and child.tail.strip()]
        return (element.tag, dict(element.attrib), text, children, tails)

    return convert(root)


_ABSENT = object()


def xml_view(tree: Any) -> Any:
    """A JSON value tree reduced to what the XML layout can express.

    XML cannot tell a string from a number or boolean token, a one-item list from its item,
    an empty list from an absent member, or an empty object from an empty string (both are
    an empty element); everything else is kept, member order included.
    """
    if tree is None:
        return None
    if tree is True:
        return "true"
    if tree is False:
        return "false"
    if isinstance(tree, str):
        return tree
    kind, body = tree
    if kind == "number":
        return body
    if kind == "array":
        items = [xml_view(item) for item in body]
        if not items:
            return _ABSENT
        return items[0] if len(items) == 1 else ("array", items)
    assert kind == "object"
    members = tuple((key, view) for key, value in body if (view := xml_view(value)) is not _ABSENT)
    return ("object", members) if members else ""


def fingerprint(value: Any, *, empty_lists_absent: bool = False) -> Any:
    """Every value of a model object with its exact text and type (``wire`` left out).

    ``Decimal`` keeps ``str`` and ``as_tuple()``, timestamps and dates their text, free-form
    mappings their member order. With ``empty_lists_absent`` an empty tuple reads as
    ``None`` (what dexero-xml can express).
    """

    def fp(item: Any) -> Any:
        kind = type(item)
        if attrs.has(kind):
            return (
                kind.__name__,
                tuple(
                    (a.name, fp(getattr(item, a.name)))
                    for a in attrs.fields(kind)
                    if a.name != "wire"
                ),
            )
        if kind is Decimal:
            return ("Decimal", str(item), item.as_tuple())
        if kind in (Timestamp, CalendarDate, JsonNumber):
            return (kind.__name__, item.text)
        if isinstance(item, dict) or hasattr(item, "items"):
            return ("mapping", tuple((key, fp(v)) for key, v in item.items()))
        if kind is tuple and empty_lists_absent and not item:
            return fp(None)
        if kind in (tuple, list):
            return (kind.__name__, tuple(fp(v) for v in item))
        assert kind in (str, int, bool, type(None)), kind
        return (kind.__name__, item)

    return fp(value)


# --- the comparisons can fail --------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (b'{"v":10.5}', b'{"v":10.50}'),
        (b'{"v":"1"}', b'{"v":1}'),
        (b'{"v":true}', b'{"v":1}'),
        (b'{"v":1}', b'{"v":1.0}'),
        (b'{"v":-0}', b'{"v":0}'),
        (b'{"v":1e5}', b'{"v":100000}'),
        (b'{"a":1,"b":2}', b'{"b":2,"a":1}'),
        (b'{"v":[{"a":1}]}', b'{"v":{"a":1}}'),
        (b'{"v":[]}', b"{}"),
        (b'{"v":null}', b"{}"),
        (b'{"v":{}}', b'{"v":""}'),
    ],
)
def test_json_tree_tells_spellings_apart(left: bytes, right: bytes) -> None:
    assert json_tree(left) != json_tree(right)
    assert json_tree(left) == json_tree(left)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (b'{"v":10.5}', b'{"v":"10.50"}'),
        (b'{"a":1,"b":2}', b'{"b":2,"a":1}'),
        (b'{"v":[1,2]}', b'{"v":[2,1]}'),
        (b'{"v":null}', b'{"v":""}'),
        (b'{"v":" "}', b'{"v":""}'),
    ],
)
def test_xml_view_keeps_what_xml_can_express(left: bytes, right: bytes) -> None:
    assert xml_view(json_tree(left)) != xml_view(json_tree(right))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (b'{"v":10.5}', b'{"v":"10.5"}'),
        (b'{"v":true}', b'{"v":"true"}'),
        (b'{"v":[{"a":1}]}', b'{"v":{"a":"1"}}'),
        (b'{"v":[],"w":1}', b'{"w":1}'),
        (b'{"v":{}}', b'{"v":""}'),
    ],
)
def test_xml_view_forgets_what_xml_cannot_express(left: bytes, right: bytes) -> None:
    assert xml_view(json_tree(left)) == xml_view(json_tree(right))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (b"<a><b>1</b></a>", b"<a><b>1.0</b></a>"),
        (b"<a><b> x</b></a>", b"<a><b>x</b></a>"),
        (b"<a><b> </b></a>", b"<a><b/></a>"),
        (b"<a><b>1</b><c/></a>", b"<a><c/><b>1</b></a>"),
        (
            b"<a><b/></a>",
            b'<a xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><b i:nil="true"/></a>',
        ),
    ],
)
def test_xml_tree_tells_documents_apart(left: bytes, right: bytes) -> None:
    assert xml_tree(left) != xml_tree(right)


def test_xml_tree_ignores_only_whitespace_between_elements() -> None:
    assert xml_tree(b"<a>\n  <b>1</b>\n</a>") == xml_tree(b"<a><b>1</b></a>")
    assert xml_tree(b"<a><b></b></a>") == xml_tree(b"<a><b/></a>")
    assert xml_tree(b"<a><b><![CDATA[<&]]></b></a>") == xml_tree(b"<a><b>&lt;&amp;</b></a>")


def test_fingerprint_tells_equal_values_apart() -> None:
    assert Decimal("10.5") == Decimal("10.50")
    assert fingerprint(DexeroOrder(total_order=Decimal("10.5"))) != fingerprint(
        DexeroOrder(total_order=Decimal("10.50"))
    )
    assert fingerprint(DexeroOrder(total_order=Decimal("0"))) != fingerprint(
        DexeroOrder(total_order=Decimal("-0"))
    )
    assert fingerprint(DexeroOrder(purchase_date=Timestamp("2021-01-01T10:00:00+02:00"))) != (
        fingerprint(DexeroOrder(purchase_date=Timestamp("2021-01-01T08:00:00Z")))
    )
    assert fingerprint(DexeroOrder(products=())) != fingerprint(DexeroOrder())
    assert fingerprint(DexeroOrder(products=()), empty_lists_absent=True) == fingerprint(
        DexeroOrder()
    )
    assert fingerprint(DexeroOrder(status="1")) != fingerprint(DexeroOrder(status=None))


# --- 1. model -> format -> model, for each format ------------------------------------------

KIND_OF = {
    TalkdeskOrderPage: "page",
    TalkdeskOrder: "order",
    TalkdeskErrorBody: "error",
    DexeroOrderPage: "page",
    DexeroOrder: "order",
}

MODELS = {
    "talkdesk-json": talkdesk_documents(),
    "dexero-json": dexero_documents(xml_safe=False),
    "dexero-xml": dexero_documents(xml_safe=True),
}


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.data())
def test_model_round_trips_in_each_format(fmt: str, data: st.DataObject) -> None:
    model = data.draw(MODELS[fmt], label="model")
    indent = data.draw(st.sampled_from([None, 2]), label="indent")
    first = ordermap.encode(model, fmt, indent=indent)
    assert ordermap.detect(first) == ordermap.Detection(fmt, KIND_OF[type(model)])
    back = ordermap.decode(first, fmt)
    assert ordermap.encode(back, fmt, indent=indent) == first
    # Dexero writes no member for an empty list made in code (XML cannot), so it may read
    # back as absent; Talkdesk keeps [].
    lists_absent = fmt != "talkdesk-json"
    assert fingerprint(back, empty_lists_absent=lists_absent) == fingerprint(
        model, empty_lists_absent=lists_absent
    )


# --- 2. raw document -> model -> same format, in every accepted spelling -------------------

RAW_KINDS = {
    "talkdesk-json": ("page", "order", "error"),
    "dexero-json": ("page", "order"),
    "dexero-xml": ("page", "order"),
}


def _raw_document(fmt: str, kind: str, data: st.DataObject) -> bytes:
    if fmt == "talkdesk-json":
        return data.draw(json_documents(raw_talkdesk_json(kind)), label="document")
    if fmt == "dexero-json":
        return data.draw(json_documents(raw_dexero_json(kind)), label="document")
    # Same-format XML must reproduce even interleaved repeated elements.
    text = data.draw(raw_dexero_xml(kind, contiguous=False), label="document")
    return text.encode("utf-8")


def document_tree(fmt: str, data: bytes) -> Any:
    return xml_tree(data) if fmt == "dexero-xml" else json_tree(data)


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.data())
def test_raw_document_round_trips_in_its_format(fmt: str, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(RAW_KINDS[fmt]), label="kind")
    raw = _raw_document(fmt, kind, data)
    written = ordermap.encode(ordermap.decode(raw, fmt, kind=kind), fmt)
    assert document_tree(fmt, written) == document_tree(fmt, raw)


# --- 3. dexero-json <-> dexero-xml ---------------------------------------------------------


def _json_to_xml_to_json(raw: bytes) -> tuple[bytes, bytes]:
    xml = ordermap.encode(ordermap.decode(raw, "dexero-json"), "dexero-xml")
    return xml, ordermap.encode(ordermap.decode(xml, "dexero-xml"), "dexero-json")


def _xml_to_json_to_xml(raw: bytes) -> tuple[bytes, bytes]:
    js = ordermap.encode(ordermap.decode(raw, "dexero-xml"), "dexero-json")
    return js, ordermap.encode(ordermap.decode(js, "dexero-json"), "dexero-xml")


@given(raw=json_documents(raw_dexero_json(xml_safe=True)))
def test_dexero_json_to_xml_to_json_keeps_every_value(raw: bytes) -> None:
    _, back = _json_to_xml_to_json(raw)
    assert xml_view(json_tree(back)) == xml_view(json_tree(raw))


@given(raw=raw_dexero_xml(contiguous=True).map(lambda text: text.encode("utf-8")))
def test_dexero_xml_to_json_to_xml_is_identical(raw: bytes) -> None:
    same = ordermap.encode(ordermap.decode(raw, "dexero-xml"), "dexero-xml")
    _, back = _xml_to_json_to_xml(raw)
    assert back == same
    assert xml_tree(back) == xml_tree(raw)


# --- 4. the default writer's documents cross formats exactly -------------------------------


def _assert_crosses_exactly(model: DexeroOrder | DexeroOrderPage) -> None:
    js = ordermap.encode(model, "dexero-json")
    assert _json_to_xml_to_json(js)[1] == js
    xml = ordermap.encode(model, "dexero-xml")
    assert _xml_to_json_to_xml(xml)[1] == xml


@given(model=dexero_documents(xml_safe=True, empty_lists=False))
def test_default_writer_documents_cross_formats_exactly(
    model: DexeroOrder | DexeroOrderPage,
) -> None:
    _assert_crosses_exactly(model)


@given(model=dexero_documents(xml_safe=True, empty_lists=True))
@example(model=DexeroOrder(products=()))
def test_default_writer_documents_with_empty_lists_cross_formats_exactly(
    model: DexeroOrder | DexeroOrderPage,
) -> None:
    _assert_crosses_exactly(model)


# --- what a writer writes, its reader reads ------------------------------------------------


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


def test_xml_written_from_json_at_the_depth_limit_reads_back() -> None:
    raw = json_write.emit({"order": {"u": _nested(63)}})
    model = ordermap.decode(raw, "dexero-json")
    try:
        xml = ordermap.encode(model, "dexero-xml")
    except ordermap.EncodeError:
        return  # refusing what the target cannot hold is allowed; writing it unreadable is not
    ordermap.decode(xml, "dexero-xml")
