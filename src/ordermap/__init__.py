"""ordermap: read, validate and translate order payloads between Talkdesk and Dexero.

>>> import ordermap
>>> page = ordermap.decode(open("orders.xml", "rb").read())     # doctest: +SKIP
>>> ordermap.encode(page, "dexero-json")                          # doctest: +SKIP
>>> ordermap.translate(page, "talkdesk-json").report              # doctest: +SKIP
>>> ordermap.validate(data).ok                                    # doctest: +SKIP
>>> ordermap.convert(data, "talkdesk-json").output                # doctest: +SKIP

Format names, kinds and modes are ``Literal`` types (:data:`FormatName`, :data:`Kind`,
:data:`Mode`), and :func:`decode`'s overloads give the class a format and kind make, so a
type checker refuses a misspelt name and knows what a call returns.

The public names are imported on first use (a module ``__getattr__``, PEP 562), so that
``import ordermap`` and the command line's ``--help`` do not pay for the model, the formats,
lxml and the crosswalk before anything asks for them. :data:`_HOMES` says where each name
lives; the ``TYPE_CHECKING`` imports below say the same to type checkers, and a test keeps
the two in step with :data:`__all__`.
"""

from __future__ import annotations

import typing as _typing
from importlib import import_module as _import_module

from . import _pickling  # noqa: F401 - registers how read-only mappings pickle
from ._version import __version__

if _typing.TYPE_CHECKING:
    from . import binding as binding
    from . import crosswalk as crosswalk
    from . import documents as documents
    from . import endpoint as endpoint
    from . import errors as errors
    from . import formats as formats
    from . import lexical as lexical
    from . import limits as limits
    from . import model as model
    from . import places as places
    from . import policy as policy
    from . import stream as stream
    from . import values as values
    from .crosswalk import Mode, Report, ReportEntry, Translation, TranslationError, translate
    from .documents import Detection, decode, detect, formats_for
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
    from .library import Conversion, convert, encode, validate
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
    from .names import DexeroFormat, FormatName, Kind, TalkdeskFormat
    from .policy import DEFAULT_POLICY, Policy, load_policy
    from .provenance import format_of
    from .validation import Validation
    from .values import CalendarDate, JsonNumber, Timestamp

__all__ = [
    "DEFAULT_POLICY",
    "FORMATS",
    "CalendarDate",
    "Conversion",
    "DecodeError",
    "Detection",
    "DexeroAddress",
    "DexeroAttribute",
    "DexeroCustomField",
    "DexeroCustomParam",
    "DexeroCustomer",
    "DexeroFormat",
    "DexeroOrder",
    "DexeroOrderForm",
    "DexeroOrderPage",
    "DexeroOrderProduct",
    "DexeroValue",
    "Document",
    "EncodeError",
    "FormatName",
    "JsonNumber",
    "Kind",
    "Limits",
    "Location",
    "Mode",
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
    "TalkdeskFormat",
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
    "Validation",
    "ValidationError",
    "Wire",
    "__version__",
    "convert",
    "decode",
    "detect",
    "encode",
    "format_of",
    "formats_for",
    "load_policy",
    "translate",
    "validate",
]

_HOMES: dict[str, str] = {
    name: home
    for home, names in {
        "crosswalk": (
            "Mode",
            "Report",
            "ReportEntry",
            "Translation",
            "TranslationError",
            "translate",
        ),
        "documents": ("Detection", "decode", "detect", "formats_for"),
        "errors": (
            "DecodeError",
            "EncodeError",
            "Location",
            "OrdermapError",
            "Problem",
            "Severity",
            "ValidationError",
        ),
        "formats": ("FORMATS",),
        "library": ("Conversion", "convert", "encode", "validate"),
        "limits": ("Limits",),
        "model": (
            "DexeroAddress",
            "DexeroAttribute",
            "DexeroCustomer",
            "DexeroCustomField",
            "DexeroCustomParam",
            "DexeroOrder",
            "DexeroOrderForm",
            "DexeroOrderPage",
            "DexeroOrderProduct",
            "DexeroValue",
            "Document",
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
        ),
        "names": ("DexeroFormat", "FormatName", "Kind", "TalkdeskFormat"),
        "policy": ("DEFAULT_POLICY", "Policy", "load_policy"),
        "provenance": ("format_of",),
        "validation": ("Validation",),
        "values": ("CalendarDate", "JsonNumber", "Timestamp"),
    }.items()
    for name in names
}
"""Each public name (but ``__version__``) and the submodule it is imported from."""

_SUBMODULES = frozenset(
    {
        "binding",
        "crosswalk",
        "documents",
        "endpoint",
        "errors",
        "formats",
        "lexical",
        "limits",
        "model",
        "places",
        "policy",
        "stream",
        "values",
    }
)
"""Submodules reachable as attributes of the package without importing them first: those an
``import ordermap`` made reachable when it imported everything, and the public ``stream``
and ``endpoint``. Any other submodule is reached as usual, by importing it."""


def __getattr__(name: str) -> object:
    """Import a public name, or a submodule of :data:`_SUBMODULES`, when it is first asked for.

    The value is kept in the package's namespace, so later lookups do not come here.
    """
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(_import_module(f"{__name__}.{home}"), name)
    elif name in _SUBMODULES:
        value = _import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The package's names, with those not imported yet."""
    return sorted({*globals(), *__all__, *_SUBMODULES})
