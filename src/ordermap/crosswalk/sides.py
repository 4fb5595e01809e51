"""The two vocabularies as translation sees them: each family's format, converter and classes, and
its documents' JSON form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from attrs import frozen

from .. import formats
from ..errors import (
    EncodeError,
    Location,
    Problem,
    ValidationError,
)
from ..formats.common import json_locator, pointer, structure, unstructure
from ..limits import DEFAULT_LIMITS
from ..model import (
    DexeroOrder,
    DexeroOrderPage,
    OrderPage,
    TalkdeskOrder,
    TalkdeskOrderPage,
)
from ..policy import Policy
from . import patch as _patch
from .report import Family, TranslationError
from .rules import (
    Notes,
    dexero_order_to_talkdesk,
    talkdesk_order_to_dexero,
)


@frozen
class Side:
    family: Family
    format: str
    converter: Any
    order: type
    page: type[OrderPage]
    page_orders: tuple[str, ...]  # where a page's orders sit in its JSON form
    forward: Callable[[Any, Policy, Notes], Any]  # this family's order as the other's


TALKDESK = Side(
    "talkdesk",
    formats.family_format("talkdesk").FORMAT,
    formats.family_format("talkdesk").CONVERTER,
    TalkdeskOrder,
    TalkdeskOrderPage,
    ("_embedded", "orders"),
    talkdesk_order_to_dexero,
)
DEXERO = Side(
    "dexero",
    formats.family_format("dexero").FORMAT,
    formats.family_format("dexero").CONVERTER,
    DexeroOrder,
    DexeroOrderPage,
    ("order",),
    dexero_order_to_talkdesk,
)
OTHER = {"talkdesk": DEXERO, "dexero": TALKDESK}


def document_tree(side: Side, document: Any, prefix: str = "") -> dict[str, Any]:
    """A document's JSON form; a value the model cannot hold (a document built in code with
    a wrong type, a missing required value, NaN) is a :class:`TranslationError` naming it."""
    try:
        members = unstructure(
            side.converter,
            document,
            side.format,
            lambda path: Location(pointer=prefix + pointer(path)),
        )
    except EncodeError as error:
        raise TranslationError(error.problems, format=side.format) from None
    tree: dict[str, Any] = _patch.to_tree(members)
    return tree


def tree_model(side: Side, tree: dict[str, Any], cls: type, where: str) -> Any:
    try:
        return structure(side.converter, tree, cls, side.format, json_locator([]), DEFAULT_LIMITS)
    except ValidationError as error:
        raise TranslationError(
            [
                Problem(
                    "bad-carry-slot",
                    f"{where} does not restore a valid document: {p.message}",
                    p.location,
                )
                for p in error.problems
            ],
            format=side.format,
        ) from None


def bad_slot(where: str, message: str) -> TranslationError:
    return TranslationError(
        [Problem("bad-carry-slot", f"{where}: {message}", Location(pointer=where))]
    )


def envelope(side: Side, *, page: bool) -> str:
    """Where a document's content starts in its JSON form (Dexero wraps it in an envelope)."""
    if side.family == "talkdesk":
        return ""
    return "/orders" if page else "/order"
