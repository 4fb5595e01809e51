"""The Dexero classes: an order as Dexero's order API gives it (in JSON and in XML) and its page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from attrs import evolve, frozen

from ..values import CalendarDate, Timestamp
from .wire import Amount, Base64Text, Int32, Long, Wire, extra_members, member, wire_member

DEXERO_STATUSES = ("cancelled", "completed", "pending", "treated")
PRODUCT_TYPES = ("buy", "refund")


@frozen(kw_only=True)
class DexeroAddress:
    """A Dexero billing or shipping address."""

    name: str | None = member(doc="Name of the resident.")
    phone_number: str | None = member(doc="Telephone number.")
    postal_code: str | None = member(doc="Postal code.")
    company: str | None = member(doc="Company name.")
    street_address: str | None = member(doc="The address.")
    city: str | None = member(doc="City.")
    iso_country: str | None = member(doc="ISO country code.")
    iso_region: str | None = member(doc="ISO 3166-2 region code (`PT-11`).")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class DexeroValue:
    """A value a customer entered in an order form."""

    id: Long | None = member(doc="The value's id (long).")
    identifier: str | None = member(doc="Identifier of the form field.")
    label: str | None = member(doc="Label of the form field.")
    value: str | None = member(doc="What the customer entered.")
    file_name: str | None = member("fileName", doc="File name.")
    file_size_bytes: str | None = member("fileSizeBytes", doc="File size in bytes, a string.")
    file_content_base64: Base64Text | None = member(
        "fileContentBase64", doc="The file, base64 (files under 10 MB only)."
    )
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class DexeroOrderForm:
    """Form data attached to an order."""

    title: str | None = member(doc="Title of the form.")
    quantity_number: Int32 | None = member(doc="Number quantity (int).")
    product_id: Long | None = member(doc="The product's id (long).")
    values: tuple[DexeroValue, ...] | None = member("value", doc="Values the customer entered.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class DexeroCustomParam:
    """A custom parameter of an order line."""

    identifier: str | None = member(doc="Identifier of the custom field.")
    value: str | None = member(doc="Value of the custom field.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class DexeroAttribute:
    """An attribute of an order line."""

    identifier: str | None = member(doc="Identifier of the attribute.")
    value: str | None = member(doc="Value entered by the client.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class DexeroOrderProduct:
    """An order line."""

    id: Long | None = member(doc="The product's id (long).")
    sku: str | None = member(doc="Stock keeping unit.")
    name: str | None = member(doc="Product name.")
    type: str | None = member(doc="`buy` or `refund` (open enum).", values=PRODUCT_TYPES)
    product_price: Amount | None = member(doc="Price of the product.")
    total_price: Amount | None = member(doc="Total price including the discount.")
    price_for_quantity: Amount | None = member(doc="Price for the quantity.")
    rebate_amount: Amount | None = member(doc="Discount amount.")
    tax_amount: Amount | None = member(doc="Tax amount.")
    quantity: Int32 | None = member(doc="Quantity purchased (int).")
    custom_params: tuple[DexeroCustomParam, ...] | None = member(
        "custom_param", doc="Custom parameters."
    )
    attributes: tuple[DexeroAttribute, ...] | None = member("attribute", doc="Attributes.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class DexeroCustomField:
    """A custom setting of a customer."""

    identifier: str | None = member(doc="Identifier of the custom field.")
    value: str | None = member(doc="Value of the custom field.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class DexeroCustomer:
    """The customer account of an order."""

    id: Long | None = member(doc="The account's id (long).")
    first_name: str | None = member(doc="First name.")
    last_name: str | None = member(doc="Last name.")
    email: str | None = member(doc="Email (the seed's nameless row).")
    default_locale: str | None = member(doc="Language code.")
    date_created: Timestamp | CalendarDate | None = member(
        doc="Account creation, a date or an RFC 3339 date-time."
    )
    custom_fields: tuple[DexeroCustomField, ...] | None = member(
        "custom_field", doc="Custom settings."
    )
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class DexeroOrder:
    """A Dexero order."""

    id: Long | None = member(doc="The order's id (long).")
    customer_id: Long | None = member(doc="The account's id (long).")
    purchase_date: Timestamp | None = member(doc="Date of purchase (RFC 3339 date-time).")
    currency: str | None = member(doc="ISO 4217 currency code.")
    customer_comment: str | None = member(doc="Message left by the customer.")
    customer_email: str | None = member(doc="The customer's email.")
    locale: str | None = member(doc="ISO language code when ordering.")
    subtotal_order: Amount | None = member(doc="Subtotal of the order.")
    subtotal_cancelled: Amount | None = member(doc="Subtotal cancelled.")
    total_order: Amount | None = member(doc="Total of the order.")
    total_cancelled: Amount | None = member(doc="Total cancelled.")
    total_products: Amount | None = member(doc="Total of the products.")
    total_payment: Amount | None = member(doc="Total payment.")
    total_refunded: Amount | None = member(doc="Total refunded.")
    total_transactions: Amount | None = member(doc="Total of the transactions.")
    total_shipping: Amount | None = member(doc="Total of delivery.")
    total_left_to_pay: Amount | None = member(doc="Amount left to pay.")
    total_tax: Amount | None = member(doc="Total of taxes.")
    total_tax_cancelled: Amount | None = member(doc="Total of cancelled taxes.")
    ip_address: str | None = member(doc="The customer's IP address.")
    is_archived: bool | None = member(doc="Whether the order was removed (archived).")
    status: str | None = member(doc="Order status (open enum).", values=DEXERO_STATUSES)
    is_shippable: bool | None = member(doc="Whether the order has deliverable products.")
    transaction_type: str | None = member(doc="Type of transaction.")
    payment_method: str | None = member(doc="Payment method.")
    payment_provider: str | None = member(doc="Payment provider.")
    card_type: str | None = member(doc="Type of card used.")
    reference_number: str | None = member(doc="Reference number of the order.")
    is_test: bool | None = member(doc="Whether the order was reported as a test.")
    billing_address: DexeroAddress | None = member(doc="Billing address.")
    shipping_address: DexeroAddress | None = member(doc="Delivery address.")
    order_forms: tuple[DexeroOrderForm, ...] | None = member("order_form", doc="Form data.")
    products: tuple[DexeroOrderProduct, ...] | None = member("product", doc="Order lines.")
    customer: DexeroCustomer | None = member(doc="Customer account.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()


@frozen(kw_only=True)
class DexeroOrderPage:
    """A page of Dexero orders: the pagination properties and the orders."""

    total_results: Long | None = member("totalResults", doc="Total number of orders.")
    start_index: Long | None = member("startIndex", doc="0-based offset of the first order.")
    items_per_page: Long | None = member("itemsPerPage", doc="Orders per page.")
    page_count: Long | None = member("pageCount", doc="Number of pages.")
    uri: str | None = member(doc="The page's URI (undocumented, seen in Dexero's examples).")
    orders: tuple[DexeroOrder, ...] | None = member("order", doc="The orders of this page.")
    extra: Mapping[str, Any] = extra_members()
    wire: Wire = wire_member()

    @classmethod
    def of(cls, orders: Sequence[DexeroOrder]) -> DexeroOrderPage:
        """A page of these orders and nothing else."""
        return cls(orders=tuple(orders))

    def with_orders(self, orders: Sequence[DexeroOrder]) -> DexeroOrderPage:
        """This page holding other orders."""
        return evolve(self, orders=tuple(orders))
