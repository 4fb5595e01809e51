"""The crosswalk between Talkdesk and Dexero, as data: which field maps to which, and how.

Each :class:`Row` pairs a Talkdesk field with a Dexero field (either may be ``None``) and
names the rule that connects them:

- ``same``: the same value (types converted where the formats differ);
- ``derived``: computed by the named rule of :mod:`ordermap.policy`, lossless only when the
  reverse rule gives back the source value;
- ``talkdesk-only`` / ``dexero-only``: no counterpart; reported lost, refused, or carried.

Paths are wire paths: ``order.shipping_address.first_name``, ``page._links.self.href``;
a list is named by its member (``order.product.quantity``). ``specs/crosswalk.json`` and the
table in ``specs/crosswalk.md`` are generated from :data:`CROSSWALK`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from attrs import frozen

__all__ = ["CROSSWALK", "Row", "rows_for"]

Rule = Literal["same", "derived", "talkdesk-only", "dexero-only"]


@frozen
class Row:
    """One line of the crosswalk."""

    talkdesk: str | None
    dexero: str | None
    rule: Rule
    note: str = ""


def _addresses() -> Iterator[Row]:
    pairs = (
        ("address", "street_address"),
        ("zip_code", "postal_code"),
        ("city", "city"),
        ("phone_number", "phone_number"),
        ("country_code", "iso_country"),
        ("region_code", "iso_region"),
    )
    for address in ("shipping_address", "billing_address"):
        base = f"order.{address}"
        yield Row(base, base, "same", "an address maps to an address")
        for talkdesk, dexero in pairs:
            yield Row(f"{base}.{talkdesk}", f"{base}.{dexero}", "same")
        for part in ("first_name", "last_name"):
            yield Row(
                f"{base}.{part}",
                f"{base}.name",
                "derived",
                "name-split: name is first_name and last_name joined with one space; back, "
                "the name splits at a word boundary (policy names.split)",
            )
        yield Row(f"{base}.id", None, "talkdesk-only")
        yield Row(f"{base}.default", None, "talkdesk-only")
        yield Row(None, f"{base}.company", "dexero-only")


def _money() -> Iterator[Row]:
    pairs = (
        ("original_total_amount", "total_products"),
        ("final_total_amount", "total_order"),
        ("shipping_amount", "total_shipping"),
        ("taxes_amount", "total_tax"),
    )
    yield Row(
        "order.price_summary",
        None,
        "same",
        "made when the Dexero order has total_products and currency (Talkdesk requires "
        "original_total_amount)",
    )
    for talkdesk, dexero in pairs:
        base = f"order.price_summary.{talkdesk}"
        yield Row(base, None, "same", "a Talkdesk money object holds a Dexero amount and currency")
        yield Row(f"{base}.value", f"order.{dexero}", "same", "amounts must fit decimal(20,2)")
        yield Row(
            f"{base}.currency",
            "order.currency",
            "same",
            "the order's one currency; a Talkdesk amount in another currency has no counterpart",
        )
    yield Row("order.price_summary.discounts_amount", None, "talkdesk-only")
    yield Row("order.price_summary.discounts_amount.value", None, "talkdesk-only")
    yield Row("order.price_summary.discounts_amount.currency", None, "talkdesk-only")


def _dexero_only(base: str, names: tuple[str, ...], note: str = "") -> Iterator[Row]:
    for name in names:
        yield Row(None, f"{base}.{name}" if name else base, "dexero-only", note)


def _rows() -> Iterator[Row]:
    yield Row("page", "page", "same", "a page maps to a page")
    yield Row("page._embedded", None, "same", "holds the orders")
    yield Row("page._embedded.orders", "page.order", "same", "orders map one to one, in order")
    for name in ("_links", "_links.self", "_links.self.href", "_links.next", "_links.next.href"):
        yield Row(
            f"page.{name}",
            None,
            "talkdesk-only",
            "not derivable from pagination; an integration builds _links from its base URL",
        )
    yield from _dexero_only(
        "page",
        ("totalResults", "startIndex", "itemsPerPage", "pageCount", "uri"),
        "not derivable from _links",
    )
    yield Row("order", "order", "same", "an order maps to an order")
    yield Row(
        "order.id",
        "order.id",
        "same",
        "Talkdesk to Dexero only when the id is a decimal integer in the long range",
    )
    yield Row("order.order_number", "order.reference_number", "same")
    yield Row("order.customer_id", "order.customer_id", "same", "as id")
    yield Row("order.purchase_datetime", "order.purchase_date", "same", "same text")
    yield Row(
        "order.delivery_type",
        "order.is_shippable",
        "derived",
        "delivery-type: true gives SHIPPING, false gives UNKNOWN; back, SHIPPING, "
        "LOCAL_DELIVERY and LOCAL_PICKUP give true, anything else nothing (policy delivery)",
    )
    yield from _addresses()
    yield Row(
        "order.items_number",
        "order.product",
        "derived",
        "items-number: the sum of quantity over buy lines (policy items.number); the lines "
        "themselves have no Talkdesk counterpart",
    )
    yield from _money()
    yield Row("order.payment_details", None, "same", "holds card_brand and is_refunded")
    yield Row("order.payment_details.card_brand", "order.card_type", "same")
    yield Row(
        "order.payment_details.is_refunded",
        "order.total_refunded",
        "derived",
        "is-refunded: true when total_refunded is greater than zero; the amount does not come back",
    )
    yield Row("order.payment_details.card_brand_image_url", None, "talkdesk-only")
    yield Row("order.payment_details.card_number", None, "talkdesk-only")
    yield Row("order.status", "order.status", "same", "same text")
    yield Row("order.order_extra_info", None, "same", "holds latest_status_info")
    yield Row("order.order_extra_info.highlighted_item_image_url", None, "talkdesk-only")
    yield Row(
        "order.order_extra_info.latest_status_info",
        "order.status",
        "derived",
        "status-info: Dexero status gives generic and detailed type (policy status); back, "
        "when the Talkdesk order has no status, generic_type gives the status (policy "
        "generic_type)",
    )
    for name in ("generic_type", "detailed_type"):
        yield Row(
            f"order.order_extra_info.latest_status_info.{name}",
            "order.status",
            "derived",
            "status-info",
        )
    yield Row("order.order_extra_info.latest_status_info.status_date_time", None, "talkdesk-only")
    yield Row(
        "order.custom_fields", None, "talkdesk-only", "custom_fields.dexero is the carry slot"
    )
    yield from _dexero_only(
        "order",
        (
            "customer_comment",
            "customer_email",
            "locale",
            "subtotal_order",
            "subtotal_cancelled",
            "total_cancelled",
            "total_payment",
            "total_transactions",
            "total_left_to_pay",
            "total_tax_cancelled",
            "ip_address",
            "is_archived",
            "transaction_type",
            "payment_method",
            "payment_provider",
            "is_test",
        ),
    )
    yield from _dexero_only(
        "order.product",
        (
            "id",
            "sku",
            "name",
            "type",
            "product_price",
            "total_price",
            "price_for_quantity",
            "rebate_amount",
            "tax_amount",
            "quantity",
            "custom_param",
            "custom_param.identifier",
            "custom_param.value",
            "attribute",
            "attribute.identifier",
            "attribute.value",
        ),
        "order lines have no Talkdesk counterpart (type and quantity feed items_number)",
    )
    yield from _dexero_only(
        "order.order_form",
        (
            "",
            "title",
            "quantity_number",
            "product_id",
            "value",
            "value.id",
            "value.identifier",
            "value.label",
            "value.value",
            "value.fileName",
            "value.fileSizeBytes",
            "value.fileContentBase64",
        ),
    )
    yield from _dexero_only(
        "order.customer",
        (
            "",
            "id",
            "first_name",
            "last_name",
            "email",
            "default_locale",
            "date_created",
            "custom_field",
            "custom_field.identifier",
            "custom_field.value",
        ),
        "customer.custom_field entry ordermap:talkdesk is the carry slot",
    )
    for name in ("error", "error.code", "error.message", "error.description"):
        yield Row(name, None, "talkdesk-only", "error bodies have no Dexero counterpart")
    for name in ("error.fields", "error.fields.name", "error.fields.description"):
        yield Row(name, None, "talkdesk-only", "error bodies have no Dexero counterpart")


CROSSWALK: tuple[Row, ...] = tuple(_rows())
"""Every field of both vocabularies with its counterpart and rule."""


def rows_for(side: Literal["talkdesk", "dexero"], path: str) -> tuple[Row, ...]:
    """The rows that name a field path on one side."""
    return _ROWS[side].get(path, ())


def _index(side: str) -> dict[str, tuple[Row, ...]]:
    rows: dict[str, tuple[Row, ...]] = {}
    for row in CROSSWALK:
        path = getattr(row, side)
        if path is not None:
            rows[path] = (*rows.get(path, ()), row)
    return rows


# The table is constant: index it once (a translation asks for every value it reports).
_ROWS = {"talkdesk": _index("talkdesk"), "dexero": _index("dexero")}
