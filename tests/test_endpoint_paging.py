"""From a Dexero page to a Talkdesk page with links: the link rules, checks and translation."""

from __future__ import annotations

import math
from decimal import Decimal
from urllib.parse import urlsplit

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ordermap
from ordermap import DexeroOrder, DexeroOrderPage, TranslationError
from ordermap.endpoint import (
    Cursor,
    CursorCodec,
    DexeroQuery,
    OrderBy,
    PagingError,
    TalkdeskQuery,
    assemble_page,
    page_links,
    parse_talkdesk_query,
    render_talkdesk_query,
    translate_request,
)

from .sample import dexero_page_xml
from .test_endpoint_query import talkdesk_schema_errors

BASE = "https://shop.example/erc/ecommerce/orders"
DESC = OrderBy("purchase_datetime", "desc")


def orders(count: int, first_id: int = 1) -> tuple[DexeroOrder, ...]:
    """Small translatable orders with consecutive ids."""
    return tuple(
        DexeroOrder(id=first_id + index, reference_number=f"#{first_id + index}")
        for index in range(count)
    )


def page(total: int, start: int, size: int, held: int | None = None) -> DexeroOrderPage:
    held = max(0, min(size, total - start)) if held is None else held
    return DexeroOrderPage(
        total_results=total,
        start_index=start,
        items_per_page=size,
        page_count=math.ceil(total / size),
        orders=orders(held, first_id=start + 1),
    )


def query_of(href: str) -> TalkdeskQuery:
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == BASE
    return parse_talkdesk_query(parts.query)


def test_the_last_page_of_the_seeds_products_example_has_no_next() -> None:
    # Dexero's products example: totalResults 261, startIndex 260, itemsPerPage 20, one item.
    links = page_links(page(261, 260, 20), TalkdeskQuery(limit=20, cursor=Cursor(260)), BASE)
    assert links.next is None
    assert links.self_.href == BASE + "?" + render_talkdesk_query(
        TalkdeskQuery(limit=20, cursor=Cursor(260))
    )


def test_next_starts_after_the_page_and_keeps_the_request() -> None:
    request = TalkdeskQuery(limit=20, order_by=DESC, extra=(("tag", "a b"),))
    links = page_links(page(261, 0, 20), request, BASE)
    assert links.self_.href == BASE + "?limit=20&order_by=purchase_datetime:desc&tag=a%20b"
    assert links.next is not None
    assert query_of(links.next.href) == attrs.evolve(request, cursor=Cursor(20, DESC))


def test_an_empty_request_links_to_the_bare_endpoint() -> None:
    links = page_links(page(0, 0, 20), TalkdeskQuery(), BASE)
    assert (links.self_.href, links.next) == (BASE, None)


def test_next_follows_itemsPerPage_not_the_limit_asked() -> None:
    # Dexero may give fewer than asked (a limit above 500, its own cap): its page size rules.
    links = page_links(page(1000, 0, 500), TalkdeskQuery(limit=800), BASE)
    assert links.next is not None
    assert query_of(links.next.href).cursor == Cursor(500)


def test_a_cursor_past_the_end_gives_an_empty_last_page() -> None:
    request = TalkdeskQuery(limit=20, cursor=Cursor(5000))
    links = page_links(page(1234, 5000, 20), request, BASE)
    assert links.next is None
    result = assemble_page(page(1234, 5000, 20), request, BASE)
    assert result.document.orders == ()


def test_a_signing_codec_signs_the_next_cursor() -> None:
    codec = CursorCodec(key=b"k")
    links = page_links(page(50, 0, 20), TalkdeskQuery(limit=20), BASE, cursors=codec)
    assert links.next is not None
    assert parse_talkdesk_query(urlsplit(links.next.href).query, cursors=codec).cursor == Cursor(20)
    with pytest.raises(ordermap.endpoint.QueryError):
        parse_talkdesk_query(urlsplit(links.next.href).query)


@pytest.mark.parametrize(
    ("bad", "request_", "expected"),
    [
        (
            attrs.evolve(page(40, 0, 20), total_results=None),
            TalkdeskQuery(),
            ("missing-field", "/orders/totalResults"),
        ),
        (
            attrs.evolve(page(40, 0, 20), start_index=None),
            TalkdeskQuery(),
            ("missing-field", "/orders/startIndex"),
        ),
        (
            attrs.evolve(page(40, 0, 20), items_per_page=None),
            TalkdeskQuery(),
            ("missing-field", "/orders/itemsPerPage"),
        ),
        (
            attrs.evolve(page(40, 0, 20), items_per_page=0),
            TalkdeskQuery(),
            ("out-of-range", "/orders/itemsPerPage"),
        ),
        (
            attrs.evolve(page(40, 0, 20), total_results=-1),
            TalkdeskQuery(),
            ("out-of-range", "/orders/totalResults"),
        ),
        (page(40, 20, 20), TalkdeskQuery(), ("bad-paging", "/orders/startIndex")),
        (page(40, 0, 20), TalkdeskQuery(cursor=Cursor(20)), ("bad-paging", "/orders/startIndex")),
        (page(40, 0, 20, held=19), TalkdeskQuery(), ("bad-paging", "/orders/order")),
        (
            page(40, 20, 20, held=19),
            TalkdeskQuery(cursor=Cursor(20)),
            ("bad-paging", "/orders/order"),
        ),
        (page(40, 0, 20, held=21), TalkdeskQuery(), ("bad-paging", "/orders/order")),
        (
            page(10, 20, 20, held=1),
            TalkdeskQuery(cursor=Cursor(20)),
            ("bad-paging", "/orders/order"),
        ),
    ],
)
def test_a_page_that_cannot_be_paged_is_refused(
    bad: DexeroOrderPage, request_: TalkdeskQuery, expected: tuple[str, str]
) -> None:
    with pytest.raises(PagingError) as caught:
        page_links(bad, request_, BASE)
    problem = caught.value.problems[0]
    assert (problem.code, problem.location.pointer) == expected
    assert isinstance(caught.value, ordermap.ValidationError)


@pytest.mark.parametrize("base", ["", BASE + "?x=1", BASE + "#top"])
def test_the_base_url_has_no_query(base: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        page_links(page(1, 0, 1), TalkdeskQuery(), base)


def test_assembly_translates_the_orders_and_reports_what_is_lost() -> None:
    source = ordermap.decode(dexero_page_xml(7, seed=3), "dexero-xml")
    assert isinstance(source, DexeroOrderPage)
    source = attrs.evolve(
        source, total_results=30, items_per_page=7, uri="https://dexero/orders.xml"
    )
    request = TalkdeskQuery(limit=7, order_by=DESC)
    result = assemble_page(source, request, BASE, source_format="dexero-xml")
    direct = ordermap.translate(source, "talkdesk-json", source_format="dexero-xml")
    assert isinstance(result.document, ordermap.TalkdeskOrderPage)
    assert isinstance(direct.document, ordermap.TalkdeskOrderPage)
    assert result.document.orders == direct.document.orders
    assert result.document.links == page_links(source, request, BASE)
    # The pagination properties went into the links; everything else is reported as before.
    pagination = ("totalResults", "startIndex", "itemsPerPage", "pageCount")
    assert {entry.source for entry in direct.report.entries} - {
        entry.source for entry in result.report.entries
    } == {f"/orders/{key}" for key in pagination}
    assert any(entry.source == "/orders/uri" for entry in result.report.lost)
    data = ordermap.encode(result.document, "talkdesk-json")
    assert talkdesk_schema_errors(data) == []
    assert ordermap.decode(data, "talkdesk-json") == result.document


def test_strict_mode_refuses_only_what_the_orders_lose() -> None:
    plain = page(5, 0, 5)
    result = assemble_page(plain, TalkdeskQuery(limit=5), BASE, mode="strict")
    assert result.report.entries == ()
    assert [order.id for order in result.document.orders] == ["1", "2", "3", "4", "5"]
    lossy = attrs.evolve(plain, uri="https://dexero/orders.xml")
    with pytest.raises(TranslationError):
        assemble_page(lossy, TalkdeskQuery(limit=5), BASE, mode="strict")


def test_carry_mode_carries_what_has_no_counterpart() -> None:
    source = attrs.evolve(page(5, 0, 5), uri="https://dexero/orders.xml")
    result = assemble_page(source, TalkdeskQuery(limit=5), BASE, mode="carry")
    assert [(entry.action, entry.source) for entry in result.report.entries] == [
        ("carried", "/orders/uri")
    ]
    data = ordermap.encode(result.document, "talkdesk-json")
    assert b'"uri":"https://dexero/orders.xml"' in data
    assert talkdesk_schema_errors(data) == []


# --- paging through a whole list, with an in-memory Dexero ----------------------------------


def serve(listing: tuple[DexeroOrder, ...], query: DexeroQuery) -> DexeroOrderPage:
    """Dexero's answer to ``query`` over ``listing`` (already in Dexero's default order)."""
    query = query.with_defaults()
    assert query.count is not None and query.offset is not None
    assert query.sort_key == "purchasedTimestamp"
    ordered = listing if query.sort_dir == "asc" else listing[::-1]
    return DexeroOrderPage(
        total_results=len(ordered),
        start_index=query.offset,
        items_per_page=query.count,
        page_count=math.ceil(len(ordered) / query.count),
        orders=ordered[query.offset : query.offset + query.count],
    )


@given(
    st.integers(0, 120),
    st.none() | st.integers(1, 30),
    st.sampled_from([None, "asc", "desc"]),
)
def test_following_next_gives_every_order_once_in_order(
    total: int, limit: int | None, direction: str | None
) -> None:
    listing = orders(total)  # in Dexero's default order
    order_by = None if direction is None else OrderBy("purchase_datetime", direction)  # type: ignore[arg-type]
    href = BASE + "?" + render_talkdesk_query(TalkdeskQuery(limit=limit, order_by=order_by))
    href = href.rstrip("?")
    seen: list[str] = []
    pages = 0
    while True:
        request = query_of(href)
        fetched = serve(listing, translate_request(request, strict=True).query)
        result = assemble_page(fetched, request, BASE)
        links = result.document.links
        assert links is not None and links.self_.href == href
        seen += [order.id for order in result.document.orders]
        pages += 1
        if links.next is None:
            break
        assert len(result.document.orders) == (limit or 20)
        href = links.next.href
    expected = [str(order.id) for order in (listing[::-1] if direction == "desc" else listing)]
    assert seen == expected
    assert pages == max(1, math.ceil(total / (limit or 20)))


def test_a_limit_above_500_pages_in_pages_of_500() -> None:
    listing = orders(1001)
    href = BASE + "?limit=900"
    sizes = []
    seen: list[str] = []
    while href:
        request = query_of(href)
        result = assemble_page(serve(listing, translate_request(request).query), request, BASE)
        sizes.append(len(result.document.orders))
        seen += [order.id for order in result.document.orders]
        links = result.document.links
        assert links is not None
        href = links.next.href if links.next is not None else ""
    assert sizes == [500, 500, 1]
    assert seen == [str(order.id) for order in listing]


def test_amounts_keep_their_text_through_assembly() -> None:
    order = DexeroOrder(
        id=9, reference_number="#9", total_products=Decimal("10.50"), currency="EUR"
    )
    source = DexeroOrderPage(total_results=1, start_index=0, items_per_page=5, orders=(order,))
    result = assemble_page(source, TalkdeskQuery(), BASE)
    data = ordermap.encode(result.document, "talkdesk-json")
    assert b'"original_total_amount":{"value":10.50,"currency":"EUR"}' in data
