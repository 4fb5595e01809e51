"""Strictness: no coercion, every problem reported with where it is."""

from __future__ import annotations

import gzip
import json

import pytest

import ordermap
from ordermap import DecodeError, EncodeError, ValidationError


def problems(data: bytes | str, format: str | None = None) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        ordermap.decode(data, format)
    return {
        (p.location.pointer if p.location.pointer is not None else p.location.path): p.code
        for p in caught.value.problems
    }


def test_dexero_json_refuses_coercion_and_names_each_field() -> None:
    found = problems(
        b'{"order": {"id": "1001", "is_test": "false", "product": [{"quantity": 7.9}],'
        b' "customer_id": true, "total_tax": "1.234", "total_order": 1e3}}'
    )
    assert found == {
        "/order/id": "wrong-type",
        "/order/is_test": "wrong-type",
        "/order/product/0/quantity": "wrong-type",
        "/order/customer_id": "wrong-type",
        "/order/total_tax": "bad-amount",
        "/order/total_order": "bad-amount",
    }


def test_ranges_of_long_int_and_decimal() -> None:
    found = problems(
        b'{"order": {"id": 9223372036854775808, "customer_id": -9223372036854775808,'
        b' "product": {"quantity": 2147483648}, "total_order": "1234567890123456789.00"}}'
    )
    assert found == {
        "/order/id": "out-of-range",
        "/order/product/quantity": "out-of-range",
        "/order/total_order": "bad-amount",
    }


def test_talkdesk_refuses_coercion() -> None:
    found = problems(
        b'{"id": 456, "order_number": null, "items_number": 3.0,'
        b' "shipping_address": {"default": 0, "zip_code": 20000000},'
        b' "price_summary": {"original_total_amount": {"value": "10.50", "currency": "EUR"}},'
        b' "order_extra_info": {"latest_status_info": {"detailed_type": "DELIVERED"}}}'
    )
    assert found == {
        "/id": "wrong-type",
        "/order_number": "null-required",
        "/items_number": "wrong-type",
        "/shipping_address/default": "wrong-type",
        "/shipping_address/zip_code": "wrong-type",
        "/price_summary/original_total_amount/value": "wrong-type",
        "/order_extra_info/latest_status_info/generic_type": "missing-field",
    }


def test_talkdesk_timestamps_need_an_offset() -> None:
    found = problems(
        b'{"id": "a", "order_number": "b", "purchase_datetime": "2021-09-14T12:16:50"}'
    )
    assert found == {"/purchase_datetime": "bad-timestamp"}


def test_talkdesk_money_in_exponent_notation_is_read_and_not_rewritten() -> None:
    # Any JSON number is a Talkdesk amount (PRODUCT.md); its text is kept, not rewritten.
    data = (
        b'{"id": "a", "order_number": "b",'
        b' "price_summary": {"original_total_amount": {"value": 1e2, "currency": "EUR"}}}'
    )
    document = ordermap.decode(data, "talkdesk-json")
    assert b'"value":1e2' in ordermap.encode(document, "talkdesk-json", indent=None)


def test_talkdesk_money_whose_plain_form_is_huge_is_refused_at_the_number() -> None:
    found = problems(
        b'{"id": "a", "order_number": "b",'
        b' "price_summary": {"original_total_amount": {"value": 1e99999, "currency": "EUR"}}}'
    )
    assert found == {"/price_summary/original_total_amount/value": "number-too-long"}


def test_xml_errors_name_the_element_path_and_line() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<orders>
  <order><id>1</id></order>
  <order>
    <id>x</id>
    <product><quantity>7.9</quantity></product>
    <product><quantity>1</quantity><type>buy</type></product>
    <is_test>0</is_test>
  </order>
</orders>
"""
    with pytest.raises(ValidationError) as caught:
        ordermap.decode(data)
    found = {(p.location.path, p.location.line, p.code) for p in caught.value.problems}
    assert found == {
        ("/orders/order[2]/id", 5, "wrong-type"),
        ("/orders/order[2]/product[1]/quantity", 6, "wrong-type"),
        ("/orders/order[2]/is_test", 8, "wrong-type"),
    }


def test_xml_numbers_with_blanks_or_leading_zeros_are_refused() -> None:
    found = problems(
        b"<order><id> 1</id><customer_id>007</customer_id><total_order>+1.00</total_order></order>"
    )
    assert found == {
        "/order/id": "wrong-type",
        "/order/customer_id": "wrong-type",
        "/order/total_order": "bad-amount",
    }


def test_a_repeated_scalar_element_is_an_error() -> None:
    assert problems(b"<order><id>1</id><id>2</id></order>") == {"/order/id": "repeated"}


def test_the_message_says_where() -> None:
    with pytest.raises(ValidationError) as caught:
        ordermap.decode(b'{"order": {"id": "1001"}}')
    assert str(caught.value) == (
        "dexero-json: /order/id: expected a long (a JSON integer) (got '1001') [wrong-type]"
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"  \n ", "empty"),
        (b"hello", "unknown-format"),
        (b'{"a": 1', "json-syntax"),
        (b'{"a": 1, "a": 2}', "duplicate-key"),
        (b'{"order": {"total_order": NaN}}', "not-a-number"),
        (b'{"order": {"id": 1' + b"0" * 100 + b"}}", "number-too-long"),
        (b'\xef\xbb\xbf{"order": {}}', "encoding"),
        (b'{"order": {"name": "\xff"}}', "encoding"),
        (b"[" * 100_000 + b"]" * 100_000, "too-deep"),
        (b'{"unrelated": true}', "unknown-document"),
        (b"[1, 2]", "unknown-document"),
        (b"<orderz/>", "unknown-document"),
        (b"<order><id>1</id>", "xml-syntax"),
        (b"<order/><order/>", "xml-syntax"),
    ],
)
def test_unreadable_input_gets_a_decode_error(data: bytes, code: str) -> None:
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(data)
    assert caught.value.problems[0].code == code


def test_encode_refuses_what_the_format_cannot_hold() -> None:
    order = ordermap.DexeroOrder(
        id=2**63, customer_comment="bell\x07", total_order=__import__("decimal").Decimal("1.005")
    )
    with pytest.raises(EncodeError) as caught:
        ordermap.encode(order, "dexero-xml")
    assert {(p.location.path, p.code) for p in caught.value.problems} == {
        ("/order/id", "out-of-range"),
        ("/order/total_order", "bad-amount"),
    }
    fine = ordermap.DexeroOrder(customer_comment="bell\x07")
    with pytest.raises(EncodeError) as caught:
        ordermap.encode(fine, "dexero-xml")
    assert [(p.location.path, p.code) for p in caught.value.problems] == [
        ("/order/customer_comment", "not-xml-text")
    ]
    # JSON can hold the control character.
    assert b'"bell\\u0007"' in ordermap.encode(fine, "dexero-json")


def test_encode_refuses_a_required_member_without_value_and_wrong_types() -> None:
    order = ordermap.TalkdeskOrder(id=None, order_number=5)  # type: ignore[arg-type]
    with pytest.raises(EncodeError) as caught:
        ordermap.encode(order, "talkdesk-json")
    assert {(p.location.pointer, p.code) for p in caught.value.problems} == {
        ("/id", "missing-field"),
        ("/order_number", "wrong-type"),
    }


def test_talkdesk_document_cannot_be_written_as_dexero_without_translation() -> None:
    order = ordermap.TalkdeskOrder(id="1", order_number="2")
    with pytest.raises(EncodeError) as caught:
        ordermap.encode(order, "dexero-json")
    assert caught.value.problems[0].code == "needs-translation"


def test_unknown_format_name_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="expected one of dexero-json, dexero-xml, talkdesk-json"):
        ordermap.decode(b"{}", "dexero-yaml")


def test_only_ascii_digits_count_as_digits() -> None:
    found = problems("<order><id>1\u0662</id><total_order>\u0661.00</total_order></order>".encode())
    assert found == {"/order/id": "wrong-type", "/order/total_order": "bad-amount"}
    found = problems(
        '{"id": "a", "order_number": "b", "purchase_datetime": "\uff12021-09-14T12:16:50Z"}'.encode()
    )
    assert found == {"/purchase_datetime": "bad-timestamp"}


def test_base64_needs_canonical_padding() -> None:
    for text in ("AAAA=", "AAAA=====", "AA=A", "aGVsbG8"):
        value = {"order": {"order_form": [{"value": [{"fileContentBase64": text}]}]}}
        found = problems(json.dumps(value).encode())
        assert found == {"/order/order_form/0/value/0/fileContentBase64": "bad-base64"}, text


def test_xml_nested_past_libxml2s_limit_is_too_deep() -> None:
    data = b"<order>" + b"<a>" * 300 + b"</a>" * 300 + b"</order>"
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(data)
    assert caught.value.problems[0].code == "too-deep"


def _first(data: bytes, format: str | None = None, **limits: int) -> ordermap.Problem:
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(data, format, limits=ordermap.Limits(**limits))
    return caught.value.problems[0]


@pytest.mark.parametrize(
    ("data", "code", "pointer", "line", "column"),
    [
        (b'{"order": {\n  "id": 1,\n  "id": 2\n}}', "duplicate-key", "/order/id", 3, 3),
        (b'{"a": {"b": 1}, "a": 2}', "duplicate-key", "/a", 1, 17),
        (b'{"order": {"total_order": NaN}}', "not-a-number", "/order/total_order", 1, 27),
        (b'{"order": {"x": [1,\n -Infinity]}}', "not-a-number", "/order/x/1", 2, 2),
        (
            b'{"id": "a", "order_number": "b", "items_number": ' + b"7" * 99 + b"}",
            "number-too-long",
            "/items_number",
            1,
            50,
        ),
        (
            b'{"order": {"a/b~c": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
            "too-deep",
            "/order/a~1b~0c" + "/0" * 62,
            1,
            83,
        ),
    ],
)
def test_refused_json_is_located_by_pointer_line_and_column(
    data: bytes, code: str, pointer: str, line: int, column: int
) -> None:
    problem = _first(data)
    assert (problem.code, problem.location.pointer) == (code, pointer)
    assert (problem.location.line, problem.location.column) == (line, column)


def test_every_refused_json_construct_is_listed_up_to_the_cap() -> None:
    data = b'{"order": {"a": NaN, "a": Infinity, "b": [' + b"NaN," * 20 + b"1]}}"
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(data, limits=ordermap.Limits(max_problems=5))
    problems = caught.value.problems
    assert [(p.code, p.location.pointer) for p in problems] == [
        ("not-a-number", "/order/a"),
        ("duplicate-key", "/order/a"),
        ("not-a-number", "/order/a"),
        ("not-a-number", "/order/b/0"),
        ("not-a-number", "/order/b/1"),
        ("too-many-problems", "/order/b/1"),
    ]
    assert problems[-1].message == "18 more problems not shown"
    assert caught.value.omitted == 18


def test_number_length_stays_within_what_python_reads() -> None:
    with pytest.raises(ValueError):
        ordermap.Limits(max_number_digits=4301)
    longest = b'{"order": {"x": ' + b"9" * 4300 + b"}}"
    assert ordermap.decode(longest, limits=ordermap.Limits(max_number_digits=4300))
    problem = _first(longest.replace(b"9", b"99", 1), max_number_digits=4300)
    assert (problem.code, problem.location.pointer) == ("number-too-long", "/order/x")


def test_syntax_errors_have_a_line_and_column_but_no_pointer() -> None:
    problem = _first(b'{"order": {"id": 1,\n  "total_order" 2}}')
    assert problem.code == "json-syntax"
    assert (problem.location.pointer, problem.location.line, problem.location.column) == (
        None,
        2,
        17,
    )


@pytest.mark.parametrize("format", ["talkdesk-json", "dexero-json", "dexero-xml", None])
def test_gzip_is_refused_whatever_format_is_asked_for(format: str | None) -> None:
    problem = _first(gzip.compress(b'{"order": {}}'), format)
    assert (problem.code, problem.location.line, problem.location.column) == ("compressed", 1, 1)


def test_an_element_name_xml_cannot_read_back_is_refused_when_writing() -> None:
    order = ordermap.decode(b'{"order": {"' + b"k" * 50_001 + b'": 1, "k": 2}}')
    with pytest.raises(EncodeError) as caught:
        ordermap.encode(order, "dexero-xml")
    assert [p.code for p in caught.value.problems] == ["not-xml-name"]
    assert len(caught.value.problems[0].message) < 100
    assert ordermap.encode(ordermap.decode(b'{"order": {"k": 2}}'), "dexero-xml")


def test_max_depth_stays_within_what_the_parsers_can_read() -> None:
    with pytest.raises(ValueError):
        ordermap.Limits(max_depth=257)
    assert ordermap.Limits(max_depth=256).max_depth == 256


def test_a_location_can_always_be_printed() -> None:
    # A JSON \udbff escape can put a lone surrogate in a member name; no UTF-8 output
    # could show it, so a location writes it as its escape.
    where = ordermap.Location(pointer="/custom_fields/\udbff", line=1)
    assert where.pointer == "/custom_fields/\\udbff"
    assert str(where).encode("utf-8") == b"/custom_fields/\\udbff line 1"
    assert ordermap.Location(pointer="/a~1b/\U0001f69a").pointer == "/a~1b/\U0001f69a"
