"""Validation's value rules (issue #10): each rule's code, severity and place, in each format
that has the field, the same from ``validate`` and ``validate_file``, from a decoded document
and from the tree of one that did not decode, and pycountry loaded only when a rule needs it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from ordermap import Severity, decode, formats
from ordermap.cli import main
from ordermap.errors import Problem
from ordermap.formats import dexero_json, json_read, talkdesk_json, xml_read
from ordermap.limits import Limits
from ordermap.pytest_plugin import PayloadInvalid, assert_valid_payload
from ordermap.validation import Validation, validate, validate_file
from ordermap.validation.values import ERRORS
from ordermap.validation.walk import walk, walk_raw

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
VALUE_CODES = {
    "missing-id",
    "negative-number",
    "bad-currency",
    "unknown-currency",
    "unknown-country",
    "unknown-region",
    "region-mismatch",
    "unknown-locale",
    "bad-email",
    "bad-ip-address",
    "bad-url",
}
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'

# --- payloads: a Dexero order as a dict, written in either Dexero format -----------------------

Key = tuple[str, ...]


def _xml_lines(name: str, value: Any, key: Key, lines: list[str], at: dict[Key, int]) -> None:
    """Each element on its own line, so that a member's line is known (``at``)."""
    if isinstance(value, list):
        for item in value:
            _xml_lines(name, item, key, lines, at)
        return
    at.setdefault(key, len(lines) + 1)
    if isinstance(value, dict):
        lines.append(f"<{name}>")
        for child, item in value.items():
            _xml_lines(child, item, (*key, child), lines, at)
        lines.append(f"</{name}>")
    elif value is None:
        lines.append(f'<{name} xsi:nil="true"/>')
    else:
        lines.append(f"<{name}>{escape(str(value))}</{name}>")


def dexero_xml(order: dict[str, Any]) -> tuple[bytes, dict[Key, int]]:
    """The order as a Dexero XML document, and the line of each member (by its keys)."""
    lines: list[str] = []
    at: dict[Key, int] = {}
    _xml_lines("order", order, (), lines, at)
    lines[0] = f"<order {XSI}>"
    return "\n".join(lines).encode(), at


def dexero_json_order(order: dict[str, Any]) -> bytes:
    return json.dumps({"order": order}, indent=1).encode()


def _where(result: Validation, syntax: str) -> list[tuple[str, Severity, Any, Any]]:
    """Each problem's code, severity, place (pointer, or element path and line) and input."""
    shown: list[tuple[str, Severity, Any, Any]] = []
    for problem in result.problems:
        where = problem.location
        place = where.pointer if syntax == "json" else (where.path, where.line)
        shown.append((problem.code, problem.severity, place, problem.input))
    return shown


def _both(data: bytes, *, strict: bool = False) -> Validation:
    """``validate`` and ``validate_file`` agree exactly; the whole document's result."""
    whole = validate(data, strict=strict)
    streamed = validate_file(io.BytesIO(data), strict=strict)
    assert streamed.problems == whole.problems
    assert (streamed.ok, streamed.kind, streamed.format) == (whole.ok, whole.kind, whole.format)
    return whole


# (order, the member at fault, code, input shown); the member () is the order itself.
DEXERO_CASES: list[tuple[dict[str, Any], Key, str, str | None]] = [
    ({"customer_id": 1}, (), "missing-id", None),
    ({"id": None, "customer_id": 1}, (), "missing-id", None),
    ({"id": -1}, ("id",), "negative-number", "-1"),
    ({"id": 1, "customer_id": -2}, ("customer_id",), "negative-number", "-2"),
    ({"id": 1, "product": {"id": -3}}, ("product", "id"), "negative-number", "-3"),
    ({"id": 1, "product": {"quantity": -4}}, ("product", "quantity"), "negative-number", "-4"),
    (
        {"id": 1, "order_form": {"quantity_number": -5}},
        ("order_form", "quantity_number"),
        "negative-number",
        "-5",
    ),
    (
        {"id": 1, "order_form": {"product_id": -6}},
        ("order_form", "product_id"),
        "negative-number",
        "-6",
    ),
    (
        {"id": 1, "order_form": {"value": {"id": -7}}},
        ("order_form", "value", "id"),
        "negative-number",
        "-7",
    ),
    ({"id": 1, "customer": {"id": -8}}, ("customer", "id"), "negative-number", "-8"),
    ({"id": 1, "currency": "eur"}, ("currency",), "bad-currency", "'eur'"),
    ({"id": 1, "currency": "EURO"}, ("currency",), "bad-currency", "'EURO'"),
    ({"id": 1, "currency": "E1R"}, ("currency",), "bad-currency", "'E1R'"),
    ({"id": 1, "currency": "XYZ"}, ("currency",), "unknown-currency", "'XYZ'"),
    (
        {"id": 1, "billing_address": {"iso_country": "UK"}},
        ("billing_address", "iso_country"),
        "unknown-country",
        "'UK'",
    ),
    (
        {"id": 1, "shipping_address": {"iso_country": "pt"}},
        ("shipping_address", "iso_country"),
        "unknown-country",
        "'pt'",
    ),
    (
        {"id": 1, "shipping_address": {"iso_region": "PT-99"}},
        ("shipping_address", "iso_region"),
        "unknown-region",
        "'PT-99'",
    ),
    (
        {"id": 1, "billing_address": {"iso_region": "ES-M", "iso_country": "PT"}},
        ("billing_address", "iso_region"),
        "region-mismatch",
        "'ES-M'",
    ),
    ({"id": 1, "locale": "EN"}, ("locale",), "unknown-locale", "'EN'"),
    ({"id": 1, "locale": "xx_PT"}, ("locale",), "unknown-locale", "'xx_PT'"),
    (
        {"id": 1, "customer": {"default_locale": "pt_pt"}},
        ("customer", "default_locale"),
        "unknown-locale",
        "'pt_pt'",
    ),
    ({"id": 1, "customer_email": "a@localhost"}, ("customer_email",), "bad-email", "'a@localhost'"),
    (
        {"id": 1, "customer": {"email": "a b@example.com"}},
        ("customer", "email"),
        "bad-email",
        "'a b@example.com'",
    ),
    ({"id": 1, "ip_address": "1.2.3.256"}, ("ip_address",), "bad-ip-address", "'1.2.3.256'"),
]


@pytest.mark.parametrize("format", ["dexero-json", "dexero-xml"])
@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    ("order", "member", "code", "shown"),
    DEXERO_CASES,
    ids=[f"{case[2]}-{'.'.join(case[1]) or 'order'}" for case in DEXERO_CASES],
)
def test_each_dexero_rule_is_reported_at_its_member(
    format: str, strict: bool, order: dict[str, Any], member: Key, code: str, shown: str | None
) -> None:
    severity = Severity.ERROR if strict or code in ERRORS else Severity.WARNING
    if format == "dexero-json":
        result = _both(dexero_json_order(order), strict=strict)
        place: Any = "/".join(("/order", *member))
    else:
        data, lines = dexero_xml(order)
        result = _both(data, strict=strict)
        place = ("/".join(("/order", *member)), lines[member])
    assert _where(result, "json" if format == "dexero-json" else "xml") == [
        (code, severity, place, shown)
    ]
    assert result.ok is (severity is Severity.WARNING)
    assert result.document is not None  # a value rule never stops the document


TALKDESK_ORDER: dict[str, Any] = {"id": "order456", "order_number": "#Y34DHR"}


def _money(currency: str) -> dict[str, Any]:
    return {"original_total_amount": {"value": 10.5, "currency": currency}}


# (members added to a Talkdesk order, the member at fault, code, input shown)
TALKDESK_CASES: list[tuple[dict[str, Any], Key, str, str]] = [
    ({"items_number": -1}, ("items_number",), "negative-number", "-1"),
    (
        {"price_summary": _money("eur")},
        ("price_summary", "original_total_amount", "currency"),
        "bad-currency",
        "'eur'",
    ),
    (
        {"price_summary": {**_money("EUR"), "taxes_amount": {"value": 1, "currency": "XYZ"}}},
        ("price_summary", "taxes_amount", "currency"),
        "unknown-currency",
        "'XYZ'",
    ),
    (
        {"shipping_address": {"country_code": "PRT"}},
        ("shipping_address", "country_code"),
        "unknown-country",
        "'PRT'",
    ),
    (
        {"billing_address": {"region_code": "11"}},
        ("billing_address", "region_code"),
        "unknown-region",
        "'11'",
    ),
    (
        {"billing_address": {"country_code": "ES", "region_code": "PT-11"}},
        ("billing_address", "region_code"),
        "region-mismatch",
        "'PT-11'",
    ),
    (
        {"payment_details": {"card_brand_image_url": "/icon.svg"}},
        ("payment_details", "card_brand_image_url"),
        "bad-url",
        "'/icon.svg'",
    ),
    (
        {"order_extra_info": {"highlighted_item_image_url": "https://a b/x.jpg"}},
        ("order_extra_info", "highlighted_item_image_url"),
        "bad-url",
        "'https://a b/x.jpg'",
    ),
]


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    ("members", "member", "code", "shown"),
    TALKDESK_CASES,
    ids=[f"{case[2]}-{'.'.join(case[1])}" for case in TALKDESK_CASES],
)
def test_each_talkdesk_rule_is_reported_at_its_member(
    strict: bool, members: dict[str, Any], member: Key, code: str, shown: str
) -> None:
    severity = Severity.ERROR if strict or code in ERRORS else Severity.WARNING
    data = json.dumps({**TALKDESK_ORDER, **members}).encode()
    result = _both(data, strict=strict)
    assert _where(result, "json") == [(code, severity, "/" + "/".join(member), shown)]
    assert result.ok is (severity is Severity.WARNING)


def test_page_links_and_uri_must_parse() -> None:
    talkdesk = {
        "_embedded": {"orders": [TALKDESK_ORDER]},
        "_links": {"self": {"href": "/orders?limit=1"}, "next": {"href": "http://h:99999/x"}},
    }
    result = _both(json.dumps(talkdesk).encode())
    assert _where(result, "json") == [
        ("bad-url", Severity.WARNING, "/_links/next/href", "'http://h:99999/x'")
    ]
    page = {"orders": {"uri": "http://[::1/orders.json", "order": {"id": 1}}}
    result = _both(json.dumps(page).encode())
    assert _where(result, "json") == [
        ("bad-url", Severity.WARNING, "/orders/uri", "'http://[::1/orders.json'")
    ]
    xml = f"<orders {XSI}>\n<uri>https://a b/</uri>\n<order><id>1</id></order>\n</orders>"
    result = _both(xml.encode())
    assert _where(result, "xml") == [
        ("bad-url", Severity.WARNING, ("/orders/uri", 2), "'https://a b/'")
    ]


VALID_DEXERO: dict[str, Any] = {
    "id": 0,
    "customer_id": 0,
    "currency": "EUR",
    "customer_email": "ana.silva+orders@mail.example.pt",
    "locale": "pt_PT",
    "ip_address": "2001:db8::1",
    "billing_address": {"iso_country": "PT", "iso_region": "PT-11"},
    "shipping_address": {"iso_country": "GB", "iso_region": "GB-ENG"},
    "order_form": {"quantity_number": 0, "product_id": 7, "value": {"id": 3}},
    "product": [{"id": 1, "quantity": 2}, {"id": 2, "quantity": 0}],
    "customer": {"id": 5, "email": "customer@dexero.com", "default_locale": "en"},
}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"locale": "pt-BR", "currency": "USD", "ip_address": "192.0.2.10"},
        {"locale": "fil", "customer": {"default_locale": "fre"}},
        # Blank or padded text: the rules read it without the white space around it.
        {"locale": "", "currency": "  EUR ", "customer_email": "  padded@example.com  "},
        {"billing_address": {"iso_region": "PT-11"}, "shipping_address": {"iso_country": "ES"}},
        {"billing_address": {"iso_country": "XX", "iso_region": "PT-11"}},
    ],
)
def test_valid_values_give_no_problem(changes: dict[str, Any]) -> None:
    order = {**VALID_DEXERO, **changes}
    billing = order["billing_address"]
    problems: list[str] = [] if billing.get("iso_country") != "XX" else ["unknown-country"]
    for data in (dexero_json_order(order), dexero_xml(order)[0]):
        assert [p.code for p in _both(data, strict=True).problems] == problems
    talkdesk = {
        **TALKDESK_ORDER,
        "items_number": 0,
        "shipping_address": {"country_code": "PT", "region_code": "PT-11"},
        "price_summary": _money("EUR"),
        "payment_details": {"card_brand_image_url": "https://x.example/icon.svg"},
    }
    assert _both(json.dumps(talkdesk).encode(), strict=True).problems == ()


@pytest.mark.parametrize("format", ["dexero-json", "dexero-xml"])
def test_base64_that_is_not_base64_is_a_validation_error(format: str) -> None:
    order = {"id": 1, "order_form": {"value": {"fileContentBase64": "abc"}}}
    pointer = "/order/order_form/value/fileContentBase64"
    if format == "dexero-json":
        result = _both(dexero_json_order(order))
        place: Any = pointer
    else:
        data, lines = dexero_xml(order)
        result = _both(data)
        place = (pointer, lines[("order_form", "value", "fileContentBase64")])
    syntax = "json" if format == "dexero-json" else "xml"
    shown = [(code, severity, where) for code, severity, where, _ in _where(result, syntax)]
    assert shown == [("bad-base64", Severity.ERROR, place)]
    assert not result.ok


def test_a_document_that_does_not_decode_has_its_value_problems_after_its_errors() -> None:
    data = b'{"order": {"id": "x", "currency": "eur", "customer_id": -1, "locale": "EN"}}'
    result = _both(data)
    assert [(p.code, p.severity, p.location.pointer) for p in result.problems] == [
        ("wrong-type", Severity.ERROR, "/order/id"),
        ("bad-currency", Severity.ERROR, "/order/currency"),
        ("negative-number", Severity.ERROR, "/order/customer_id"),
        ("unknown-locale", Severity.WARNING, "/order/locale"),
    ]
    # A member the decoder refuses gets its error only, not a value rule's too.
    for data in (
        b'{"order": {"id": -99999999999999999999}}',
        b'{"id": "a", "order_number": "b",'
        b' "price_summary": {"original_total_amount": {"value": 1, "currency": 978}}}',
        b'{"id": "a", "order_number": "b", "items_number": -1.5}',
        b"<order><id>-0</id></order>",
        b"<order><id> -3</id></order>",
    ):
        problems = validate(data).problems
        assert len(problems) == 1 and problems[0].code not in VALUE_CODES, problems
    # Dexero JSON reads a number token where text is wanted as its text, so the rule reads it so.
    (problem,) = validate(b'{"order": {"id": 1, "currency": 978}}').problems
    assert (problem.code, problem.input) == ("bad-currency", "'978'")


def test_a_page_checked_order_by_order_lists_the_whole_pages_problems() -> None:
    orders: list[dict[str, Any]] = [
        {"id": 1, "currency": "eur", "locale": "EN"},
        {"id": "two", "customer_id": -2},
        {"customer": {"email": "nobody"}},
    ]
    page = json.dumps({"orders": {"totalResults": 3, "order": orders}}).encode()
    result = _both(page)
    assert [(p.code, p.location.pointer) for p in result.problems] == [
        ("wrong-type", "/orders/order/1/id"),
        ("bad-currency", "/orders/order/0/currency"),
        ("negative-number", "/orders/order/1/customer_id"),
        ("missing-id", "/orders/order/2"),
        ("unknown-locale", "/orders/order/0/locale"),
        ("bad-email", "/orders/order/2/customer/email"),
    ]
    body = "".join(dexero_xml(order)[0].decode().replace(f" {XSI}", "") for order in orders)
    xml = f"<orders {XSI}>\n{body}\n</orders>".encode()
    assert [(p.code, p.location.path) for p in _both(xml).problems] == [
        ("wrong-type", "/orders/order[2]/id"),
        ("bad-currency", "/orders/order[1]/currency"),
        ("negative-number", "/orders/order[2]/customer_id"),
        ("missing-id", "/orders/order[3]"),
        ("unknown-locale", "/orders/order[1]/locale"),
        ("bad-email", "/orders/order[3]/customer/email"),
    ]
    talkdesk = {
        "_embedded": {
            "orders": [
                {**TALKDESK_ORDER, "items_number": -1},
                {**TALKDESK_ORDER, "items_number": "3"},
                {**TALKDESK_ORDER, "shipping_address": {"country_code": "UK"}},
            ]
        }
    }
    assert [
        (p.code, p.location.pointer) for p in _both(json.dumps(talkdesk).encode()).problems
    ] == [
        ("wrong-type", "/_embedded/orders/1/items_number"),
        ("negative-number", "/_embedded/orders/0/items_number"),
        ("unknown-country", "/_embedded/orders/2/shipping_address/country_code"),
    ]


def test_newline_delimited_orders_are_checked_each_at_its_place() -> None:
    lines = b'{"order": {"id": 1}}\n{"order": {"id": -1}}\n{"order": {"currency": "XYZ"}}\n'
    result = validate_file(io.BytesIO(lines), lines=True)
    assert [(p.code, p.location.pointer) for p in result.problems] == [
        ("negative-number", "/1/order/id"),
        ("missing-id", "/2/order"),
        ("unknown-currency", "/2/order/currency"),
    ]


def test_the_cap_keeps_the_decoders_errors_then_the_rules_then_the_warnings() -> None:
    data = b'{"order": {"id": "x", "customer_id": -1, "currency": "eur", "locale": "EN", "a": 1}}'
    result = _both(data)
    assert [p.code for p in result.problems] == [
        "wrong-type",
        "negative-number",
        "bad-currency",
        "unknown-locale",
        "unknown-field",
    ]
    capped = validate(data, limits=Limits(max_problems=2))
    assert [p.code for p in capped.problems] == [
        "wrong-type",
        "negative-number",
        "too-many-problems",
    ]
    assert capped.problems[-1].severity is Severity.ERROR
    assert capped.problems[-1].message == "3 more problems not shown"
    streamed = validate_file(io.BytesIO(data), limits=Limits(max_problems=2))
    assert streamed.problems == capped.problems
    # A value rule's error counts as an error for the note, with no decoder error at all.
    only_rules = validate(
        b'{"order": {"customer_id": -1, "a": 1, "b": 2}}', limits=Limits(max_problems=1)
    )
    assert [(p.code, p.severity) for p in only_rules.problems] == [
        ("missing-id", Severity.ERROR),
        ("too-many-problems", Severity.ERROR),
    ]


def _trees(data: bytes, format: str) -> tuple[Any, type]:
    if format == "dexero-xml":
        root = xml_read.parse(data, Limits(), format)
        tree = xml_read.to_node(root, format)
        return tree, formats.get(format).KINDS["page" if root.tag == "orders" else "order"]
    parsed = json_read.parse(data, Limits(), format)
    module = dexero_json if format == "dexero-json" else talkdesk_json
    kind = module.classify(parsed)
    assert kind is not None
    if format == "dexero-json":
        parsed = parsed[dexero_json.ENVELOPES[kind]]
    return parsed, module.KINDS[kind]


def _decodable_payloads() -> list[tuple[str, bytes]]:
    payloads: list[tuple[str, bytes]] = []
    for order, *_ in DEXERO_CASES:
        payloads.append(("dexero-json", dexero_json_order(order)))
        payloads.append(("dexero-xml", dexero_xml(order)[0]))
    payloads.append(("dexero-json", dexero_json_order(VALID_DEXERO)))
    payloads.append(("dexero-xml", dexero_xml(VALID_DEXERO)[0]))
    for members, *_ in TALKDESK_CASES:
        payloads.append(("talkdesk-json", json.dumps({**TALKDESK_ORDER, **members}).encode()))
    return payloads


@pytest.mark.parametrize(("format", "data"), _decodable_payloads())
def test_a_tree_and_its_document_give_the_same_value_findings(format: str, data: bytes) -> None:
    # A page's orders that decode are walked as objects when streamed, and as the tree when
    # the whole page does not decode: both must find the same.
    tree, cls = _trees(data, format)
    document = decode(data, format)
    raw = list(walk_raw(tree, cls, [], formats.get(format).BARE_ITEMS))
    assert raw == list(walk(document, [], format == "dexero-xml"))
    assert any(found[1] in VALUE_CODES for found in raw) or data in (
        dexero_json_order(VALID_DEXERO),
        dexero_xml(VALID_DEXERO)[0],
    )


FIXTURE_FILES = sorted(
    [
        *(
            path
            for format in ("talkdesk-json", "dexero-json", "dexero-xml")
            for path in (FIXTURES / format).iterdir()
            if path.suffix in (".json", ".xml")
        ),
        ROOT / "examples" / "dexero-page.xml",
    ]
)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_the_bundled_payloads_break_no_value_rule(path: Path) -> None:
    problems: tuple[Problem, ...] = validate(path.read_bytes()).problems
    assert [p for p in problems if p.code in VALUE_CODES] == []


def test_the_cli_and_the_pytest_helper_report_the_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "order.xml"
    source.write_bytes(b"<order>\n  <id>-5</id>\n  <locale>EN</locale>\n</order>\n")
    assert main(["validate", str(source)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{source}:2:3: error negative-number must not be negative (got -5) at /order/id",
        f"{source}:3:3: warning unknown-locale not a language code (ISO 639, optionally _ or - "
        "and an ISO 3166-1 country) (got 'EN') at /order/locale",
        "1 file checked: 0 passed, 1 failed, 2 problems",  # singular: issue 11.4
    ]
    with pytest.raises(PayloadInvalid, match="negative-number"):
        assert_valid_payload(source.read_bytes())
    warned = assert_valid_payload(b'{"order": {"id": 1, "currency": "XYZ"}}')
    assert [p.code for p in warned.warnings] == ["unknown-currency"]
    with pytest.raises(PayloadInvalid, match="unknown-currency"):
        assert_valid_payload(b'{"order": {"id": 1, "currency": "XYZ"}}', strict=True)


def test_importing_ordermap_does_not_load_pycountry() -> None:
    code = (
        "import sys, ordermap, ordermap.validation\n"
        'ordermap.validation.validate(b\'{"order": {"id": 1}}\')\n'
        "assert 'pycountry' not in sys.modules, 'loaded too early'\n"
        'ordermap.validation.validate(b\'{"order": {"id": 1, "currency": "EUR"}}\')\n'
        "assert 'pycountry' in sys.modules, 'not loaded by a rule'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
