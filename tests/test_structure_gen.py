"""The generated structure hooks agree with the generic ones, and the faster ``to_node`` with
the straightforward walk it replaced: same instances (exact text, types, member order,
spelling, extra) and the same faults (paths, codes, messages, values, order), on generated
documents and on documents broken on purpose.
"""

from __future__ import annotations

import linecache
import traceback
from decimal import Decimal
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import ordermap
from ordermap.binding import LIMITS, Fault, _structure_gen, fault_paths, field_specs, is_model
from ordermap.errors import ValidationError
from ordermap.formats import dexero_json, dexero_xml, json_read, json_write, talkdesk_json, xml_read
from ordermap.limits import DEFAULT_LIMITS
from ordermap.model import (
    DexeroOrder,
    DexeroOrderPage,
    TalkdeskErrorBody,
    TalkdeskOrder,
    TalkdeskOrderPage,
)
from ordermap.values import JsonNumber
from tests.strategies import raw_dexero_json, raw_dexero_xml, raw_talkdesk_json

MODULES = (dexero_json, dexero_xml, talkdesk_json)


def _generic(module: Any) -> cattrs.Converter:
    converter = cattrs.Converter()
    _structure_gen.GENERATE = False
    try:
        module.configure_converter(converter)
    finally:
        _structure_gen.GENERATE = True
    return converter


GENERIC = {module.FORMAT: _generic(module) for module in MODULES}


def shape(value: Any) -> Any:
    """A value as a tree that keeps what ``==`` forgets: types, Decimal text, dict order."""
    if attrs.has(type(value)):
        return (
            type(value).__name__,
            [(a.name, shape(getattr(value, a.name))) for a in attrs.fields(type(value))],
        )
    if isinstance(value, dict) or type(value).__name__ == "mappingproxy":
        return (
            type(value).__name__,
            getattr(value, "sequence", None),
            [(key, shape(item)) for key, item in value.items()],
        )
    if isinstance(value, list | tuple):
        return (type(value).__name__, [shape(item) for item in value])
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    return (type(value).__name__, repr(value))


def outcome(converter: cattrs.Converter, raw: Any, cls: type) -> Any:
    token = LIMITS.set(DEFAULT_LIMITS)
    try:
        return ("ok", shape(converter.structure(raw, cls)))
    except Fault as fault:
        return ("fault", [(p, c, m, shape(v)) for p, c, m, v in fault_paths(fault)])
    finally:
        LIMITS.reset(token)


def agree(module: Any, raw: Any, cls: type) -> None:
    assert outcome(module.CONVERTER, raw, cls) == outcome(GENERIC[module.FORMAT], raw, cls)


# --- breaking documents on purpose --------------------------------------------------------

_DEEP: Any = []
for _ in range(70):
    _DEEP = [_DEEP]

_ODD_JSON = [
    None,
    "",
    "text",
    "10.50",
    "2021-09-14T12:16:50Z",
    "2021-09-14",
    "QUJD",
    0,
    -1,
    2**63,
    2**31,
    True,
    False,
    Decimal("10.5"),
    Decimal("1.234"),
    JsonNumber("1e5"),
    JsonNumber("-0"),
    {},
    [],
    [None],
    [{}],
    {"id": 1},
    {"x": _DEEP},
    _DEEP,
]


@st.composite
def broken(draw: Any, value: Any, odd: list[Any]) -> Any:
    """``value`` with some members replaced, dropped, added or moved, at any depth."""
    if isinstance(value, dict) and draw(st.integers(0, 3)):
        items = [(key, draw(broken(item, odd))) for key, item in value.items()]
        if items and draw(st.booleans()):
            index = draw(st.integers(0, len(items) - 1))
            action = draw(st.sampled_from(["replace", "drop", "move"]))
            key, item = items[index]
            if action == "replace":
                items[index] = (key, draw(st.sampled_from(odd)))
            elif action == "drop":
                del items[index]
            else:
                items.append(items.pop(index))
        if draw(st.booleans()):
            items.insert(
                draw(st.integers(0, len(items))),
                (
                    draw(st.sampled_from(["zz", "id", "order", "extra", "wire"])),
                    draw(st.sampled_from(odd)),
                ),
            )
        out = type(value)()
        for key, item in items:
            if key in out and isinstance(out, xml_read.XmlNode):
                continue
            out[key] = item
        if isinstance(out, xml_read.XmlNode):
            out.sequence = tuple(
                key for key in getattr(value, "sequence", ()) if key in out
            ) or tuple(out)
        return out
    if isinstance(value, list) and value and draw(st.booleans()):
        index = draw(st.integers(0, len(value) - 1))
        items = list(value)
        items[index] = draw(st.one_of(st.sampled_from(odd), broken(items[index], odd)))
        return items
    return value


_JSON_DOCUMENTS = {
    "dexero-json": (raw_dexero_json(), lambda raw: next(iter(raw.values()))),
    "talkdesk-json": (raw_talkdesk_json(), lambda raw: raw),
}


def _dexero_class(raw: dict[str, Any]) -> type:
    return DexeroOrderPage if "orders" in raw else DexeroOrder


def _talkdesk_class(raw: dict[str, Any]) -> type:
    kind = talkdesk_json.classify(raw)
    return {"page": TalkdeskOrderPage, "order": TalkdeskOrder, "error": TalkdeskErrorBody}.get(
        kind or "order", TalkdeskOrder
    )


def _parsed(raw: Any) -> Any:
    # Through the reader, so that numbers are what it makes of them (int, Decimal, JsonNumber).
    return json_read.parse(json_write.emit(raw), DEFAULT_LIMITS, "test")


@given(raw=raw_dexero_json(), data=st.data())
def test_dexero_json_hooks_agree(raw: Any, data: Any) -> None:
    cls = _dexero_class(raw)
    value = next(iter(_parsed(raw).values()))
    agree(dexero_json, value, cls)
    agree(dexero_json, data.draw(broken(value, _ODD_JSON)), cls)


@given(raw=raw_talkdesk_json(), data=st.data())
def test_talkdesk_json_hooks_agree(raw: Any, data: Any) -> None:
    cls = _talkdesk_class(raw)
    value = _parsed(raw)
    agree(talkdesk_json, value, cls)
    agree(talkdesk_json, data.draw(broken(value, _ODD_JSON)), cls)


_ODD_XML: list[Any] = [
    None,
    "",
    " ",
    "text",
    "-0",
    "007",
    "1",
    "true",
    "10.505",
    ["1", "2"],
    xml_read.XmlNode(),
]


@given(text=raw_dexero_xml(), data=st.data())
def test_dexero_xml_hooks_agree(text: str, data: Any) -> None:
    root = xml_read.parse(text.encode(), DEFAULT_LIMITS, "test")
    cls = DexeroOrderPage if root.tag == "orders" else DexeroOrder
    node = xml_read.to_node(root, "test")
    agree(dexero_xml, node, cls)
    agree(dexero_xml, data.draw(broken(node, _ODD_XML)), cls)


def _classes(*roots: type) -> list[type]:
    found: list[type] = []
    pending = list(roots)
    while pending:
        cls = pending.pop()
        if cls in found:
            continue
        found.append(cls)
        for spec in field_specs(cls):
            inner = spec.item_type or spec.type
            if is_model(inner):
                pending.append(inner)
    return found


_PAIRS = [
    *((module, cls) for module in (dexero_json, dexero_xml) for cls in _classes(DexeroOrderPage)),
    *((talkdesk_json, cls) for cls in _classes(TalkdeskOrderPage, TalkdeskErrorBody)),
]


@pytest.mark.parametrize(
    ("module", "cls"), _PAIRS, ids=[f"{m.FORMAT}-{c.__name__}" for m, c in _PAIRS]
)
@given(data=st.data())
def test_every_class_agrees_on_odd_members(module: Any, cls: type, data: Any) -> None:
    keys = [spec.key for spec in field_specs(cls)]
    odd = _ODD_XML if module is dexero_xml else _ODD_JSON
    members = data.draw(
        st.lists(st.tuples(st.sampled_from([*keys, "unknown"]), st.sampled_from(odd)), max_size=8)
    )
    raw: Any = xml_read.XmlNode() if module is dexero_xml else {}
    for key, value in members:
        raw[key] = value
    if module is dexero_xml:
        raw.sequence = tuple(raw)
    agree(module, raw, cls)
    agree(module, data.draw(st.sampled_from(odd)), cls)


def test_a_traceback_shows_the_generated_line() -> None:
    hook = dexero_json.CONVERTER.get_structure_hook(DexeroOrder)
    assert linecache.getline(hook.__code__.co_filename, 1).startswith("def structure(obj, _):")
    with pytest.raises(Fault) as raised:
        hook(None, None)
    text = "".join(traceback.format_exception(raised.value))
    assert "raise _Fault([[[], 'wrong-type', 'expected an object', obj]])" in text


# --- to_node against the straightforward walk it replaced ---------------------------------


def reference_to_node(root: Any) -> Any:
    """``to_node`` as it was written before it was made faster (refusals as their codes)."""

    def refuse(code: str, element: Any) -> Exception:
        return ValueError(code, root.getroottree().getpath(element))

    def convert(element: Any) -> Any:
        nil = False
        for name, value in element.attrib.items():
            if name == xml_read.XSI_NIL and value == "true":
                nil = True
            else:
                raise refuse("attribute", element)
        node: Any = None
        sequence: list[str] = []
        for child in element:
            tag = child.tag
            if type(tag) is not str:
                raise refuse("xml-construct", child)
            if tag[0] == "{":
                raise refuse("namespace", child)
            if child.tail is not None and child.tail.strip():
                raise refuse("mixed-content", element)
            if node is None:
                node = xml_read.XmlNode()
            value = convert(child)
            if tag in node:
                previous = node[tag]
                if type(previous) is list:
                    previous.append(value)
                else:
                    node[tag] = [previous, value]
            else:
                node[tag] = value
            sequence.append(tag)
        text = element.text
        if node is None:
            if nil:
                if text:
                    raise refuse("nil-with-content", element)
                return None
            return text or ""
        if nil:
            raise refuse("nil-with-content", element)
        if text is not None and text.strip():
            raise refuse("mixed-content", element)
        node.sequence = tuple(sequence)
        return node

    return convert(root)


_INSERTS = [
    "",
    " ",
    "\u00a0",
    "\u2003x",
    "stray",
    "<?pi x?>",
    "<!-- c -->",
    '<a xsi:nil="true"/>',
    '<a xsi:nil="true">t</a>',
    '<a xsi:nil="false"/>',
    '<a b="1"/>',
    '<a b="1"><c/></a>',
    "<n:a/>",
    "<a><b>1</b>t</a>",
    "<a> <b/> </a>",
    "<a/>",
    "<a>x</a><a>y</a>",
]


@given(text=raw_dexero_xml(), data=st.data())
def test_to_node_agrees_with_the_straightforward_walk(text: str, data: Any) -> None:
    # The root's start tag ends at ``start``; the odd text goes somewhere after it.
    start = text.index(">", text.index("<", text.index("?>") + 2 if "?>" in text else 0))
    cut = data.draw(st.sampled_from([at for at, ch in enumerate(text) if ch == "<" and at > start]))
    odd = data.draw(st.sampled_from(_INSERTS))
    namespaces = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:n="urn:n"'
    source = text[:start] + " " + namespaces + text[start:cut] + odd + text[cut:]
    try:
        root = xml_read.parse(source.encode(), DEFAULT_LIMITS, "test")
    except Exception:  # the insert broke well-formedness: nothing to compare
        return
    try:
        expected: Any = shape(reference_to_node(root))
    except ValueError as refusal:
        expected = refusal.args
    try:
        found: Any = shape(xml_read.to_node(root, "test"))
    except ValidationError as error:
        (problem,) = error.problems
        found = (problem.code, problem.location.path)
    assert found == expected


def test_odd_elements_are_refused_alike() -> None:
    page = b"<order><id>1</id><a><?pi x?></a></order>"
    root = etree.fromstring(page)
    with pytest.raises(ValidationError) as raised:
        xml_read.to_node(root, "test")
    assert raised.value.problems[0].code == "xml-construct"


def test_objects_read_in_one_member_order_share_their_wire_record() -> None:
    page = ordermap.decode(
        b'{"orders": {"order": [{"id": 1, "currency": "EUR"}, {"id": 2, "currency": "USD"},'
        b' {"currency": "EUR", "id": 3}, {"id": 4, "currency": 978}]}}'
    )
    first, second, reordered, respelled = page.orders
    assert first.wire is second.wire
    assert reordered.wire is not first.wire
    assert reordered.wire.keys == ("currency", "id")
    # A record with spelling notes belongs to its object alone.
    assert respelled.wire.spelling == {"currency": "number"}
    assert respelled.wire is not first.wire
    assert ordermap.encode(page, "dexero-json") == (
        b'{"orders":{"order":[{"id":1,"currency":"EUR"},{"id":2,"currency":"USD"},'
        b'{"currency":"EUR","id":3},{"id":4,"currency":978}]}}'
    )


def test_the_shared_wire_records_are_bounded() -> None:

    orders = ",".join(
        "{" + ",".join(f'"k{(start + n) % 200}": {n}' for n in range(3)) + "}"
        for start in range(_structure_gen._SHARED_WIRES * 3)
    )
    page = ordermap.decode(('{"orders": {"order": [' + orders + "]}}").encode())
    hook = ordermap.formats.get("dexero-json").CONVERTER.get_structure_hook(ordermap.DexeroOrder)
    assert len(hook.__globals__["_wires"]) <= _structure_gen._SHARED_WIRES
    assert [order.wire.keys for order in page.orders][:2] == [
        ("k0", "k1", "k2"),
        ("k1", "k2", "k3"),
    ]
