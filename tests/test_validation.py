"""validate(): every problem in one pass, with warnings for unknown members and values."""

from __future__ import annotations

from pathlib import Path

import pytest

from ordermap import Limits, Severity
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
    data = b'{"order": {"id": 1, "product": {"type": "gift", "colour": "red"}, "status": "lost"}}'
    result = validate(data)
    # Document order: each warning comes where its member is in the input.
    assert [(p.code, p.location.pointer) for p in result.problems] == [
        ("unlisted-value", "/order/product/type"),
        ("unknown-field", "/order/product/colour"),
        ("unlisted-value", "/order/status"),
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

    data = json.dumps({"order": {"id": 1, **{f"x{n}": n for n in range(15)}}}).encode()
    result = validate(data, limits=Limits(max_problems=10))
    assert [p.code for p in result.problems] == ["unknown-field"] * 10 + ["too-many-problems"]
    assert result.problems[-1].severity is Severity.WARNING
    assert result.problems[-1].message == "5 more problems not shown"
    assert result.ok


def test_warnings_are_kept_beside_errors_errors_first() -> None:
    data = b"""{"order": {"channel": "web", "id": "x", "status": "lost",
      "product": [{"type": "gift", "quantity": 1.5}, {"colour": "red"}]}}"""
    result = validate(data)
    assert not result.ok and result.document is None
    assert (result.format, result.kind) == ("dexero-json", "order")
    assert [(p.severity.value, p.code, p.location.pointer) for p in result.problems] == [
        ("error", "wrong-type", "/order/id"),
        ("error", "wrong-type", "/order/product/0/quantity"),
        ("warning", "unknown-field", "/order/channel"),
        ("warning", "unlisted-value", "/order/status"),
        ("warning", "unlisted-value", "/order/product/0/type"),
        ("warning", "unknown-field", "/order/product/1/colour"),
    ]


def test_xml_warnings_beside_errors_have_paths_and_lines() -> None:
    data = b"<order>\n<id>x</id>\n<channel>web</channel>\n<product><type>gift</type></product>\n</order>"
    result = validate(data)
    assert [(p.code, p.location.path, p.location.line) for p in result.problems] == [
        ("wrong-type", "/order/id", 2),
        ("unknown-field", "/order/channel", 3),
        ("unlisted-value", "/order/product/type", 4),
    ]


def test_the_cap_keeps_errors_before_warnings_and_counts_both() -> None:
    data = b'{"order": {"a": 1, "b": 2, "c": 3, "id": "x", "is_test": 0, "status": "lost"}}'
    result = validate(data, limits=Limits(max_problems=3))
    assert [p.code for p in result.problems] == [
        "wrong-type",
        "wrong-type",
        "unknown-field",
        "too-many-problems",
    ]
    assert result.problems[-1].message == "3 more problems not shown"
    assert result.problems[-1].severity is Severity.ERROR
    many_errors = validate(
        b'{"order": {"id": "x", "is_test": 0, "a": 1}}', limits=Limits(max_problems=1)
    )
    assert [p.code for p in many_errors.problems] == ["wrong-type", "too-many-problems"]
    assert many_errors.problems[-1].message == "2 more problems not shown"


def test_a_refused_member_is_an_error_not_also_a_warning() -> None:
    data = b'{"order": {"id": "x", "deep": ' + b"[" * 70 + b"]" * 70 + b"}}"
    result = validate(data)
    assert [(p.code, p.location.pointer) for p in result.problems] == [
        ("wrong-type", "/order/id"),
        ("too-deep", "/order/deep"),
    ]


def test_lone_surrogates_are_kept_with_a_located_warning() -> None:
    data = (
        b'{"id": "a", "order_number": "b",\n "status": "x\\ud800", "custom_fields": {"\\udfff": 1}}'
    )
    result = validate(data)
    assert result.ok
    assert [
        (p.code, p.location.pointer, p.location.line, p.location.column) for p in result.problems
    ] == [
        ("lone-surrogate", "/status", 2, 12),
        ("lone-surrogate", "/custom_fields/\\udfff", 2, 41),
    ]
    assert not validate(data, strict=True).ok
    # A surrogate pair is one character, and an escaped backslash no escape at all.
    fine = b'{"id": "a", "order_number": "b", "status": "\\ud83d\\ude9a \\\\ud800"}'
    assert validate(fine).problems == ()


def test_a_long_member_name_is_shortened_in_the_message() -> None:
    result = validate(b'{"order": {"id": 1, "' + b"k" * 100_000 + b'": 1}}')
    (warning,) = result.problems
    assert warning.code == "unknown-field" and len(warning.message) < 100
    assert warning.location.pointer == "/order/" + "k" * 100_000


FIXTURE_FILES = sorted(
    path
    for format in ("talkdesk-json", "dexero-json", "dexero-xml")
    for path in (FIXTURES / format).iterdir()
    if path.suffix in (".json", ".xml")
)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_tree_and_its_document_give_the_same_warnings(path: Path) -> None:
    # Warnings come from the document when it decodes and from the parsed tree when it does
    # not; both walks must agree, or the same member would be reported differently.
    from ordermap import decode, formats
    from ordermap.formats import dexero_json, dexero_xml, json_read, talkdesk_json, xml_read
    from ordermap.validation.walk import walk as _walk
    from ordermap.validation.walk import walk_raw as _walk_raw

    data = path.read_bytes()
    document = decode(data, path.parent.name)
    format = path.parent.name
    if format == "dexero-xml":
        tree = xml_read.to_node(xml_read.parse(data, Limits(), format), format)
        cls = dexero_xml.KINDS["page" if path.name.startswith("page") else "order"]
    else:
        tree = json_read.parse(data, Limits(), format)
        module = dexero_json if format == "dexero-json" else talkdesk_json
        kind = module.classify(tree)
        cls = module.KINDS[kind]
        if format == "dexero-json":
            tree = tree[dexero_json.ENVELOPES[kind]]
    assert list(_walk_raw(tree, cls, [], formats.get(format).BARE_ITEMS)) == list(
        _walk(document, [], format == "dexero-xml")
    )
