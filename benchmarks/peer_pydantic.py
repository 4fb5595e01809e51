"""The peer: pydantic v2 models of a Dexero order page, as a user might write them instead.

The models follow the Dexero fields one to one (the same names, wire keys and types as
``ordermap.model``'s Dexero classes): ``long`` and ``int`` are range-checked strict integers,
``decimal(20,2)`` amounts are ``Decimal`` with at most 20 digits and 2 decimals, booleans are
strict, timestamps are aware date-times, lists are lists, unknown members are kept
(``extra="allow"``), ``null`` is accepted where a field is optional. The benchmark runs
``validate_json`` and ``model_dump_json(by_alias=True, exclude_unset=True)`` on the same
dexero-json page bytes as ordermap.

What the peer does not do, and ordermap does: keep an amount's text (pydantic reads a JSON
number through a float, so ``10.50`` comes back ``10.5``), keep a timestamp's text, accept
Dexero's look-typed JSON (a postal code as a number, a bare object for a one-item list),
remember member order and spelling, and report every problem with a JSON Pointer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

__all__ = ["DexeroOrderPageDocument", "order_count", "round_trip"]

Long = Annotated[int, Field(strict=True, ge=-(2**63), le=2**63 - 1)]
Int32 = Annotated[int, Field(strict=True, ge=-(2**31), le=2**31 - 1)]
Amount = Annotated[Decimal, Field(max_digits=20, decimal_places=2, allow_inf_nan=False)]
Bool = Annotated[bool, Field(strict=True)]
_BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
Base64Text = Annotated[str, Field(pattern=_BASE64)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class DexeroAddress(_Model):
    name: str | None = None
    phone_number: str | None = None
    postal_code: str | None = None
    company: str | None = None
    street_address: str | None = None
    city: str | None = None
    iso_country: str | None = None
    iso_region: str | None = None


class DexeroValue(_Model):
    id: Long | None = None
    identifier: str | None = None
    label: str | None = None
    value: str | None = None
    file_name: str | None = Field(None, alias="fileName")
    file_size_bytes: str | None = Field(None, alias="fileSizeBytes")
    file_content_base64: Base64Text | None = Field(None, alias="fileContentBase64")


class DexeroOrderForm(_Model):
    title: str | None = None
    quantity_number: Int32 | None = None
    product_id: Long | None = None
    values: list[DexeroValue] | None = Field(None, alias="value")


class DexeroCustomParam(_Model):
    identifier: str | None = None
    value: str | None = None


class DexeroAttribute(_Model):
    identifier: str | None = None
    value: str | None = None


class DexeroOrderProduct(_Model):
    id: Long | None = None
    sku: str | None = None
    name: str | None = None
    type: str | None = None
    product_price: Amount | None = None
    total_price: Amount | None = None
    price_for_quantity: Amount | None = None
    rebate_amount: Amount | None = None
    tax_amount: Amount | None = None
    quantity: Int32 | None = None
    custom_params: list[DexeroCustomParam] | None = Field(None, alias="custom_param")
    attributes: list[DexeroAttribute] | None = Field(None, alias="attribute")


class DexeroCustomField(_Model):
    identifier: str | None = None
    value: str | None = None


class DexeroCustomer(_Model):
    id: Long | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    default_locale: str | None = None
    date_created: AwareDatetime | date | None = None
    custom_fields: list[DexeroCustomField] | None = Field(None, alias="custom_field")


class DexeroOrder(_Model):
    id: Long | None = None
    customer_id: Long | None = None
    purchase_date: AwareDatetime | None = None
    currency: str | None = None
    customer_comment: str | None = None
    customer_email: str | None = None
    locale: str | None = None
    subtotal_order: Amount | None = None
    subtotal_cancelled: Amount | None = None
    total_order: Amount | None = None
    total_cancelled: Amount | None = None
    total_products: Amount | None = None
    total_payment: Amount | None = None
    total_refunded: Amount | None = None
    total_transactions: Amount | None = None
    total_shipping: Amount | None = None
    total_left_to_pay: Amount | None = None
    total_tax: Amount | None = None
    total_tax_cancelled: Amount | None = None
    ip_address: str | None = None
    is_archived: Bool | None = None
    status: str | None = None
    is_shippable: Bool | None = None
    transaction_type: str | None = None
    payment_method: str | None = None
    payment_provider: str | None = None
    card_type: str | None = None
    reference_number: str | None = None
    is_test: Bool | None = None
    billing_address: DexeroAddress | None = None
    shipping_address: DexeroAddress | None = None
    order_forms: list[DexeroOrderForm] | None = Field(None, alias="order_form")
    products: list[DexeroOrderProduct] | None = Field(None, alias="product")
    customer: DexeroCustomer | None = None


class DexeroOrderPage(_Model):
    total_results: Long | None = Field(None, alias="totalResults")
    start_index: Long | None = Field(None, alias="startIndex")
    items_per_page: Long | None = Field(None, alias="itemsPerPage")
    page_count: Long | None = Field(None, alias="pageCount")
    uri: str | None = None
    orders: list[DexeroOrder] | None = Field(None, alias="order")


class DexeroOrderPageDocument(_Model):
    """The dexero-json page envelope: ``{"orders": {...}}``."""

    orders: DexeroOrderPage


def round_trip(data: bytes) -> str:
    """Validate a dexero-json page and dump it again, as the peer would."""
    page = DexeroOrderPageDocument.model_validate_json(data)
    return page.model_dump_json(by_alias=True, exclude_unset=True)


def order_count(data: bytes) -> int:
    """How many orders the peer read from a page (a sanity check for the benchmark)."""
    page = DexeroOrderPageDocument.model_validate_json(data)
    return len(page.orders.orders or ())
