"""validate(): every problem in one pass, with warnings for unknown members and values."""

from __future__ import annotations

from pathlib import Path

from ordermap import Severity
from ordermap.validation import validate

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_valid_payload_with_an_unlisted_enum_value_passes_with_a_warning() -> None:
    result = validate((FIXTURES / "talkdesk-json" / "seed-page.json").read_bytes())
    assert result.ok
    assert (result.format, result.kind) == ("talkdesk-json", "page")
    (warning,) = result.problems
    assert warning.severity is Severity.WARNING
    assert warning.code == "unlisted-value"
    assert (
        warning.location.pointer
        == "/_embedded/orders/0/order_extra_info/latest_status_info/generic_type"
    )
    assert warning.input == "'IN_TRANSIT'"


def test_strict_makes_warnings_errors_and_xml_warnings_have_lines() -> None:
    data = (FIXTURES / "dexero-xml" / "order-nil-empty-unknown.xml").read_bytes()
    assert validate(data).ok
    result = validate(data, strict=True)
    assert not result.ok
    assert [(p.code, p.location.path, p.location.line, p.severity) for p in result.problems] == [
        ("unknown-field", "/order/channel", 6, Severity.ERROR),
        ("unknown-field", "/order/gift_wrap", 8, Severity.ERROR),
    ]


def test_dexero_json_pointers_include_the_envelope_and_follow_spelling() -> None:
    data = b'{"order": {"product": {"type": "gift", "colour": "red"}, "status": "lost"}}'
    result = validate(data)
    # Document order: a member's warnings come where the member is, unknown members first.
    assert [(p.code, p.location.pointer) for p in result.problems] == [
        ("unlisted-value", "/order/status"),
        ("unknown-field", "/order/product/colour"),
        ("unlisted-value", "/order/product/type"),
    ]


def test_invalid_input_is_a_result_not_an_exception() -> None:
    result = validate(b'{"order": {"id": "x", "is_test": 0}}')
    assert not result.ok
    assert result.document is None
    assert [(p.code, p.location.pointer) for p in result.errors] == [
        ("wrong-type", "/order/id"),
        ("wrong-type", "/order/is_test"),
    ]
    unreadable = validate(b"\x1f\x8b\x08")
    assert not unreadable.ok and unreadable.problems[0].code == "compressed"


def test_errors_render_as_a_talkdesk_error_body_that_validates() -> None:
    import json

    import jsonschema

    import ordermap

    result = validate(b'{"order": {"id": "x", "is_test": 0, "channel": "web"}}')
    body = result.to_talkdesk_error()
    assert body.code == "400" and body.description == "2 problems found"
    assert body.fields is not None
    assert [(f.name, f.description) for f in body.fields] == [
        ("/order/id", "expected a long (a JSON integer) [wrong-type]"),
        ("/order/is_test", "expected true or false [wrong-type]"),
    ]
    data = ordermap.encode(body, "talkdesk-json")
    assert ordermap.detect(data) == ordermap.Detection("talkdesk-json", "error")
    schema = json.loads(
        (FIXTURES.parent.parent / "specs" / "talkdesk-json.schema.json").read_text()
    )
    jsonschema.Draft202012Validator(schema).validate(json.loads(data))


def test_ten_mistakes_in_three_orders_are_all_reported() -> None:
    data = b"""{"orders": {"totalResults": "3", "order": [
      {"id": "1", "is_test": "false", "total_order": 1.234},
      {"id": 2, "product": [{"quantity": 7.9, "type": "buy"}, {"quantity": 1, "product_price": "1e3"}],
       "customer": {"date_created": "2020-02-30"}},
      {"id": 3, "purchase_date": "yesterday", "is_shippable": 1,
       "order_form": {"value": {"fileContentBase64": "abc"}}, "customer_id": 9223372036854775808}
    ]}}"""
    result = validate(data)
    # Ten mistakes in the three orders, and one in the page itself, in document order.
    assert [(p.location.pointer, p.code) for p in result.errors] == [
        ("/orders/totalResults", "wrong-type"),
        ("/orders/order/0/id", "wrong-type"),
        ("/orders/order/0/is_test", "wrong-type"),
        ("/orders/order/0/total_order", "bad-amount"),
        ("/orders/order/1/product/0/quantity", "wrong-type"),
        ("/orders/order/1/product/1/product_price", "bad-amount"),
        ("/orders/order/1/customer/date_created", "bad-date"),
        ("/orders/order/2/purchase_date", "bad-timestamp"),
        ("/orders/order/2/is_shippable", "wrong-type"),
        ("/orders/order/2/order_form/value/fileContentBase64", "bad-base64"),
        ("/orders/order/2/customer_id", "out-of-range"),
    ]


def test_warnings_are_capped_too() -> None:
    import json

    from ordermap import Limits

    data = json.dumps({"order": {f"x{n}": n for n in range(15)}}).encode()
    result = validate(data, limits=Limits(max_problems=10))
    assert [p.code for p in result.problems] == ["unknown-field"] * 10 + ["too-many-problems"]
    assert result.problems[-1].severity is Severity.WARNING
    assert result.problems[-1].message == "5 more problems not shown"
    assert result.ok
