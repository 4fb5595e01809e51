"""Golden translations: each crosswalk rule in both directions, with its exact report.

Every example decodes wire text, translates it, encodes the result and compares the document
tree strictly (member order, number text, token kinds: see ``tests/trees.py``); the report is
compared entry by entry as ``(action, source pointer, target pointer, reason)``.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import ordermap
from ordermap import DEFAULT_POLICY, Policy, Report, TranslationError, translate
from ordermap.translation import Mode

from .sample import dexero_page_xml
from .trees import json_tree, xml_tree

FIXTURES = Path(__file__).parent / "fixtures"
SEED_PAGE = (FIXTURES / "talkdesk-json" / "seed-page.json").read_bytes()

Entry = tuple[str, str, str | None, str]


def not_back(rule: str) -> str:
    """The reason for a derived value that translating back does not give again."""
    return f"derived ({rule}): translating back does not give this value"


def not_back_note(note: str) -> str:
    """The reason for a mapped value that does not come back, with its crosswalk note."""
    return f"translating back does not give this value ({note})"


# The report's reasons, as translation.py words them.
NOT_A_LONG = "not a decimal integer in the range of a Dexero long"
NO_DEXERO = "no Dexero counterpart"
NO_TALKDESK = "no Talkdesk counterpart"
ABSENT = "absent in the source; translating back derives a value"
NAMES = "first and last name from the name"
DELIVERY = "delivery_type from is_shippable"
ITEMS = "items_number from the order lines"
REFUNDED = "is_refunded from total_refunded"
STATUS = "latest_status_info from status"
# A refused Talkdesk amount is reported at the money object (or the whole price_summary) with
# the reason recorded for the member inside it.
TOO_PRECISE = "does not fit decimal(20,2) (at most 18 integer and 2 fraction digits)"
NO_CURRENCY = "a Talkdesk amount needs a currency; the order has none"
NO_TOTAL_PRODUCTS = "Talkdesk's price_summary requires original_total_amount (total_products)"
CUSTOMER = NO_TALKDESK + " (customer.custom_field entry ordermap:talkdesk is the carry slot)"
PAGINATION = "pagination is not derivable from Talkdesk's links"
LINKS = "paging links are not derivable from Dexero's pagination"
XML_CONTROL = "XML 1.0 cannot hold the character U+0001"

# From Talkdesk to Dexero a derivation is named in that direction.
JOIN = "the name from first and last name"
SHIPPABLE = "is_shippable from delivery_type"
STATUS_FROM_INFO = "status from latest_status_info"


def talkdesk(members: str = "") -> str:
    """A Talkdesk order with id 1001 and order number #A1, then ``members``."""
    return '{"id": "1001", "order_number": "#A1"' + members + "}"


def dexero(members: str = "") -> str:
    """A Dexero order envelope with id 1001 and reference number #A1, then ``members``."""
    return '{"order": {"id": 1001, "reference_number": "#A1"' + members + "}}"


def entries(report: Report) -> list[Entry]:
    return [(e.action, e.source, e.target, e.reason) for e in report.entries]


def tree(data: bytes | str, format: str) -> Any:
    if format == "dexero-xml":
        return xml_tree(data.encode() if isinstance(data, str) else data)
    return json_tree(data)


def run(
    source: str | bytes,
    to: str,
    *,
    mode: Mode = "report",
    policy: Policy = DEFAULT_POLICY,
    source_format: str | None = None,
) -> tuple[Any, list[Entry]]:
    """Translate wire text; the encoded result as a strict tree, and the report's entries."""
    document = ordermap.decode(source, source_format)
    result = translate(document, to, mode=mode, policy=policy, source_format=source_format)
    return tree(ordermap.encode(result.document, to), to), entries(result.report)


def check(
    source: str | bytes,
    to: str,
    expected: str,
    expected_entries: Sequence[Entry],
    **options: Any,
) -> None:
    output, found = run(source, to, **options)
    assert output == tree(expected, to)
    assert found == list(expected_entries)


def refusal(source: str | bytes, to: str, **options: Any) -> TranslationError:
    document = ordermap.decode(source, options.pop("source_format", None))
    with pytest.raises(TranslationError) as caught:
        translate(document, to, **options)
    return caught.value


# --- ids, numbers and text ----------------------------------------------------------------


def test_numeric_ids_map_both_ways() -> None:
    check(
        talkdesk(', "customer_id": "-9223372036854775808"'),
        "dexero-json",
        '{"order": {"id": 1001, "customer_id": -9223372036854775808, "reference_number": "#A1"}}',
        [],
    )
    check(
        dexero(', "customer_id": 42'),
        "talkdesk-json",
        '{"id": "1001", "customer_id": "42", "order_number": "#A1"}',
        [],
    )


@pytest.mark.parametrize(
    "text",
    ["order456", "0012", "-0", "9223372036854775808", "1e3", " 7", "\uff11\uff12"],
    ids=["letters", "leading-zero", "minus-zero", "beyond-long", "exponent", "space", "fullwidth"],
)
def test_an_id_that_is_not_a_long_is_lost(text: str) -> None:
    check(
        '{"id": ' + json.dumps(text) + ', "order_number": "#A1", "customer_id": "7"}',
        "dexero-json",
        '{"order": {"customer_id": 7, "reference_number": "#A1"}}',
        [("lost", "/id", None, NOT_A_LONG)],
    )


def test_a_customer_id_that_is_not_a_long_is_lost() -> None:
    check(
        talkdesk(', "customer_id": "customer123"'),
        "dexero-json",
        dexero(),
        [("lost", "/customer_id", None, NOT_A_LONG)],
    )


def test_order_number_is_reference_number() -> None:
    check(
        '{"id": "1", "order_number": "#Y34DHR"}',
        "dexero-json",
        '{"order": {"id": 1, "reference_number": "#Y34DHR"}}',
        [],
    )
    check(
        '{"order": {"reference_number": "#Y34DHR", "id": 1}}',
        "talkdesk-json",
        '{"id": "1", "order_number": "#Y34DHR"}',
        [],
    )


def test_the_purchase_timestamp_keeps_its_text() -> None:
    stamp = "2021-09-14t12:16:50.078000+05:30"
    check(
        talkdesk(f', "purchase_datetime": "{stamp}"'),
        "dexero-json",
        '{"order": {"id": 1001, "purchase_date": "' + stamp + '", "reference_number": "#A1"}}',
        [],
    )
    check(
        dexero(f', "purchase_date": "{stamp}"'),
        "talkdesk-json",
        '{"id": "1001", "order_number": "#A1", "purchase_datetime": "' + stamp + '"}',
        [],
    )
    check(
        talkdesk(f', "purchase_datetime": "{stamp}"'),
        "dexero-xml",
        f"<order><id>1001</id><purchase_date>{stamp}</purchase_date>"
        "<reference_number>#A1</reference_number></order>",
        [],
    )


# --- delivery_type and is_shippable --------------------------------------------------------


def test_is_shippable_true_gives_shipping_and_comes_back() -> None:
    check(
        dexero(', "is_shippable": true'),
        "talkdesk-json",
        talkdesk(', "delivery_type": "SHIPPING"'),
        [("derived", "/order/is_shippable", "/delivery_type", DELIVERY)],
    )
    check(
        talkdesk(', "delivery_type": "SHIPPING"'),
        "dexero-json",
        '{"order": {"id": 1001, "is_shippable": true, "reference_number": "#A1"}}',
        [("derived", "/delivery_type", "/order/is_shippable", SHIPPABLE)],
    )


def test_is_shippable_false_gives_unknown_and_is_lost_on_the_way_back() -> None:
    check(
        dexero(', "is_shippable": false'),
        "talkdesk-json",
        talkdesk(', "delivery_type": "UNKNOWN"'),
        [
            ("derived", "/order/is_shippable", "/delivery_type", DELIVERY),
            ("lost", "/order/is_shippable", None, not_back(DELIVERY)),
        ],
    )


@pytest.mark.parametrize("kind", ["LOCAL_PICKUP", "LOCAL_DELIVERY"])
def test_a_local_delivery_type_gives_shippable_and_does_not_come_back(kind: str) -> None:
    check(
        talkdesk(f', "delivery_type": "{kind}"'),
        "dexero-json",
        '{"order": {"id": 1001, "is_shippable": true, "reference_number": "#A1"}}',
        [
            ("derived", "/delivery_type", "/order/is_shippable", SHIPPABLE),
            ("lost", "/delivery_type", None, not_back(DELIVERY)),
        ],
    )


@pytest.mark.parametrize("kind", ["UNKNOWN", "BY_DRONE"])
def test_unknown_delivery_type_gives_nothing_and_is_lost(kind: str) -> None:
    output, found = run(talkdesk(f', "delivery_type": "{kind}"'), "dexero-json")
    assert output == json_tree(dexero())
    assert [e for e in found if e[0] == "lost"] == [
        ("lost", "/delivery_type", None, not_back(DELIVERY))
    ]


@pytest.mark.parametrize(
    ("source", "to", "policy"),
    [
        (talkdesk(', "delivery_type": "UNKNOWN"'), "dexero-json", DEFAULT_POLICY),
        (
            dexero(', "shipping_address": {"name": "Cher"}'),
            "talkdesk-json",
            Policy(name_split="last-word"),
        ),
        (dexero(', "shipping_address": {"name": ""}'), "talkdesk-json", DEFAULT_POLICY),
    ],
    ids=["unknown-delivery-type", "last-name-only", "empty-name"],
)
def test_a_derived_entry_points_at_a_member_the_target_has(
    source: str, to: str, policy: Policy
) -> None:
    result = translate(ordermap.decode(source), to, policy=policy)
    target = json.loads(ordermap.encode(result.document, to))
    for entry in result.report.entries:
        if entry.action == "derived" and entry.target is not None:
            holder = target
            for step in entry.target.strip("/").split("/"):
                assert step in holder, entry
                holder = holder[step]


def test_a_talkdesk_to_dexero_derivation_is_named_in_its_direction() -> None:
    _, found = run(
        talkdesk(
            ', "delivery_type": "SHIPPING", "shipping_address": {"first_name": "Ana"}, '
            '"order_extra_info": {"latest_status_info": {"generic_type": "DELIVERED"}}'
        ),
        "dexero-json",
    )
    assert [e[3] for e in found if e[0] == "derived" and e[2] is not None] == [
        "is_shippable from delivery_type",
        "the name from first and last name",
        "status from latest_status_info",
    ]


def test_the_delivery_policy_changes_both_directions() -> None:
    policy = Policy(
        shippable="LOCAL_DELIVERY", not_shippable="LOCAL_PICKUP", shipping_types=("LOCAL_DELIVERY",)
    )
    check(
        dexero(', "is_shippable": true'),
        "talkdesk-json",
        talkdesk(', "delivery_type": "LOCAL_DELIVERY"'),
        [("derived", "/order/is_shippable", "/delivery_type", DELIVERY)],
        policy=policy,
    )
    output, found = run(talkdesk(', "delivery_type": "SHIPPING"'), "dexero-json", policy=policy)
    assert output == json_tree(dexero())
    assert ("lost", "/delivery_type", None, not_back(DELIVERY)) in found


# --- names ----------------------------------------------------------------------------------


def test_first_and_last_name_join_with_one_space_and_split_back() -> None:
    check(
        talkdesk(', "shipping_address": {"first_name": "Maria", "last_name": "da Silva"}'),
        "dexero-json",
        '{"order": {"id": 1001, "reference_number": "#A1", '
        '"shipping_address": {"name": "Maria da Silva"}}}',
        [("derived", "/shipping_address/first_name", "/order/shipping_address/name", JOIN)],
    )
    check(
        dexero(', "billing_address": {"name": "Maria da Silva"}'),
        "talkdesk-json",
        talkdesk(', "billing_address": {"first_name": "Maria", "last_name": "da Silva"}'),
        [("derived", "/order/billing_address/name", "/billing_address/first_name", NAMES)],
    )


def test_a_name_with_a_double_space_is_reported_lost() -> None:
    check(
        dexero(', "shipping_address": {"name": "Maria  Silva"}'),
        "talkdesk-json",
        talkdesk(', "shipping_address": {"first_name": "Maria", "last_name": "Silva"}'),
        [
            ("derived", "/order/shipping_address/name", "/shipping_address/first_name", NAMES),
            ("lost", "/order/shipping_address/name", None, not_back(NAMES)),
        ],
    )


def test_the_last_word_policy_splits_off_the_last_name() -> None:
    policy = Policy(name_split="last-word")
    check(
        dexero(', "shipping_address": {"name": "Maria da Silva"}'),
        "talkdesk-json",
        talkdesk(', "shipping_address": {"first_name": "Maria da", "last_name": "Silva"}'),
        [("derived", "/order/shipping_address/name", "/shipping_address/first_name", NAMES)],
        policy=policy,
    )
    output, found = run(
        dexero(', "shipping_address": {"name": "Cher"}'), "talkdesk-json", policy=policy
    )
    assert output == json_tree(talkdesk(', "shipping_address": {"last_name": "Cher"}'))
    assert [e[:2] for e in found] == [("derived", "/order/shipping_address/name")]
    # The same Talkdesk names no longer survive: the way back splits them elsewhere.
    check(
        talkdesk(', "shipping_address": {"first_name": "Maria", "last_name": "da Silva"}'),
        "dexero-json",
        '{"order": {"id": 1001, "reference_number": "#A1", '
        '"shipping_address": {"name": "Maria da Silva"}}}',
        [
            ("derived", "/shipping_address/first_name", "/order/shipping_address/name", JOIN),
            ("lost", "/shipping_address/first_name", None, not_back(NAMES)),
            ("lost", "/shipping_address/last_name", None, not_back(NAMES)),
        ],
        policy=policy,
    )


def test_a_last_name_alone_comes_back_as_a_first_name() -> None:
    check(
        talkdesk(', "shipping_address": {"last_name": "Silva"}'),
        "dexero-json",
        '{"order": {"id": 1001, "reference_number": "#A1", "shipping_address": {"name": "Silva"}}}',
        [
            ("derived", "/shipping_address/first_name", "/order/shipping_address/name", JOIN),
            ("lost", "/shipping_address/last_name", None, not_back(NAMES)),
            ("derived", "/shipping_address/first_name", None, ABSENT),
        ],
    )


# --- addresses ------------------------------------------------------------------------------

TALKDESK_ADDRESS = (
    '{"id": "address1234", "first_name": "John", "last_name": "Doe", '
    '"phone_number": "+351910000000", "address": "Rua Augusta 1", "zip_code": "01000", '
    '"city": "Lisbon", "region_code": "PT-11", "country_code": "PT", "default": true}'
)
DEXERO_ADDRESS = (
    '{"name": "John Doe", "phone_number": "+351910000000", "postal_code": "01000", '
    '"street_address": "Rua Augusta 1", "city": "Lisbon", "iso_country": "PT", '
    '"iso_region": "PT-11"}'
)


def test_an_address_maps_field_by_field_and_its_talkdesk_only_fields_are_lost() -> None:
    check(
        talkdesk(f', "billing_address": {TALKDESK_ADDRESS}'),
        "dexero-json",
        '{"order": {"id": 1001, "reference_number": "#A1", '
        f'"billing_address": {DEXERO_ADDRESS}' + "}}",
        [
            ("derived", "/billing_address/first_name", "/order/billing_address/name", JOIN),
            ("lost", "/billing_address/id", None, NO_DEXERO),
            ("lost", "/billing_address/default", None, NO_DEXERO),
        ],
    )


def test_an_address_maps_back_and_its_company_is_lost() -> None:
    address = DEXERO_ADDRESS[:-1] + ', "company": "Example Lda"}'
    check(
        dexero(f', "shipping_address": {address}'),
        "talkdesk-json",
        talkdesk(
            ', "shipping_address": {"first_name": "John", "last_name": "Doe", '
            '"phone_number": "+351910000000", "address": "Rua Augusta 1", "zip_code": "01000", '
            '"city": "Lisbon", "region_code": "PT-11", "country_code": "PT"}'
        ),
        [
            ("derived", "/order/shipping_address/name", "/shipping_address/first_name", NAMES),
            ("lost", "/order/shipping_address/company", None, NO_TALKDESK),
        ],
    )


# --- items_number ---------------------------------------------------------------------------

LINES = (
    ', "product": [{"id": 1, "type": "buy", "quantity": 2}, '
    '{"id": 2, "type": "refund", "quantity": 5}, {"id": 3, "type": "buy", "quantity": 3}]'
)


@pytest.mark.parametrize(
    ("policy", "items"),
    [
        (DEFAULT_POLICY, ', "items_number": 5'),
        (Policy(items_number="lines"), ', "items_number": 3'),
    ],
    ids=["buy-quantity", "lines"],
)
def test_items_number_comes_from_the_order_lines(policy: Policy, items: str) -> None:
    check(
        dexero(LINES),
        "talkdesk-json",
        talkdesk(items),
        [
            ("derived", "/order/product", "/items_number", ITEMS),
            ("lost", "/order/product", None, not_back(ITEMS)),
        ],
        policy=policy,
    )


def test_items_number_none_policy_derives_nothing() -> None:
    check(
        dexero(LINES),
        "talkdesk-json",
        talkdesk(),
        [("lost", "/order/product", None, not_back(ITEMS))],
        policy=Policy(items_number="none"),
    )


def test_a_talkdesk_items_number_has_nothing_to_give_back() -> None:
    check(
        talkdesk(', "items_number": 3'),
        "dexero-json",
        dexero(),
        [("lost", "/items_number", None, not_back(ITEMS))],
    )


# --- money ----------------------------------------------------------------------------------

TALKDESK_MONEY = (
    ', "price_summary": {"original_total_amount": {"value": 10.50, "currency": "EUR"}, '
    '"shipping_amount": {"value": 2, "currency": "EUR"}, '
    '"taxes_amount": {"value": 1.5, "currency": "EUR"}, '
    '"final_total_amount": {"value": 14.00, "currency": "EUR"}}'
)


def test_talkdesk_amounts_become_dexero_amounts_with_their_text() -> None:
    check(
        talkdesk(TALKDESK_MONEY),
        "dexero-json",
        '{"order": {"id": 1001, "currency": "EUR", "total_order": 14.00, '
        '"total_products": 10.50, "total_shipping": 2, "total_tax": 1.5, '
        '"reference_number": "#A1"}}',
        [],
    )
    check(
        talkdesk(TALKDESK_MONEY),
        "dexero-xml",
        "<order><id>1001</id><currency>EUR</currency><total_order>14.00</total_order>"
        "<total_products>10.50</total_products><total_shipping>2</total_shipping>"
        "<total_tax>1.5</total_tax><reference_number>#A1</reference_number></order>",
        [],
    )


def test_dexero_amounts_and_currency_become_talkdesk_money() -> None:
    check(
        dexero(
            ', "currency": "EUR", "total_order": "14.00", "total_products": "10.50", '
            '"total_shipping": 2, "total_tax": 1.5'
        ),
        "talkdesk-json",
        talkdesk(TALKDESK_MONEY),
        [],
    )


def test_an_amount_with_three_decimals_is_lost() -> None:
    check(
        talkdesk(
            ', "price_summary": {"original_total_amount": {"value": 10.5, "currency": "EUR"}, '
            '"shipping_amount": {"value": 2.125, "currency": "EUR"}}'
        ),
        "dexero-json",
        '{"order": {"id": 1001, "currency": "EUR", "total_products": 10.5, '
        '"reference_number": "#A1"}}',
        [("lost", "/price_summary/shipping_amount", None, "value: " + TOO_PRECISE)],
    )


def test_a_total_with_three_decimals_loses_the_whole_price_summary() -> None:
    check(
        talkdesk(
            ', "price_summary": {"original_total_amount": {"value": 10.505, "currency": "EUR"}}'
        ),
        "dexero-json",
        '{"order": {"id": 1001, "currency": "EUR", "reference_number": "#A1"}}',
        [("lost", "/price_summary", None, "original_total_amount/value: " + TOO_PRECISE)],
    )


def test_an_amount_in_a_second_currency_is_lost() -> None:
    check(
        talkdesk(
            ', "price_summary": {"original_total_amount": {"value": 10.5, "currency": "EUR"}, '
            '"taxes_amount": {"value": 2, "currency": "USD"}}'
        ),
        "dexero-json",
        '{"order": {"id": 1001, "currency": "EUR", "total_products": 10.5, '
        '"reference_number": "#A1"}}',
        [
            (
                "lost",
                "/price_summary/taxes_amount",
                None,
                "value, currency: in USD, not the order's currency EUR",
            )
        ],
    )


@pytest.mark.parametrize(
    ("money", "words"),
    [
        ('"shipping_amount": {"value": 2.125, "currency": "EUR"}', "does not fit decimal(20,2)"),
        ('"taxes_amount": {"value": 2, "currency": "USD"}', "not the order's currency EUR"),
    ],
    ids=["three-decimals", "second-currency"],
)
def test_a_refused_amount_is_reported_with_the_refusal_reason(money: str, words: str) -> None:
    _, found = run(
        talkdesk(
            ', "price_summary": {"original_total_amount": {"value": 10.5, "currency": "EUR"}, '
            + money
            + "}"
        ),
        "dexero-json",
    )
    assert [e for e in found if words in e[3]] != []


def test_dexero_amounts_without_currency_are_lost() -> None:
    check(
        dexero(', "total_order": 12.5, "total_products": "10.50"'),
        "talkdesk-json",
        talkdesk(),
        [
            ("lost", "/order/total_order", None, NO_CURRENCY),
            ("lost", "/order/total_products", None, NO_CURRENCY),
        ],
    )


def test_dexero_amounts_without_total_products_are_lost() -> None:
    check(
        dexero(', "currency": "EUR", "total_order": 12.5'),
        "talkdesk-json",
        talkdesk(),
        [
            (
                "lost",
                "/order/currency",
                None,
                not_back_note(
                    "the order's one currency; a Talkdesk amount in another currency has no "
                    "counterpart"
                ),
            ),
            ("lost", "/order/total_order", None, NO_TOTAL_PRODUCTS),
        ],
    )


def test_discounts_have_no_dexero_counterpart() -> None:
    check(
        talkdesk(
            ', "price_summary": {"original_total_amount": {"value": 1, "currency": "EUR"}, '
            '"discounts_amount": {"value": 0.50, "currency": "EUR"}}'
        ),
        "dexero-json",
        '{"order": {"id": 1001, "currency": "EUR", "total_products": 1, "reference_number": "#A1"}}',
        [("lost", "/price_summary/discounts_amount", None, NO_DEXERO)],
    )


# --- payment --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "refunded"),
    [("0.00", "false"), ("0", "false"), ("5.25", "true"), ("-1", "false")],
)
def test_is_refunded_is_total_refunded_above_zero(amount: str, refunded: str) -> None:
    check(
        dexero(f', "total_refunded": {amount}, "card_type": "Visa"'),
        "talkdesk-json",
        talkdesk(f', "payment_details": {{"card_brand": "Visa", "is_refunded": {refunded}}}'),
        [
            ("derived", "/order/total_refunded", "/payment_details/is_refunded", REFUNDED),
            ("lost", "/order/total_refunded", None, not_back(REFUNDED)),
        ],
    )


def test_card_brand_is_card_type_and_is_refunded_gives_no_amount() -> None:
    check(
        talkdesk(
            ', "payment_details": {"card_brand": "Visa", "card_number": "** ** ** *567", '
            '"is_refunded": true}'
        ),
        "dexero-json",
        '{"order": {"id": 1001, "card_type": "Visa", "reference_number": "#A1"}}',
        [
            ("lost", "/payment_details/card_number", None, NO_DEXERO),
            ("lost", "/payment_details/is_refunded", None, not_back(REFUNDED)),
        ],
    )


# --- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "generic", "detailed"),
    [
        ("pending", "CONFIRMED", "CONFIRMED"),
        ("treated", "ON_ITS_WAY", "IN_TRANSIT"),
        ("completed", "DELIVERED", "DELIVERED"),
        ("cancelled", "UNKNOWN", "FAILURE"),
        ("on_hold", "UNKNOWN", "UNKNOWN"),
    ],
)
def test_dexero_status_gives_status_text_and_latest_status_info(
    status: str, generic: str, detailed: str
) -> None:
    check(
        dexero(f', "status": "{status}"'),
        "talkdesk-json",
        talkdesk(
            ', "order_extra_info": {"latest_status_info": '
            f'{{"generic_type": "{generic}", "detailed_type": "{detailed}"}}}}, '
            f'"status": "{status}"'
        ),
        [("derived", "/order/status", "/order_extra_info/latest_status_info", STATUS)],
    )


def test_the_status_policy_maps_a_dexero_status(tmp_path: Path) -> None:
    file = tmp_path / "policy.toml"
    file.write_text('[status]\non_hold = ["CONFIRMED", "ATTEMPTED_DELIVERY"]\n')
    check(
        dexero(', "status": "on_hold"'),
        "talkdesk-json",
        talkdesk(
            ', "order_extra_info": {"latest_status_info": {"generic_type": "CONFIRMED", '
            '"detailed_type": "ATTEMPTED_DELIVERY"}}, "status": "on_hold"'
        ),
        [("derived", "/order/status", "/order_extra_info/latest_status_info", STATUS)],
        policy=ordermap.load_policy(file),
    )


def test_a_talkdesk_status_is_the_dexero_status() -> None:
    check(
        talkdesk(', "status": "shipped"'),
        "dexero-json",
        '{"order": {"id": 1001, "status": "shipped", "reference_number": "#A1"}}',
        [("derived", "/order_extra_info", None, ABSENT)],
    )


def test_confirmed_gives_pending_when_talkdesk_has_no_status() -> None:
    check(
        talkdesk(
            ', "order_extra_info": {"latest_status_info": '
            '{"generic_type": "CONFIRMED", "detailed_type": "CONFIRMED"}}'
        ),
        "dexero-json",
        '{"order": {"id": 1001, "status": "pending", "reference_number": "#A1"}}',
        [
            (
                "derived",
                "/order_extra_info/latest_status_info/generic_type",
                "/order/status",
                STATUS_FROM_INFO,
            ),
            ("derived", "/status", None, ABSENT),
        ],
    )


def test_out_for_delivery_gives_treated_which_does_not_come_back() -> None:
    check(
        talkdesk(
            ', "order_extra_info": {"latest_status_info": '
            '{"generic_type": "OUT_FOR_DELIVERY", "detailed_type": "OUT_FOR_DELIVERY"}}'
        ),
        "dexero-json",
        '{"order": {"id": 1001, "status": "treated", "reference_number": "#A1"}}',
        [
            (
                "derived",
                "/order_extra_info/latest_status_info/generic_type",
                "/order/status",
                STATUS_FROM_INFO,
            ),
            ("lost", "/order_extra_info/latest_status_info/generic_type", None, not_back(STATUS)),
            ("lost", "/order_extra_info/latest_status_info/detailed_type", None, not_back(STATUS)),
            ("derived", "/status", None, ABSENT),
        ],
    )


def test_unknown_generic_type_gives_no_status() -> None:
    check(
        talkdesk(', "order_extra_info": {"latest_status_info": {"generic_type": "UNKNOWN"}}'),
        "dexero-json",
        dexero(),
        [("lost", "/order_extra_info", None, not_back_note("holds latest_status_info"))],
    )


def test_a_talkdesk_status_wins_over_latest_status_info() -> None:
    check(
        talkdesk(
            ', "order_extra_info": {"latest_status_info": '
            '{"generic_type": "DELIVERED", "detailed_type": "DELIVERED"}}, "status": "pending"'
        ),
        "dexero-json",
        '{"order": {"id": 1001, "status": "pending", "reference_number": "#A1"}}',
        [
            ("lost", "/order_extra_info/latest_status_info/generic_type", None, not_back(STATUS)),
            ("lost", "/order_extra_info/latest_status_info/detailed_type", None, not_back(STATUS)),
        ],
    )


# --- one side only, and what the target cannot hold ----------------------------------------


def test_dexero_only_fields_and_unknown_members_are_lost() -> None:
    check(
        dexero(', "customer_email": "a@example.com", "is_test": false, "loyalty": {"tier": 1}'),
        "talkdesk-json",
        talkdesk(),
        [
            ("lost", "/order/customer_email", None, NO_TALKDESK),
            ("lost", "/order/is_test", None, NO_TALKDESK),
            ("lost", "/order/loyalty", None, "unknown member, no Talkdesk counterpart"),
        ],
    )


def test_null_and_absent_are_not_a_loss() -> None:
    check(dexero(', "customer_id": null, "status": null'), "talkdesk-json", talkdesk(), [])
    check(talkdesk(', "customer_id": null, "status": null'), "dexero-json", dexero(), [])


def test_a_null_the_way_back_fills_in_is_derived_not_lost() -> None:
    check(
        talkdesk(', "order_extra_info": null, "status": "shipped"'),
        "dexero-json",
        '{"order": {"id": 1001, "status": "shipped", "reference_number": "#A1"}}',
        [("derived", "/order_extra_info", None, ABSENT)],
        mode="strict",
    )


def test_text_xml_cannot_hold_is_lost_on_the_way_to_dexero_xml() -> None:
    source = talkdesk(', "shipping_address": {"city": "Lis\\u0001bon", "zip_code": "1000"}')
    check(
        source,
        "dexero-xml",
        "<order><id>1001</id><reference_number>#A1</reference_number>"
        "<shipping_address><postal_code>1000</postal_code></shipping_address></order>",
        [("lost", "/shipping_address/city", None, XML_CONTROL)],
    )
    check(
        source,
        "dexero-json",
        '{"order": {"id": 1001, "reference_number": "#A1", '
        '"shipping_address": {"postal_code": "1000", "city": "Lis\\u0001bon"}}}',
        [],
    )


def test_text_xml_cannot_hold_is_carried_through_dexero_xml() -> None:
    source = talkdesk(', "shipping_address": {"city": "Lis\\u0001bon"}')
    result = translate(ordermap.decode(source), "dexero-xml", mode="carry")
    assert entries(result.report) == [
        ("carried", "/shipping_address/city", "/order/customer/custom_field", XML_CONTROL)
    ]
    xml = ordermap.encode(result.document, "dexero-xml")
    back = translate(
        ordermap.decode(xml), "talkdesk-json", mode="carry", source_format="dexero-xml"
    )
    assert json_tree(ordermap.encode(back.document, "talkdesk-json")) == json_tree(source)


# --- what cannot be translated at all -------------------------------------------------------


@pytest.mark.parametrize("to", ["dexero-json", "dexero-xml"])
@pytest.mark.parametrize("mode", ["report", "strict", "carry"])
def test_a_talkdesk_error_body_is_untranslatable(to: str, mode: str) -> None:
    error = refusal('{"code": "bad_request", "message": "Bad request"}', to, mode=mode)
    assert [(p.code, p.message, p.location.pointer) for p in error.problems] == [
        ("untranslatable", "a Talkdesk error body has no Dexero counterpart", "")
    ]
    assert error.report is None


@pytest.mark.parametrize("mode", ["report", "strict", "carry"])
@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (
            '{"order": {"id": 1001, "status": "pending"}}',
            (
                "Talkdesk requires order_number; the Dexero order has no reference_number",
                "/order/reference_number",
            ),
        ),
        (
            '{"order": {"reference_number": "#A1"}}',
            ("Talkdesk requires id; the Dexero order has no id", "/order/id"),
        ),
        (
            '{"orders": {"order": [{"id": 1, "reference_number": "#A"}, {"id": 2}]}}',
            (
                "Talkdesk requires order_number; the Dexero order has no reference_number",
                "/orders/order/1/reference_number",
            ),
        ),
        (
            "<order><id>1001</id><reference_number xmlns:xsi="
            '"http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/></order>',
            (
                "Talkdesk requires order_number; the Dexero order has no reference_number",
                "/order/reference_number",
            ),
        ),
    ],
    ids=["no-reference-number", "no-id", "page", "xml-nil"],
)
def test_a_dexero_order_without_a_required_value_is_untranslatable(
    source: str, problem: tuple[str, str], mode: str
) -> None:
    error = refusal(source, "talkdesk-json", mode=mode)
    assert [(p.code, p.message, p.location.pointer) for p in error.problems] == [
        ("untranslatable", *problem)
    ]


def test_a_carry_slot_can_supply_a_required_value() -> None:
    slot = json.dumps({"identifier": "ordermap:talkdesk", "value": '{"order_number":"#Z9"}'})
    check(
        '{"order": {"id": 1001, "customer": {"custom_field": [' + slot + "]}}}",
        "talkdesk-json",
        '{"id": "1001", "order_number": "#Z9"}',
        [("derived", "/order/reference_number", None, ABSENT)],
    )


# --- the seed's example order ---------------------------------------------------------------

SEED_LOST = {
    "/id",
    "/customer_id",
    "/shipping_address/id",
    "/shipping_address/default",
    "/billing_address/id",
    "/billing_address/default",
    "/items_number",
    "/payment_details/card_brand_image_url",
    "/payment_details/card_number",
    "/payment_details/is_refunded",
    # generic_type IN_TRANSIT gives no Dexero status, so nothing of it comes back.
    "/order_extra_info",
}


def _seed_order() -> bytes:
    return json.dumps(json.loads(SEED_PAGE)["_embedded"]["orders"][0]).encode()


def _seed_documents() -> list[tuple[str, bytes]]:
    return [("order", _seed_order()), ("page", SEED_PAGE)]


@pytest.mark.parametrize("to", ["dexero-json", "dexero-xml"])
@pytest.mark.parametrize(("kind", "data"), _seed_documents(), ids=["order", "page"])
def test_the_seed_comes_back_unchanged_through_carry(to: str, kind: str, data: bytes) -> None:
    there = translate(ordermap.decode(data, "talkdesk-json"), to, mode="carry")
    assert not there.report.has_loss
    carried = {e.source for e in there.report.entries if e.action == "carried"}
    prefix = "/_embedded/orders/0" if kind == "page" else ""
    assert carried == {prefix + p for p in SEED_LOST} | ({"/_links"} if kind == "page" else set())
    wire = ordermap.encode(there.document, to)
    back = translate(ordermap.decode(wire, to), "talkdesk-json", mode="carry", source_format=to)
    assert {e.action for e in back.report.entries} == {"derived"}
    assert json_tree(ordermap.encode(back.document, "talkdesk-json")) == json_tree(data)


@pytest.mark.parametrize("to", ["dexero-json", "dexero-xml"])
def test_strict_refuses_the_seed_order_naming_what_has_no_dexero_counterpart(to: str) -> None:
    error = refusal(_seed_order(), to, mode="strict", source_format="talkdesk-json")
    assert error.report is not None
    assert error.report.mode == "strict"
    lost = [e.source for e in error.report.lost]
    assert sorted(lost) == sorted(SEED_LOST)
    assert [(p.code, p.location.pointer) for p in error.problems] == [
        ("would-lose", source) for source in lost
    ]
    reasons = {e.source: e.reason for e in error.report.lost}
    assert reasons["/id"] == NOT_A_LONG
    assert reasons["/customer_id"] == NOT_A_LONG
    assert reasons["/shipping_address/id"] == NO_DEXERO
    assert reasons["/payment_details/card_number"] == NO_DEXERO
    assert reasons["/items_number"] == not_back(ITEMS)
    assert reasons["/payment_details/is_refunded"] == not_back(REFUNDED)


def test_strict_refuses_the_seed_page_with_the_whole_report() -> None:
    error = refusal(SEED_PAGE, "dexero-json", mode="strict")
    assert error.report is not None
    expected = {"/_embedded/orders/0" + p for p in SEED_LOST} | {"/_links"}
    assert {e.source for e in error.report.lost} == expected
    assert len(error.report.lost) == len(expected) == len(error.problems)
    assert [e.action for e in error.report.entries].count("derived") == 3


def test_report_mode_gives_the_seed_order_what_maps() -> None:
    output, _ = run(_seed_order(), "dexero-json")
    address = (
        '{"name": "John Doe", "phone_number": "+351910000000", "postal_code": "20000000", '
        '"street_address": "Lisbon", "city": "Lisbon", "iso_country": "PT", "iso_region": "PT-11"}'
    )
    assert output == json_tree(
        '{"order": {"purchase_date": "2021-09-14T12:16:50.078Z", "currency": "EUR", '
        '"total_products": 10.5, "is_shippable": true, "card_type": "Visa", '
        f'"reference_number": "#Y34DHR", "billing_address": {address}, '
        f'"shipping_address": {address}' + "}}"
    )


# --- a 500-order Dexero XML page ------------------------------------------------------------

PAGE_ORDERS = 500
ALWAYS_LOST = {
    "customer_email": NO_TALKDESK,
    "subtotal_order": NO_TALKDESK,
    "total_refunded": not_back(REFUNDED),
    "is_test": NO_TALKDESK,
    "product": not_back(ITEMS),
    "customer": CUSTOMER,
}


@pytest.fixture(scope="module")
def big_page() -> tuple[bytes, Any]:
    data = dexero_page_xml(PAGE_ORDERS, 2026)
    return data, ordermap.decode(data, "dexero-xml")


def _expected_losses(data: bytes) -> list[dict[str, str]]:
    """What each order of a sample page loses on its way to Talkdesk, read from its XML."""
    expected = []
    for order in etree.fromstring(data).iter("order"):
        lost = dict(ALWAYS_LOST)
        if order.find("customer_comment") is not None:
            lost["customer_comment"] = NO_TALKDESK
        if order.findtext("is_shippable") == "false":
            lost["is_shippable"] = not_back(DELIVERY)
        for address in ("billing_address", "shipping_address"):
            name = order.findtext(f"{address}/name") or ""
            if " ".join(name.split()) != name:
                lost[f"{address}/name"] = not_back(NAMES)
        expected.append(lost)
    return expected


@pytest.fixture(scope="module")
def big_report(big_page: tuple[bytes, Any]) -> Report:
    return translate(big_page[1], "talkdesk-json", source_format="dexero-xml").report


def test_a_500_order_page_reports_each_lost_field_once_per_order(
    big_page: tuple[bytes, Any], big_report: Report
) -> None:
    data, _ = big_page
    report = big_report
    assert report.source_format == "dexero-xml"
    lost = [e.source for e in report.lost]
    assert len(lost) == len(set(lost)), "a pointer is reported twice"
    per_order: dict[int, dict[str, str]] = collections.defaultdict(dict)
    page_level = {}
    for entry in report.lost:
        steps = entry.source.split("/")
        if steps[1:3] == ["orders", "order"]:
            per_order[int(steps[3])]["/".join(steps[4:])] = entry.reason
        else:
            page_level[entry.source] = entry.reason
    expected = _expected_losses(data)
    assert len(expected) == PAGE_ORDERS
    assert [per_order[index] for index in range(PAGE_ORDERS)] == expected
    assert page_level == {
        f"/orders/{name}": PAGINATION
        for name in ("totalResults", "startIndex", "itemsPerPage", "pageCount")
    }
    derived = collections.Counter(
        e.source.split("/")[3] for e in report.entries if e.action == "derived"
    )
    assert set(derived.values()) == {6} and len(derived) == PAGE_ORDERS


def test_strict_refuses_the_500_order_page_with_the_whole_report(
    big_page: tuple[bytes, Any], big_report: Report
) -> None:
    _, page = big_page
    reported = big_report
    with pytest.raises(TranslationError) as caught:
        translate(page, "talkdesk-json", mode="strict", source_format="dexero-xml")
    error = caught.value
    assert error.report is not None
    assert error.report.entries == reported.entries
    assert [(p.code, p.location.pointer) for p in error.problems] == [
        ("would-lose", e.source) for e in reported.lost
    ]


def test_carry_gives_the_500_order_page_back_through_talkdesk(
    big_page: tuple[bytes, Any], big_report: Report
) -> None:
    data, page = big_page
    there = translate(page, "talkdesk-json", mode="carry", source_format="dexero-xml")
    assert not there.report.has_loss
    carried = [(e.source, e.reason) for e in there.report.entries if e.action == "carried"]
    assert carried == [(e.source, e.reason) for e in big_report.lost]
    wire = ordermap.encode(there.document, "talkdesk-json")
    back = translate(ordermap.decode(wire, "talkdesk-json"), "dexero-xml", mode="carry")
    assert not back.report.has_loss
    assert xml_tree(ordermap.encode(back.document, "dexero-xml")) == xml_tree(data)


# --- page-level slots -----------------------------------------------------------------------

DEXERO_PAGE = (
    '{"orders": {"totalResults": 261, "startIndex": 260, "itemsPerPage": 20, "pageCount": 14, '
    '"uri": "https:\\/\\/ecommerce.dexero.com\\/orders.json?offset=260", '
    '"order": [{"id": 99, "reference_number": "#A"}]}}'
)


def test_dexero_pagination_lands_in_the_talkdesk_page_slot_and_comes_back() -> None:
    check(
        DEXERO_PAGE,
        "talkdesk-json",
        '{"_embedded": {"orders": [{"id": "99", "order_number": "#A"}]}, '
        '"custom_fields": {"dexero": {"totalResults": 261, "startIndex": 260, '
        '"itemsPerPage": 20, "pageCount": 14, '
        '"uri": "https://ecommerce.dexero.com/orders.json?offset=260", '
        '"ordermap:keys": ["totalResults", "startIndex", "itemsPerPage", "pageCount", "uri", '
        '"order"]}}}',
        [
            ("carried", f"/orders/{name}", "/custom_fields/dexero", PAGINATION)
            for name in ("totalResults", "startIndex", "itemsPerPage", "pageCount", "uri")
        ],
        mode="carry",
    )
    there = translate(ordermap.decode(DEXERO_PAGE), "talkdesk-json", mode="carry")
    wire = ordermap.encode(there.document, "talkdesk-json")
    for to in ("dexero-json", "dexero-xml"):
        back = translate(ordermap.decode(wire), to, mode="carry")
        assert entries(back.report) == []
        output = ordermap.encode(back.document, to)
        if to == "dexero-json":
            assert json_tree(output) == json_tree(DEXERO_PAGE)
        else:
            assert xml_tree(output) == xml_tree(ordermap.encode(ordermap.decode(DEXERO_PAGE), to))


def test_dexero_xml_page_pagination_comes_back_through_talkdesk() -> None:
    data = (FIXTURES / "dexero-xml" / "page-example.xml").read_bytes()
    there = translate(ordermap.decode(data), "talkdesk-json", mode="carry")
    wire = ordermap.encode(there.document, "talkdesk-json")
    page_slot = json.loads(wire)["custom_fields"]["dexero"]
    assert (
        page_slot["uri"]
        == "https://ecommerce.dexero.com/service/rest/2/merchant/catalog/orders.xml"
    )
    assert [page_slot[k] for k in ("totalResults", "startIndex", "itemsPerPage", "pageCount")] == [
        2,
        0,
        20,
        1,
    ]
    back = translate(ordermap.decode(wire), "dexero-xml", mode="carry")
    assert xml_tree(ordermap.encode(back.document, "dexero-xml")) == xml_tree(data)


TALKDESK_PAGE = (
    '{"_embedded": {"orders": [{"id": "7", "order_number": "#A"}]}, '
    '"_links": {"self": {"href": "https://x.example/orders?limit=1"}, '
    '"next": {"href": "https://x.example/orders?limit=1&cursor=b64=="}}}'
)
LINKS_SLOT = (
    '{"_links":{"self":{"href":"https://x.example/orders?limit=1"},'
    '"next":{"href":"https://x.example/orders?limit=1&cursor=b64=="}}}'
)


def test_talkdesk_links_land_in_the_dexero_page_slot_and_come_back() -> None:
    carried = [("carried", "/_links", "/orders/ordermap_talkdesk", LINKS)]
    check(
        TALKDESK_PAGE,
        "dexero-json",
        '{"orders": {"order": [{"id": 7, "reference_number": "#A"}], '
        f'"ordermap_talkdesk": {json.dumps(LINKS_SLOT)}' + "}}",
        carried,
        mode="carry",
    )
    check(
        TALKDESK_PAGE,
        "dexero-xml",
        "<orders><order><id>7</id><reference_number>#A</reference_number></order>"
        f"<ordermap_talkdesk>{LINKS_SLOT.replace('&', '&amp;')}</ordermap_talkdesk></orders>",
        carried,
        mode="carry",
    )
    for to in ("dexero-json", "dexero-xml"):
        there = translate(ordermap.decode(TALKDESK_PAGE), to, mode="carry")
        wire = ordermap.encode(there.document, to)
        back = translate(ordermap.decode(wire), "talkdesk-json", mode="carry", source_format=to)
        assert entries(back.report) == []
        assert json_tree(ordermap.encode(back.document, "talkdesk-json")) == json_tree(
            TALKDESK_PAGE
        )


def test_without_carry_the_page_members_are_lost() -> None:
    check(
        TALKDESK_PAGE,
        "dexero-json",
        '{"orders": {"order": [{"id": 7, "reference_number": "#A"}]}}',
        [("lost", "/_links", None, LINKS)],
    )
    _, found = run(DEXERO_PAGE, "talkdesk-json")
    assert found == [
        ("lost", f"/orders/{name}", None, PAGINATION)
        for name in ("totalResults", "startIndex", "itemsPerPage", "pageCount", "uri")
    ]


# --- order-level slots ----------------------------------------------------------------------


def test_the_talkdesk_order_slot_holds_a_dexero_patch() -> None:
    source = dexero(
        ', "customer_email": "ana@example.com", "is_shippable": false, '
        '"shipping_address": {"name": "Maria  Silva", "city": "Lisbon"}'
    )
    check(
        source,
        "talkdesk-json",
        '{"id": "1001", "order_number": "#A1", "delivery_type": "UNKNOWN", '
        '"shipping_address": {"first_name": "Maria", "last_name": "Silva", "city": "Lisbon"}, '
        '"custom_fields": {"dexero": {"customer_email": "ana@example.com", '
        '"is_shippable": false, "shipping_address": {"name": "Maria  Silva"}, '
        '"ordermap:keys": ["id", "reference_number", "customer_email", "is_shippable", '
        '"shipping_address"]}}}',
        [
            ("derived", "/order/is_shippable", "/delivery_type", DELIVERY),
            ("derived", "/order/shipping_address/name", "/shipping_address/first_name", NAMES),
            ("carried", "/order/customer_email", "/custom_fields/dexero", NO_TALKDESK),
            ("carried", "/order/is_shippable", "/custom_fields/dexero", not_back(DELIVERY)),
            (
                "carried",
                "/order/shipping_address/name",
                "/custom_fields/dexero",
                not_back(NAMES),
            ),
        ],
        mode="carry",
    )


def test_the_dexero_order_slot_holds_compact_ascii_json_of_a_talkdesk_patch() -> None:
    source = (
        '{"id": "A-7", "order_number": "#A1", "items_number": 2, '
        '"shipping_address": {"first_name": "Zoë", "default": true}, "extra": null}'
    )
    there = translate(ordermap.decode(source), "dexero-json", mode="carry")
    wire = ordermap.encode(there.document, "dexero-json")
    order = json.loads(wire)["order"]
    assert list(order) == ["reference_number", "shipping_address", "customer"]
    assert order["customer"] == {
        "custom_field": [
            {
                "identifier": "ordermap:talkdesk",
                "value": '{"id":"A-7","items_number":2,"shipping_address":{"default":true},'
                '"extra":null,"ordermap:keys":["id","order_number","items_number",'
                '"shipping_address","extra"]}',
            }
        ]
    }
    back = translate(ordermap.decode(wire), "talkdesk-json", mode="carry")
    assert json_tree(ordermap.encode(back.document, "talkdesk-json")) == json_tree(source)


def test_a_slot_is_read_back_in_report_mode_too() -> None:
    there = translate(ordermap.decode(talkdesk(', "items_number": 4')), "dexero-xml", mode="carry")
    wire = ordermap.encode(there.document, "dexero-xml")
    back = translate(ordermap.decode(wire), "talkdesk-json", source_format="dexero-xml")
    assert entries(back.report) == []
    assert json_tree(ordermap.encode(back.document, "talkdesk-json")) == json_tree(
        talkdesk(', "items_number": 4')
    )


def _dexero_slot(value: str, *more: str) -> str:
    fields = [json.dumps({"identifier": "ordermap:talkdesk", "value": value}), *more]
    return dexero(', "customer": {"custom_field": [' + ", ".join(fields) + "]}")


@pytest.mark.parametrize(
    ("source", "format", "to", "message"),
    [
        (_dexero_slot("not json"), None, "talkdesk-json", "not valid JSON"),
        (_dexero_slot("[1, 2]"), None, "talkdesk-json", "expected an object"),
        (_dexero_slot('{"ordermap:keys": 3}'), None, "talkdesk-json", "ordermap:keys must be"),
        (_dexero_slot('{"items_number": "x"}'), None, "talkdesk-json", "does not restore"),
        (
            _dexero_slot("{}", '{"identifier": "ordermap:talkdesk", "value": "{}"}'),
            None,
            "talkdesk-json",
            "expected one ordermap:talkdesk entry",
        ),
        (
            dexero(
                ', "customer": {"custom_field": {"identifier": "ordermap:talkdesk", "value": 5}}'
            ),
            None,
            "talkdesk-json",
            "expected one ordermap:talkdesk entry",
        ),
        (
            "<order><id>1</id><reference_number>#A</reference_number><customer><custom_field>"
            "<identifier>ordermap:talkdesk</identifier><value>{oops</value>"
            "</custom_field></customer></order>",
            "dexero-xml",
            "talkdesk-json",
            "not valid JSON",
        ),
        (talkdesk(', "custom_fields": {"dexero": "oops"}'), None, "dexero-json", "an object"),
        (talkdesk(', "custom_fields": {"dexero": {"id": "x"}}'), None, "dexero-xml", "restore"),
        (
            talkdesk(', "custom_fields": {"dexero": {"ordermap:absent": "id"}}'),
            None,
            "dexero-json",
            "ordermap:absent must be",
        ),
        ('{"orders": {"ordermap_talkdesk": "nope"}}', None, "talkdesk-json", "not valid JSON"),
        ('{"orders": {"ordermap_talkdesk": "[]"}}', None, "talkdesk-json", "must be an object"),
        (
            '{"orders": {"ordermap_talkdesk": "{\\"_links\\": 5}"}}',
            None,
            "talkdesk-json",
            "restore",
        ),
        (
            "<orders><ordermap_talkdesk>nope</ordermap_talkdesk></orders>",
            "dexero-xml",
            "talkdesk-json",
            "not valid JSON",
        ),
        (
            '{"_embedded": {"orders": []}, "custom_fields": {"dexero": [1]}}',
            None,
            "dexero-json",
            "must be an object",
        ),
    ],
    ids=[
        "dexero-not-json",
        "dexero-not-an-object",
        "dexero-bad-keys",
        "dexero-restores-invalid",
        "dexero-two-slots",
        "dexero-value-not-text",
        "dexero-xml-not-json",
        "talkdesk-not-an-object",
        "talkdesk-restores-invalid",
        "talkdesk-bad-absent",
        "dexero-page-not-json",
        "dexero-page-not-an-object",
        "dexero-page-restores-invalid",
        "dexero-xml-page-not-json",
        "talkdesk-page-not-an-object",
    ],
)
@pytest.mark.parametrize("mode", ["report", "carry"])
def test_a_damaged_carry_slot_is_an_error(
    source: str, format: str | None, to: str, message: str, mode: str
) -> None:
    error = refusal(source, to, mode=mode, source_format=format)
    assert {p.code for p in error.problems} == {"bad-carry-slot"}
    assert any(message in p.message for p in error.problems), error.problems


@pytest.mark.parametrize(
    ("source", "pointer"),
    [
        (_dexero_slot("not json"), "/order/customer/custom_field"),
        ('{"orders": {"ordermap_talkdesk": "nope"}}', "/orders/ordermap_talkdesk"),
        (
            '{"_embedded": {"orders": []}, "custom_fields": {"dexero": [1]}}',
            "/custom_fields/dexero",
        ),
    ],
    ids=["dexero-order", "dexero-page", "talkdesk-page"],
)
def test_a_damaged_carry_slot_is_located_in_the_document(source: str, pointer: str) -> None:
    document = ordermap.decode(source)
    to = "dexero-json" if isinstance(document, ordermap.TalkdeskOrderPage) else "talkdesk-json"
    error = refusal(source, to)
    assert [p.location.pointer for p in error.problems] == [pointer]


# --- the report's two renderings ------------------------------------------------------------


def test_render_has_a_summary_line_then_one_line_per_entry() -> None:
    source = dexero(', "is_shippable": false, "shipping_address": {"name": "Maria  Silva"}')
    report = translate(ordermap.decode(source), "talkdesk-json").report
    assert report.render() == (
        "dexero-json -> talkdesk-json (report): 2 lost, 2 derived, 0 carried\n"
        "derived /order/is_shippable -> /delivery_type = false: " + DELIVERY + "\n"
        "derived /order/shipping_address/name -> /shipping_address/first_name = "
        "'Maria  Silva': " + NAMES + "\n"
        "lost /order/is_shippable = false: " + not_back(DELIVERY) + "\n"
        "lost /order/shipping_address/name = 'Maria  Silva': " + not_back(NAMES) + "\n"
    )
    carried = translate(ordermap.decode(source), "talkdesk-json", mode="carry").report.render()
    lines = carried.splitlines()
    assert lines[0] == "dexero-json -> talkdesk-json (carry): 0 lost, 2 derived, 2 carried"
    assert lines[3] == (
        "carried /order/is_shippable -> /custom_fields/dexero = false: " + not_back(DELIVERY)
    )
    assert len(lines) == 5


def test_to_json_holds_the_entries_with_exact_numbers() -> None:
    source = dexero(', "total_order": 12.50, "total_refunded": "0.00"')
    report = translate(ordermap.decode(source), "talkdesk-json").report

    def entry(action: str, source: str, target: str | None, value: str, reason: str) -> str:
        members = [("action", json.dumps(action)), ("source", json.dumps(source))]
        members += [("target", json.dumps(target)), ("value", value)]
        members.append(("reason", json.dumps(reason)))
        return "{" + ", ".join(f'"{key}": {text}' for key, text in members) + "}"

    # The derived entry holds the model's amount, the lost one the token as read.
    expected = (
        '{"source_format": "dexero-json", "target_format": "talkdesk-json", "mode": "report", '
        '"entries": ['
        + ", ".join(
            [
                entry(
                    "derived",
                    "/order/total_refunded",
                    "/payment_details/is_refunded",
                    "0.00",
                    REFUNDED,
                ),
                entry("lost", "/order/total_order", None, "12.50", NO_CURRENCY),
                entry("lost", "/order/total_refunded", None, '"0.00"', not_back(REFUNDED)),
            ]
        )
        + "]}"
    )
    assert json_tree(report.to_json()) == json_tree(expected)
    assert json_tree(report.to_json(indent=2)) == json_tree(expected)
    assert report.to_json(indent=2).startswith(b'{\n  "source_format": "dexero-json"')
