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

from .dexero import (
    DEXERO_STATUSES,
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
)
from .talkdesk import (
    DELIVERY_TYPES,
    DETAILED_TYPES,
    GENERIC_TYPES,
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
from .wire import EMPTY as EMPTY
from .wire import NO_WIRE as NO_WIRE
from .wire import Amount, Base64Text, Int32, Lexical, Long, Wire

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

OrderPage = TalkdeskOrderPage | DexeroOrderPage
"""A page of orders, in either vocabulary."""

Document = TalkdeskOrderPage | TalkdeskOrder | TalkdeskErrorBody | DexeroOrderPage | DexeroOrder
"""Any document ordermap reads or writes."""
