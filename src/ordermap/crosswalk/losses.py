"""What an order loses in translation, worked out from the crosswalk's rules.

The report names every value of the source that translating there and back would not give
again. Instead of translating back and comparing trees, each rule here says, for the members
of a source object, which ones come back: :func:`differences` walks the source order's tree
(its JSON form, in its own member order) once and lists the rest.

For each class the rules give a mapping from member name to its fate:

- ``True``: the value comes back as it is (compared by its text, as the report compares);
- ``(rule, part)``: an object that comes back as an object, its members judged by ``rule``
  applied to ``part``;
- not listed: the value does not come back (no counterpart, or a rule that cannot give it).

and the names, in the order the way back writes them, of members the way back fills in where
the source had no value (reported as derived: "absent in the source").

The round trip stays the definition: ``tests/test_translate_oracle.py`` checks on generated
orders of both families, under several policies, that translating with the rules gives
exactly what the round trip gives. Carry mode builds its slot's patch from these differences
(:mod:`ordermap.crosswalk.carried`); an incoming carry slot and text an XML target cannot hold
still take the round trip (``orders.translate_order``), because they change the target.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
from .patch import MISSING
from .rules import DEXERO_ADDRESS_KEPT, DEXERO_AMOUNTS, TALKDESK_ADDRESS_KEPT, split_name

__all__ = ["differences"]

Fates = dict[str, Any]
Rule = Callable[[Any, Policy], tuple[Fates, tuple[str, ...]]]
Path = list[str | int]

_NONE: tuple[str, ...] = ()

# --- Dexero -> Talkdesk -> Dexero -------------------------------------------------------------


def _dexero_address(address: DexeroAddress, policy: Policy) -> tuple[Fates, tuple[str, ...]]:
    fates: Fates = dict.fromkeys(DEXERO_ADDRESS_KEPT, True)
    name = address.name
    # name-split: the first and last name join again with single spaces.
    if name is not None:
        words = name.split()
        if words and " ".join(words) == name:
            fates["name"] = True
    # company has no Talkdesk counterpart.
    return fates, _NONE


def _dexero_order(order: DexeroOrder, policy: Policy) -> tuple[Fates, tuple[str, ...]]:
    fates: Fates = {
        "purchase_date": True,
        "status": True,  # status and latest_status_info from it; status comes back itself
        "card_type": True,  # card_brand
        "reference_number": True,  # order_number
    }
    for key in ("id", "customer_id"):
        value = getattr(order, key)
        if value is not None and long_from_text(str(value)) is not None:
            fates[key] = True
    # A Talkdesk price summary needs a currency and total_products (its original total).
    if order.currency is not None and order.total_products is not None:
        fates["currency"] = True
        for key in DEXERO_AMOUNTS:
            value = getattr(order, key)
            if value is not None and amount_fits(value):
                fates[key] = True
    # delivery-type: true comes back when the policy's delivery type for it gives true again;
    # false never does.
    if order.is_shippable is True and policy.shippable in policy.shipping_types:
        fates["is_shippable"] = True
    for key in ("billing_address", "shipping_address"):
        fates[key] = (_dexero_address, getattr(order, key))
    # Everything else (products, forms, customer, the other totals, is_archived, ...) has no
    # Talkdesk counterpart, or is derived into a value that does not come back.
    return fates, _NONE


# --- Talkdesk -> Dexero -> Talkdesk -----------------------------------------------------------


def _talkdesk_address(address: TalkdeskAddress, policy: Policy) -> tuple[Fates, tuple[str, ...]]:
    fates: Fates = dict.fromkeys(TALKDESK_ADDRESS_KEPT, True)
    added: list[str] = []
    parts = [part for part in (address.first_name, address.last_name) if part is not None]
    if parts:
        # name-split: the joined name splits again by the policy.
        back = split_name(" ".join(parts), policy)
        mine_both = (address.first_name, address.last_name)
        for key, mine, again in zip(("first_name", "last_name"), mine_both, back, strict=True):
            if mine is None:
                if again is not None:
                    added.append(key)
            elif mine == again:
                fates[key] = True
    return fates, tuple(added)


def _money(money: TalkdeskMoney, policy: Policy) -> tuple[Fates, tuple[str, ...]]:
    return {"value": True, "currency": True}, _NONE


def _price_summary(summary: TalkdeskPriceSummary, policy: Policy) -> tuple[Fates, tuple[str, ...]]:
    currency = summary.original_total_amount.currency
    fates: Fates = {"original_total_amount": (_money, summary.original_total_amount)}
    for key in ("final_total_amount", "shipping_amount", "taxes_amount"):
        money: TalkdeskMoney | None = getattr(summary, key)
        if money is not None and money.currency == currency and amount_fits(money.value):
            fates[key] = (_money, money)
    # discounts_amount has no Dexero counterpart.
    return fates, _NONE


def _payment_details(
    payment: TalkdeskPaymentDetails, policy: Policy
) -> tuple[Fates, tuple[str, ...]]:
    # is_refunded comes from total_refunded, which a Talkdesk order does not give.
    return {"card_brand": True}, _NONE


def _status_info(
    part: tuple[TalkdeskStatusInfo, tuple[str, str]], policy: Policy
) -> tuple[Fates, tuple[str, ...]]:
    info, (generic, detailed) = part
    fates: Fates = {}
    if info.generic_type == generic:
        fates["generic_type"] = True
    if info.detailed_type is None:
        # The way back writes the policy's detailed type, where it has one.
        return fates, ("detailed_type",) if detailed is not None else _NONE
    if info.detailed_type == detailed:
        fates["detailed_type"] = True
    return fates, _NONE


def _extra_info(
    part: tuple[TalkdeskOrderExtraInfo, str], policy: Policy
) -> tuple[Fates, tuple[str, ...]]:
    extra_info, status = part
    types = policy.status.get(status, policy.other_status)
    if extra_info.latest_status_info is None:
        return {}, ("latest_status_info",)
    return {"latest_status_info": (_status_info, (extra_info.latest_status_info, types))}, _NONE


def _talkdesk_order(order: TalkdeskOrder, policy: Policy) -> tuple[Fates, tuple[str, ...]]:
    fates: Fates = {"order_number": True, "purchase_datetime": True}
    added: list[str] = []
    for key in ("id", "customer_id"):
        text = getattr(order, key)
        if text is not None and long_from_text(text) is not None:
            fates[key] = True
    delivery = order.delivery_type
    if delivery in policy.shipping_types and delivery == policy.shippable:
        fates["delivery_type"] = True
    for key in ("shipping_address", "billing_address"):
        fates[key] = (_talkdesk_address, getattr(order, key))
    summary = order.price_summary
    if summary is not None and amount_fits(summary.original_total_amount.value):
        fates["price_summary"] = (_price_summary, summary)
    payment = order.payment_details
    if payment is not None and payment.card_brand is not None:
        fates["payment_details"] = (_payment_details, payment)
    # status-info: the Dexero status is the order's own, or one derived from generic_type;
    # the way back makes latest_status_info and status from it.
    status = order.status
    extra_info = order.order_extra_info
    if status is None and extra_info is not None:
        info = extra_info.latest_status_info
        if info is not None:
            status = policy.generic_type.get(info.generic_type)
    if status is not None:
        if extra_info is None:
            added.append("order_extra_info")
        else:
            fates["order_extra_info"] = (_extra_info, (extra_info, status))
        if order.status is None:
            added.append("status")
        else:
            fates["status"] = True
    # items_number, custom_fields and the rest have no Dexero counterpart.
    return fates, tuple(added)


_ORDER_RULES: dict[type, Rule] = {DexeroOrder: _dexero_order, TalkdeskOrder: _talkdesk_order}


def _walk(
    tree: dict[str, Any],
    fates: Fates,
    added: tuple[str, ...],
    path: Path,
    policy: Policy,
    text_limit: FormatModule | None,
    out: list[tuple[Path, Any]],
) -> None:
    for key, value in tree.items():
        if value is None:
            # null: reported only where the way back gives a value.
            if key in added:
                out.append(([*path, key], MISSING))
            continue
        fate = fates.get(key)
        if fate is None:
            out.append(([*path, key], value))
        elif fate is True:
            if text_limit is not None and type(value) is str and text_limit.unwritable(value):
                out.append(([*path, key], value))  # the source's format cannot hold it back
        elif type(value) is dict:
            rule, part = fate
            inner, inner_added = rule(part, policy)
            _walk(value, inner, inner_added, [*path, key], policy, text_limit, out)
        else:
            out.append(([*path, key], value))
    for key in added:
        if key not in tree:
            out.append(([*path, key], MISSING))


def differences(
    order: Any, tree: dict[str, Any], policy: Policy, text_limit: FormatModule | None = None
) -> list[tuple[Path, Any]]:
    """The values of ``order`` that do not come back, as ``(path, source value)`` pairs.

    ``tree`` is the order's JSON form; ``text_limit``, the source's format where it cannot
    hold some text (what it cannot hold does not come back). The pairs are those of
    ``ordermap.crosswalk.patch.diff(tree, round_trip)``, in its order: a member the way back
    fills in has the value :data:`~ordermap.crosswalk.patch.MISSING`.
    """
    fates, added = _ORDER_RULES[type(order)](order, policy)
    out: list[tuple[Path, Any]] = []
    _walk(tree, fates, added, [], policy, text_limit, out)
    return out
