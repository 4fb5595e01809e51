"""The round trip as the oracle of the loss report.

The report comes from the crosswalk's rules (``ordermap.crosswalk.losses``): each rule says which
members of the source come back. The definition of the report is still the round trip:
translate there and back and compare. These properties translate generated documents both
ways, with the rules and with the round trip (``ordermap.crosswalk.orders._REPORT_BY_ROUND_TRIP``), in
every direction, in report and strict mode, under varied policies, and require the same
translated document (as encoded bytes), the same report entries in the same order, or the
same error.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ordermap
from ordermap import crosswalk as translation
from ordermap.crosswalk import orders, sides, translate
from ordermap.crosswalk import patch as _patch
from ordermap.crosswalk.summary import field_of
from ordermap.crosswalk.way_back import way_back
from ordermap.errors import OrdermapError
from ordermap.model import TalkdeskOrder
from ordermap.policy import DEFAULT_POLICY, Policy

from .strategies import talkdesk_orders
from .test_translate_properties import DIRECTIONS, POLICIES, SOURCES

_STATUSES = ["pending", "treated", "completed", "cancelled", "on hold", "on\x01hold"]
_GENERIC = ["UNKNOWN", "CONFIRMED", "ON_ITS_WAY", "OUT_FOR_DELIVERY", "DELIVERED"]
_DELIVERY = ["SHIPPING", "LOCAL_DELIVERY", "LOCAL_PICKUP", "UNKNOWN"]

# Policies beyond the usual ones: status tables that do not invert, shipping types that leave
# out the shippable delivery type, delivery types that are all or none shipping.
ODD_POLICIES = st.builds(
    lambda status, generic, shippable, types, split: Policy(
        status={key: (pair[0], pair[1]) for key, pair in status.items()},
        generic_type=generic,
        shippable=shippable,
        shipping_types=tuple(types),
        name_split=split,
    ),
    st.dictionaries(
        st.sampled_from(_STATUSES), st.tuples(st.sampled_from(_GENERIC), st.sampled_from(_GENERIC))
    ),
    st.dictionaries(st.sampled_from(_GENERIC), st.sampled_from(_STATUSES)),
    st.sampled_from(_DELIVERY),
    st.lists(st.sampled_from(_DELIVERY), unique=True),
    st.sampled_from(["first-word", "last-word"]),
)
ALL_POLICIES = st.one_of(POLICIES, ODD_POLICIES)


def _outcome(
    document: Any, target: str, mode: translation.Mode, policy: Policy, source: str
) -> Any:
    try:
        result = translate(document, target, mode=mode, policy=policy, source_format=source)
    except OrdermapError as error:
        return ("error", type(error).__name__, [str(p) for p in error.problems])
    entries = [entry.to_json() for entry in result.report.entries]
    return ("ok", ordermap.encode(result.document, target), _patch.to_tree(entries))


def _both(
    document: Any, target: str, mode: translation.Mode, policy: Policy, source: str
) -> tuple[Any, Any]:
    by_rules = _outcome(document, target, mode, policy, source)
    orders._REPORT_BY_ROUND_TRIP = True
    try:
        by_round_trip = _outcome(document, target, mode, policy, source)
    finally:
        orders._REPORT_BY_ROUND_TRIP = False
    return by_rules, by_round_trip


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
@given(data=st.data(), mode=st.sampled_from(["report", "strict"]), policy=ALL_POLICIES)
def test_the_rules_report_what_the_round_trip_finds(
    source: str, target: str, data: st.DataObject, mode: translation.Mode, policy: Policy
) -> None:
    document = ordermap.decode(data.draw(SOURCES[source]), format=source)
    by_rules, by_round_trip = _both(document, target, mode, policy, source)
    assert by_rules == by_round_trip


# Talkdesk ids and names the rules judge one by one: numbers Dexero holds as a long (or not),
# names whose parts split again (or not), delivery types in and out of the shipping types.
_ID_TEXTS = st.one_of(
    st.sampled_from(["7", "007", "-0", "-12", "9223372036854775807", "9223372036854775808", ""]),
    st.integers(-(2**64), 2**64).map(str),
)
_NAME_PARTS = st.one_of(st.none(), st.sampled_from(["Ana", "Ana Maria", "", " ", "Ana  Maria"]))


@st.composite
def _shaped_talkdesk_orders(draw: st.DrawFn) -> TalkdeskOrder:
    order: TalkdeskOrder = draw(talkdesk_orders(custom_fields=False))
    changes: dict[str, Any] = {"id": draw(_ID_TEXTS), "customer_id": draw(st.none() | _ID_TEXTS)}
    if draw(st.booleans()):
        changes["delivery_type"] = draw(st.sampled_from(_DELIVERY))
    for key in ("shipping_address", "billing_address"):
        address = getattr(order, key)
        if address is not None:
            changes[key] = attrs.evolve(
                address, first_name=draw(_NAME_PARTS), last_name=draw(_NAME_PARTS)
            )
    return attrs.evolve(order, **changes)


@given(order=_shaped_talkdesk_orders(), policy=ALL_POLICIES)
def test_the_rules_judge_talkdesk_ids_names_and_delivery_as_the_round_trip(
    order: TalkdeskOrder, policy: Policy
) -> None:
    for target in ("dexero-json", "dexero-xml"):
        by_rules, by_round_trip = _both(order, target, "report", policy, "talkdesk-json")
        assert by_rules == by_round_trip


def test_the_rules_find_what_the_round_trip_finds_on_a_known_order() -> None:
    # One order whose fates are known by hand: an id with a leading zero, a name that does
    # not split back, a second currency, a delivery type that comes back as another.
    order = ordermap.decode(
        b'{"id": "007", "order_number": "R1", "delivery_type": "LOCAL_PICKUP",'
        b' "shipping_address": {"first_name": "Ana Maria", "last_name": "Silva", "city": "Porto"},'
        b' "price_summary": {"original_total_amount": {"value": 10.5, "currency": "EUR"},'
        b' "final_total_amount": {"value": 3, "currency": "USD"}}, "status": "shipped"}',
        format="talkdesk-json",
    )
    tree = sides.document_tree(sides.TALKDESK, order)
    found, _patch_made = way_back(order, tree, ordermap.DEFAULT_POLICY)
    assert [(_patch_pointer(path), value) for path, value in found] == [
        ("/id", "007"),
        ("/delivery_type", "LOCAL_PICKUP"),
        ("/shipping_address/first_name", "Ana Maria"),
        ("/shipping_address/last_name", "Silva"),
        ("/price_summary/final_total_amount", {"value": 3, "currency": "USD"}),
        ("/order_extra_info", _patch.MISSING),
    ]
    by_rules, by_round_trip = _both(
        order, "dexero-json", "report", ordermap.DEFAULT_POLICY, "talkdesk-json"
    )
    assert by_rules == by_round_trip


def _patch_pointer(path: list[str | int]) -> str:
    return "".join(f"/{step}" for step in path)


def test_a_talkdesk_id_spelled_like_the_internal_placeholder_is_lost_both_ways() -> None:
    # The way back marks a required value it could not give with a placeholder; a source
    # whose id is that very text still did not come back (found by review).
    order = ordermap.decode(b'{"id": "\\uffffordermap:unset", "order_number": "R"}')
    for mode in ("report", "strict"):
        by_rules, by_round_trip = _both(order, "dexero-json", mode, DEFAULT_POLICY, None)
        assert by_rules == by_round_trip
    # Dexero's id cannot hold it: an error outside carry mode, carried in carry mode.
    with pytest.raises(ordermap.TranslationError) as caught:
        translate(order, "dexero-json")
    assert [(p.code, p.location.pointer) for p in caught.value.problems] == [("cannot-hold", "/id")]
    report = translate(order, "dexero-json", mode="carry").report
    assert [(e.action, e.source) for e in report.entries] == [("carried", "/id")]


def test_a_policy_without_a_detailed_type_derives_none() -> None:
    order = ordermap.decode(
        b'{"id": "1", "order_number": "R", "status": "pending",'
        b' "order_extra_info": {"latest_status_info": {"generic_type": "CONFIRMED"}}}'
    )
    policy = Policy(status={"pending": ("CONFIRMED", None)})  # type: ignore[dict-item]
    by_rules, by_round_trip = _both(order, "dexero-json", "report", policy, "talkdesk-json")
    assert by_rules == by_round_trip


def test_a_source_format_of_the_other_vocabulary_is_refused() -> None:
    order = ordermap.decode(b'{"id": "1", "order_number": "R"}')
    with pytest.raises(ValueError, match="cannot have been read as dexero-xml"):
        translate(order, "dexero-json", source_format="dexero-xml")


def test_a_document_built_in_code_with_a_wrong_value_is_a_located_error() -> None:
    page = ordermap.DexeroOrderPage(
        orders=(ordermap.DexeroOrder(id=1, reference_number="R", total_order="7"),)  # type: ignore[arg-type]
    )
    with pytest.raises(translation.TranslationError) as caught:
        translate(page, "talkdesk-json")
    (problem,) = caught.value.problems
    assert problem.location.pointer == "/orders/order/0/total_order"
    assert problem.code == "wrong-type"


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
@given(data=st.data(), mode=st.sampled_from(["report", "carry"]), policy=ALL_POLICIES)
def test_counting_an_orders_entries_gives_what_making_them_gives(
    source: str, target: str, data: st.DataObject, mode: translation.Mode, policy: Policy
) -> None:
    # The stream counts entries instead of making them when nobody reads them.
    document = ordermap.decode(data.draw(SOURCES[source]), format=source)
    page = isinstance(document, ordermap.model.OrderPage)
    orders = (document.orders or ()) if page else (document,)
    family = ordermap.formats.get(source).FAMILY
    translator = translation.PageTranslator(family, target, mode, policy, source)  # type: ignore[arg-type]
    for order in orders:
        try:
            made, entries = translator.order(order, "/s", "/t")
        except OrdermapError as error:
            with pytest.raises(type(error)):
                translator.order(order, "/s", "/t", [0, 0, 0])
            continue
        counts = [0, 0, 0]
        counted, none = translator.order(order, "/s", "/t", counts)
        actions = [entry.action for entry in entries]
        assert counts == [actions.count(a) for a in ("lost", "derived", "carried")]
        assert none == []
        assert ordermap.encode(counted, target) == ordermap.encode(made, target)
        # Counted by field instead (the terminal's summary): each entry as its field and
        # reason, in order, at places with indexes to generalise.
        at = ("/orders/order/17", "/_embedded/orders/16")
        rows: list[Any] = []
        translator.order(order, *at, [0, 0, 0], rows)
        _, placed = translator.order(order, *at)
        assert rows == [
            ((e.action, field_of(e.source) or "/", field_of(e.target)), e.reason) for e in placed
        ]


def test_a_dexero_reference_number_spelled_like_the_placeholder_is_translated() -> None:
    # The rules used to find an unset required member by comparing with the placeholder's
    # text, so this order was refused as having no reference_number (found by review).
    order = ordermap.decode(
        b'{"order": {"id": 7, "reference_number": "\\uffffordermap:unset"}}', format="dexero-json"
    )
    for mode in ("report", "strict", "carry"):
        by_rules, by_round_trip = _both(order, "talkdesk-json", mode, DEFAULT_POLICY, None)
        assert by_rules == by_round_trip
        assert by_rules[0] == "ok"
    result = translate(order, "talkdesk-json")
    assert result.document.order_number == "\uffffordermap:unset"
    assert result.report.entries == ()
    back = translate(result.document, "dexero-json", mode="strict").document
    assert back.reference_number == "\uffffordermap:unset"


def test_a_talkdesk_order_number_spelled_like_the_placeholder_comes_back() -> None:
    order = ordermap.decode(b'{"id": "7", "order_number": "\\uffffordermap:unset"}')
    for mode in ("report", "strict", "carry"):
        by_rules, by_round_trip = _both(order, "dexero-json", mode, DEFAULT_POLICY, None)
        assert by_rules == by_round_trip
    assert translate(order, "dexero-json").report.entries == ()


def test_a_dexero_order_without_a_reference_number_is_still_refused() -> None:
    order = ordermap.decode(b'{"order": {"id": 7}}', format="dexero-json")
    for mode in ("report", "strict", "carry"):
        by_rules, by_round_trip = _both(order, "talkdesk-json", mode, DEFAULT_POLICY, None)
        assert by_rules == by_round_trip
        assert by_rules[0] == "error"
        assert "the Dexero order has no reference_number" in by_rules[2][0]
