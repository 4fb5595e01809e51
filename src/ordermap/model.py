"""The canonical order model: frozen attrs classes for both vocabularies.

Talkdesk and Dexero describe an order with different fields, so the model has one family of
classes for each (``Talkdesk*`` and ``Dexero*``); dexero-json and dexero-xml share the Dexero
classes. Translation between the families is the crosswalk's job, not the model's.

Conventions every class follows:

- ``None`` means "no value". Whether the input had the member absent or ``null`` is remembered
  in :attr:`wire`, so a document is written back the way it came.
- An empty string and an empty list are values, distinct from ``None``.
- Members the model does not know are kept in :attr:`extra` (name to value, as read) and
  written back in their place.
- Amounts are ``Decimal`` (scale kept: ``10.50`` stays ``10.50``); timestamps are
  :class:`~ordermap.values.Timestamp`, which keeps its text.

The classes hold no format rules: ``ordermap.formats`` reads and writes them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Any

from attrs import evolve, field, frozen

from .values import CalendarDate, Timestamp

__all__ = [
    "DELIVERY_TYPES",
    "DETAILED_TYPES",
    "DEXERO_STATUSES",
    "GENERIC_TYPES",
    "PRODUCT_TYPES",
    "Amount",
    "Base64Text",
    "DexeroAddress",
    "DexeroAttribute",
    "DexeroCustomField",
    "DexeroCustomParam",
    "DexeroCustomer",
    "DexeroOrder",
    "DexeroOrderForm",
    "DexeroOrderPage",
    "DexeroOrderProduct",
    "DexeroValue",
    "Document",
    "Int32",
    "Lexical",
    "Long",
    "OrderPage",
    "TalkdeskAddress",
    "TalkdeskEmbedded",
    "TalkdeskErrorBody",
    "TalkdeskErrorField",
    "TalkdeskLink",
    "TalkdeskLinks",
    "TalkdeskMoney",
    "TalkdeskOrder",
    "TalkdeskOrderExtraInfo",
    "TalkdeskOrderPage",
    "TalkdeskPaymentDetails",
    "TalkdeskPriceSummary",
    "TalkdeskStatusInfo",
    "Wire",
]


class Lexical(enum.Enum):
    """Marks the wire type of an annotated field; the format modules give each its rules."""

    LONG = "long"
    INT = "int"
    AMOUNT = "decimal(20,2)"
    BASE64 = "base64"


Long = Annotated[int, Lexical.LONG]
"""A signed 64-bit integer (Dexero ``long``)."""
Int32 = Annotated[int, Lexical.INT]
"""A signed 32-bit integer (Dexero ``int``)."""
Amount = Annotated[Decimal, Lexical.AMOUNT]
"""A Dexero ``decimal(20,2)``: at most 18 integer and 2 fraction digits, plain notation."""
Base64Text = Annotated[str, Lexical.BASE64]
"""A string that must be valid (standard, padded) base64."""

EMPTY: Mapping[str, Any] = MappingProxyType({})

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
DEXERO_STATUSES = ("cancelled", "completed", "pending", "treated")
PRODUCT_TYPES = ("buy", "refund")


@frozen
class Wire:
    """How a document was spelled when it was read, so that it is written back the same way.

    A document made in code has the empty ``Wire()``; writers then use the format's defaults.
    Entries that no longer fit the value (a field remembered as ``null`` that now holds text)
    are ignored.

    Attributes:
        keys: Member names in the order they were read (XML: child element names, repeats
            included, so interleaved elements come back interleaved).
        spelling: Wire key to how its value was spelled when that differs from the format's
            default: ``"null"``, ``"string"`` (a number written as a JSON string), ``"number"``
            or ``"boolean"`` (a string field written as that JSON token), ``"object"`` (a
            one-item list written as the bare object).
    """

    keys: tuple[str, ...] = ()
    spelling: Mapping[str, str] = EMPTY


NO_WIRE = Wire()


def _value(
    key: str | None = None,
    *,
    required: bool = False,
    doc: str = "",
    values: tuple[str, ...] = (),
) -> Any:
    """An attrs field for a wire member; ``key`` is its wire name when that differs."""
    metadata: dict[str, Any] = {"doc": doc}
    if key is not None:
        metadata["key"] = key
    if values:
        metadata["values"] = values
    if required:
        return field(metadata=metadata)
    return field(default=None, metadata=metadata)


def _extra() -> Any:
    return field(default=EMPTY, hash=False, metadata={"role": "extra"})


def _wire() -> Any:
    return field(default=NO_WIRE, eq=False, hash=False, repr=False, metadata={"role": "wire"})


# --- Talkdesk ------------------------------------------------------------------------------


@frozen(kw_only=True)
class TalkdeskAddress:
    """A Talkdesk shipping or billing address."""

    id: str | None = _value(doc="Address identifier, e.g. `address1234`.")
    first_name: str | None = _value(doc="First name of the person at the address.")
    last_name: str | None = _value(doc="Last name of the person at the address.")
    phone_number: str | None = _value(doc="Phone number, a string (`+351910000000`).")
    address: str | None = _value(doc="First line of the address.")
    zip_code: str | None = _value(doc="Zip code, a string (`20000000`).")
    city: str | None = _value(doc="City.")
    region_code: str | None = _value(doc="ISO 3166-2 subdivision code (`PT-11`).")
    country_code: str | None = _value(doc="ISO 3166-1 alpha-2 country code (`PT`).")
    default: bool | None = _value(doc="Whether this is the default address.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskMoney:
    """An amount of money; ``value`` keeps the JSON number's exact text."""

    value: Decimal = _value(required=True, doc="The amount, a JSON number (`10.5`).")
    currency: str = _value(required=True, doc="ISO 4217 currency code (`EUR`).")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskPriceSummary:
    """The order's amounts."""

    original_total_amount: TalkdeskMoney = _value(
        required=True, doc="Total before discounts, shipping and taxes."
    )
    discounts_amount: TalkdeskMoney | None = _value(doc="Discounts (newer field).")
    shipping_amount: TalkdeskMoney | None = _value(doc="Shipping (newer field).")
    taxes_amount: TalkdeskMoney | None = _value(doc="Taxes (newer field).")
    final_total_amount: TalkdeskMoney | None = _value(doc="Final total (newer field).")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskPaymentDetails:
    """How the order was paid."""

    card_brand: str | None = _value(doc="Card brand (`Visa`).")
    card_brand_image_url: str | None = _value(doc="URL of the card brand's icon.")
    card_number: str | None = _value(doc="Masked card number, opaque (`** ** ** *567`).")
    is_refunded: bool | None = _value(doc="Whether the order was refunded.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskStatusInfo:
    """The latest status step of the order."""

    generic_type: str = _value(
        required=True, doc="Generic status step (open enum).", values=GENERIC_TYPES
    )
    detailed_type: str | None = _value(
        doc="Detailed status step (open enum).", values=DETAILED_TYPES
    )
    status_date_time: Timestamp | None = _value(doc="When the step was reached (RFC 3339).")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskOrderExtraInfo:
    """Extra information about the order."""

    highlighted_item_image_url: str | None = _value(doc="Image of the most expensive item.")
    latest_status_info: TalkdeskStatusInfo | None = _value(doc="The order's latest status.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskOrder:
    """A Talkdesk order."""

    id: str = _value(required=True, doc="The order's id (`order456`).")
    customer_id: str | None = _value(doc="The customer's id (`customer123`).")
    order_number: str = _value(required=True, doc="Customer-facing order number (`#Y34DHR`).")
    purchase_datetime: Timestamp | None = _value(doc="When the order was made (RFC 3339).")
    delivery_type: str | None = _value(doc="Delivery type (open enum).", values=DELIVERY_TYPES)
    shipping_address: TalkdeskAddress | None = _value(doc="Where the order goes.")
    billing_address: TalkdeskAddress | None = _value(doc="Billing address.")
    items_number: int | None = _value(doc="Number of items, a JSON integer.")
    price_summary: TalkdeskPriceSummary | None = _value(doc="The order's amounts.")
    payment_details: TalkdeskPaymentDetails | None = _value(doc="How the order was paid.")
    order_extra_info: TalkdeskOrderExtraInfo | None = _value(doc="Extra information.")
    status: str | None = _value(doc="Free-form integration status (newer field).")
    custom_fields: Mapping[str, Any] | None = field(
        default=None, hash=False, metadata={"doc": "Free-form object (newer field)."}
    )
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskLink:
    """A hypermedia link; ``href`` is opaque and copied verbatim."""

    href: str = _value(required=True, doc="The link's URL, opaque.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskLinks:
    """The page's links: ``self`` always, ``next`` except on the last page."""

    self_: TalkdeskLink = _value("self", required=True, doc="This page.")
    next: TalkdeskLink | None = _value(doc="The next page; absent on the last page.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskEmbedded:
    """The ``_embedded`` member of a Talkdesk page."""

    orders: tuple[TalkdeskOrder, ...] = _value(required=True, doc="The orders of this page.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskOrderPage:
    """A page of Talkdesk orders (HAL style)."""

    embedded: TalkdeskEmbedded = _value("_embedded", required=True, doc="Holds the orders.")
    links: TalkdeskLinks | None = _value("_links", doc="Paging links; may be absent in files.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()

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

    name: str = _value(required=True, doc="The field's name.")
    description: str = _value(required=True, doc="What is wrong with it.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class TalkdeskErrorBody:
    """The body of a Talkdesk error response (400, 401, 403, 404, 405)."""

    code: str = _value(required=True, doc="Error code.")
    message: str = _value(required=True, doc="Error message.")
    description: str | None = _value(doc="Longer description.")
    fields: tuple[TalkdeskErrorField, ...] | None = _value(doc="The fields at fault.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


# --- Dexero --------------------------------------------------------------------------------


@frozen(kw_only=True)
class DexeroAddress:
    """A Dexero billing or shipping address."""

    name: str | None = _value(doc="Name of the resident.")
    phone_number: str | None = _value(doc="Telephone number.")
    postal_code: str | None = _value(doc="Postal code.")
    company: str | None = _value(doc="Company name.")
    street_address: str | None = _value(doc="The address.")
    city: str | None = _value(doc="City.")
    iso_country: str | None = _value(doc="ISO country code.")
    iso_region: str | None = _value(doc="ISO 3166-2 region code (`PT-11`).")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class DexeroValue:
    """A value a customer entered in an order form."""

    id: Long | None = _value(doc="The value's id (long).")
    identifier: str | None = _value(doc="Identifier of the form field.")
    label: str | None = _value(doc="Label of the form field.")
    value: str | None = _value(doc="What the customer entered.")
    file_name: str | None = _value("fileName", doc="File name.")
    file_size_bytes: str | None = _value("fileSizeBytes", doc="File size in bytes, a string.")
    file_content_base64: Base64Text | None = _value(
        "fileContentBase64", doc="The file, base64 (files under 10 MB only)."
    )
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class DexeroOrderForm:
    """Form data attached to an order."""

    title: str | None = _value(doc="Title of the form.")
    quantity_number: Int32 | None = _value(doc="Number quantity (int).")
    product_id: Long | None = _value(doc="The product's id (long).")
    values: tuple[DexeroValue, ...] | None = _value("value", doc="Values the customer entered.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class DexeroCustomParam:
    """A custom parameter of an order line."""

    identifier: str | None = _value(doc="Identifier of the custom field.")
    value: str | None = _value(doc="Value of the custom field.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class DexeroAttribute:
    """An attribute of an order line."""

    identifier: str | None = _value(doc="Identifier of the attribute.")
    value: str | None = _value(doc="Value entered by the client.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class DexeroOrderProduct:
    """An order line."""

    id: Long | None = _value(doc="The product's id (long).")
    sku: str | None = _value(doc="Stock keeping unit.")
    name: str | None = _value(doc="Product name.")
    type: str | None = _value(doc="`buy` or `refund` (open enum).", values=PRODUCT_TYPES)
    product_price: Amount | None = _value(doc="Price of the product.")
    total_price: Amount | None = _value(doc="Total price including the discount.")
    price_for_quantity: Amount | None = _value(doc="Price for the quantity.")
    rebate_amount: Amount | None = _value(doc="Discount amount.")
    tax_amount: Amount | None = _value(doc="Tax amount.")
    quantity: Int32 | None = _value(doc="Quantity purchased (int).")
    custom_params: tuple[DexeroCustomParam, ...] | None = _value(
        "custom_param", doc="Custom parameters."
    )
    attributes: tuple[DexeroAttribute, ...] | None = _value("attribute", doc="Attributes.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class DexeroCustomField:
    """A custom setting of a customer."""

    identifier: str | None = _value(doc="Identifier of the custom field.")
    value: str | None = _value(doc="Value of the custom field.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class DexeroCustomer:
    """The customer account of an order."""

    id: Long | None = _value(doc="The account's id (long).")
    first_name: str | None = _value(doc="First name.")
    last_name: str | None = _value(doc="Last name.")
    email: str | None = _value(doc="Email (the seed's nameless row).")
    default_locale: str | None = _value(doc="Language code.")
    date_created: Timestamp | CalendarDate | None = _value(
        doc="Account creation, a date or an RFC 3339 date-time."
    )
    custom_fields: tuple[DexeroCustomField, ...] | None = _value(
        "custom_field", doc="Custom settings."
    )
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class DexeroOrder:
    """A Dexero order."""

    id: Long | None = _value(doc="The order's id (long).")
    customer_id: Long | None = _value(doc="The account's id (long).")
    purchase_date: Timestamp | None = _value(doc="Date of purchase (RFC 3339 date-time).")
    currency: str | None = _value(doc="ISO 4217 currency code.")
    customer_comment: str | None = _value(doc="Message left by the customer.")
    customer_email: str | None = _value(doc="The customer's email.")
    locale: str | None = _value(doc="ISO language code when ordering.")
    subtotal_order: Amount | None = _value(doc="Subtotal of the order.")
    subtotal_cancelled: Amount | None = _value(doc="Subtotal cancelled.")
    total_order: Amount | None = _value(doc="Total of the order.")
    total_cancelled: Amount | None = _value(doc="Total cancelled.")
    total_products: Amount | None = _value(doc="Total of the products.")
    total_payment: Amount | None = _value(doc="Total payment.")
    total_refunded: Amount | None = _value(doc="Total refunded.")
    total_transactions: Amount | None = _value(doc="Total of the transactions.")
    total_shipping: Amount | None = _value(doc="Total of delivery.")
    total_left_to_pay: Amount | None = _value(doc="Amount left to pay.")
    total_tax: Amount | None = _value(doc="Total of taxes.")
    total_tax_cancelled: Amount | None = _value(doc="Total of cancelled taxes.")
    ip_address: str | None = _value(doc="The customer's IP address.")
    is_archived: bool | None = _value(doc="Whether the order was removed (archived).")
    status: str | None = _value(doc="Order status (open enum).", values=DEXERO_STATUSES)
    is_shippable: bool | None = _value(doc="Whether the order has deliverable products.")
    transaction_type: str | None = _value(doc="Type of transaction.")
    payment_method: str | None = _value(doc="Payment method.")
    payment_provider: str | None = _value(doc="Payment provider.")
    card_type: str | None = _value(doc="Type of card used.")
    reference_number: str | None = _value(doc="Reference number of the order.")
    is_test: bool | None = _value(doc="Whether the order was reported as a test.")
    billing_address: DexeroAddress | None = _value(doc="Billing address.")
    shipping_address: DexeroAddress | None = _value(doc="Delivery address.")
    order_forms: tuple[DexeroOrderForm, ...] | None = _value("order_form", doc="Form data.")
    products: tuple[DexeroOrderProduct, ...] | None = _value("product", doc="Order lines.")
    customer: DexeroCustomer | None = _value(doc="Customer account.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()


@frozen(kw_only=True)
class DexeroOrderPage:
    """A page of Dexero orders: the pagination properties and the orders."""

    total_results: Long | None = _value("totalResults", doc="Total number of orders.")
    start_index: Long | None = _value("startIndex", doc="0-based offset of the first order.")
    items_per_page: Long | None = _value("itemsPerPage", doc="Orders per page.")
    page_count: Long | None = _value("pageCount", doc="Number of pages.")
    uri: str | None = _value(doc="The page's URI (undocumented, seen in Dexero's examples).")
    orders: tuple[DexeroOrder, ...] | None = _value("order", doc="The orders of this page.")
    extra: Mapping[str, Any] = _extra()
    wire: Wire = _wire()

    @classmethod
    def of(cls, orders: Sequence[DexeroOrder]) -> DexeroOrderPage:
        """A page of these orders and nothing else."""
        return cls(orders=tuple(orders))

    def with_orders(self, orders: Sequence[DexeroOrder]) -> DexeroOrderPage:
        """This page holding other orders."""
        return evolve(self, orders=tuple(orders))


OrderPage = TalkdeskOrderPage | DexeroOrderPage
"""A page of orders, in either vocabulary."""

Document = TalkdeskOrderPage | TalkdeskOrder | TalkdeskErrorBody | DexeroOrderPage | DexeroOrder
"""Any document ordermap reads or writes."""
