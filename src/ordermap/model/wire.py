"""What every model class shares: how a document was spelled on the wire, the lexical types of
annotated fields, and the attrs field makers the classes are written with.

:class:`Wire` remembers member order and spelling so a document is written back as it came;
``extra`` keeps the members the model does not know. Both are ordinary attrs fields marked by a
``role`` in their metadata, so the converters can tell them from wire members.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Any

from attrs import field, frozen

__all__ = [
    "EMPTY",
    "NO_WIRE",
    "Amount",
    "Base64Text",
    "Int32",
    "Lexical",
    "Long",
    "Wire",
    "extra_members",
    "member",
    "wire_member",
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
            one-item list written as the bare object), or, in talkdesk-json, the exact text
            of an amount whose ``Decimal`` does not keep it (``1e3``, ``1.05E1``).
    """

    keys: tuple[str, ...] = ()
    spelling: Mapping[str, str] = EMPTY


NO_WIRE = Wire()


def member(
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


def extra_members() -> Any:
    return field(default=EMPTY, hash=False, metadata={"role": "extra"})


def wire_member() -> Any:
    return field(default=NO_WIRE, eq=False, hash=False, repr=False, metadata={"role": "wire"})
