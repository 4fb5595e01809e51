"""The carry slot's patch worked out from the crosswalk's rules, without translating back.

Carry mode writes into the target's slot the patch that turns the round trip back into the
source (:func:`ordermap.crosswalk.patch.diff` of the source tree and the tree that comes back).
The values in it are those :func:`ordermap.crosswalk.losses.differences` reports; what the patch
format needs besides them depends only on the shape of the way back, which the rules give too:

- which members the way back writes (the source's members that come back, those it writes
  again in another spelling or with another value, and those it fills in), always in the
  model's field order, since the way back is built in code and has no wire order of its own;
- that a member the source spelled in a way of its own (a number as a string, ``null``) is
  restored by the patch, because the way back writes every value in the format's default
  spelling.

From these come the patch's members, ``ordermap:absent`` (what the way back adds) and
``ordermap:keys`` (the source's order, where applying the rest would not give it).
``tests/test_translate_carry.py`` checks on generated orders that this is the round trip's
patch, byte for byte.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs

from ..formats import FormatModule
from ..lexical import amount_fits, long_from_text
from ..model import (
    DexeroAddress,
    DexeroOrder,
    TalkdeskAddress,
    TalkdeskMoney,
    TalkdeskOrder,
    TalkdeskOrderExtraInfo,
    TalkdeskPaymentDetails,
    TalkdeskPriceSummary,
    TalkdeskStatusInfo,
)
from ..policy import Policy
from .patch import ABSENT, KEYS, MISSING
from .rules import DEXERO_ADDRESS_KEPT, DEXERO_AMOUNTS, TALKDESK_ADDRESS_KEPT, split_name

__all__ = ["carry_patch"]

Path = tuple[str | int, ...]
# What the way back writes at one level: the present members' names (in any order) with
# the value each holds there, the nested levels (member name to rule and part), and the
# source model whose wire spelling this level was read with.
Back = tuple[dict[str, Any], dict[str, tuple["Shape", Any]], Any]
Shape = Callable[[Any, Policy], Back]

_NO_NESTED: dict[str, tuple[Shape, Any]] = {}


@functools.cache
def _field_order(cls: type) -> dict[str, int]:
    """The wire names of a class's members in the order its writer writes them."""
    names = [
        field.metadata.get("key", field.name)
        for field in attrs.fields(cls)
        if "role" not in field.metadata
    ]
    return {name: index for index, name in enumerate(names)}


def _present(model: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: value for name in names if (value := getattr(model, name)) is not None}


# --- Dexero -> Talkdesk -> Dexero -------------------------------------------------------------


def _dexero_address(address: DexeroAddress, policy: Policy) -> Back:
    back = _present(address, DEXERO_ADDRESS_KEPT)
    if address.name is not None and address.name.split():
        # name-split, then joined again by single spaces.
        back["name"] = " ".join(address.name.split())
    return back, _NO_NESTED, address


def _dexero_order(order: DexeroOrder, policy: Policy) -> Back:
    back = _present(order, ("purchase_date", "status", "card_type"))
    # A Talkdesk order requires order_number: it is there (a missing one is refused first).
    back["reference_number"] = order.reference_number
    for key in ("id", "customer_id"):
        value = getattr(order, key)
        if value is not None and long_from_text(str(value)) is not None:
            back[key] = value
    if order.is_shippable is not None:
        delivery = policy.shippable if order.is_shippable else policy.not_shippable
        if delivery in policy.shipping_types:
            back["is_shippable"] = True
    if order.currency is not None and order.total_products is not None:
        back["currency"] = order.currency
        for key in DEXERO_AMOUNTS:
            value = getattr(order, key)
            if value is not None and amount_fits(value):
                back[key] = value
    nested: dict[str, tuple[Shape, Any]] = {}
    for key in ("billing_address", "shipping_address"):
        address = getattr(order, key)
        if address is not None:
            back[key] = {}
            nested[key] = (_dexero_address, address)
    return back, nested, order


# --- Talkdesk -> Dexero -> Talkdesk -----------------------------------------------------------


def _talkdesk_address(address: TalkdeskAddress, policy: Policy) -> Back:
    back = _present(address, TALKDESK_ADDRESS_KEPT)
    parts = [part for part in (address.first_name, address.last_name) if part is not None]
    if parts:
        first, last = split_name(" ".join(parts), policy)
        if first is not None:
            back["first_name"] = first
        if last is not None:
            back["last_name"] = last
    return back, _NO_NESTED, address


def _money(money: TalkdeskMoney, policy: Policy) -> Back:
    return _present(money, ("value", "currency")), _NO_NESTED, money


def _price_summary(summary: TalkdeskPriceSummary, policy: Policy) -> Back:
    original = summary.original_total_amount
    back: dict[str, Any] = {"original_total_amount": {}}
    nested: dict[str, tuple[Shape, Any]] = {"original_total_amount": (_money, original)}
    for key in ("final_total_amount", "shipping_amount", "taxes_amount"):
        money: TalkdeskMoney | None = getattr(summary, key)
        if money is not None and money.currency == original.currency and amount_fits(money.value):
            back[key] = {}
            nested[key] = (_money, money)
    return back, nested, summary


def _payment_details(payment: TalkdeskPaymentDetails, policy: Policy) -> Back:
    return {"card_brand": payment.card_brand}, _NO_NESTED, payment


def _status_info(
    part: tuple[TalkdeskStatusInfo | None, tuple[str, str | None]], policy: Policy
) -> Back:
    info, (generic, detailed) = part
    back: dict[str, Any] = {"generic_type": generic}
    if detailed is not None:
        back["detailed_type"] = detailed
    return back, _NO_NESTED, info


def _extra_info(
    part: tuple[TalkdeskOrderExtraInfo | None, tuple[str, str | None]], policy: Policy
) -> Back:
    extra_info, types = part
    info = extra_info.latest_status_info if extra_info is not None else None
    return (
        {"latest_status_info": {}},
        {"latest_status_info": (_status_info, (info, types))},
        extra_info,
    )


def _talkdesk_order(order: TalkdeskOrder, policy: Policy) -> Back:
    # A Talkdesk order requires id and order_number: the way back writes both (an id Dexero
    # cannot hold comes back as a placeholder, which is no value of the source).
    back = _present(order, ("order_number", "purchase_datetime"))
    back["id"] = order.id if long_from_text(order.id) is not None else MISSING
    if order.customer_id is not None and long_from_text(order.customer_id) is not None:
        back["customer_id"] = order.customer_id
    if order.delivery_type in policy.shipping_types:
        back["delivery_type"] = policy.shippable
    nested: dict[str, tuple[Shape, Any]] = {}
    for key in ("shipping_address", "billing_address"):
        address = getattr(order, key)
        if address is not None:
            back[key] = {}
            nested[key] = (_talkdesk_address, address)
    summary = order.price_summary
    if summary is not None and amount_fits(summary.original_total_amount.value):
        back["price_summary"] = {}
        nested["price_summary"] = (_price_summary, summary)
    payment = order.payment_details
    if payment is not None and payment.card_brand is not None:
        back["payment_details"] = {}
        nested["payment_details"] = (_payment_details, payment)
    status = order.status
    extra_info = order.order_extra_info
    if status is None and extra_info is not None:
        info = extra_info.latest_status_info
        if info is not None:
            status = policy.generic_type.get(info.generic_type)
    if status is not None:
        back["status"] = status
        back["order_extra_info"] = {}
        types = policy.status.get(status, policy.other_status)
        nested["order_extra_info"] = (_extra_info, (extra_info, types))
    return back, nested, order


# The class each level's way back is written from, for its member order.
_CLASSES: dict[Shape, type] = {
    _dexero_order: DexeroOrder,
    _dexero_address: DexeroAddress,
    _talkdesk_order: TalkdeskOrder,
    _talkdesk_address: TalkdeskAddress,
    _money: TalkdeskMoney,
    _price_summary: TalkdeskPriceSummary,
    _payment_details: TalkdeskPaymentDetails,
    _status_info: TalkdeskStatusInfo,
    _extra_info: TalkdeskOrderExtraInfo,
}


def _level(
    tree: dict[str, Any],
    shape: Shape,
    part: Any,
    path: Path,
    policy: Policy,
    lost: set[Path],
    text_limit: FormatModule | None,
) -> dict[str, Any]:
    back, nested, model = shape(part, policy)
    if text_limit is not None:
        # The source's format cannot hold some text: the way back drops it.
        back = {
            key: value
            for key, value in back.items()
            if type(value) is not str or text_limit.unwritable(value) is None
        }
    spelling = model.wire.spelling if model is not None else {}
    patch: dict[str, Any] = {}
    for key, value in tree.items():
        if value is None or key not in back or (lost and (*path, key) in lost):
            patch[key] = value
        elif key in nested and type(value) is dict:
            rule, inner = nested[key]
            below = _level(value, rule, inner, (*path, key), policy, lost, text_limit)
            if below:
                patch[key] = below
        elif key in spelling:
            # The way back writes the format's default spelling (a number, not "10.50").
            patch[key] = value
    order = _field_order(_CLASSES[shape])
    returned = sorted(back, key=order.__getitem__)
    added = [key for key in returned if key not in tree]
    if added:
        patch[ABSENT] = added
    names = list(tree)
    if [
        *(key for key in returned if key in tree),
        *(key for key in names if key not in back),
    ] != names:
        patch[KEYS] = names
    return patch


def carry_patch(
    order: Any,
    tree: dict[str, Any],
    policy: Policy,
    differences: list[tuple[list[str | int], Any]],
    text_limit: FormatModule | None = None,
) -> dict[str, Any]:
    """The patch :func:`ordermap.crosswalk.patch.diff` gives from the round trip of ``order``
    back to ``tree``, its JSON form; ``differences`` are the rules' for it."""
    lost = {tuple(path) for path, value in differences if value is not MISSING}
    shape: Shape = _dexero_order if type(order) is DexeroOrder else _talkdesk_order
    return _level(tree, shape, order, (), policy, lost, text_limit)
