"""ordermap's cursor: written compactly, read back exactly, and refused whole when mangled."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordermap.endpoint import (
    DIRECTIONS,
    MAX_OFFSET,
    ORDER_FIELDS,
    Cursor,
    CursorCodec,
    OrderBy,
    QueryError,
    parse_talkdesk_query,
)

from .test_endpoint_query import check_body

UNSIGNED = CursorCodec()
SIGNED = CursorCodec(key=b"a secret of the service")

order_bys = st.builds(OrderBy, st.sampled_from(ORDER_FIELDS), st.sampled_from(DIRECTIONS))
cursors = st.builds(Cursor, st.integers(0, MAX_OFFSET), st.none() | order_bys)
codecs = st.sampled_from([UNSIGNED, SIGNED])


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def refused(codec: CursorCodec, text: str) -> QueryError:
    with pytest.raises(QueryError) as caught:
        codec.decode(text)
    error = caught.value
    assert [p.location.path for p in error.problems] == ["cursor"]
    check_body(error)
    return error


def test_a_cursor_is_base64url_of_compact_versioned_json() -> None:
    assert UNSIGNED.encode(Cursor(40)) == b64(b'{"v":1,"offset":40}')
    ordered = Cursor(40, OrderBy("purchase_datetime", "desc"))
    text = UNSIGNED.encode(ordered)
    assert text == b64(b'{"v":1,"offset":40,"order_by":"purchase_datetime:desc"}')
    assert "=" not in text and UNSIGNED.decode(text) == ordered


def test_a_signed_cursor_carries_a_mac_after_a_dot() -> None:
    text = SIGNED.encode(Cursor(40))
    payload, mac = text.split(".")
    assert payload == UNSIGNED.encode(Cursor(40))
    assert len(base64.urlsafe_b64decode(mac + "==")) == 16
    assert SIGNED.decode(text) == Cursor(40)
    assert "secret" not in repr(SIGNED)


@given(codecs, cursors)
def test_cursors_round_trip(codec: CursorCodec, cursor: Cursor) -> None:
    text = codec.encode(cursor)
    assert len(text) <= codec.max_length
    assert codec.decode(text) == cursor


@pytest.mark.parametrize(
    "payload",
    [
        b'{"v":1, "offset":40}',
        b'{"offset":40,"v":1}',
        b'{"v":1,"offset":40,"v":1}',
        b'{"v":2,"offset":40}',
        b'{"v":true,"offset":40}',
        b'{"v":1.0,"offset":40}',
        b'{"v":1,"offset":-1}',
        b'{"v":1,"offset":1e2}',
        b'{"v":1,"offset":NaN}',
        b'{"v":1,"offset":"40"}',
        b'{"v":1,"offset":9223372036854775808}',
        b'{"v":1,"offset":40,"order_by":null}',
        b'{"v":1,"offset":40,"order_by":"colour:asc"}',
        b'{"v":1,"offset":40,"order_by":7}',
        b'{"v":1,"offset":40,"limit":5}',
        b'{"v":1}',
        b"[1,40]",
        b'"40"',
        b"",
        b"\xff\xfe{}",
        b"[" * 150 + b"]" * 40,
        b'{"v":1,"offset":40}\n',
    ],
)
def test_cursors_not_written_by_ordermap_are_refused(payload: bytes) -> None:
    error = refused(UNSIGNED, b64(payload))
    assert error.problems[0].code == "bad-cursor"


# Standard base64's + and / never appear in the URL-safe form of a cursor, whatever the bytes.
STANDARD_ALPHABET = UNSIGNED.encode(Cursor(40))[:-2] + "+/"


@pytest.mark.parametrize(
    "text",
    [
        base64.urlsafe_b64encode(b'{"v":1,"offset":40}').decode(),  # padded
        STANDARD_ALPHABET,
        b64(b'{"v":1,"offset":40}') + ".",
        "." + b64(b'{"v":1,"offset":40}'),
        " " + b64(b'{"v":1,"offset":40}'),
        "ééé",
        "a",
    ],
)
def test_cursor_text_outside_the_alphabet_is_refused(text: str) -> None:
    refused(UNSIGNED, text)


def test_an_oversized_cursor_is_refused_unread() -> None:
    error = refused(UNSIGNED, "A" * 257)
    assert error.problems[0].code == "too-large"
    longest = max(
        (
            Cursor(MAX_OFFSET, OrderBy(field, direction))
            for field in ORDER_FIELDS
            for direction in DIRECTIONS
        ),
        key=lambda cursor: len(SIGNED.encode(cursor)),
    )
    text = SIGNED.encode(longest)
    assert 64 < len(text) <= SIGNED.max_length  # the default cap holds every cursor written
    small = CursorCodec(key=SIGNED.key, max_length=64)
    assert refused(small, text).problems[0].code == "too-large"


def test_a_rewritten_cursor_passes_unsigned_and_is_refused_signed() -> None:
    forged = b64(json.dumps({"v": 1, "offset": 41}, separators=(",", ":")).encode())
    assert UNSIGNED.decode(forged) == Cursor(41)
    genuine = SIGNED.encode(Cursor(40))
    refused(SIGNED, forged + "." + genuine.split(".")[1])
    refused(SIGNED, forged)
    refused(UNSIGNED, genuine)
    refused(CursorCodec(key=b"another key"), genuine)


@given(cursors, st.data())
def test_any_change_to_a_signed_cursor_is_refused(cursor: Cursor, data: st.DataObject) -> None:
    text = SIGNED.encode(cursor)
    index = data.draw(st.integers(0, len(text)))
    alphabet = st.sampled_from("ABCXYZabcxyz0189-_.=+/ é")
    change = data.draw(st.sampled_from(["replace", "insert", "delete", "truncate"]), label="change")
    if change == "replace" and index < len(text):
        replacement = data.draw(alphabet.filter(lambda c: c != text[index]))
        mangled = text[:index] + replacement + text[index + 1 :]
    elif change == "insert":
        mangled = text[:index] + data.draw(alphabet) + text[index:]
    elif change == "delete" and index < len(text):
        mangled = text[:index] + text[index + 1 :]
    else:
        mangled = text[:index] if index < len(text) else text + "A"
    assert mangled != text
    refused(SIGNED, mangled)


@given(codecs, st.text(max_size=300) | st.binary(max_size=200).map(b64))
def test_any_text_is_a_cursor_written_so_or_refused_naming_cursor(
    codec: CursorCodec, text: str
) -> None:
    try:
        cursor = codec.decode(text)
    except QueryError as error:
        assert {p.location.path for p in error.problems} == {"cursor"}
        check_body(error)
    else:
        assert codec.encode(cursor) == text


@given(cursors, st.data())
def test_any_change_to_an_unsigned_cursor_is_another_cursor_or_refused(
    cursor: Cursor, data: st.DataObject
) -> None:
    text = UNSIGNED.encode(cursor)
    index = data.draw(st.integers(0, len(text) - 1))
    character = data.draw(st.characters(codec="ascii"))
    mangled = text[:index] + character + text[index + 1 :]
    order = "" if cursor.order_by is None else f"&order_by={cursor.order_by}"
    try:
        query = parse_talkdesk_query(f"cursor={mangled}{order}")
    except QueryError as error:
        assert {p.location.path for p in error.problems} <= {"cursor", "query"}
        check_body(error)
    else:
        assert query.cursor is not None
        assert UNSIGNED.encode(query.cursor) == mangled


def test_a_cursor_made_in_code_is_checked() -> None:
    for offset in (-1, MAX_OFFSET + 1, True, 1.0):
        with pytest.raises(ValueError, match="offset"):
            Cursor(offset)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Cursor(1, "purchase_datetime:desc")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        CursorCodec(max_length=10)


# --- cursors bound to an account ---------------------------------------------------------------


@given(cursors, codecs, st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_a_cursor_bound_to_one_account_is_refused_for_another(
    cursor: Cursor, codec: CursorCodec, account: str, other: str
) -> None:
    mine = codec.for_account(account)
    text = mine.encode(cursor)
    assert len(text) <= mine.max_length
    assert mine.decode(text) == cursor
    if other != account:
        error = refused(codec.for_account(other), text)
        assert error.problems[0].code == "bad-cursor"
        assert "not issued to this account" in error.problems[0].message
    # An unbound codec refuses a bound cursor, and a bound one an unbound cursor.
    refused(codec, text)
    refused(mine, codec.encode(cursor))


def test_an_account_tag_does_not_spell_the_account_and_depends_on_the_key() -> None:
    text = UNSIGNED.for_account("acme-account-1234").encode(Cursor(40))
    content = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    assert list(content) == ["v", "offset", "account"]
    assert "acme" not in content["account"] and len(content["account"]) == 16
    signed = SIGNED.for_account("acme-account-1234").encode(Cursor(40)).split(".")[0]
    other = json.loads(base64.urlsafe_b64decode(signed + "=" * (-len(signed) % 4)))
    assert other["account"] != content["account"]
    assert "acme" not in repr(UNSIGNED.for_account("acme-account-1234"))


def test_a_rewritten_account_tag_is_refused() -> None:
    text = UNSIGNED.for_account("acme").encode(Cursor(40))
    for tag in ("", "x" * 16, "é" * 16, 5, None):
        payload = b64(
            json.dumps({"v": 1, "offset": 40, "account": tag}, separators=(",", ":")).encode()
        )
        refused(UNSIGNED.for_account("acme"), payload)
    assert UNSIGNED.for_account("acme").decode(text) == Cursor(40)
    with pytest.raises(ValueError):
        UNSIGNED.for_account("")
