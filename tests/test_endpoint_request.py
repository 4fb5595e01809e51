"""Translating a Talkdesk request into the Dexero request for the same page."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordermap.endpoint import (
    DEXERO_MAX_COUNT,
    SORT_KEYS,
    Cursor,
    DexeroQuery,
    OrderBy,
    QueryError,
    RequestNote,
    TalkdeskQuery,
    parse_talkdesk_query,
    render_dexero_query,
    translate_request,
)

from .test_endpoint_query import check_body, talkdesk_queries


def test_the_seeds_request_becomes_dexeros_sort() -> None:
    query = parse_talkdesk_query("limit=2&order_by=purchase_datetime:desc")
    translation = translate_request(query, strict=True)
    assert translation.notes == ()
    assert render_dexero_query(translation.query) == (
        "count=2&sort_key=purchasedTimestamp&sort_dir=desc"
    )


def test_a_cursor_becomes_an_offset() -> None:
    desc = OrderBy("purchase_datetime", "desc")
    query = TalkdeskQuery(limit=50, order_by=desc, cursor=Cursor(150, desc))
    assert translate_request(query).query == DexeroQuery(
        count=50, offset=150, sort_key="purchasedTimestamp", sort_dir="desc"
    )


def test_an_empty_request_leaves_dexeros_defaults() -> None:
    translation = translate_request(TalkdeskQuery())
    assert translation == translate_request(TalkdeskQuery(), strict=True)
    assert render_dexero_query(translation.query) == ""


def test_a_limit_above_dexeros_maximum_is_adjusted_not_refused() -> None:
    translation = translate_request(TalkdeskQuery(limit=1000), strict=True)
    assert translation.query.count == DEXERO_MAX_COUNT
    assert [(n.action, n.parameter, n.value) for n in translation.notes] == [
        ("adjusted", "limit", "1000")
    ]
    assert translation.lost == ()


def test_an_order_without_a_dexero_sort_key_is_lost_and_refused_in_strict_mode() -> None:
    query = TalkdeskQuery(order_by=OrderBy("id", "asc"), extra=(("tag", "x"),))
    translation = translate_request(query)
    assert translation.query == DexeroQuery()
    assert [(n.action, n.parameter, n.value) for n in translation.notes] == [
        ("lost", "order_by", "id:asc"),
        ("lost", "tag", "x"),
    ]
    assert "no known sort key for id" in str(translation.notes[0])
    with pytest.raises(QueryError) as caught:
        translate_request(query, strict=True)
    assert [(p.code, p.location.path) for p in caught.value.problems] == [
        ("would-lose", "order_by"),
        ("would-lose", "tag"),
    ]
    check_body(caught.value)


def test_more_sort_keys_can_be_given() -> None:
    query = TalkdeskQuery(order_by=OrderBy("id", "desc"))
    translation = translate_request(query, strict=True, sort_keys={**SORT_KEYS, "id": "id"})
    assert (translation.query.sort_key, translation.query.sort_dir) == ("id", "desc")


@given(talkdesk_queries(limits=st.integers(1, 2 * DEXERO_MAX_COUNT)), st.booleans())
def test_every_parameter_is_translated_or_noted(query: TalkdeskQuery, strict: bool) -> None:
    expected_notes: list[tuple[str, str]] = []
    if query.limit is not None and query.limit > DEXERO_MAX_COUNT:
        expected_notes.append(("adjusted", "limit"))
    mapped = query.order_by is not None and query.order_by.field in SORT_KEYS
    if query.order_by is not None and not mapped:
        expected_notes.append(("lost", "order_by"))
    expected_notes += [("lost", name) for name, _ in query.extra]
    lost = [name for action, name in expected_notes if action == "lost"]
    if strict and lost:
        with pytest.raises(QueryError) as caught:
            translate_request(query, strict=True)
        assert [p.location.path for p in caught.value.problems] == lost
        check_body(caught.value)
        return
    translation = translate_request(query, strict=strict)
    assert [(n.action, n.parameter) for n in translation.notes] == expected_notes
    assert all(isinstance(note, RequestNote) for note in translation.notes)
    dexero = translation.query
    assert dexero.count == (None if query.limit is None else min(query.limit, DEXERO_MAX_COUNT))
    assert dexero.offset == (None if query.cursor is None else query.cursor.offset)
    if mapped:
        assert query.order_by is not None
        assert dexero.sort_key == SORT_KEYS[query.order_by.field]
        assert dexero.sort_dir == query.order_by.direction
    else:
        assert (dexero.sort_key, dexero.sort_dir) == (None, None)
    assert dexero.extra == ()
