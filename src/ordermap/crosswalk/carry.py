"""Carry slots: where carry mode keeps, in the target, what the target's vocabulary cannot hold,
and how a source's slot is read back.

A slot is recognised only when it holds what ordermap writes there, a patch led by the
``"ordermap:slot": 1`` mark (:mod:`ordermap.carry_mark`, lossless rule 6). Anything else in a
slot's place is user data and stays in the tree, translated like any other value; the take
functions name it (a :data:`Lookalike`) so that the report can say why it looks like a slot. A
marked slot that is damaged claims to be ordermap's, so it stays an error (``bad-carry-slot``).
"""

from __future__ import annotations

from typing import Any

from ..carry_mark import (
    MARK,
    PAGE_SLOT,
    SLOT_IDENTIFIER,
    VERSION,
    lookalike,
    parse_text,
)
from ..errors import Location, Problem
from ..formats import json_write
from . import patch as _patch
from .report import TranslationError
from .sides import Side, bad_slot, envelope

__all__ = [
    "PAGE_SLOT",
    "SLOT_IDENTIFIER",
    "Lookalike",
    "apply_slot",
    "page_slot_pointer",
    "put_order_slot",
    "put_page_slot",
    "slot_pointer",
    "take_order_slot",
    "take_page_slot",
]

Lookalike = tuple[tuple[str | int, ...], str]
"""User data in a slot's place: its path in the document's tree and why it is data."""

# The members ordermap writes in a Dexero slot entry.
_ENTRY = frozenset({"identifier", "value"})


def _unmarked(patch: dict[str, Any]) -> dict[str, Any]:
    """A recognised slot's patch without its mark, ready for :func:`patch.apply`."""
    return {key: value for key, value in patch.items() if key != MARK}


def _marked(patch: dict[str, Any]) -> dict[str, Any]:
    """A patch as a slot holds it: the mark first, then the patch."""
    return {MARK: VERSION, **patch}


def take_order_slot(
    side: Side, tree: dict[str, Any], prefix: str = ""
) -> tuple[dict[str, Any], Any, tuple[Lookalike, ...]]:
    """Remove the carry slot from an order tree.

    Returns the tree, the patch the slot held (``None`` without a slot) and the look-alikes
    left in the tree as data.
    """
    if side.family == "talkdesk":
        custom = tree.get("custom_fields")
        if type(custom) is not dict or "dexero" not in custom:
            return tree, None, ()
        held = custom["dexero"]
        why = lookalike(held)
        if why is not None:
            return tree, None, ((("custom_fields", "dexero"), why),)
        rest = {k: v for k, v in custom.items() if k != "dexero"}
        tree = {k: v for k, v in tree.items() if k != "custom_fields" or rest}
        if rest:
            tree["custom_fields"] = rest
        return tree, _unmarked(held), ()
    customer = tree.get("customer")
    if type(customer) is not dict:
        return tree, None, ()
    fields = customer.get("custom_field")
    entries = [fields] if type(fields) is dict else fields if type(fields) is list else []
    slots: list[tuple[int, dict[str, Any]]] = []
    data: list[Lookalike] = []
    for index, entry in enumerate(entries):
        if type(entry) is not dict or entry.get("identifier") != SLOT_IDENTIFIER:
            continue
        held = parse_text(entry.get("value"))
        why = lookalike(held)
        if why is None:
            slots.append((index, held))
        else:
            # Named by the list: a difference is never found below a list, so the report
            # matches its entries with the list that holds the look-alike.
            data.append((("customer", "custom_field"), why))
    if not slots:
        return tree, None, tuple(data)
    where = prefix + "/customer/custom_field"
    if len(slots) > 1:
        raise bad_slot(where, f"expected one {SLOT_IDENTIFIER} entry with the {MARK} mark")
    index, patch = slots[0]
    if set(entries[index]) != _ENTRY:
        raise bad_slot(
            where, f"the {SLOT_IDENTIFIER} entry holds more than its identifier and value"
        )
    remaining = [e for at, e in enumerate(entries) if at != index]
    customer = {k: v for k, v in customer.items() if k != "custom_field"}
    if remaining:
        customer["custom_field"] = remaining
    tree = {k: v for k, v in tree.items() if k != "customer"}
    if customer:
        tree["customer"] = customer
    return tree, _unmarked(patch), tuple(data)


def apply_slot(tree: dict[str, Any], patch: dict[str, Any], where: str) -> dict[str, Any]:
    """``tree`` with a source slot's patch applied; a patch not shaped as one is a damaged
    slot (``where``: the slot's place)."""
    try:
        return _patch.apply(tree, patch)
    except ValueError as error:
        raise bad_slot(where, str(error)) from None


def _taken(where: str) -> TranslationError:
    """Carry mode cannot write its slot where user data already is (restored there from the
    source's own slot): overwriting it would lose it, and the slot has no other place."""
    return TranslationError(
        [
            Problem(
                "carry-slot-taken",
                f"{where} holds data that only looks like a carry slot, so carry mode has no"
                " place for its slot",
                Location(pointer=where),
            )
        ]
    )


def put_order_slot(
    side: Side, tree: dict[str, Any], patch: dict[str, Any], where: str = ""
) -> dict[str, Any]:
    """The tree with a slot holding ``patch`` (``where``: the tree's place, for an error)."""
    tree = dict(tree)
    if side.family == "talkdesk":
        custom = tree.get("custom_fields") or {}
        if "dexero" in custom:
            raise _taken(where + "/custom_fields/dexero")
        tree["custom_fields"] = {**custom, "dexero": _marked(patch)}
        return tree
    customer = dict(tree.get("customer") or {})
    fields = customer.get("custom_field")
    entries = [fields] if type(fields) is dict else list(fields or [])
    text = json_write.emit(_marked(patch), ascii_only=True).decode("ascii")
    entries.append({"identifier": SLOT_IDENTIFIER, "value": text})
    customer["custom_field"] = entries
    tree["customer"] = customer
    return tree


def slot_pointer(side: Side) -> str:
    return "/custom_fields/dexero" if side.family == "talkdesk" else "/customer/custom_field"


def page_slot_pointer(side: Side) -> str:
    page = envelope(side, page=True)
    return page + ("/custom_fields/dexero" if side.family == "talkdesk" else f"/{PAGE_SLOT}")


def take_page_slot(
    side: Side, tree: dict[str, Any]
) -> tuple[dict[str, Any], Any, tuple[Lookalike, ...]]:
    """Remove the carry slot from a page's tree (without its orders), as
    :func:`take_order_slot` does from an order's."""
    if side.family == "talkdesk":
        return take_order_slot(side, tree)
    if PAGE_SLOT not in tree:
        return tree, None, ()
    held = parse_text(tree[PAGE_SLOT])
    why = lookalike(held)
    if why is not None:
        return tree, None, (((PAGE_SLOT,), why),)
    return {k: v for k, v in tree.items() if k != PAGE_SLOT}, _unmarked(held), ()


def put_page_slot(side: Side, tree: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    if side.family == "talkdesk":
        return put_order_slot(side, tree, patch)
    if PAGE_SLOT in tree:
        raise _taken(envelope(side, page=True) + f"/{PAGE_SLOT}")
    text = json_write.emit(_marked(patch), ascii_only=True).decode("ascii")
    return {**tree, PAGE_SLOT: text}
