"""The Talkdesk and Dexero query models: reading, writing, and refusing with a 400 body."""

from __future__ import annotations

import json
import types
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import ordermap
import ordermap.endpoint as endpoint
from ordermap.endpoint import (
    DEXERO_MAX_COUNT,
    DIRECTIONS,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_PARAMETERS,
    MAX_QUERY_LENGTH,
    ORDER_FIELDS,
    TALKDESK_PARAMETERS,
    Cursor,
    DexeroQuery,
    OrderBy,
    QueryError,
    TalkdeskQuery,
    parse_dexero_query,
    parse_talkdesk_query,
    render_dexero_query,
    render_talkdesk_query,
)

from .strategies import timestamps

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "specs" / "talkdesk-json.schema.json").read_text()
)
_TALKDESK = Draft202012Validator(SCHEMA)
_ERROR_BODY = Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": "#/$defs/ErrorBody"})


def talkdesk_schema_errors(data: bytes) -> list[str]:
    """What specs/talkdesk-json.schema.json finds wrong with a document."""
    instance = json.loads(data, parse_float=Decimal)
    return [f"{error.json_path}: {error.message}" for error in _TALKDESK.iter_errors(instance)]


def error_body_schema_errors(data: bytes) -> list[str]:
    """What the schema finds wrong with a Talkdesk error body, as a document and as ErrorBody."""
    instance = json.loads(data, parse_float=Decimal)
    found = [f"{e.json_path}: {e.message}" for e in _ERROR_BODY.iter_errors(instance)]
    return found + talkdesk_schema_errors(data)


def refusal(query: str | bytes, **kwargs: Any) -> QueryError:
    with pytest.raises(QueryError) as caught:
        parse_talkdesk_query(query, **kwargs)
    return caught.value


def check_body(error: QueryError) -> dict[str, Any]:
    """The error's Talkdesk body, checked against the schema and read back by ordermap."""
    body = error.to_talkdesk_error()
    data = ordermap.encode(body, "talkdesk-json")
    assert error_body_schema_errors(data) == []
    assert ordermap.decode(data, "talkdesk-json") == body
    decoded: dict[str, Any] = json.loads(data)
    assert decoded["code"] == "400"
    names = [problem.location.path for problem in error.problems]
    assert [field["name"] for field in decoded["fields"]] == names
    assert error.parameters == tuple(dict.fromkeys(names))
    return decoded


# --- strategies ------------------------------------------------------------------------------

order_bys = st.builds(OrderBy, st.sampled_from(ORDER_FIELDS), st.sampled_from(DIRECTIONS))
free_texts = st.text(min_size=1, max_size=20)


def extras(known: tuple[str, ...]) -> st.SearchStrategy[tuple[tuple[str, str], ...]]:
    names = free_texts.filter(lambda name: name not in known)
    return st.lists(st.tuples(names, st.text(max_size=20)), max_size=3).map(tuple)


@st.composite
def talkdesk_queries(draw: Any, limits: st.SearchStrategy[int] | None = None) -> TalkdeskQuery:
    order_by = draw(st.none() | order_bys)
    cursor = draw(st.none() | st.builds(Cursor, st.integers(0, MAX_OFFSET), st.just(order_by)))
    return TalkdeskQuery(
        limit=draw(st.none() | (st.integers(1, MAX_LIMIT) if limits is None else limits)),
        order_by=order_by,
        cursor=cursor,
        extra=draw(extras(TALKDESK_PARAMETERS)),
    )


longs = st.integers(-(2**63), 2**63 - 1)
dexero_queries = st.builds(
    DexeroQuery,
    count=st.none() | st.integers(1, DEXERO_MAX_COUNT),
    offset=st.none() | st.integers(0, MAX_OFFSET),
    sort_key=st.none() | st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,63}", fullmatch=True),
    sort_dir=st.none() | st.sampled_from(DIRECTIONS),
    customer_email=st.none() | free_texts,
    status=st.none() | free_texts,
    earliest_time=st.none() | timestamps(),
    latest_time=st.none() | timestamps(),
    min_id=st.none() | longs,
    max_id=st.none() | longs,
    include_forms=st.none() | st.booleans(),
    include_tests=st.none() | st.booleans(),
    custom_field_identifier=st.none() | free_texts,
    custom_field_value=st.none() | free_texts,
    attribute_identifier=st.none() | free_texts,
    attribute_value=st.none() | free_texts,
    extra=extras(tuple(attrs.fields_dict(DexeroQuery))),
)


# --- Talkdesk ---------------------------------------------------------------------------------


def test_the_seeds_self_link_reads_and_writes_back_as_it_is() -> None:
    text = "limit=2&order_by=purchase_datetime:desc"
    query = parse_talkdesk_query(text)
    assert query == TalkdeskQuery(limit=2, order_by=OrderBy("purchase_datetime", "desc"))
    assert render_talkdesk_query(query) == text


def test_the_seeds_cursor_is_not_one_ordermap_issued() -> None:
    seed = "eyJsYXN0X2lkIjoxMjQ4MzU4NTYzODYyLCJsYXN0X3ZhbHVlIjoiMjAxOS0wNi0xNyAwMjoyMzo0Mi4wMDAwMDAifQ=="
    error = refusal(f"limit=2&order_by=purchase_datetime:desc&cursor={seed}")
    assert [(p.code, p.location.path) for p in error.problems] == [("bad-cursor", "cursor")]
    check_body(error)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", TalkdeskQuery()),
        ("limit=050", TalkdeskQuery(limit=50)),
        ("limit=5&&", TalkdeskQuery(limit=5)),
        (b"limit=7", TalkdeskQuery(limit=7)),
        (f"limit={MAX_LIMIT}", TalkdeskQuery(limit=MAX_LIMIT)),
        (
            "order_by=purchase_datetime%3Aasc",
            TalkdeskQuery(order_by=OrderBy("purchase_datetime", "asc")),
        ),
        ("LIMIT=5", TalkdeskQuery(extra=(("LIMIT", "5"),))),
        (
            "tag=caf%C3%A9&tag=th%C3%A9+vert&flag",
            TalkdeskQuery(extra=(("tag", "café"), ("tag", "thé vert"), ("flag", ""))),
        ),
        ("tag=%zz", TalkdeskQuery(extra=(("tag", "%zz"),))),
        ("limit=" + "0" * 5000 + "1", TalkdeskQuery(limit=1)),
    ],
)
def test_reads_what_it_should(text: str | bytes, expected: TalkdeskQuery) -> None:
    assert parse_talkdesk_query(text) == expected


LONG_VALUE = "1" * 5000


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("limit=abc", [("wrong-type", "limit")]),
        ("limit=0", [("out-of-range", "limit")]),
        (f"limit={MAX_LIMIT + 1}", [("out-of-range", "limit")]),
        (f"limit={LONG_VALUE}", [("out-of-range", "limit")]),
        ("limit=-0" + "0" * 5000 + "1", [("wrong-type", "limit")]),
        ("limit=", [("empty", "limit")]),
        ("limit", [("empty", "limit")]),
        ("limit=+5", [("wrong-type", "limit")]),
        ("limit=%2B5", [("wrong-type", "limit")]),
        ("limit=5.0", [("wrong-type", "limit")]),
        ("limit=1_000", [("wrong-type", "limit")]),
        ("limit=%EF%BC%95", [("wrong-type", "limit")]),  # a fullwidth 5, which int() reads
        ("limit=%D9%A5", [("wrong-type", "limit")]),  # an Arabic-Indic 5
        ("limit=%FF", [("encoding", "limit")]),
        ("limit=1&limit=1", [("repeated", "limit")]),
        ("limit=1&limit=2&limit=3", [("repeated", "limit")]),
        ("order_by=purchase_datetime", [("bad-parameter", "order_by")]),
        ("order_by=purchase_datetime:DESC", [("bad-parameter", "order_by")]),
        ("order_by=purchase_datetime:desc:x", [("bad-parameter", "order_by")]),
        ("order_by=colour:asc", [("bad-parameter", "order_by")]),
        ("order_by=p%C3%BArchase_datetime:asc", [("bad-parameter", "order_by")]),
        ("order_by=", [("empty", "order_by")]),
        ("cursor=%%%", [("bad-cursor", "cursor")]),
        ("cursor=" + "A" * 300, [("too-large", "cursor")]),
        ("cursor=", [("empty", "cursor")]),
        (b"limit=\xff", [("encoding", "query")]),
        ("%FF=1", [("encoding", "query")]),
        ("=5", [("bad-parameter", "query")]),
        ("x" * (MAX_QUERY_LENGTH + 1), [("too-large", "query")]),
        ("&".join(f"p{i}=1" for i in range(MAX_PARAMETERS + 1)), [("too-large", "query")]),
        (
            "limit=abc&order_by=x&cursor=y",
            [("wrong-type", "limit"), ("bad-parameter", "order_by"), ("bad-cursor", "cursor")],
        ),
    ],
)
def test_refuses_with_a_body_naming_the_parameter(
    text: str | bytes, refused: list[tuple[str, str]]
) -> None:
    error = refusal(text)
    assert [(p.code, p.location.path) for p in error.problems] == refused
    body = check_body(error)
    assert {field["name"] for field in body["fields"]} == {name for _, name in refused}


def test_a_cursor_is_refused_with_another_order() -> None:
    desc = OrderBy("purchase_datetime", "desc")
    first = TalkdeskQuery(limit=5, order_by=desc, cursor=Cursor(5, desc))
    text = render_talkdesk_query(first)
    assert parse_talkdesk_query(text) == first
    for changed in (
        text.replace("desc", "asc", 1),
        text.replace("order_by=purchase_datetime:desc&", ""),
    ):
        error = refusal(changed)
        assert [(p.code, p.location.path) for p in error.problems] == [("bad-cursor", "cursor")]
        check_body(error)


def test_a_query_made_in_code_is_checked() -> None:
    with pytest.raises(ValueError, match="limit"):
        TalkdeskQuery(limit=0)
    with pytest.raises(ValueError, match="limit"):
        TalkdeskQuery(limit=True)
    with pytest.raises(ValueError, match="another order_by"):
        TalkdeskQuery(cursor=Cursor(3, OrderBy("id", "asc")))
    with pytest.raises(ValueError, match="limit"):
        TalkdeskQuery(extra=(("limit", "3"),))
    with pytest.raises(ValueError, match="surrogate"):
        TalkdeskQuery(extra=(("tag", "\ud800"),))
    with pytest.raises(ValueError, match="order field"):
        OrderBy("colour", "asc")


@given(talkdesk_queries())
def test_talkdesk_queries_round_trip(query: TalkdeskQuery) -> None:
    text = render_talkdesk_query(query)
    assert text.isascii()
    assert parse_talkdesk_query(text) == query
    assert render_talkdesk_query(parse_talkdesk_query(text)) == text


@st.composite
def query_strings(draw: Any) -> str:
    """Query strings that look like Talkdesk's: known names, repeats, odd values."""
    names = st.sampled_from([*TALKDESK_PARAMETERS, "tag", ""]) | st.text(max_size=5)
    values = st.text(max_size=12).map(lambda value: quote(value, safe=":"))
    values |= st.text(max_size=12)
    parts = draw(st.lists(st.tuples(names, st.sampled_from(["=", ""]), values), max_size=5))
    return "&".join(name + sep + (value if sep else "") for name, sep, value in parts)


@given(query_strings() | st.text(max_size=40) | st.binary(max_size=40))
def test_any_query_string_is_read_or_refused_with_a_body(text: str | bytes) -> None:
    try:
        query = parse_talkdesk_query(text)
    except QueryError as error:
        check_body(error)
    else:
        assert parse_talkdesk_query(render_talkdesk_query(query)) == query


@given(st.text(max_size=30))
def test_any_limit_is_a_number_or_refused_naming_limit(text: str) -> None:
    try:
        query = parse_talkdesk_query("limit=" + quote(text, safe=""))
    except QueryError as error:
        assert {p.location.path for p in error.problems} == {"limit"}
        check_body(error)
    else:
        assert text.isascii() and text.isdigit()
        assert query.limit == int(text)


@given(st.text(max_size=40))
def test_any_order_by_is_an_order_or_refused_naming_order_by(text: str) -> None:
    try:
        query = parse_talkdesk_query("order_by=" + quote(text, safe=""))
    except QueryError as error:
        assert {p.location.path for p in error.problems} == {"order_by"}
        check_body(error)
    else:
        assert str(query.order_by) == text


# --- Dexero -----------------------------------------------------------------------------------


def test_dexero_defaults_are_the_seeds() -> None:
    query = parse_dexero_query("")
    assert query == DexeroQuery()
    assert render_dexero_query(query) == ""
    assert query.with_defaults() == DexeroQuery(
        count=20,
        offset=0,
        sort_key="purchasedTimestamp",
        sort_dir="asc",
        include_forms=False,
        include_tests=False,
    )


def test_dexero_reads_the_seeds_example_values() -> None:
    text = (
        "count=30&offset=20&sort_key=purchasedTimestamp&sort_dir=desc"
        "&customer_email=customer%40dexero.com&status=treated"
        "&earliest_time=2011-11-25T15:58:50-05:00&latest_time=2011-11-25T15:58:50-05:00"
        "&min_id=10&max_id=100&include_forms=true&include_tests=true"
        "&custom_field_identifier=myfieldid&custom_field_value=123"
        "&attribute_identifier=myfieldid&attribute_value=123"
    )
    query = parse_dexero_query(text)
    assert query.count == 30 and query.offset == 20 and query.sort_dir == "desc"
    assert query.customer_email == "customer@dexero.com"
    assert query.earliest_time is not None
    assert query.earliest_time.text == "2011-11-25T15:58:50-05:00"
    assert (query.min_id, query.max_id, query.include_forms) == (10, 100, True)
    assert render_dexero_query(query) == text


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("count=0", [("out-of-range", "count")]),
        (f"count={DEXERO_MAX_COUNT + 1}", [("out-of-range", "count")]),
        ("offset=-1", [("wrong-type", "offset")]),
        (f"offset={MAX_OFFSET + 1}", [("out-of-range", "offset")]),
        (f"min_id={-(2**63) - 1}", [("out-of-range", "min_id")]),
        ("sort_dir=up", [("bad-parameter", "sort_dir")]),
        ("sort_key=purchased-timestamp", [("bad-parameter", "sort_key")]),
        ("include_tests=1", [("wrong-type", "include_tests")]),
        ("include_forms=True", [("wrong-type", "include_forms")]),
        ("earliest_time=2011-11-25", [("bad-timestamp", "earliest_time")]),
        ("latest_time=2011-11-25T15:58:50", [("bad-timestamp", "latest_time")]),
        ("status=" + "x" * 1025, [("too-large", "status")]),
        ("count=5&count=5", [("repeated", "count")]),
        ("status=", [("empty", "status")]),
    ],
)
def test_dexero_refuses_bad_values(text: str, refused: list[tuple[str, str]]) -> None:
    with pytest.raises(QueryError) as caught:
        parse_dexero_query(text)
    assert [(p.code, p.location.path) for p in caught.value.problems] == refused
    check_body(caught.value)


def test_dexero_keeps_unknown_parameters_and_any_text() -> None:
    query = parse_dexero_query(
        "api_key=s3cr%C3%A9t&status=en+cours&customer_email=jo%C3%A3o%40ex.pt"
    )
    assert query.extra == (("api_key", "s3crét"),)
    assert (query.status, query.customer_email) == ("en cours", "joão@ex.pt")
    assert parse_dexero_query(render_dexero_query(query)) == query


@given(dexero_queries)
def test_dexero_queries_round_trip(query: DexeroQuery) -> None:
    text = render_dexero_query(query)
    assert text.isascii()
    assert parse_dexero_query(text) == query
    assert render_dexero_query(parse_dexero_query(text)) == text


@given(st.text(max_size=60))
def test_any_dexero_query_string_is_read_or_refused(text: str) -> None:
    try:
        query = parse_dexero_query(text)
    except QueryError as error:
        check_body(error)
    else:
        assert parse_dexero_query(render_dexero_query(query)) == query


def test_the_endpoint_exports_are_sorted_and_complete() -> None:
    names = endpoint.__all__
    style = sorted(names, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n))
    assert names == style
    public = {
        name
        for name, value in vars(endpoint).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert set(names) == public
