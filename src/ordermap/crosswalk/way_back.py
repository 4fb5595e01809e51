"""What translating an order back would give, level by level, from the crosswalk's rules.

The loss report names every value of the source that translating there and back would not
give again, and carry mode writes into the slot the patch that turns that way back into the
source. Neither translates back: for each level of a source order (the order, an address, a
price summary, ...) one function here says what the way back writes there, worked out from
the rules of :mod:`ordermap.crosswalk.rules`:

- the members the rules copy there and back as they are (the same for every source: the way
  back gives the source's own value wherever it has one);
- the members it makes, each with the value it writes: the source's own value where a rule
  gives it back only on a condition (an id Dexero can hold), the value the rules make of it
  for a derived one (a name joined and split again), or
  :data:`~ordermap.crosswalk.patch.MISSING` where it writes a placeholder that is no value of
  the source;
- the members that are objects, each with the function for its level and what it needs;
- the source model of the level, whose wire spelling says which members the source wrote in
  a way of its own (a number as a string), since the way back writes each in the format's
  default spelling.

:func:`way_back` walks the source's JSON tree once against these levels and gives both the
values that do not come back (the report's lost, carried and "absent in the source"
entries) and, in carry mode, the patch (:mod:`ordermap.crosswalk.patch`'s format: the values,
``ordermap:absent`` for what the way back adds and ``ordermap:keys`` for the source's member
order where the rest does not give it back).

The round trip stays the definition: ``tests/test_translate_oracle.py`` and
``tests/test_translate_carry.py`` check on generated orders, under several policies, that
these are exactly the differences and the patch the round trip gives.

The module is longer than most because every level of both vocabularies is described here,
beside the one walk that reads the descriptions: a rule's way back is changed in one place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs

from ..binding import field_specs
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

__all__ = ["Path", "way_back"]

Path = list[str | int]
Nested = dict[str, tuple["Level", Any]]
# What the way back writes at one level (see the module's docstring): the members it may
# write, each with how (:func:`_members`), the members made with their values, the object
# members with their level's function
# and what it needs, and the source model of the level (None where the source has no object).
Back = tuple["Members", dict[str, Any], Nested, Any]
Level = Callable[[Any, Policy], Back]

_NO_NESTED: Nested = {}
_NONE_MADE: dict[str, Any] = {}
_NO_DROPS: set[str] = set()  # never added to: a level drops text only where a limit applies

# How the way back may write a member: copied as it is, made by a rule, or as an object of its
# own level; a member the table does not name is not written back.
_COPIED: Any = object()
_MADE: Any = object()
_OBJECT: Any = object()
Members = dict[str, Any]


def _members(
    copied: tuple[str, ...] = (), made: tuple[str, ...] = (), objects: tuple[str, ...] = ()
) -> Members:
    return {
        **dict.fromkeys(copied, _COPIED),
        **dict.fromkeys(made, _MADE),
        **dict.fromkeys(objects, _OBJECT),
    }


# --- Dexero -> Talkdesk -> Dexero -------------------------------------------------------------

_DEXERO_ADDRESS = _members(DEXERO_ADDRESS_KEPT, made=("name",))
_DEXERO_ORDER = _members(
    # status gives latest_status_info too, but comes back itself; card_type is card_brand.
    ("purchase_date", "status", "card_type"),
    made=("reference_number", "id", "customer_id", "is_shippable", "currency", *DEXERO_AMOUNTS),
    objects=("billing_address", "shipping_address"),
)


def _dexero_address(address: DexeroAddress, policy: Policy) -> Back:
    made: dict[str, Any] = _NONE_MADE
    if address.name is not None and address.name.split():
        # name-split, then joined again by single spaces.
        made = {"name": " ".join(address.name.split())}
    # company has no Talkdesk counterpart.
    return _DEXERO_ADDRESS, made, _NO_NESTED, address


def _dexero_order(order: DexeroOrder, policy: Policy) -> Back:
    # A Talkdesk order requires order_number: it is there (a missing one is refused first).
    made: dict[str, Any] = {"reference_number": order.reference_number}
    for key in ("id", "customer_id"):
        value = getattr(order, key)
        if value is not None and long_from_text(str(value)) is not None:
            made[key] = value
    if order.is_shippable is not None:
        # delivery-type: the delivery type made of it gives true back when it is a shipping
        # type; false never comes back.
        delivery = policy.shippable if order.is_shippable else policy.not_shippable
        if delivery in policy.shipping_types:
            made["is_shippable"] = True
    # A Talkdesk price summary needs a currency and total_products (its original total).
    if order.currency is not None and order.total_products is not None:
        made["currency"] = order.currency
        for key in DEXERO_AMOUNTS:
            value = getattr(order, key)
            if value is not None and amount_fits(value):
                made[key] = value
    nested: Nested = {}
    for key in ("billing_address", "shipping_address"):
        address = getattr(order, key)
        if address is not None:
            nested[key] = (_dexero_address, address)
    # Everything else (products, forms, customer, the other totals, is_archived, ...) has no
    # Talkdesk counterpart, or is derived into a value that does not come back.
    return _DEXERO_ORDER, made, nested, order


# --- Talkdesk -> Dexero -> Talkdesk -----------------------------------------------------------

_TALKDESK_ADDRESS = _members(TALKDESK_ADDRESS_KEPT, made=("first_name", "last_name"))
_TALKDESK_ORDER = _members(
    ("order_number", "purchase_datetime"),
    made=("id", "customer_id", "delivery_type", "status"),
    objects=(
        "shipping_address",
        "billing_address",
        "price_summary",
        "payment_details",
        "order_extra_info",
    ),
)
_MONEY = _members(("value", "currency"))
_PRICE_SUMMARY = _members(
    objects=("original_total_amount", "final_total_amount", "shipping_amount", "taxes_amount")
)
_PAYMENT = _members(("card_brand",))
_STATUS_INFO = _members(made=("generic_type", "detailed_type"))
_EXTRA_INFO = _members(objects=("latest_status_info",))


def _talkdesk_address(part: tuple[TalkdeskAddress, FormatModule | None], policy: Policy) -> Back:
    address, limit = part
    made: dict[str, Any] = _NONE_MADE
    parts = [part for part in (address.first_name, address.last_name) if part is not None]
    name = " ".join(parts)
    if parts and (limit is None or limit.unwritable(name) is None):
        # name-split: the joined name splits again by the policy (a name the target cannot
        # hold is left out of it, and neither part comes back).
        first, last = split_name(name, policy)
        made = {}
        if first is not None:
            made["first_name"] = first
        if last is not None:
            made["last_name"] = last
    # id and default have no Dexero counterpart.
    return _TALKDESK_ADDRESS, made, _NO_NESTED, address


def _money(money: TalkdeskMoney, policy: Policy) -> Back:
    return _MONEY, _NONE_MADE, _NO_NESTED, money


def _price_summary(summary: TalkdeskPriceSummary, policy: Policy) -> Back:
    original = summary.original_total_amount
    nested: Nested = {"original_total_amount": (_money, original)}
    for key in ("final_total_amount", "shipping_amount", "taxes_amount"):
        money: TalkdeskMoney | None = getattr(summary, key)
        if money is not None and money.currency == original.currency and amount_fits(money.value):
            nested[key] = (_money, money)
    # discounts_amount has no Dexero counterpart.
    return _PRICE_SUMMARY, _NONE_MADE, nested, summary


def _payment_details(payment: TalkdeskPaymentDetails, policy: Policy) -> Back:
    # is_refunded comes from total_refunded, which a Talkdesk order does not give.
    return _PAYMENT, _NONE_MADE, _NO_NESTED, payment


def _status_info(
    part: tuple[TalkdeskStatusInfo | None, tuple[str, str | None]], policy: Policy
) -> Back:
    info, (generic, detailed) = part
    made: dict[str, Any] = {"generic_type": generic}
    if detailed is not None:
        made["detailed_type"] = detailed
    return _STATUS_INFO, made, _NO_NESTED, info


def _extra_info(
    part: tuple[TalkdeskOrderExtraInfo | None, tuple[str, str | None]], policy: Policy
) -> Back:
    extra_info, types = part
    info = extra_info.latest_status_info if extra_info is not None else None
    nested: Nested = {"latest_status_info": (_status_info, (info, types))}
    return _EXTRA_INFO, _NONE_MADE, nested, extra_info


def _talkdesk_order(part: tuple[TalkdeskOrder, FormatModule | None], policy: Policy) -> Back:
    # A Talkdesk order requires id and order_number: the way back writes both (an id Dexero
    # cannot hold comes back as a placeholder, which is no value of the source).
    order, limit = part

    def held(text: str) -> bool:
        # Whether the target holds this text (an XML target leaves out what it cannot).
        return limit is None or limit.unwritable(text) is None

    made: dict[str, Any] = {"id": order.id if long_from_text(order.id) is not None else MISSING}
    if order.customer_id is not None and long_from_text(order.customer_id) is not None:
        made["customer_id"] = order.customer_id
    if order.delivery_type in policy.shipping_types:
        made["delivery_type"] = policy.shippable
    nested: Nested = {}
    for key in ("shipping_address", "billing_address"):
        address = getattr(order, key)
        if address is not None:
            nested[key] = (_talkdesk_address, (address, limit))
    summary = order.price_summary
    if (
        summary is not None
        and amount_fits(summary.original_total_amount.value)
        and held(summary.original_total_amount.currency)
    ):
        # The price summary needs the currency (Dexero's) to come back.
        nested["price_summary"] = (_price_summary, summary)
    payment = order.payment_details
    if payment is not None and payment.card_brand is not None and held(payment.card_brand):
        nested["payment_details"] = (_payment_details, payment)
    # status-info: the Dexero status is the order's own, or one derived from generic_type;
    # the way back makes status and latest_status_info from it.
    status = order.status
    extra_info = order.order_extra_info
    if status is None and extra_info is not None:
        info = extra_info.latest_status_info
        if info is not None:
            status = policy.generic_type.get(info.generic_type)
    if status is not None and held(status):
        made["status"] = status
        types = policy.status.get(status, policy.other_status)
        nested["order_extra_info"] = (_extra_info, (extra_info, types))
    # items_number, custom_fields and the rest have no Dexero counterpart.
    return _TALKDESK_ORDER, made, nested, order


# The class each level's way back is written from, for its member order.
_CLASSES: dict[Level, type] = {
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


@functools.cache
def _required(cls: type) -> frozenset[str]:
    """The wire names of a class's required members."""
    return frozenset(spec.key for spec in field_specs(cls) if spec.required)


@functools.cache
def _field_order(cls: type) -> dict[str, int]:
    """The wire names of a class's members in the order its writer writes them."""
    names = [
        field.metadata.get("key", field.name)
        for field in attrs.fields(cls)
        if "role" not in field.metadata
    ]
    return {name: index for index, name in enumerate(names)}


class _Walk:
    """One walk of a source tree: the values that do not come back, and the patch."""

    def __init__(
        self,
        policy: Policy,
        text_limit: FormatModule | None,
        patch: bool,
        target_limit: FormatModule | None = None,
    ) -> None:
        self.policy = policy
        self.text_limit = text_limit
        self.target_limit = target_limit
        self.patch = patch
        self.differences: list[tuple[Path, Any]] = []

    def level(self, tree: dict[str, Any], level: Level, part: Any, path: Path) -> dict[str, Any]:
        members, made, nested, model = level(part, self.policy)
        limit = self.text_limit
        target = self.target_limit
        dropped: set[str] = _NO_DROPS
        if target is not None:
            dropped = set()
        if limit is not None:
            dropped = set()
            # The source's format cannot hold some text: the way back drops it.
            made = {
                key: value
                for key, value in made.items()
                if type(value) is not str or limit.unwritable(value) is None
            }
        want = self.patch
        spelling = model.wire.spelling if want and model is not None else _NONE_MADE
        differences = self.differences
        patch: dict[str, Any] = {}
        # How many of the members the way back makes or writes as objects the source has.
        found = 0
        for key, value in tree.items():
            kind = members.get(key)
            if (
                kind is None
                or (kind is _MADE and key not in made)
                or (kind is _OBJECT and key not in nested)
            ):
                # Not written back: no counterpart, or a rule that cannot give it again.
                if value is not None:
                    differences.append(([*path, key], value))
                if want:
                    patch[key] = value
            elif kind is _COPIED:
                if value is None:
                    patch[key] = None  # a null, which the way back leaves out
                elif limit is not None and type(value) is str and limit.unwritable(value):
                    # Text the source's format cannot hold does not come back.
                    dropped.add(key)
                    patch[key] = value
                    differences.append(([*path, key], value))
                elif target is not None and type(value) is str and target.unwritable(value):
                    # Nor does text the target leaves out; a member the source requires
                    # comes back as a placeholder, in its place.
                    if key not in _required(_CLASSES[level]):
                        dropped.add(key)
                    patch[key] = value
                    differences.append(([*path, key], value))
                elif key in spelling:
                    # The source spelled it its own way; the way back writes the format's
                    # default spelling (a number, not "10.50").
                    patch[key] = value
            elif kind is _OBJECT:
                found += 1
                if type(value) is dict:
                    inner, inner_part = nested[key]
                    below = self.level(value, inner, inner_part, [*path, key])
                    if below:
                        patch[key] = below
                else:
                    # A null where the way back writes an object was no value: derived.
                    patch[key] = value
                    differences.append(([*path, key], MISSING if value is None else value))
            else:
                found += 1
                again = made[key]
                mine = getattr(model, key)
                if value is None:
                    patch[key] = None
                    differences.append(([*path, key], MISSING))
                elif again is not mine and (type(again) is not type(mine) or again != mine):
                    patch[key] = value
                    differences.append(([*path, key], value))
                elif key in spelling:
                    patch[key] = value
        if found < len(made) + len(nested):
            added = [key for key in made if key not in tree]
            added.extend(key for key in nested if key not in tree)
            # In the order the way back writes them: the model's field order.
            if len(added) > 1:
                added.sort(key=_field_order(_CLASSES[level]).__getitem__)
            differences.extend(([*path, key], MISSING) for key in added)
            if want:
                patch[ABSENT] = added
        if want and (keys := _keys(tree, members, made, nested, dropped, level)) is not None:
            patch[KEYS] = keys
        return patch


def _keys(
    tree: dict[str, Any],
    members: Members,
    made: dict[str, Any],
    nested: Nested,
    dropped: set[str],
    level: Level,
) -> list[str] | None:
    """The source's member order, where applying the rest of the patch would not give it: the
    patch keeps the members the way back writes, in the model's order, and appends the rest."""
    names = list(tree)
    written = [
        key
        for key in names
        if key in made
        or key in nested
        or (members.get(key) is _COPIED and tree[key] is not None and key not in dropped)
    ]
    if len(written) > 1:
        written.sort(key=_field_order(_CLASSES[level]).__getitem__)
    kept = set(written)
    if [*written, *(key for key in names if key not in kept)] != names:
        return names
    return None


def way_back(
    order: Any,
    tree: dict[str, Any],
    policy: Policy,
    text_limit: FormatModule | None = None,
    patch: bool = False,
    target_limit: FormatModule | None = None,
) -> tuple[list[tuple[Path, Any]], dict[str, Any]]:
    """What translating ``order`` there and back would not give again, and its carry patch.

    ``tree`` is the order's JSON form; ``text_limit``, the source's format where it cannot
    hold some text (what it cannot hold does not come back); ``target_limit``, a Talkdesk
    order's target format where it cannot hold some text, which the target leaves out (carry
    mode; in the other modes such text is an error first). Returns the pairs
    ``(path, source value)`` of :func:`ordermap.crosswalk.patch.diff` of ``tree`` and the
    round trip, in its order (a member the way back fills in has the value
    :data:`~ordermap.crosswalk.patch.MISSING`), and, with ``patch``, that diff's patch
    (otherwise an incomplete one, not to be used).
    """
    walk = _Walk(policy, text_limit, patch, target_limit)
    if type(order) is DexeroOrder:
        made = walk.level(tree, _dexero_order, order, [])
    else:
        made = walk.level(tree, _talkdesk_order, (order, target_limit), [])
    return walk.differences, made
