"""The crosswalk's rules in code: a Dexero order as a Talkdesk order, and back.

Each direction maps what maps (see :mod:`ordermap.crosswalk.table`) and records in :class:`Notes`
what it derived and what it had to leave out for a reason of its own (a value the target
cannot hold). What does not come back is worked out from the same rules in
:mod:`ordermap.crosswalk.way_back`.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from ..formats import FormatModule as Limited

__all__ = [
    "UNSET",
    "Notes",
    "Untranslatable",
    "check_required",
    "dexero_order_to_talkdesk",
    "split_name",
    "talkdesk_order_to_dexero",
    "text_unheld",
]


UNSET = "\uffffordermap:unset"
"""Stands for a value the target requires and the source lacks, until a carry slot gives it.

It is text (the converters write only text there), so a source value may spell it too; which
members hold it is therefore recorded in :attr:`Notes.unset`, never found by comparing."""

REQUIRED = {"id": "/id", "order_number": "/reference_number"}


def check_required(unset: Collection[str]) -> None:
    """Refuse a Talkdesk order whose required members ``unset`` still hold :data:`UNSET`
    (the members :attr:`Notes.unset` names that no carry slot filled in).

    Raises:
        Untranslatable: Naming the Dexero member that would have given the value.
    """
    for key, source in REQUIRED.items():
        if key in unset:
            name = source.lstrip("/")
            raise Untranslatable(source, f"Talkdesk requires {key}; the Dexero order has no {name}")


# Members the rules copy as they are, which therefore come back as they are: the way back
# (``way_back``), which gives the losses and the carry slot, is worked out from these.
DEXERO_ADDRESS_KEPT = (
    "phone_number",
    "postal_code",
    "street_address",
    "city",
    "iso_country",
    "iso_region",
)
TALKDESK_ADDRESS_KEPT = (
    "phone_number",
    "address",
    "zip_code",
    "city",
    "region_code",
    "country_code",
)
DEXERO_AMOUNTS = ("total_products", "total_order", "total_shipping", "total_tax")
"""The Dexero totals a Talkdesk price summary holds and gives back (in one currency)."""


class Untranslatable(Exception):
    """The target format requires a value the source does not have."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


class Notes:
    """What a translation derived, the values it left out with a reason of its own, the
    values whose counterpart cannot hold them, and the required members it had to fill with
    :data:`UNSET`."""

    def __init__(self) -> None:
        self.derived: list[tuple[str, str, Any, str]] = []
        self.refused: dict[str, str] = {}
        # Source path -> (the target member, why it cannot hold the value, the value):
        # lossless rule 5.
        self.unheld: dict[str, tuple[str, str, Any]] = {}
        self.unset: list[str] = []

    def derive(self, source: str, target: str, value: Any, rule: str) -> None:
        self.derived.append((source, target, value, rule))

    def refuse(self, source: str, reason: str) -> None:
        self.refused[source] = reason

    def cannot_hold(self, source: str, target: str, reason: str, value: Any) -> None:
        """The value at ``source`` has a counterpart, ``target``, that cannot hold it: an
        error in report and strict mode, carried in carry mode (left out of the target)."""
        self.refused[source] = reason
        self.unheld[source] = (target, reason, value)


def split_name(name: str, policy: Policy) -> tuple[str | None, str | None]:
    """A Dexero ``name`` as Talkdesk's first and last name, by the policy."""
    return _split(name, policy)


def _split(name: str, policy: Policy) -> tuple[str | None, str | None]:
    words = name.split()
    if not words:
        return None, None
    if policy.name_split == "last-word":
        return (" ".join(words[:-1]) or None), words[-1]
    return words[0], (" ".join(words[1:]) or None)


# --- Dexero to Talkdesk --------------------------------------------------------------------


def _address_to_talkdesk(
    address: DexeroAddress, base: str, policy: Policy, notes: Notes
) -> TalkdeskAddress:
    first = last = None
    if address.name is not None:
        first, last = _split(address.name, policy)
        if first is not None or last is not None:
            target = f"{base}/first_name" if first is not None else f"{base}/last_name"
            notes.derive(f"{base}/name", target, address.name, "name-split")
    return TalkdeskAddress(
        first_name=first,
        last_name=last,
        phone_number=address.phone_number,
        address=address.street_address,
        zip_code=address.postal_code,
        city=address.city,
        region_code=address.iso_region,
        country_code=address.iso_country,
    )


def _items_number(order: DexeroOrder, policy: Policy) -> int | None:
    if order.products is None or policy.items_number == "none":
        return None
    if policy.items_number == "lines":
        return len(order.products)
    return sum(line.quantity or 0 for line in order.products if line.type == "buy")


def _price_summary(order: DexeroOrder, notes: Notes) -> TalkdeskPriceSummary | None:
    amounts = {
        "total_products": order.total_products,
        "total_order": order.total_order,
        "total_shipping": order.total_shipping,
        "total_tax": order.total_tax,
    }
    currency = order.currency
    if currency is None or order.total_products is None:
        reason = (
            "a Talkdesk amount needs a currency; the order has none"
            if currency is None
            else "Talkdesk's price_summary requires original_total_amount (total_products)"
        )
        for name, value in amounts.items():
            if value is not None:
                notes.refuse(f"/{name}", reason)
        return None

    def money(value: Decimal | None) -> TalkdeskMoney | None:
        return None if value is None else TalkdeskMoney(value=value, currency=currency)

    return TalkdeskPriceSummary(
        original_total_amount=TalkdeskMoney(value=order.total_products, currency=currency),
        final_total_amount=money(order.total_order),
        shipping_amount=money(order.total_shipping),
        taxes_amount=money(order.total_tax),
    )


def dexero_order_to_talkdesk(order: DexeroOrder, policy: Policy, notes: Notes) -> TalkdeskOrder:
    """A Dexero order as a Talkdesk order.

    Talkdesk requires ``id`` and ``order_number``; where the Dexero order has no ``id`` or
    ``reference_number`` they hold :data:`UNSET` (named in ``notes.unset``), which a carry
    slot may still fill in (:func:`check_required` refuses what is left unset).
    """
    delivery_type = None
    if order.is_shippable is not None:
        delivery_type = policy.shippable if order.is_shippable else policy.not_shippable
        notes.derive("/is_shippable", "/delivery_type", order.is_shippable, "delivery-type")
    items_number = _items_number(order, policy)
    if items_number is not None:
        notes.derive("/product", "/items_number", items_number, "items-number")
    payment = None
    if order.card_type is not None or order.total_refunded is not None:
        refunded = None
        if order.total_refunded is not None:
            refunded = order.total_refunded > 0
            notes.derive(
                "/total_refunded",
                "/payment_details/is_refunded",
                order.total_refunded,
                "is-refunded",
            )
        payment = TalkdeskPaymentDetails(card_brand=order.card_type, is_refunded=refunded)
    extra_info = None
    if order.status is not None:
        generic, detailed = policy.status.get(order.status, policy.other_status)
        extra_info = TalkdeskOrderExtraInfo(
            latest_status_info=TalkdeskStatusInfo(generic_type=generic, detailed_type=detailed)
        )
        notes.derive("/status", "/order_extra_info/latest_status_info", order.status, "status-info")
    if order.id is None:
        notes.unset.append("id")
    if order.reference_number is None:
        notes.unset.append("order_number")
    return TalkdeskOrder(
        id=UNSET if order.id is None else str(order.id),
        customer_id=None if order.customer_id is None else str(order.customer_id),
        order_number=UNSET if order.reference_number is None else order.reference_number,
        purchase_datetime=order.purchase_date,
        delivery_type=delivery_type,
        shipping_address=None
        if order.shipping_address is None
        else _address_to_talkdesk(order.shipping_address, "/shipping_address", policy, notes),
        billing_address=None
        if order.billing_address is None
        else _address_to_talkdesk(order.billing_address, "/billing_address", policy, notes),
        items_number=items_number,
        price_summary=_price_summary(order, notes),
        payment_details=payment,
        order_extra_info=extra_info,
        status=order.status,
    )


# --- Talkdesk to Dexero --------------------------------------------------------------------


def _address_to_dexero(address: TalkdeskAddress, base: str, notes: Notes) -> DexeroAddress:
    parts = [part for part in (address.first_name, address.last_name) if part is not None]
    name = " ".join(parts) if parts else None
    if name is not None:
        notes.derive(f"{base}/first_name", f"{base}/name", name, "name-split")
    return DexeroAddress(
        name=name,
        phone_number=address.phone_number,
        postal_code=address.zip_code,
        street_address=address.address,
        city=address.city,
        iso_country=address.country_code,
        iso_region=address.region_code,
    )


def _amounts(summary: TalkdeskPriceSummary, notes: Notes) -> dict[str, Any]:
    base = "/price_summary"
    currency = summary.original_total_amount.currency
    fields: dict[str, Any] = {"currency": currency}
    pairs = (
        ("original_total_amount", "total_products"),
        ("final_total_amount", "total_order"),
        ("shipping_amount", "total_shipping"),
        ("taxes_amount", "total_tax"),
    )
    for talkdesk, dexero in pairs:
        money: TalkdeskMoney | None = getattr(summary, talkdesk)
        if money is None:
            continue
        if money.currency != currency:
            reason = f"in {money.currency}, not the order's currency {currency}"
            notes.refuse(f"{base}/{talkdesk}/value", reason)
            notes.refuse(f"{base}/{talkdesk}/currency", reason)
            continue
        if not amount_fits(money.value):
            notes.cannot_hold(
                f"{base}/{talkdesk}/value",
                dexero,
                "does not fit decimal(20,2) (at most 18 integer and 2 fraction digits)",
                money.value,
            )
            continue
        value = money.value
        spelled = money.wire.spelling.get("value")
        if spelled is not None and spelled != "null" and format(value, "f") != spelled:
            # Read in exponent form (1e3): Dexero's decimal is plain, so the text changes.
            value = Decimal(format(value, "f"))
            notes.derive(f"{base}/{talkdesk}/value", f"/{dexero}", value, "plain-number")
        fields[dexero] = value
    return fields


def text_unheld(order: TalkdeskOrder, limited: Limited, notes: Notes) -> bool:
    """Note the source text that reaches a Dexero target which cannot hold it (XML 1.0);
    whether all of it can be held.

    These are the Talkdesk members whose text the rules write into the Dexero order: the
    copied ones, the name parts (joined into ``name``), the currency and the status. A value
    with no counterpart is not looked at: it does not reach the target.
    """
    limit = limited.TEXT_LIMIT
    held = True

    def check(source: str, target: str, text: str | None) -> None:
        nonlocal held
        if text is not None and (bad := limited.unwritable(text)) is not None:
            reason = f"{limit} cannot hold the character U+{ord(bad):04X}"
            notes.cannot_hold(source, target, reason, text)
            held = False

    check("/order_number", "reference_number", order.order_number)
    check("/status", "status", order.status)
    for name in ("shipping_address", "billing_address"):
        address: TalkdeskAddress | None = getattr(order, name)
        if address is None:
            continue
        for talkdesk, dexero in _ADDRESS_TEXT:
            check(f"/{name}/{talkdesk}", f"{name}/{dexero}", getattr(address, talkdesk))
    if order.price_summary is not None:
        currency = order.price_summary.original_total_amount.currency
        check("/price_summary/original_total_amount/currency", "currency", currency)
    if order.payment_details is not None:
        check("/payment_details/card_brand", "card_type", order.payment_details.card_brand)
    return held


# The Talkdesk address members whose text reaches the Dexero address, with their targets.
_ADDRESS_TEXT = (
    ("first_name", "name"),
    ("last_name", "name"),
    ("phone_number", "phone_number"),
    ("address", "street_address"),
    ("zip_code", "postal_code"),
    ("city", "city"),
    ("region_code", "iso_region"),
    ("country_code", "iso_country"),
)


def talkdesk_order_to_dexero(order: TalkdeskOrder, policy: Policy, notes: Notes) -> DexeroOrder:
    """A Talkdesk order as a Dexero order."""
    fields: dict[str, Any] = {}
    for name in ("id", "customer_id"):
        text = getattr(order, name)
        if text is None:
            continue
        number = long_from_text(text)
        if number is None:
            notes.cannot_hold(
                f"/{name}", name, "not a decimal integer in the range of a Dexero long", text
            )
        else:
            fields[name] = number
    if order.delivery_type in policy.shipping_types:
        fields["is_shippable"] = True
        notes.derive("/delivery_type", "/is_shippable", order.delivery_type, "delivery-type")
    for name in ("shipping_address", "billing_address"):
        address = getattr(order, name)
        if address is not None:
            fields[name] = _address_to_dexero(address, f"/{name}", notes)
    if order.price_summary is not None:
        fields.update(_amounts(order.price_summary, notes))
    if order.payment_details is not None:
        fields["card_type"] = order.payment_details.card_brand
    status = order.status
    info = order.order_extra_info.latest_status_info if order.order_extra_info else None
    if status is None and info is not None and info.generic_type in policy.generic_type:
        status = policy.generic_type[info.generic_type]
        notes.derive(
            "/order_extra_info/latest_status_info/generic_type",
            "/status",
            info.generic_type,
            "status-info",
        )
    return DexeroOrder(
        reference_number=order.order_number,
        purchase_date=order.purchase_datetime,
        status=status,
        **fields,
    )
