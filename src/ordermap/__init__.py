"""ordermap: read, validate and translate order payloads between Talkdesk and Dexero.

>>> import ordermap
>>> page = ordermap.decode(open("orders.xml", "rb").read())     # doctest: +SKIP
>>> ordermap.encode(page, "dexero-json")                          # doctest: +SKIP
"""

from __future__ import annotations

import copyreg
from types import MappingProxyType
from typing import Any

from ._api import Detection, decode, detect, encode, formats_for
from ._version import __version__
from .errors import (
    DecodeError,
    EncodeError,
    Location,
    OrdermapError,
    Problem,
    Severity,
    ValidationError,
)
from .formats import FORMATS
from .limits import Limits
from .model import (
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
    Document,
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
    Wire,
)
from .policy import DEFAULT_POLICY, Policy, load_policy
from .translation import Report, ReportEntry, Translation, TranslationError, translate
from .values import CalendarDate, JsonNumber, Timestamp

__all__ = [
    "DEFAULT_POLICY",
    "FORMATS",
    "CalendarDate",
    "DecodeError",
    "Detection",
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
    "EncodeError",
    "JsonNumber",
    "Limits",
    "Location",
    "OrdermapError",
    "Policy",
    "Problem",
    "Report",
    "ReportEntry",
    "Severity",
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
    "Timestamp",
    "Translation",
    "TranslationError",
    "ValidationError",
    "Wire",
    "__version__",
    "decode",
    "detect",
    "encode",
    "formats_for",
    "load_policy",
    "translate",
]


def _proxy(items: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(items)


# Documents and policies hold read-only mappings; let them be pickled (for worker processes,
# and for distributed engines mapping ordermap over records), as plain dicts wrapped again.
copyreg.pickle(MappingProxyType, lambda proxy: (_proxy, (dict(proxy),)))
