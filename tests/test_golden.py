"""Golden fixtures: every file reads, and writes back as the same document."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ordermap
from ordermap import DexeroOrder, DexeroOrderPage, TalkdeskOrderPage

from .trees import json_tree, xml_tree

FIXTURES = Path(__file__).parent / "fixtures"
VALID = sorted(
    path
    for path in FIXTURES.glob("*/*")
    if path.suffix in (".json", ".xml") and not path.name.startswith("invalid-")
)


def read(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


@pytest.mark.parametrize("path", VALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_writes_back_as_the_same_document(path: Path) -> None:
    data = path.read_bytes()
    found = ordermap.detect(data)
    assert found.format == path.parent.name
    document = ordermap.decode(data)
    output = ordermap.encode(document, found.format)
    if found.format == "dexero-xml":
        assert xml_tree(output) == xml_tree(data)
    else:
        assert json_tree(output) == json_tree(data)


def test_seed_page_keeps_the_seeds_values() -> None:
    page = ordermap.decode(read("talkdesk-json/seed-page.json"))
    assert isinstance(page, TalkdeskOrderPage)
    (order,) = page.orders
    assert (order.id, order.order_number, order.customer_id) == (
        "order456",
        "#Y34DHR",
        "customer123",
    )
    assert order.purchase_datetime is not None
    assert order.purchase_datetime.text == "2021-09-14T12:16:50.078Z"
    assert order.payment_details is not None
    assert order.payment_details.card_number == "** ** ** *567"
    assert order.price_summary is not None
    assert str(order.price_summary.original_total_amount.value) == "10.5"
    assert order.order_extra_info is not None
    assert order.order_extra_info.latest_status_info is not None
    assert order.order_extra_info.latest_status_info.generic_type == "IN_TRANSIT"
    assert page.links is not None and page.links.next is not None
    assert page.links.next.href.endswith(
        "cursor=eyJsYXN0X2lkIjoxMjQ4MzU4NTYzODYyLCJsYXN0X3ZhbHVlIjoiMjAxOS0wNi0xNyAwMjoyMzo0Mi4wMDAwMDAifQ=="
    )


def test_talkdesk_page_keeps_scale_offsets_nulls_and_unknown_keys() -> None:
    data = read("talkdesk-json/page-exact-text.json")
    page = ordermap.decode(data)
    assert isinstance(page, TalkdeskOrderPage)
    first, second = page.orders
    assert first.price_summary is not None and first.price_summary.final_total_amount is not None
    assert first.price_summary.original_total_amount.value.as_tuple() == Decimal("10.50").as_tuple()
    assert str(first.price_summary.final_total_amount.value) == "10.5"
    assert first.extra == {"loyalty_tier": "gold"}
    assert first.customer_id is None and first.wire.spelling["customer_id"] == "null"
    assert second.purchase_datetime is not None
    assert second.purchase_datetime.text == "2021-09-15T08:00:00+01:00"
    # Compact input, compact output: the very same bytes.
    assert ordermap.encode(page, "talkdesk-json") == data.rstrip(b"\n")


def test_dexero_json_tolerant_spellings_are_read_and_written_back() -> None:
    data = read("dexero-json/order-tolerant.json")
    order = ordermap.decode(data)
    assert isinstance(order, DexeroOrder)
    assert order.total_order is not None and str(order.total_order) == "10.50"
    assert order.reference_number == "12345"
    assert order.shipping_address is not None and order.shipping_address.postal_code == "90210"
    assert order.products is not None and len(order.products) == 1
    (product,) = order.products
    assert product.custom_params is not None and product.custom_params[0].value == "true"
    assert ordermap.encode(order, "dexero-json") == data.rstrip(b"\n")


def test_dexero_uri_and_pagination_are_read() -> None:
    page = ordermap.decode(read("dexero-json/page-with-uri.json"))
    assert isinstance(page, DexeroOrderPage)
    assert (
        page.uri
        == "https://ecommerce.dexero.com/service/rest/2/merchant/catalog/orders.json?offset=260"
    )
    assert (page.total_results, page.start_index, page.items_per_page, page.page_count) == (
        261,
        260,
        20,
        14,
    )


def test_example_xml_and_json_fixtures_are_the_same_page() -> None:
    xml = read("dexero-xml/page-example.xml")
    json_bytes = read("dexero-json/page-example.json")
    assert ordermap.encode(ordermap.decode(xml), "dexero-json", indent=2) + b"\n" == json_bytes
    assert ordermap.encode(ordermap.decode(json_bytes), "dexero-xml", indent=2) == xml


def test_xml_nil_empty_and_padding_survive() -> None:
    order = ordermap.decode(read("dexero-xml/order-nil-empty-unknown.xml"))
    assert isinstance(order, DexeroOrder)
    assert order.customer_comment is None and order.wire.spelling["customer_comment"] == "null"
    assert order.locale == ""
    assert order.customer_email == "  padded@example.com  "
    assert order.extra["gift_wrap"] == {"paper": "red", "size": ["1", "2"]}
    as_json = json_tree(ordermap.encode(order, "dexero-json"))
    members = dict(as_json[1]["order"] if isinstance(as_json[1], dict) else as_json[1][0][1][1])
    assert members["customer_comment"] is None
    assert members["locale"] == ""
