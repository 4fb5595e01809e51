"""A full 500-order Dexero page converts between XML and JSON keeping every value's text."""

from __future__ import annotations

import json

import ordermap

from .sample import dexero_page_xml
from .trees import json_tree, xml_tree


def test_500_order_xml_page_to_json_and_back_keeps_every_text() -> None:
    xml = dexero_page_xml(500, seed=7)
    page = ordermap.decode(xml)
    assert isinstance(page, ordermap.DexeroOrderPage)
    assert page.orders is not None and len(page.orders) == 500
    # XML to XML: the page remembers 500 repeated <order> keys; each list is written once.
    assert xml_tree(ordermap.encode(page, "dexero-xml")) == xml_tree(xml)
    as_json = ordermap.encode(page, "dexero-json")
    back = ordermap.encode(ordermap.decode(as_json), "dexero-xml")
    assert xml_tree(back) == xml_tree(xml)
    # And the JSON written from the XML reads back to the same JSON.
    again = ordermap.encode(ordermap.decode(back), "dexero-json")
    assert json_tree(again) == json_tree(as_json)
    # Spot-check exact texts on the JSON side: amounts keep their scale as number text.
    first = json.loads(as_json, parse_float=str, parse_int=str)["orders"]["order"][0]
    original = ordermap.decode(xml)
    assert isinstance(original, ordermap.DexeroOrderPage) and original.orders
    assert first["total_order"] == format(original.orders[0].total_order, "f")
