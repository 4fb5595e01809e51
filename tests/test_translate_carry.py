"""Carry mode's slot from the rules against the round trip's.

Carry mode writes into the carry slot the patch that turns the round trip back into the source;
it is worked out from the crosswalk's rules (``ordermap.crosswalk.carried``) instead of by
translating back. These properties translate generated orders and pages of both families, in
every direction, under the usual and the odd policies, in carry mode both ways (with the rules
and with the round trip, ``ordermap.crosswalk.orders._REPORT_BY_ROUND_TRIP``) and require the
same bytes, the same report entries in the same order, or the same error; and they compare
the rules' patch with :func:`ordermap.crosswalk.patch.diff` of the round trip directly.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ordermap
from ordermap.crosswalk import orders, sides
from ordermap.crosswalk import patch as _patch
from ordermap.crosswalk.rules import Notes
from ordermap.crosswalk.way_back import way_back
from ordermap.errors import OrdermapError
from ordermap.model import OrderPage, TalkdeskOrder
from ordermap.policy import DEFAULT_POLICY, Policy

from .test_translate_oracle import ALL_POLICIES, _both, _shaped_talkdesk_orders
from .test_translate_properties import DIRECTIONS, SOURCES


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
@given(data=st.data(), policy=ALL_POLICIES)
def test_carry_mode_from_the_rules_writes_what_the_round_trip_writes(
    source: str, target: str, data: st.DataObject, policy: Policy
) -> None:
    document = ordermap.decode(data.draw(SOURCES[source]), format=source)
    by_rules, by_round_trip = _both(document, target, "carry", policy, source)
    assert by_rules == by_round_trip


@given(order=_shaped_talkdesk_orders(), policy=ALL_POLICIES)
def test_carry_mode_from_the_rules_judges_talkdesk_ids_names_and_delivery(
    order: TalkdeskOrder, policy: Policy
) -> None:
    for target in ("dexero-json", "dexero-xml"):
        by_rules, by_round_trip = _both(order, target, "carry", policy, "talkdesk-json")
        assert by_rules == by_round_trip


def _round_trip_patch(
    order: Any, policy: Policy, text_limit: Any
) -> tuple[dict[str, Any], list[tuple[list[str | int], Any]]] | None:
    side = sides.TALKDESK if isinstance(order, TalkdeskOrder) else sides.DEXERO
    tree = sides.document_tree(side, order)
    notes = Notes()
    try:
        _target, _tree, patch, found = orders._round_trip(
            side, order, tree, None, notes, policy, "", None, text_limit
        )
    except OrdermapError:
        return None
    return patch, found


@pytest.mark.parametrize("source", sorted(SOURCES))
@given(data=st.data(), policy=ALL_POLICIES)
def test_the_rules_patch_is_the_round_trips_patch(
    source: str, data: st.DataObject, policy: Policy
) -> None:
    document = ordermap.decode(data.draw(SOURCES[source]), format=source)
    found = (document.orders or ()) if isinstance(document, OrderPage) else (document,)
    text_limit = orders.text_limit_of(source)
    for order in found:
        round_trip = _round_trip_patch(order, policy, text_limit)
        if round_trip is None:
            continue
        expected, expected_differences = round_trip
        side = sides.TALKDESK if isinstance(order, TalkdeskOrder) else sides.DEXERO
        tree = sides.document_tree(side, order)
        differences, made = way_back(order, tree, policy, text_limit, patch=True)
        # The rules' differences are the round trip's too, in its order.
        assert differences == expected_differences
        # Compared in the form that tells member order and tokens apart.
        assert _patch._exact(made) == _patch._exact(expected)


def test_a_known_order_carries_its_spelling_nulls_and_order() -> None:
    order = ordermap.decode(
        b'{"order_number": "R1", "status": null, "id": "7",'
        b' "shipping_address": {"city": "Porto", "first_name": "Ana  Maria"},'
        b' "delivery_type": "LOCAL_PICKUP", "x": 1}',
        format="talkdesk-json",
    )
    for target in ("dexero-json", "dexero-xml"):
        by_rules, by_round_trip = _both(order, target, "carry", DEFAULT_POLICY, "talkdesk-json")
        assert by_rules == by_round_trip
        assert by_rules[0] == "ok"


def test_carry_mode_translates_back_only_for_a_source_with_a_carry_slot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order = ordermap.decode(
        b'{"order": {"id": 7, "reference_number": "R", "locale": "pt", "is_shippable": false}}',
        format="dexero-json",
    )
    real = orders._round_trip
    calls: list[bool] = []

    def counted(*args: Any) -> Any:
        calls.append(True)
        return real(*args)

    monkeypatch.setattr(orders, "_round_trip", counted)
    carried_order = ordermap.translate(order, "talkdesk-json", mode="carry").document
    assert calls == []
    back = ordermap.translate(carried_order, "dexero-json", mode="carry").document
    assert calls == [True]
    assert ordermap.encode(back, "dexero-json") == ordermap.encode(order, "dexero-json")
