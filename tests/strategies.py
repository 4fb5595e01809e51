"""Hypothesis strategies for ordermap: model objects and raw wire documents.

Two families:

- **Model objects** built in code (``wire`` empty, ``extra`` empty), whose values respect each
  format's limits through knobs rather than ``assume()``: ``xml_safe`` keeps text to what XML
  1.0 can hold, ``empty_lists`` allows empty tuples (which XML cannot tell from absent).
- **Raw documents** in every spelling a reader accepts: JSON as Python values (``dict`` in
  member order, ``list``, ``str``, ``bool``, ``None`` and :class:`~ordermap.values.JsonNumber`
  for every number, so the number's text is exact), turned into bytes by
  :func:`json_documents`; dexero-xml as text.

The field tables below are written from the product brief, not read from the model, so that
a model or converter that drifts from the contract is caught (``test_strategies`` checks the
tables against the model's wire keys).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

import attrs
from hypothesis import strategies as st

from ordermap.carry_mark import MARK, PAGE_SLOT, SLOT_IDENTIFIER, lookalike, lookalike_text
from ordermap.formats import json_read, json_write
from ordermap.limits import DEFAULT_LIMITS
from ordermap.model import (
    DELIVERY_TYPES,
    DETAILED_TYPES,
    DEXERO_STATUSES,
    GENERIC_TYPES,
    PRODUCT_TYPES,
    DexeroAddress,
    DexeroAttribute,
    DexeroCustomer,
    DexeroCustomField,
    DexeroCustomParam,
    DexeroOrder,
    DexeroOrderForm,
    DexeroOrderPage,
    DexeroOrderProduct,
    DexeroValue,
    TalkdeskAddress,
    TalkdeskEmbedded,
    TalkdeskErrorBody,
    TalkdeskErrorField,
    TalkdeskLink,
    TalkdeskLinks,
    TalkdeskMoney,
    TalkdeskOrder,
    TalkdeskOrderExtraInfo,
    TalkdeskOrderPage,
    TalkdeskPaymentDetails,
    TalkdeskPriceSummary,
    TalkdeskStatusInfo,
)
from ordermap.values import CalendarDate, JsonNumber, Timestamp

S = st.SearchStrategy

LONG_RANGE = (-(2**63), 2**63 - 1)
INT32_RANGE = (-(2**31), 2**31 - 1)
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# --- text ----------------------------------------------------------------------------------

XML_FORBIDDEN = frozenset(
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]
)
"""Characters XML 1.0 cannot hold at all (surrogates aside, which no UTF-8 text holds)."""


def is_xml_safe(text: str) -> bool:
    """Whether XML 1.0 can hold ``text``."""
    return not any(ch in XML_FORBIDDEN or "\ud800" <= ch <= "\udfff" for ch in text)


_SPECIAL_TEXT = (
    "",
    " ",
    "  padded  ",
    "a\r\nb\rc\n",
    "tab\there",
    "&amp; <b> \"q\" 'a'",
    "]]>",
    "90210",
    "007",
    "1e5",
    "-0",
    "true",
    "false",
    "null",
    "10.50",
    "#Y34DHR",
    "** ** ** *567",
    "\x7f\x85\u2028",
    "Łódź 東京 🚚",
    "a/b\\c",
)
_JSON_ONLY_TEXT = ("\x00", "nul\x00in", "\x1b[0m", "\ud800", "lone \udfff end", "\ufffe\uffff")


@functools.cache
def texts(*, xml_safe: bool, max_size: int = 12) -> S[str]:
    """Any text a string field can hold; with ``xml_safe`` only what XML 1.0 can hold."""
    if xml_safe:
        chars = st.characters(exclude_categories=("Cs",), exclude_characters=XML_FORBIDDEN)
        special = _SPECIAL_TEXT
    else:
        chars = st.characters()  # surrogates included: JSON can escape them
        special = _SPECIAL_TEXT + _JSON_ONLY_TEXT
    return st.one_of(st.text(chars, max_size=max_size), st.sampled_from(special))


@functools.cache
def _enum_texts(values: tuple[str, ...], *, xml_safe: bool) -> S[str]:
    """An open enum: mostly a listed value, sometimes anything."""
    return st.one_of(st.sampled_from(values), st.sampled_from(values), texts(xml_safe=xml_safe))


@functools.cache
def xml_names(*, exclude: frozenset[str] = frozenset()) -> S[str]:
    """Element names the Dexero layout can carry (not starting with ``xml``, no colon)."""
    return (
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,8}", fullmatch=True)
        .filter(lambda name: not name.lower().startswith("xml"))
        .filter(lambda name: name not in exclude)
    )


@functools.cache
def json_keys(*, xml_safe: bool, exclude: frozenset[str] = frozenset()) -> S[str]:
    """Member names for unknown members; XML names when the document must fit XML."""
    if xml_safe:
        return xml_names(exclude=exclude)
    return st.one_of(texts(xml_safe=False, max_size=8), xml_names()).filter(
        lambda name: name not in exclude
    )


# --- scalars -------------------------------------------------------------------------------


@functools.cache
def longs() -> S[int]:
    """Dexero ``long``: a signed 64-bit integer."""
    return st.one_of(
        st.integers(*LONG_RANGE), st.sampled_from([LONG_RANGE[0], LONG_RANGE[1], 0, -1, 1001])
    )


@functools.cache
def int32s() -> S[int]:
    """Dexero ``int``: a signed 32-bit integer."""
    return st.one_of(st.integers(*INT32_RANGE), st.sampled_from([*INT32_RANGE, 0, 3]))


def _digits(min_size: int, max_size: int) -> S[str]:
    return st.text("0123456789", min_size=min_size, max_size=max_size)


def _integer_part(max_digits: int) -> S[str]:
    """Decimal integer text without leading zeros."""
    head = st.sampled_from("123456789")
    return st.one_of(
        st.just("0"),
        st.tuples(head, _digits(0, max_digits - 1)).map("".join),
    )


@st.composite
def _plain_decimal_text(draw: Any, max_int_digits: int, max_fraction_digits: int) -> str:
    sign = draw(st.sampled_from(["", "", "-"]))
    whole = draw(_integer_part(max_int_digits))
    fraction = draw(_digits(0, max_fraction_digits))
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


_AMOUNT_EDGES = (
    "10",
    "10.5",
    "10.50",
    "-0.00",
    "-0",
    "0",
    "0.00",
    "0.1",
    "-12.30",
    "999999999999999999.99",
    "-999999999999999999.99",
    "100000000000000000",
)


@functools.cache
def amount_texts() -> S[str]:
    """Dexero ``decimal(20,2)`` text: at most 18 integer and 0 to 2 fraction digits."""
    return st.one_of(st.sampled_from(_AMOUNT_EDGES), _plain_decimal_text(18, 2))


def amounts() -> S[Decimal]:
    """Dexero amounts, scale kept (``10``, ``10.5``, ``10.50``, ``-0.00``)."""
    return amount_texts().map(Decimal)


_MONEY_EDGES = ("10.5", "10.50", "10", "10.500", "-0", "-0.0", "0.000001", "1" + "0" * 40)


@functools.cache
def talkdesk_money_texts() -> S[str]:
    """Talkdesk money ``value`` text: any plain JSON number, at most 64 characters."""
    return st.one_of(st.sampled_from(_MONEY_EDGES), _plain_decimal_text(30, 30))


def talkdesk_money_values() -> S[Decimal]:
    return talkdesk_money_texts().map(Decimal)


_NUMBER_EDGES = ("-0", "-0.0", "0", "1e5", "1E+05", "1e-7", "1.10", "90210", "-1.0e0")


@st.composite
def json_number_texts(draw: Any) -> str:
    """Any JSON number text (exponents, ``-0``, trailing zeros), at most about 40 characters."""
    if draw(st.integers(0, 4)) == 0:
        return str(draw(st.sampled_from(_NUMBER_EDGES)))
    text = draw(_plain_decimal_text(15, 6))
    if draw(st.integers(0, 3)) == 0:
        exponent = draw(_digits(1, 3))
        text += draw(st.sampled_from(["e", "E"])) + draw(st.sampled_from(["", "+", "-"])) + exponent
    return text


def parsed_number(text: str) -> Any:
    """The Python value :func:`ordermap.formats.json_read.parse` makes of a JSON number's text."""
    if "e" in text or "E" in text or text == "-0":
        return JsonNumber(text)
    if "." in text:
        return Decimal(text)
    return int(text)


@st.composite
def timestamp_texts(draw: Any) -> str:
    """RFC 3339 date-times with an offset: ``T``/``t``, ``Z``/``z``/``+HH:MM``, fractions."""
    date = draw(st.dates(min_value=dt.date(1, 1, 1)))
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    second = draw(st.one_of(st.integers(0, 59), st.just(60)))  # RFC 3339 allows a leap second
    fraction = draw(st.one_of(st.just(""), _digits(1, 9).map(lambda d: "." + d)))
    offset = draw(
        st.one_of(
            st.sampled_from(["Z", "z", "+00:00", "-00:00"]),
            st.tuples(st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59)).map(
                lambda t: f"{t[0]}{t[1]:02d}:{t[2]:02d}"
            ),
        )
    )
    sep = draw(st.sampled_from("TTt"))
    return f"{date.isoformat()}{sep}{hour:02d}:{minute:02d}:{second:02d}{fraction}{offset}"


def timestamps() -> S[Timestamp]:
    return timestamp_texts().map(Timestamp)


@functools.cache
def date_texts() -> S[str]:
    return st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat)


def calendar_dates() -> S[CalendarDate]:
    return date_texts().map(CalendarDate)


@functools.cache
def base64_texts() -> S[str]:
    """Valid standard, padded base64 (the empty string included)."""
    return st.binary(max_size=20).map(lambda b: base64.b64encode(b).decode("ascii"))


# --- free-form JSON values -----------------------------------------------------------------


@functools.cache
def json_values(*, xml_safe: bool, parsed: bool, max_leaves: int = 6) -> S[Any]:
    """Any JSON value, as an unknown member or ``custom_fields`` may hold.

    Args:
        xml_safe: Only values the XML layout can express: XML-safe text, XML names as keys,
            no array directly inside an array.
        parsed: Numbers as :func:`ordermap.formats.json_read.parse` makes them (``int``, ``Decimal``,
            ``JsonNumber``), for model objects; otherwise every number is a ``JsonNumber``
            (raw documents).
    """
    number = json_number_texts().map(parsed_number if parsed else JsonNumber)
    leaves = st.one_of(st.none(), st.booleans(), number, texts(xml_safe=xml_safe, max_size=8))
    keys = json_keys(xml_safe=xml_safe)

    def extend(children: S[Any]) -> S[Any]:
        objects = st.lists(st.tuples(keys, children), max_size=3, unique_by=lambda kv: kv[0]).map(
            dict
        )
        items = st.one_of(leaves, objects) if xml_safe else children
        return st.one_of(st.lists(items, max_size=3), objects)

    return st.recursive(leaves, extend, max_leaves=max_leaves)


@functools.cache
def json_objects(*, xml_safe: bool, parsed: bool) -> S[dict[str, Any]]:
    """A free-form JSON object (``custom_fields``)."""
    return st.lists(
        st.tuples(json_keys(xml_safe=xml_safe), json_values(xml_safe=xml_safe, parsed=parsed)),
        max_size=3,
        unique_by=lambda kv: kv[0],
    ).map(dict)


# --- model objects -------------------------------------------------------------------------


def _maybe(strategy: S[Any]) -> S[Any]:
    return st.one_of(st.none(), strategy)


def _items(strategy: S[Any], *, empty_lists: bool, max_size: int = 2) -> S[Any]:
    """A list field: ``None``, sometimes ``()``, or one or more items."""
    options = [st.none(), st.lists(strategy, min_size=1, max_size=max_size).map(tuple)]
    if empty_lists:
        options.append(st.just(()))
    return st.one_of(options)


def _model(cls: type, required: dict[str, S[Any]] | None = None, **optional: S[Any]) -> S[Any]:
    fields = {name: _maybe(strategy) for name, strategy in optional.items()}
    fields.update(required or {})
    return st.fixed_dictionaries(fields).map(lambda kwargs: cls(**kwargs))


def dexero_orders(*, xml_safe: bool, empty_lists: bool = True) -> S[DexeroOrder]:
    """Dexero orders made in code (``wire`` and ``extra`` empty).

    Args:
        xml_safe: Keep text to what XML 1.0 can hold.
        empty_lists: Allow empty tuples in list fields (XML writes nothing for them).
    """
    text = texts(xml_safe=xml_safe)

    def pairs(cls: type) -> S[Any]:
        return _model(cls, identifier=text, value=text)

    def lists(strategy: S[Any], max_size: int = 2) -> S[Any]:
        return _items(strategy, empty_lists=empty_lists, max_size=max_size)

    address = _model(
        DexeroAddress,
        name=text,
        phone_number=text,
        postal_code=text,
        company=text,
        street_address=text,
        city=text,
        iso_country=text,
        iso_region=text,
    )
    value = _model(
        DexeroValue,
        id=longs(),
        identifier=text,
        label=text,
        value=text,
        file_name=text,
        file_size_bytes=text,
        file_content_base64=base64_texts(),
    )
    form = _model(
        DexeroOrderForm,
        title=text,
        quantity_number=int32s(),
        product_id=longs(),
        values=lists(value),
    )
    product = _model(
        DexeroOrderProduct,
        id=longs(),
        sku=text,
        name=text,
        type=_enum_texts(PRODUCT_TYPES, xml_safe=xml_safe),
        product_price=amounts(),
        total_price=amounts(),
        price_for_quantity=amounts(),
        rebate_amount=amounts(),
        tax_amount=amounts(),
        quantity=int32s(),
        custom_params=lists(pairs(DexeroCustomParam)),
        attributes=lists(pairs(DexeroAttribute)),
    )
    customer = _model(
        DexeroCustomer,
        id=longs(),
        first_name=text,
        last_name=text,
        email=text,
        default_locale=text,
        date_created=st.one_of(timestamps(), calendar_dates()),
        custom_fields=lists(pairs(DexeroCustomField)),
    )
    amount_fields = {
        name: amounts()
        for name in (
            "subtotal_order",
            "subtotal_cancelled",
            "total_order",
            "total_cancelled",
            "total_products",
            "total_payment",
            "total_refunded",
            "total_transactions",
            "total_shipping",
            "total_left_to_pay",
            "total_tax",
            "total_tax_cancelled",
        )
    }
    text_fields = {
        name: text
        for name in (
            "currency",
            "customer_comment",
            "customer_email",
            "locale",
            "ip_address",
            "transaction_type",
            "payment_method",
            "payment_provider",
            "card_type",
            "reference_number",
        )
    }
    return _model(
        DexeroOrder,
        id=longs(),
        customer_id=longs(),
        purchase_date=timestamps(),
        is_archived=st.booleans(),
        is_shippable=st.booleans(),
        is_test=st.booleans(),
        status=_enum_texts(DEXERO_STATUSES, xml_safe=xml_safe),
        billing_address=address,
        shipping_address=address,
        order_forms=lists(form),
        products=lists(product, 3),
        customer=customer,
        **amount_fields,
        **text_fields,
    )


def dexero_pages(*, xml_safe: bool, empty_lists: bool = True) -> S[DexeroOrderPage]:
    """Dexero order pages made in code; the knobs are :func:`dexero_orders`'."""
    return _model(
        DexeroOrderPage,
        total_results=longs(),
        start_index=longs(),
        items_per_page=longs(),
        page_count=longs(),
        uri=texts(xml_safe=xml_safe),
        orders=_items(
            dexero_orders(xml_safe=xml_safe, empty_lists=empty_lists), empty_lists=empty_lists
        ),
    )


def dexero_documents(*, xml_safe: bool, empty_lists: bool = True) -> S[Any]:
    return st.one_of(
        dexero_orders(xml_safe=xml_safe, empty_lists=empty_lists),
        dexero_pages(xml_safe=xml_safe, empty_lists=empty_lists),
    )


def _talkdesk_money(*, xml_safe: bool = False) -> S[TalkdeskMoney]:
    return _model(
        TalkdeskMoney,
        required={
            "value": talkdesk_money_values(),
            "currency": st.one_of(st.sampled_from(["EUR", "USD"]), texts(xml_safe=xml_safe)),
        },
    )


def _talkdesk_order_parts(*, xml_safe: bool) -> dict[str, S[Any]]:
    """Strategies for the nested parts of a Talkdesk order, by field name."""
    text = texts(xml_safe=xml_safe)
    address = _model(
        TalkdeskAddress,
        id=text,
        first_name=text,
        last_name=text,
        phone_number=text,
        address=text,
        zip_code=text,
        city=text,
        region_code=text,
        country_code=text,
        default=st.booleans(),
    )
    money = _talkdesk_money(xml_safe=xml_safe)
    summary = _model(
        TalkdeskPriceSummary,
        required={"original_total_amount": money},
        discounts_amount=money,
        shipping_amount=money,
        taxes_amount=money,
        final_total_amount=money,
    )
    payment = _model(
        TalkdeskPaymentDetails,
        card_brand=text,
        card_brand_image_url=text,
        card_number=text,
        is_refunded=st.booleans(),
    )
    status_info = _model(
        TalkdeskStatusInfo,
        required={"generic_type": _enum_texts(GENERIC_TYPES, xml_safe=xml_safe)},
        detailed_type=_enum_texts(DETAILED_TYPES, xml_safe=xml_safe),
        status_date_time=timestamps(),
    )
    extra_info = _model(
        TalkdeskOrderExtraInfo, highlighted_item_image_url=text, latest_status_info=status_info
    )
    return {
        "shipping_address": address,
        "billing_address": address,
        "price_summary": summary,
        "payment_details": payment,
        "order_extra_info": extra_info,
    }


def talkdesk_orders(*, custom_fields: bool = True) -> S[TalkdeskOrder]:
    """Talkdesk orders made in code; ``custom_fields`` allows the free-form object."""
    text = texts(xml_safe=False)
    free = json_objects(xml_safe=False, parsed=True) if custom_fields else st.none()
    return _model(
        TalkdeskOrder,
        required={"id": text, "order_number": text},
        customer_id=text,
        purchase_datetime=timestamps(),
        delivery_type=_enum_texts(DELIVERY_TYPES, xml_safe=False),
        items_number=st.integers(-(10**30), 10**30),
        status=text,
        custom_fields=free,
        **_talkdesk_order_parts(xml_safe=False),
    )


def talkdesk_pages(*, custom_fields: bool = True, max_orders: int = 2) -> S[TalkdeskOrderPage]:
    """Talkdesk order pages made in code, with or without ``_links``."""
    link = _model(TalkdeskLink, required={"href": texts(xml_safe=False)})
    links = _model(TalkdeskLinks, required={"self_": link}, next=link)
    embedded = _model(
        TalkdeskEmbedded,
        required={
            "orders": st.lists(
                talkdesk_orders(custom_fields=custom_fields), max_size=max_orders
            ).map(tuple)
        },
    )
    return _model(TalkdeskOrderPage, required={"embedded": embedded}, links=links)


def talkdesk_error_bodies() -> S[TalkdeskErrorBody]:
    """Talkdesk error bodies made in code."""
    text = texts(xml_safe=False)
    error_field = _model(TalkdeskErrorField, required={"name": text, "description": text})
    return _model(
        TalkdeskErrorBody,
        required={"code": text, "message": text},
        description=text,
        fields=_items(error_field, empty_lists=True, max_size=3),
    )


def talkdesk_documents() -> S[Any]:
    return st.one_of(talkdesk_orders(), talkdesk_pages(), talkdesk_error_bodies())


# --- field tables for raw documents --------------------------------------------------------


class F(NamedTuple):
    """One member of a wire object: key, lexical kind, sub-table or enum values, required."""

    key: str
    kind: str
    sub: Any = None
    required: bool = False


def _texts(*keys: str) -> list[F]:
    return [F(key, "text") for key in keys]


def _amounts(*keys: str) -> list[F]:
    return [F(key, "amount") for key in keys]


_PAIR = (*_texts("identifier", "value"),)

DEXERO: dict[str, tuple[F, ...]] = {
    "address": (
        *_texts(
            "name",
            "phone_number",
            "postal_code",
            "company",
            "street_address",
            "city",
            "iso_country",
            "iso_region",
        ),
    ),
    "value": (
        F("id", "long"),
        *_texts("identifier", "label", "value", "fileName", "fileSizeBytes"),
        F("fileContentBase64", "base64"),
    ),
    "order_form": (
        F("title", "text"),
        F("quantity_number", "int"),
        F("product_id", "long"),
        F("value", "list", "value"),
    ),
    "custom_param": _PAIR,
    "attribute": _PAIR,
    "custom_field": _PAIR,
    "product": (
        F("id", "long"),
        *_texts("sku", "name"),
        F("type", "text", PRODUCT_TYPES),
        *_amounts(
            "product_price", "total_price", "price_for_quantity", "rebate_amount", "tax_amount"
        ),
        F("quantity", "int"),
        F("custom_param", "list", "custom_param"),
        F("attribute", "list", "attribute"),
    ),
    "customer": (
        F("id", "long"),
        *_texts("first_name", "last_name", "email", "default_locale"),
        F("date_created", "date_or_timestamp"),
        F("custom_field", "list", "custom_field"),
    ),
    "order": (
        F("id", "long"),
        F("customer_id", "long"),
        F("purchase_date", "timestamp"),
        *_texts("currency", "customer_comment", "customer_email", "locale"),
        *_amounts(
            "subtotal_order",
            "subtotal_cancelled",
            "total_order",
            "total_cancelled",
            "total_products",
            "total_payment",
            "total_refunded",
            "total_transactions",
            "total_shipping",
            "total_left_to_pay",
            "total_tax",
            "total_tax_cancelled",
        ),
        F("ip_address", "text"),
        F("is_archived", "bool"),
        F("status", "text", DEXERO_STATUSES),
        F("is_shippable", "bool"),
        *_texts(
            "transaction_type",
            "payment_method",
            "payment_provider",
            "card_type",
            "reference_number",
        ),
        F("is_test", "bool"),
        F("billing_address", "object", "address"),
        F("shipping_address", "object", "address"),
        F("order_form", "list", "order_form"),
        F("product", "list", "product"),
        F("customer", "object", "customer"),
    ),
    "orders": (
        F("totalResults", "long"),
        F("startIndex", "long"),
        F("itemsPerPage", "long"),
        F("pageCount", "long"),
        F("uri", "text"),
        F("order", "list", "order"),
    ),
}
"""Dexero objects by element name; ``order`` and ``orders`` are the document roots."""

DEXERO_MODELS = {
    "address": DexeroAddress,
    "value": DexeroValue,
    "order_form": DexeroOrderForm,
    "custom_param": DexeroCustomParam,
    "attribute": DexeroAttribute,
    "custom_field": DexeroCustomField,
    "product": DexeroOrderProduct,
    "customer": DexeroCustomer,
    "order": DexeroOrder,
    "orders": DexeroOrderPage,
}

TALKDESK: dict[str, tuple[F, ...]] = {
    "address": (
        *_texts(
            "id",
            "first_name",
            "last_name",
            "phone_number",
            "address",
            "zip_code",
            "city",
            "region_code",
            "country_code",
        ),
        F("default", "bool"),
    ),
    "money": (F("value", "money", required=True), F("currency", "text", required=True)),
    "price_summary": (
        F("original_total_amount", "object", "money", required=True),
        F("discounts_amount", "object", "money"),
        F("shipping_amount", "object", "money"),
        F("taxes_amount", "object", "money"),
        F("final_total_amount", "object", "money"),
    ),
    "payment_details": (
        *_texts("card_brand", "card_brand_image_url", "card_number"),
        F("is_refunded", "bool"),
    ),
    "status_info": (
        F("generic_type", "text", GENERIC_TYPES, required=True),
        F("detailed_type", "text", DETAILED_TYPES),
        F("status_date_time", "timestamp"),
    ),
    "order_extra_info": (
        F("highlighted_item_image_url", "text"),
        F("latest_status_info", "object", "status_info"),
    ),
    "order": (
        F("id", "text", required=True),
        F("customer_id", "text"),
        F("order_number", "text", required=True),
        F("purchase_datetime", "timestamp"),
        F("delivery_type", "text", DELIVERY_TYPES),
        F("shipping_address", "object", "address"),
        F("billing_address", "object", "address"),
        F("items_number", "integer"),
        F("price_summary", "object", "price_summary"),
        F("payment_details", "object", "payment_details"),
        F("order_extra_info", "object", "order_extra_info"),
        F("status", "text"),
        F("custom_fields", "free"),
    ),
    "link": (F("href", "text", required=True),),
    "links": (F("self", "object", "link", required=True), F("next", "object", "link")),
    "embedded": (F("orders", "list", "order", required=True),),
    "page": (
        F("_embedded", "object", "embedded", required=True),
        F("_links", "object", "links"),
    ),
    "error_field": (F("name", "text", required=True), F("description", "text", required=True)),
    "error": (
        F("code", "text", required=True),
        F("message", "text", required=True),
        F("description", "text"),
        F("fields", "list", "error_field"),
    ),
}
"""Talkdesk objects by name; ``page``, ``order`` and ``error`` are the documents."""

TALKDESK_MODELS = {
    "address": TalkdeskAddress,
    "money": TalkdeskMoney,
    "price_summary": TalkdeskPriceSummary,
    "payment_details": TalkdeskPaymentDetails,
    "status_info": TalkdeskStatusInfo,
    "order_extra_info": TalkdeskOrderExtraInfo,
    "order": TalkdeskOrder,
    "link": TalkdeskLink,
    "links": TalkdeskLinks,
    "embedded": TalkdeskEmbedded,
    "page": TalkdeskOrderPage,
    "error_field": TalkdeskErrorField,
    "error": TalkdeskErrorBody,
}

AMOUNT_KEYS = frozenset(f.key for fields in DEXERO.values() for f in fields if f.kind == "amount")
DEXERO_LIST_KEYS = frozenset(f.key for fs in DEXERO.values() for f in fs if f.kind == "list")
DEXERO_TEXT_KEYS = frozenset(f.key for fs in DEXERO.values() for f in fs if f.kind == "text")

# How often an optional member is absent, null or present.
_PRESENCES = st.sampled_from(("absent", "absent", "null", "value", "value", "value"))


# --- raw JSON documents --------------------------------------------------------------------


def _number_token(strategy: S[Any]) -> S[JsonNumber]:
    return strategy.map(lambda value: JsonNumber(str(value)))


@functools.cache
def _dexero_json_scalar(field: F, xml_safe: bool) -> S[Any]:
    kind = field.kind
    if kind == "long":
        return _number_token(longs())
    if kind == "int":
        return _number_token(int32s())
    if kind == "amount":
        # A decimal as a JSON number or as a JSON string, the text kept either way.
        return amount_texts().flatmap(lambda t: st.sampled_from([JsonNumber(t), t]))
    if kind == "bool":
        return st.booleans()
    if kind == "timestamp":
        return timestamp_texts()
    if kind == "date_or_timestamp":
        return st.one_of(date_texts(), timestamp_texts())
    if kind == "base64":
        # Base64 text that looks like a number or boolean may come as that token too
        # ("true" is four base64 characters; "false" is five, so not base64).
        numeric = st.integers(1000, 9999).map(lambda n: JsonNumber(str(n)))
        return st.one_of(base64_texts(), base64_texts(), numeric, st.just(True))
    assert kind == "text", kind
    text = _enum_texts(field.sub, xml_safe=xml_safe) if field.sub else texts(xml_safe=xml_safe)
    # A string field may come as a number or a boolean when its text looks like one.
    return st.one_of(text, text, json_number_texts().map(JsonNumber), st.booleans())


@functools.cache
def _talkdesk_scalar(field: F) -> S[Any]:
    kind = field.kind
    if kind == "money":
        return talkdesk_money_texts().map(JsonNumber)
    if kind == "integer":
        return _number_token(st.integers(-(10**30), 10**30))
    if kind == "bool":
        return st.booleans()
    if kind == "timestamp":
        return timestamp_texts()
    if kind == "free":
        return json_objects(xml_safe=False, parsed=False)
    assert kind == "text", kind
    return _enum_texts(field.sub, xml_safe=False) if field.sub else texts(xml_safe=False)


@st.composite
def _draw_json_object(draw: Any, table: str, dialect: str, xml_safe: bool) -> dict[str, Any]:
    """A raw JSON object: members present, null or absent, unknown members, any order."""
    fields = (DEXERO if dialect == "dexero" else TALKDESK)[table]
    members: list[tuple[str, Any]] = []
    for field in fields:
        presence = "value" if field.required else draw(_PRESENCES)
        if presence == "absent":
            continue
        if presence == "null":
            members.append((field.key, None))
            continue
        members.append((field.key, draw(_json_member(field, dialect, xml_safe))))
    members += draw(_unknown_members(frozenset(field.key for field in fields), xml_safe))
    if draw(st.booleans()):
        members = list(draw(st.permutations(members)))
    return dict(members)


@functools.cache
@functools.cache
def _json_object(table: str, dialect: str, xml_safe: bool) -> S[dict[str, Any]]:
    return _draw_json_object(table, dialect, xml_safe)


@functools.cache
def _unknown_members(known: frozenset[str], xml_safe: bool) -> S[list[tuple[str, Any]]]:
    return st.lists(
        st.tuples(
            json_keys(xml_safe=xml_safe, exclude=known),
            json_values(xml_safe=xml_safe, parsed=False),
        ),
        max_size=2,
        unique_by=lambda kv: kv[0],
    )


def _json_member(field: F, dialect: str, xml_safe: bool) -> S[Any]:
    if field.kind == "object":
        return _json_object(field.sub, dialect, xml_safe)
    if field.kind == "list":
        item = _json_object(field.sub, dialect, xml_safe)
        max_size = 2 if field.sub in ("order", "product") else 3
        items = st.lists(item, max_size=max_size)
        if dialect == "dexero":
            # Dexero's XML-to-JSON mapping writes a one-item list as the bare object.
            return st.one_of(items, item)
        return items
    if dialect == "dexero":
        return _dexero_json_scalar(field, xml_safe)
    return _talkdesk_scalar(field)


def raw_dexero_json(kind: str | None = None, *, xml_safe: bool = False) -> S[dict[str, Any]]:
    """A raw dexero-json document in any spelling the reader accepts.

    Args:
        kind: ``"page"`` or ``"order"``; either when ``None``.
        xml_safe: Only what the XML layout can express (XML-safe text, XML names for unknown
            members, no array directly inside an array), for json -> xml -> json.
    """
    page = _json_object("orders", "dexero", xml_safe).map(lambda v: {"orders": v})
    order = _json_object("order", "dexero", xml_safe).map(lambda v: {"order": v})
    return {"page": page, "order": order, None: st.one_of(page, order)}[kind]


def raw_talkdesk_json(kind: str | None = None) -> S[dict[str, Any]]:
    """A raw talkdesk-json document: ``"page"``, ``"order"`` or ``"error"`` (any when None)."""
    docs = {name: _json_object(name, "talkdesk", False) for name in ("page", "order", "error")}
    return docs[kind] if kind is not None else st.one_of(*docs.values())


@st.composite
def json_documents(draw: Any, values: S[Any]) -> bytes:
    """JSON text of raw values: compact or indented, ``/`` sometimes escaped as ``\\/``."""
    data = json_write.emit(draw(values), indent=draw(st.sampled_from([None, None, 2])))
    if draw(st.booleans()):
        # "/" occurs only inside strings in JSON text, so escaping it everywhere is safe.
        data = data.replace(b"/", b"\\/")
    return data


# --- raw XML documents ---------------------------------------------------------------------

NIL: Any = None
"""The content of an ``xsi:nil`` element in the element lists below."""

Element = tuple[str, Any]
"""``(tag, content)``: content is leaf text, ``NIL``, or a list of child elements."""


@functools.cache
def _xml_scalar(field: F) -> S[str]:
    kind = field.kind
    if kind in ("long", "int"):
        return (longs() if kind == "long" else int32s()).map(str)
    if kind == "amount":
        return amount_texts()
    if kind == "bool":
        return st.sampled_from(["true", "false"])
    if kind == "timestamp":
        return timestamp_texts()
    if kind == "date_or_timestamp":
        return st.one_of(date_texts(), timestamp_texts())
    if kind == "base64":
        return base64_texts()
    assert kind == "text", kind
    return _enum_texts(field.sub, xml_safe=True) if field.sub else texts(xml_safe=True)


def _arrange(draw: Any, groups: list[list[Element]], contiguous: bool) -> list[Element]:
    """Shuffle member groups; without ``contiguous``, repeated elements may interleave."""
    if draw(st.booleans()):
        groups = list(draw(st.permutations(groups)))
    elements = [element for group in groups for element in group]
    if not contiguous and draw(st.booleans()):
        elements = list(draw(st.permutations(elements)))
    return elements


@functools.cache
def _unknown_content(contiguous: bool) -> S[Any]:
    """What an unknown element holds: text, nil, nothing, or children (repeats included)."""
    leaves = st.one_of(texts(xml_safe=True, max_size=8), st.just(NIL))

    def extend(children: S[Any]) -> S[Any]:
        groups = st.lists(
            st.tuples(xml_names(), st.lists(children, min_size=1, max_size=2)),
            min_size=1,
            max_size=3,
            unique_by=lambda group: group[0],
        )
        return _arranged_groups(groups, contiguous)

    return st.recursive(leaves, extend, max_leaves=5)


@st.composite
def _arranged_groups(draw: Any, groups: S[Any], contiguous: bool) -> list[Element]:
    """Child elements from ``(tag, [content, ...])`` groups, arranged by :func:`_arrange`."""
    drawn = draw(groups)
    return _arrange(draw, [[(tag, c) for c in items] for tag, items in drawn], contiguous)


@st.composite
def _draw_xml_children(draw: Any, table: str, contiguous: bool) -> list[Element]:
    groups: list[list[Element]] = []
    for field in DEXERO[table]:
        presence = draw(_PRESENCES)
        if presence == "absent":
            continue
        if presence == "null":
            groups.append([(field.key, NIL)])
        elif field.kind == "list":
            max_size = 2 if field.sub in ("order", "product") else 3
            items = draw(
                st.lists(_xml_object(field.sub, contiguous), min_size=1, max_size=max_size)
            )
            groups.append([(field.key, item) for item in items])
        elif field.kind == "object":
            groups.append([(field.key, draw(_xml_object(field.sub, contiguous)))])
        else:
            groups.append([(field.key, draw(_xml_scalar(field)))])
    unknown = draw(_unknown_elements(frozenset(f.key for f in DEXERO[table]), contiguous))
    groups += [[(tag, content) for content in contents] for tag, contents in unknown]
    return _arrange(draw, groups, contiguous)


@functools.cache
def _xml_children(table: str, contiguous: bool) -> S[list[Element]]:
    return _draw_xml_children(table, contiguous)


@functools.cache
def _unknown_elements(known: frozenset[str], contiguous: bool) -> S[Any]:
    return st.lists(
        st.tuples(
            xml_names(exclude=known),
            st.lists(_unknown_content(contiguous), min_size=1, max_size=2),
        ),
        max_size=2,
        unique_by=lambda group: group[0],
    )


@functools.cache
def _xml_object(table: str, contiguous: bool) -> S[Any]:
    # An object may be an empty element (no members at all).
    return st.one_of(st.just(""), _xml_children(table, contiguous))


class _XmlStyle(NamedTuple):
    indent: str | None
    declaration: str
    nil_prefix: str
    nil_namespace_on_root: bool
    cdata: bool
    char_refs: bool
    long_empty: bool
    literal_newlines: bool


def _escape(text: str, style: _XmlStyle) -> str:
    # With literal_newlines a CR is written as is, and the parser reads CR LF or a lone CR
    # as LF (XML end-of-line handling); otherwise it is escaped and survives.
    literal_cr = style.literal_newlines
    if style.cdata and text and "]]>" not in text and (literal_cr or "\r" not in text):
        return f"<![CDATA[{text}]]>"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not literal_cr:
        text = text.replace("\r", "&#13;")
    if style.char_refs:
        text = "".join(ch if ord(ch) < 0x80 else f"&#x{ord(ch):X};" for ch in text)
    return text


def _write(out: list[str], element: Element, style: _XmlStyle, level: int) -> None:
    tag, content = element
    pad = "" if style.indent is None else "\n" + style.indent * level
    if content is NIL:
        prefix = style.nil_prefix
        ns = "" if style.nil_namespace_on_root else f' xmlns:{prefix}="{XSI}"'
        out.append(f'{pad}<{tag}{ns} {prefix}:nil="true"/>')
    elif isinstance(content, str):
        if content:
            out.append(f"{pad}<{tag}>{_escape(content, style)}</{tag}>")
        else:
            out.append(f"{pad}<{tag}></{tag}>" if style.long_empty else f"{pad}<{tag}/>")
    elif not content:
        out.append(f"{pad}<{tag}></{tag}>" if style.long_empty else f"{pad}<{tag}/>")
    else:
        out.append(f"{pad}<{tag}>")
        for child in content:
            _write(out, child, style, level + 1)
        out.append(f"{pad}</{tag}>")


def xml_text(root: str, children: list[Element], style: _XmlStyle) -> str:
    """Write a root element and its children as XML text in the given style."""
    out = [style.declaration]
    ns = f' xmlns:{style.nil_prefix}="{XSI}"' if style.nil_namespace_on_root else ""
    out.append(f"<{root}{ns}>")
    for child in children:
        _write(out, child, style, 1)
    # Whitespace inside an object element with no members is formatting, not a value.
    out.append(("" if style.indent is None or not children else "\n") + f"</{root}>\n")
    return "".join(out)


_XML_STYLES = st.builds(
    _XmlStyle,
    indent=st.sampled_from([None, "  ", "\t"]),
    declaration=st.sampled_from(
        ["", '<?xml version="1.0" encoding="UTF-8"?>\n', "<?xml version='1.0'?>"]
    ),
    nil_prefix=st.sampled_from(["xsi", "xsi", "i"]),
    nil_namespace_on_root=st.booleans(),
    cdata=st.booleans(),
    char_refs=st.booleans(),
    long_empty=st.booleans(),
    literal_newlines=st.booleans(),
)


@st.composite
def raw_dexero_xml(draw: Any, kind: str | None = None, *, contiguous: bool = True) -> str:
    """A raw dexero-xml document as text, in any layout the reader accepts.

    Elements come in any order, with unknown elements (nested, repeated), empty elements,
    ``xsi:nil`` elements, CDATA, character references and any indentation.

    Args:
        kind: ``"page"`` (``<orders>``) or ``"order"``; either when ``None``.
        contiguous: Keep repeated elements next to each other; otherwise they may interleave
            (which only the same format can reproduce).
    """
    kind = kind or draw(st.sampled_from(["page", "order"]))
    root = "orders" if kind == "page" else "order"
    children = draw(_xml_children(root, contiguous))
    return xml_text(root, children, draw(_XML_STYLES))


# --- helpers for tests ---------------------------------------------------------------------


def walk(value: Any, visit: Callable[[str | None, Any], None], key: str | None = None) -> None:
    """Call ``visit(key, value)`` on every value of a raw JSON tree (``key`` is its member name)."""
    visit(key, value)
    if isinstance(value, dict):
        for name, item in value.items():
            walk(item, visit, name)
    elif isinstance(value, list):
        for item in value:
            walk(item, visit, key)


# --- documents for translation -------------------------------------------------------------
#
# Translating a Dexero order into Talkdesk's vocabulary needs its ``id`` and
# ``reference_number`` (Talkdesk requires ``id`` and ``order_number``). So reading a Talkdesk
# order back from Dexero needs an ``id`` that is a decimal integer in the range of a Dexero
# ``long``, and, through dexero-xml, an ``order_number`` that XML 1.0 can hold. The strategies
# below make such documents by construction, through knobs.

_SLOT_KEY = frozenset({"dexero"})
"""``custom_fields.dexero`` is Talkdesk's carry slot; free-form members stay clear of it, unless
a ``lookalikes`` knob puts user data there (:func:`slot_lookalikes`)."""


def _not_a_slot(value: Any) -> bool:
    """Whether a value, read back from its JSON text, is no slot ordermap wrote (a raw value's
    ``JsonNumber("1")`` mark is the integer 1 once read)."""
    return lookalike(json_read.parse(json_write.emit(value), DEFAULT_LIMITS, "test")) is not None


@functools.cache
def slot_lookalikes(*, parsed: bool) -> S[Any]:
    """User data in the place of Talkdesk's carry slot, ``custom_fields.dexero`` (lossless rule
    6): ``null``, ``{}``, any JSON value, or an object with an ``ordermap:slot`` mark that is
    not the integer 1 (another version, ``true``, ``1.0``, text). ``parsed`` is as for
    :func:`json_values`."""
    number = parsed_number if parsed else JsonNumber
    marks = st.one_of(
        st.integers(-3, 5).filter(lambda n: n != 1).map(lambda n: number(str(n))),
        st.booleans(),
        st.sampled_from(["1.0", "1e0", "2.5"]).map(number),
        texts(xml_safe=True, max_size=3),
    )
    rest = json_objects(xml_safe=True, parsed=parsed)
    versions = st.tuples(marks, rest).map(lambda t: {MARK: t[0], **t[1]})
    values = json_values(xml_safe=True, parsed=parsed)
    return st.one_of(st.none(), st.just({}), values, versions).filter(_not_a_slot)


@functools.cache
def slot_lookalike_texts() -> S[str]:
    """User data in the place of a Dexero carry slot's JSON text (a ``custom_field`` entry's
    ``value`` named ``ordermap:talkdesk``, a page's ``ordermap_talkdesk``): any XML-safe text,
    or the JSON text of a :func:`slot_lookalikes` value."""
    json_texts = slot_lookalikes(parsed=True).map(
        lambda value: json_write.emit(value, ascii_only=True).decode("ascii")
    )
    return st.one_of(texts(xml_safe=True), json_texts).filter(
        lambda text: lookalike_text(text) is not None
    )


@functools.cache
def _free_objects(*, xml_safe: bool, lookalikes: bool = False) -> S[dict[str, Any]]:
    """A free-form ``custom_fields`` object without a ``dexero`` member, or with
    ``lookalikes`` sometimes with one holding a :func:`slot_lookalikes` value."""
    free = st.lists(
        st.tuples(
            json_keys(xml_safe=xml_safe, exclude=_SLOT_KEY),
            json_values(xml_safe=xml_safe, parsed=True),
        ),
        max_size=3,
        unique_by=lambda kv: kv[0],
    ).map(dict)
    if not lookalikes:
        return free
    with_one = st.tuples(free, slot_lookalikes(parsed=True)).map(lambda t: {**t[0], "dexero": t[1]})
    return st.one_of(free, with_one)


@functools.cache
def talkdesk_orders_with(
    *, xml_safe: bool, identified: bool, lookalikes: bool = False
) -> S[TalkdeskOrder]:
    """Talkdesk orders made in code, for translation.

    Unlike :func:`talkdesk_orders`, ids and statuses often look like Dexero's (so that they
    map), and ``custom_fields`` never holds the carry slot's ``dexero`` member.

    Args:
        xml_safe: Keep every text to what XML 1.0 can hold, so that every mapped value can
            reach a dexero-xml document as it is.
        identified: Make ``id`` and ``customer_id`` decimal integers in the range of a
            Dexero ``long`` and ``order_number`` XML-safe text, so that the Dexero
            translation (in either format) has an ``id`` and a ``reference_number`` and
            translates back to Talkdesk, and no id is an error (lossless rule 5); otherwise
            the ids are sometimes such integers and sometimes any text.
        lookalikes: Let ``custom_fields.dexero`` hold user data that looks like the carry
            slot (:func:`slot_lookalikes`).
    """
    text = texts(xml_safe=xml_safe)
    numeric = longs().map(str)
    return _model(
        TalkdeskOrder,
        required={
            "id": numeric if identified else st.one_of(numeric, text),
            "order_number": texts(xml_safe=True) if identified else text,
        },
        customer_id=numeric if identified else st.one_of(numeric, text),
        purchase_datetime=timestamps(),
        delivery_type=_enum_texts(DELIVERY_TYPES, xml_safe=xml_safe),
        items_number=st.integers(-(10**30), 10**30),
        status=_enum_texts(DEXERO_STATUSES, xml_safe=xml_safe),
        **_talkdesk_order_parts(xml_safe=xml_safe),
        custom_fields=_free_objects(xml_safe=xml_safe, lookalikes=lookalikes),
    )


@functools.cache
def talkdesk_pages_with(
    *, xml_safe: bool, identified: bool, lookalikes: bool = False
) -> S[TalkdeskOrderPage]:
    """Talkdesk order pages made in code; the knobs are :func:`talkdesk_orders_with`'s
    (``lookalikes`` puts one in the page-level ``custom_fields`` too, sometimes)."""
    link = _model(TalkdeskLink, required={"href": texts(xml_safe=xml_safe)})
    links = _model(TalkdeskLinks, required={"self_": link}, next=link)
    orders = talkdesk_orders_with(xml_safe=xml_safe, identified=identified, lookalikes=lookalikes)
    embedded = _model(
        TalkdeskEmbedded, required={"orders": st.lists(orders, max_size=2).map(tuple)}
    )
    pages = _model(TalkdeskOrderPage, required={"embedded": embedded}, links=links)
    if not lookalikes:
        return pages
    with_one = st.tuples(pages, slot_lookalikes(parsed=True)).map(
        lambda t: attrs.evolve(t[0], extra={"custom_fields": {"dexero": t[1]}})
    )
    return st.one_of(pages, with_one)


def talkdesk_documents_with(
    *, xml_safe: bool, identified: bool, lookalikes: bool = False
) -> S[Any]:
    """Talkdesk orders and pages for translation (no error bodies)."""
    return st.one_of(
        talkdesk_orders_with(xml_safe=xml_safe, identified=identified, lookalikes=lookalikes),
        talkdesk_pages_with(xml_safe=xml_safe, identified=identified, lookalikes=lookalikes),
    )


@functools.cache
def identified_dexero_orders(*, xml_safe: bool, empty_lists: bool = True) -> S[DexeroOrder]:
    """:func:`dexero_orders` with an ``id`` and a ``reference_number`` always present."""
    return st.tuples(
        dexero_orders(xml_safe=xml_safe, empty_lists=empty_lists),
        longs(),
        texts(xml_safe=xml_safe),
    ).map(lambda t: attrs.evolve(t[0], id=t[1], reference_number=t[2]))


@functools.cache
def identified_dexero_pages(*, xml_safe: bool, empty_lists: bool = True) -> S[DexeroOrderPage]:
    """:func:`dexero_pages` whose orders all have an ``id`` and a ``reference_number``."""
    orders = identified_dexero_orders(xml_safe=xml_safe, empty_lists=empty_lists)
    return st.tuples(
        dexero_pages(xml_safe=xml_safe, empty_lists=empty_lists),
        _items(orders, empty_lists=empty_lists),
    ).map(lambda t: attrs.evolve(t[0], orders=t[1]))


def identified_dexero_documents(*, xml_safe: bool, empty_lists: bool = True) -> S[Any]:
    return st.one_of(
        identified_dexero_orders(xml_safe=xml_safe, empty_lists=empty_lists),
        identified_dexero_pages(xml_safe=xml_safe, empty_lists=empty_lists),
    )


def _identify_json(order: dict[str, Any], id: int, reference_number: str) -> dict[str, Any]:
    """A raw Dexero order object with ``id`` and ``reference_number`` (null ones replaced)."""
    order = dict(order)
    if order.get("id") is None:
        order["id"] = JsonNumber(str(id))
    if order.get("reference_number") is None:
        order["reference_number"] = reference_number
    return order


@st.composite
def identified_raw_dexero_json(
    draw: Any, kind: str | None = None, *, xml_safe: bool = False
) -> dict[str, Any]:
    """:func:`raw_dexero_json` whose orders all have an ``id`` and a ``reference_number``."""
    document = draw(raw_dexero_json(kind, xml_safe=xml_safe))

    def identify(order: dict[str, Any]) -> dict[str, Any]:
        return _identify_json(order, draw(longs()), draw(texts(xml_safe=xml_safe)))

    if "order" in document:
        return {"order": identify(document["order"])}
    page = dict(document["orders"])
    orders = page.get("order")
    if type(orders) is dict:
        page["order"] = identify(orders)
    elif type(orders) is list:
        page["order"] = [identify(order) for order in orders]
    return {"orders": page}


def _identify_xml(content: Any, id: int, reference_number: str) -> list[Element]:
    """An order element's children with ``id`` and ``reference_number`` (nil ones replaced)."""
    children: list[Element] = list(content or [])
    for tag, text in (("id", str(id)), ("reference_number", reference_number)):
        found = [i for i, (name, _) in enumerate(children) if name == tag]
        if not found:
            children.append((tag, text))
        for i in found:
            if children[i][1] is NIL:
                children[i] = (tag, text)
    return children


@st.composite
def identified_raw_dexero_xml(
    draw: Any, kind: str | None = None, *, contiguous: bool = True
) -> str:
    """:func:`raw_dexero_xml` whose orders all have an ``id`` and a ``reference_number``."""
    kind = kind or draw(st.sampled_from(["page", "order"]))
    root = "orders" if kind == "page" else "order"
    children = draw(_xml_children(root, contiguous))

    def identify(content: Any) -> list[Element]:
        return _identify_xml(content, draw(longs()), draw(texts(xml_safe=True)))

    if root == "order":
        children = identify(children)
    else:
        children = [
            (tag, identify(content)) if tag == "order" and content is not NIL else (tag, content)
            for tag, content in children
        ]
    return xml_text(root, children, draw(_XML_STYLES))


@st.composite
def raw_talkdesk_json_with(
    draw: Any, kind: str | None = None, *, identified: bool, lookalikes: bool = False
) -> dict[str, Any]:
    """:func:`raw_talkdesk_json` orders or pages (no error bodies) for translation.

    ``custom_fields`` never holds the carry slot's ``dexero`` member, unless ``lookalikes``
    sometimes puts user data that looks like the slot there (in orders and at the page
    level, :func:`slot_lookalikes`); with ``identified``
    every order's ``id`` (and ``customer_id``, when it is text) is a decimal integer in the
    range of a Dexero ``long`` and its
    ``order_number`` XML-safe text (see :func:`talkdesk_orders_with`).
    """
    kind = kind or draw(st.sampled_from(["page", "order"]))
    document = draw(raw_talkdesk_json(kind))

    def prepare(order: dict[str, Any]) -> dict[str, Any]:
        order = dict(order)
        if identified:
            order["id"] = str(draw(longs()))
            if type(order.get("customer_id")) is str:
                order["customer_id"] = str(draw(longs()))
            if not is_xml_safe(order["order_number"]):
                order["order_number"] = draw(texts(xml_safe=True))
        custom = order.get("custom_fields")
        if type(custom) is dict and "dexero" in custom:
            order["custom_fields"] = {k: v for k, v in custom.items() if k != "dexero"}
        return lookalike_in(order)

    def lookalike_in(holder: dict[str, Any]) -> dict[str, Any]:
        if not lookalikes or not draw(st.booleans()):
            return holder
        custom = holder.get("custom_fields")
        custom = dict(custom) if type(custom) is dict else {}
        custom["dexero"] = draw(slot_lookalikes(parsed=False))
        return {**holder, "custom_fields": custom}

    if kind == "order":
        return prepare(document)
    embedded = dict(document["_embedded"])
    embedded["orders"] = [prepare(order) for order in embedded["orders"]]
    page = {k: embedded if k == "_embedded" else v for k, v in document.items()}
    custom = page.get("custom_fields")
    if type(custom) is dict and "dexero" in custom:
        page["custom_fields"] = {k: v for k, v in custom.items() if k != "dexero"}
    return lookalike_in(page)


@st.composite
def dexero_lookalike_documents(draw: Any, *, xml_safe: bool) -> Any:
    """:func:`identified_dexero_documents` whose orders sometimes hold a ``custom_field``
    entry named ``ordermap:talkdesk`` and whose pages sometimes hold an
    ``ordermap_talkdesk``, neither of them a slot ordermap wrote (:func:`slot_lookalike_texts`)."""
    document = draw(identified_dexero_documents(xml_safe=xml_safe))

    def order_with(order: DexeroOrder) -> DexeroOrder:
        if not draw(st.booleans()):
            return order
        customer = order.customer or DexeroCustomer()
        entry = DexeroCustomField(identifier=SLOT_IDENTIFIER, value=draw(slot_lookalike_texts()))
        fields = (*(customer.custom_fields or ()), entry)
        return attrs.evolve(order, customer=attrs.evolve(customer, custom_fields=fields))

    if isinstance(document, DexeroOrder):
        return order_with(document)
    if document.orders:
        document = attrs.evolve(document, orders=tuple(map(order_with, document.orders)))
    if draw(st.booleans()):
        document = attrs.evolve(
            document, extra={**document.extra, PAGE_SLOT: draw(slot_lookalike_texts())}
        )
    return document
