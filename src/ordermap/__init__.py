"""ordermap: read, validate and translate order payloads between Talkdesk and Dexero.

>>> import ordermap
>>> page = ordermap.decode(open("orders.xml", "rb").read())     # doctest: +SKIP
>>> ordermap.encode(page, "dexero-json")                          # doctest: +SKIP
"""

from __future__ import annotations

from . import _pickling  # noqa: F401 - registers how read-only mappings pickle
from ._version import __version__
from .crosswalk import Report, ReportEntry, Translation, TranslationError, translate
from .documents import Detection, decode, detect, encode, formats_for
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
