"""What the schemas and tables are made of: each format's documents, the carry slots, the
lexical patterns, and the *kind* that names every field type.

A kind a format does not know is an error in the generators, so a new field type cannot slip
into a schema unnoticed.
"""

from __future__ import annotations

import collections.abc
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from ..binding import FieldSpec, field_specs, is_model, is_model_list
from ..model import (
    Amount,
    Base64Text,
    DexeroOrder,
    DexeroOrderPage,
    Int32,
    Long,
    TalkdeskErrorBody,
    TalkdeskOrder,
    TalkdeskOrderPage,
)
from ..values import CalendarDate, Timestamp

DOCUMENTS: Mapping[str, tuple[tuple[str, type], ...]] = {
    "talkdesk-json": (
        ("order page", TalkdeskOrderPage),
        ("single order", TalkdeskOrder),
        ("error body", TalkdeskErrorBody),
    ),
    "dexero-json": (("orders", DexeroOrderPage), ("order", DexeroOrder)),
    "dexero-xml": (("orders", DexeroOrderPage), ("order", DexeroOrder)),
}
"""Each format's documents: a title (the envelope or root name for Dexero) and its class."""

TALKDESK_PAGE_KEYS = ("_embedded", "_links")

# PRODUCT.md's carry mode puts what has no counterpart into these slots. The model keeps them
# as unknown members, so they are declared here to let carried documents pass the schemas.
_CARRY_DOC = (
    "ordermap carry slot: what the other vocabulary holds and this one cannot, a patch led by "
    'the mark `"ordermap:slot": 1` (without it the member is data, and is translated as data).'
)


def _carry_slot(key: str, tp: Any, doc: str) -> FieldSpec:
    return FieldSpec(name=key, key=key, type=tp, required=False, item_type=None, values=(), doc=doc)


CARRY_SLOTS: Mapping[type, tuple[FieldSpec, ...]] = {
    TalkdeskOrderPage: (
        _carry_slot(
            "custom_fields",
            Mapping[str, Any],
            _CARRY_DOC + " Holds `dexero`: a patch (specs/crosswalk.md) with the Dexero "
            "page's pagination properties.",
        ),
    ),
    DexeroOrderPage: (
        _carry_slot(
            "ordermap_talkdesk",
            str,
            _CARRY_DOC + " The compact JSON of a patch (specs/crosswalk.md) holding the "
            "Talkdesk page's `_links`.",
        ),
    ),
}

# --- lexical patterns ----------------------------------------------------------------------
# Written once for three regex dialects (ECMA-262 for JSON Schema, Python's re in jsonschema,
# XSD): plain groups only, since XSD has no (?:...), and [0-9] rather than \d, which matches
# every Unicode digit in XSD and in Python.

_DATE = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = (
    "[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?"
    "([Zz]|[-+]([01][0-9]|2[0-3]):[0-5][0-9])"
)
PATTERNS: Mapping[str, str] = {
    "timestamp": _DATE + _TIME,
    "date-or-timestamp": _DATE + "(" + _TIME + ")?",
    "amount": "-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,2})?",
    "base64": "([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?",
    "integer": "0|-?[1-9][0-9]*",
    "boolean": "true|false",
}

# |x| < 10**18 with at most two decimals is exactly decimal(20,2); integer bounds stay exact
# where 999999999999999999.99 as a float would not.
AMOUNT_BOUND = 10**18


def _digit(low: int, high: int) -> str:
    return str(low) if low == high else f"[{low}-{high}]"


def _one_to(bound: int) -> list[str]:
    """Alternatives that spell exactly the integers 1 to ``bound`` without leading zeros:
    the shorter numbers, then for each digit of ``bound`` the numbers that agree with it
    before that digit and are smaller there, then ``bound`` itself."""
    text = str(bound)
    size = len(text)
    found = [f"[1-9][0-9]{{0,{size - 2}}}"] if size > 1 else []
    for at, digit in enumerate(text):
        low, high = (1 if at == 0 else 0), int(digit) - 1
        if high >= low:
            rest = size - at - 1
            tail = f"[0-9]{{{rest}}}" if rest > 1 else "[0-9]" * rest
            found.append(text[:at] + _digit(low, high) + tail)
    return [*found, text]


def integer_pattern(low: int, high: int) -> str:
    """A pattern for the integers from ``low`` to ``high`` (``low < 0 < high``) as the
    lexical rules write them: plain decimal, an optional ``-``, no ``+``, no leading zero and
    no ``-0``. XSD's integer types read a value with the blanks around it dropped before any
    facet looks at it, so only a pattern over the text refuses what ordermap refuses."""
    return f"0|{'|'.join(_one_to(high))}|-({'|'.join(_one_to(-low))})"


# --- kinds ---------------------------------------------------------------------------------

Kind = Literal[
    "string",
    "boolean",
    "integer",
    "number",
    "long",
    "int",
    "amount",
    "base64",
    "timestamp",
    "date-or-timestamp",
    "free-object",
    "object",
    "list",
]


# Annotated and union types compare by value, plain classes by identity.
_KINDS_BY_VALUE: tuple[tuple[Any, Kind], ...] = (
    (Long, "long"),
    (Int32, "int"),
    (Amount, "amount"),
    (Base64Text, "base64"),
    (Timestamp | CalendarDate, "date-or-timestamp"),
)
_KINDS_BY_CLASS: Mapping[type, Kind] = {
    str: "string",
    bool: "boolean",
    int: "integer",
    Decimal: "number",
    Timestamp: "timestamp",
}


def kind_of(tp: Any) -> Kind:
    """Name the kind of a field type (as :func:`field_specs` gives it, ``None`` stripped)."""
    for known, kind in _KINDS_BY_VALUE:
        if tp == known:
            return kind
    if isinstance(tp, type) and tp in _KINDS_BY_CLASS:
        return _KINDS_BY_CLASS[tp]
    if typing.get_origin(tp) is collections.abc.Mapping:
        return "free-object"
    if is_model(tp):
        return "object"
    if is_model_list(tp):
        return "list"
    raise TypeError(f"no schema rule for the field type {tp!r}")


def specs_of(cls: type) -> tuple[FieldSpec, ...]:
    return field_specs(cls) + CARRY_SLOTS.get(cls, ())


def target_of(spec: FieldSpec) -> type:
    """The model class a field of kind ``object`` or ``list`` holds."""
    target = spec.item_type if spec.is_list else spec.type
    assert isinstance(target, type)
    return target


def classes_of(format: str) -> tuple[type, ...]:
    """The model classes of a format's documents, each once, in depth-first field order."""
    found: list[type] = []

    def visit(cls: type) -> None:
        if cls in found:
            return
        found.append(cls)
        for spec in specs_of(cls):
            if kind_of(spec.type) in ("object", "list"):
                visit(target_of(spec))

    for _, cls in DOCUMENTS[format]:
        visit(cls)
    return tuple(found)


def name_of(cls: type) -> str:
    """A class's name in schemas and tables (``TalkdeskMoney`` is ``Money``)."""
    return cls.__name__.removeprefix("Talkdesk").removeprefix("Dexero")


def summary_of(cls: type) -> str:
    """The first line of a class's docstring, with reST literals as markdown ones."""
    return (cls.__doc__ or "").strip().splitlines()[0].replace("``", "`")


def notes_of(spec: FieldSpec) -> str:
    if not spec.values:
        return spec.doc
    known = ", ".join(f"`{value}`" for value in spec.values)
    return f"{spec.doc} Known values: {known}; any other string is kept, with a warning."
