"""The Talkdesk classes: an order as Talkdesk's "Orders Provided by the Account ID" answers it,
its HAL page, and Talkdesk's error body."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import evolve, field, frozen

from ..values import Timestamp
from .wire import Wire, extra_members, member, wire_member

GENERIC_TYPES = ("UNKNOWN", "CONFIRMED", "ON_ITS_WAY", "OUT_FOR_DELIVERY", "DELIVERED")
DETAILED_TYPES = (
    "UNKNOWN",
    "ATTEMPTED_DELIVERY",
    "READY_FOR_PICKUP",
    "PICKED_UP",
    "CONFIRMED",
    "IN_TRANSIT",
    "OUT_FOR_DELIVERY",
    "DELIVERED",
    "FAILURE",
)
DELIVERY_TYPES = ("UNKNOWN", "LOCAL_DELIVERY", "LOCAL_PICKUP", "SHIPPING")


@frozen(kw_only=True)
class TalkdeskAddress:
    """A Talkdesk shipping or billing address."""

    id: str | None = member(doc="Address identifier, e.g. `address1234`.")
    first_name: str | None = member(doc="First name of the person at the address.")
    last_name: str | None = member(doc="Last name of the person at the address.")
    phone_number: str | None = member(doc="Phone number, a string (`+351910000000`).")
    address: str | None = member(doc="First line of the address.")
    zip_code: str | None = member(doc="Zip code, a string (`20000000`).")
    city: str | None = member(doc="City.")
    region_code: str | None = member(doc="ISO 3166-2 subdivision code (`PT-11`).")
    country_code: str | None = member(doc="ISO 3166-1 alpha-2 country code (`PT`).")
    default: bool | None = member(doc="Whether this is the default address.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskMoney:
    """An amount of money; ``value`` keeps the JSON number's exact text."""

    value: Decimal = member(required=True, doc="The amount, a JSON number (`10.5`).")
    currency: str = member(required=True, doc="ISO 4217 currency code (`EUR`).")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskPriceSummary:
    """The order's amounts."""

    original_total_amount: TalkdeskMoney = member(
        required=True, doc="Total before discounts, shipping and taxes."
    )
    discounts_amount: TalkdeskMoney | None = member(doc="Discounts (newer field).")
    shipping_amount: TalkdeskMoney | None = member(doc="Shipping (newer field).")
    taxes_amount: TalkdeskMoney | None = member(doc="Taxes (newer field).")
    final_total_amount: TalkdeskMoney | None = member(doc="Final total (newer field).")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskPaymentDetails:
    """How the order was paid."""

    card_brand: str | None = member(doc="Card brand (`Visa`).")
    card_brand_image_url: str | None = member(doc="URL of the card brand's icon.")
    card_number: str | None = member(doc="Masked card number, opaque (`** ** ** *567`).")
    is_refunded: bool | None = member(doc="Whether the order was refunded.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskStatusInfo:
    """The latest status step of the order."""

    generic_type: str = member(
        required=True, doc="Generic status step (open enum).", values=GENERIC_TYPES
    )
    detailed_type: str | None = member(
        doc="Detailed status step (open enum).", values=DETAILED_TYPES
    )
    status_date_time: Timestamp | None = member(doc="When the step was reached (RFC 3339).")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskOrderExtraInfo:
    """Extra information about the order."""

    highlighted_item_image_url: str | None = member(doc="Image of the most expensive item.")
    latest_status_info: TalkdeskStatusInfo | None = member(doc="The order's latest status.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskOrder:
    """A Talkdesk order."""

    id: str = member(required=True, doc="The order's id (`order456`).")
    customer_id: str | None = member(doc="The customer's id (`customer123`).")
    order_number: str = member(required=True, doc="Customer-facing order number (`#Y34DHR`).")
    purchase_datetime: Timestamp | None = member(doc="When the order was made (RFC 3339).")
    delivery_type: str | None = member(doc="Delivery type (open enum).", values=DELIVERY_TYPES)
    shipping_address: TalkdeskAddress | None = member(doc="Where the order goes.")
    billing_address: TalkdeskAddress | None = member(doc="Billing address.")
    items_number: int | None = member(doc="Number of items, a JSON integer.")
    price_summary: TalkdeskPriceSummary | None = member(doc="The order's amounts.")
    payment_details: TalkdeskPaymentDetails | None = member(doc="How the order was paid.")
    order_extra_info: TalkdeskOrderExtraInfo | None = member(doc="Extra information.")
    status: str | None = member(doc="Free-form integration status (newer field).")
    custom_fields: Mapping[str, Any] | None = field(
        default=None, hash=False, metadata={"doc": "Free-form object (newer field)."}
    )
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskLink:
    """A hypermedia link; ``href`` is opaque and copied verbatim."""

    href: str = member(required=True, doc="The link's URL, opaque.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskLinks:
    """The page's links: ``self`` always, ``next`` except on the last page."""

    self_: TalkdeskLink = member("self", required=True, doc="This page.")
    next: TalkdeskLink | None = member(doc="The next page; absent on the last page.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskEmbedded:
    """The ``_embedded`` member of a Talkdesk page."""

    orders: tuple[TalkdeskOrder, ...] = member(required=True, doc="The orders of this page.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskOrderPage:
    """A page of Talkdesk orders (HAL style)."""

    embedded: TalkdeskEmbedded = member("_embedded", required=True, doc="Holds the orders.")
    links: TalkdeskLinks | None = member("_links", doc="Paging links; may be absent in files.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()

    @property
    def orders(self) -> tuple[TalkdeskOrder, ...]:
        """The orders of this page."""
        return self.embedded.orders

    @classmethod
    def of(cls, orders: Sequence[TalkdeskOrder]) -> TalkdeskOrderPage:
        """A page of these orders and nothing else."""
        return cls(embedded=TalkdeskEmbedded(orders=tuple(orders)))

    def with_orders(self, orders: Sequence[TalkdeskOrder]) -> TalkdeskOrderPage:
        """This page holding other orders."""
        return evolve(self, embedded=evolve(self.embedded, orders=tuple(orders)))


@frozen(kw_only=True)
class TalkdeskErrorField:
    """One field named by a Talkdesk error body."""

    name: str = member(required=True, doc="The field's name.")
    description: str = member(required=True, doc="What is wrong with it.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class TalkdeskErrorBody:
    """The body of a Talkdesk error response (400, 401, 403, 404, 405)."""

    code: str = member(required=True, doc="Error code.")
    message: str = member(required=True, doc="Error message.")
    description: str | None = member(doc="Longer description.")
    fields: tuple[TalkdeskErrorField, ...] | None = member(doc="The fields at fault.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()
