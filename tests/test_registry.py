"""The format registry: the built-in formats, and an extra format added through it.

``tests/mini_format.py`` is a fourth format in one module; registering it is all it takes
for detection, decoding, the stream, translation, validation and the command line to use it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import ordermap
from ordermap import formats
from ordermap.cli import main
from ordermap.model import OrderPage
from ordermap.validation import validate

from . import mini_format

EXAMPLE = Path(__file__).parent.parent / "examples" / "dexero-page.xml"


@pytest.fixture
def mini() -> Iterator[None]:
    formats.register(mini_format)
    try:
        yield
    finally:
        formats.unregister(mini_format.FORMAT)


def test_the_built_in_formats_are_registered() -> None:
    assert formats.names() == ("dexero-json", "dexero-xml", "talkdesk-json")
    assert sorted(ordermap.FORMATS) == list(formats.names())
    assert formats.family_format("dexero").FORMAT == "dexero-json"
    assert formats.family_format("talkdesk").FORMAT == "talkdesk-json"
    for name in formats.names():
        module = formats.get(name)
        assert name == module.FORMAT
        assert module.SYNTAX in ("json", "xml")
        assert module.schema_text()  # every format has its schema


def test_an_unknown_name_lists_the_registered_ones() -> None:
    with pytest.raises(ValueError, match="expected one of dexero-json, dexero-xml, talkdesk-json"):
        formats.get("yaml")


def test_a_name_is_registered_once(mini: None) -> None:
    with pytest.raises(ValueError, match="registered already"):
        formats.register(mini_format)


def _convert(*args: str) -> int:
    return main(["convert", *args])


def test_an_extra_format_converts_from_the_command_line(mini: None, tmp_path: Path) -> None:
    as_mini, as_json = tmp_path / "page.mini.json", tmp_path / "page.json"
    assert _convert(str(EXAMPLE), "--to", "dexero-mini-json", "-o", str(as_mini)) == 0
    assert _convert(str(EXAMPLE), "--to", "dexero-json", "-o", str(as_json)) == 0
    mini_page, json_page = json.loads(as_mini.read_bytes()), json.loads(as_json.read_bytes())
    assert list(mini_page) == ["minis"]
    assert mini_page["minis"] == json_page["orders"]
    assert len(mini_page["minis"]["order"]) == len(ordermap.decode(EXAMPLE.read_bytes()).orders)

    # Detected from its content (its envelope), read back, and written as the others.
    assert ordermap.detect(as_mini.read_bytes()) == ordermap.Detection("dexero-mini-json", "page")
    for target in ("dexero-xml", "talkdesk-json", "dexero-json"):
        from_mini, from_json = tmp_path / f"a.{target}", tmp_path / f"b.{target}"
        assert _convert(str(as_mini), "--to", target, "-o", str(from_mini)) == 0
        assert _convert(str(as_json), "--to", target, "-o", str(from_json)) == 0
        assert from_mini.read_bytes() == from_json.read_bytes(), target
    assert (tmp_path / "a.dexero-xml").read_bytes() == EXAMPLE.read_bytes()

    # One order per line, and back into a page of the extra format.
    lines, again = tmp_path / "orders.ndjson", tmp_path / "again.mini.json"
    assert _convert(str(as_mini), "--to", "dexero-mini-json", "--ndjson", "-o", str(lines)) == 0
    first = json.loads(lines.read_bytes().splitlines()[0])
    assert list(first) == ["mini"] and first["mini"] == mini_page["minis"]["order"][0]
    assert _convert(str(lines), "--to", "dexero-mini-json", "--page", "-o", str(again)) == 0
    assert json.loads(again.read_bytes())["minis"]["order"] == mini_page["minis"]["order"]


def test_an_extra_format_is_validated_and_its_problems_located(mini: None) -> None:
    good = b'{"minis": {"totalResults": 1, "order": [{"id": 7, "surprise": 1}]}}'
    result = validate(good)
    assert result.ok and result.format == "dexero-mini-json" and result.kind == "page"
    assert [(p.code, p.location.pointer) for p in result.problems] == [
        ("unknown-field", "/minis/order/0/surprise")
    ]
    bad = validate(b'{"mini": {"id": "7"}}')
    assert not bad.ok
    assert [(p.code, p.location.pointer) for p in bad.problems] == [("wrong-type", "/mini/id")]


def test_an_unregistered_format_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert _convert(str(EXAMPLE), "--to", "dexero-mini-json", "-o", str(out)) == 2
    assert not out.exists()


_PAGES = {
    "dexero-json": b'{"orders": {"totalResults": 2, "order": [{"id": 1}, {"id": 2}], "uri": "u"}}',
    "dexero-xml": b"<orders><totalResults>2</totalResults><order><id>1</id></order>"
    b"<order><id>2</id><city xsi:nil='true' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'/>"
    b"</order><uri>u</uri></orders>",
    "talkdesk-json": b'{"_links": {"self": {"href": "h"}}, "_embedded": {"orders": ['
    b'{"id": "1", "order_number": "A"}, {"id": "2", "order_number": "B"}]}, "x": [1]}',
}


@pytest.mark.parametrize("name", sorted(_PAGES))
@pytest.mark.parametrize("indent", [None, 2])
def test_a_format_writes_a_page_around_orders_written_apart(name: str, indent: int | None) -> None:
    # The head and tail come from the page itself, with a hole where the orders go: put
    # around orders encoded one by one, they give what encoding the whole page gives.
    module = formats.get(name)
    page = ordermap.decode(_PAGES[name], format=name)
    orders = page.embedded.orders if name == "talkdesk-json" else page.orders
    at = list(module.PAGE_ORDERS)
    pieces = [
        module.encode_order(order, [*at, i], indent=indent, level=module.ORDER_LEVEL)
        for i, order in enumerate(orders)
    ]
    uses_nil = any(nil for _, nil in pieces)

    head, tail, level = module.page_frame(
        page.with_orders, len(orders), indent=indent, orders_use_nil=uses_nil
    )
    assert level == module.ORDER_LEVEL
    body = module.order_separator(indent).join(piece for piece, _ in pieces)
    assert head + body + tail == module.encode(page, indent=indent)
    assert uses_nil == (name == "dexero-xml")


def test_a_page_written_apart_has_exactly_one_place_for_its_orders() -> None:
    from ordermap.formats import json_write

    with pytest.raises(ValueError, match="one hole"):
        json_write.emit_around({"orders": []})
    head, tail, level = json_write.emit_around({"orders": {"order": json_write.HOLE}}, 2)
    assert (head, tail, level) == (b'{\n  "orders": {\n    "order": ', b"\n  }\n}", 2)


@pytest.mark.parametrize("page_class", [ordermap.DexeroOrderPage, ordermap.TalkdeskOrderPage])
def test_a_page_is_made_of_orders_and_takes_others(page_class: type[OrderPage]) -> None:
    order_class = (
        ordermap.DexeroOrder if page_class is ordermap.DexeroOrderPage else ordermap.TalkdeskOrder
    )
    first = [
        order_class(id="1", order_number="A")
        if order_class is ordermap.TalkdeskOrder
        else order_class(id=1)
    ]
    page = page_class.of(first)
    assert page.orders == tuple(first) and type(page) is page_class
    other = page.with_orders(())
    assert other.orders == () and page.orders == tuple(first)
