"""Carry slots: where carry mode keeps, in the target, what the target's vocabulary cannot hold,
and how a source's slot is read back."""

from __future__ import annotations

from typing import Any

from ..errors import (
    DecodeError,
)
from ..formats import json_read, json_write
from ..limits import DEFAULT_LIMITS
from .sides import Side, bad_slot, envelope

SLOT_IDENTIFIER = "ordermap:talkdesk"
PAGE_SLOT = "ordermap_talkdesk"


def take_order_slot(
    side: Side, tree: dict[str, Any], prefix: str = ""
) -> tuple[dict[str, Any], Any]:
    """Remove the carry slot from an order tree; returns the tree and the patch it held."""
    if side.family == "talkdesk":
        custom = tree.get("custom_fields")
        if type(custom) is not dict or "dexero" not in custom:
            return tree, None
        rest = {k: v for k, v in custom.items() if k != "dexero"}
        tree = {k: v for k, v in tree.items() if k != "custom_fields" or rest}
        if rest:
            tree["custom_fields"] = rest
        return tree, custom["dexero"]
    customer = tree.get("customer")
    if type(customer) is not dict:
        return tree, None
    fields = customer.get("custom_field")
    entries = [fields] if type(fields) is dict else fields if type(fields) is list else []
    slots = [e for e in entries if type(e) is dict and e.get("identifier") == SLOT_IDENTIFIER]
    if not slots:
        return tree, None
    where = prefix + "/customer/custom_field"
    if len(slots) > 1 or type(slots[0].get("value")) is not str:
        raise bad_slot(where, f"expected one {SLOT_IDENTIFIER} entry whose value is JSON text")
    try:
        patch = json_read.parse(slots[0]["value"], DEFAULT_LIMITS, "carry slot")
    except DecodeError as error:
        raise bad_slot(where, error.problems[0].message) from None
    remaining = [e for e in entries if e is not slots[0]]
    customer = {k: v for k, v in customer.items() if k != "custom_field"}
    if remaining:
        customer["custom_field"] = remaining
    tree = {k: v for k, v in tree.items() if k != "customer"}
    if customer:
        tree["customer"] = customer
    return tree, patch


def put_order_slot(side: Side, tree: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    tree = dict(tree)
    if side.family == "talkdesk":
        tree["custom_fields"] = {**(tree.get("custom_fields") or {}), "dexero": patch}
        return tree
    customer = dict(tree.get("customer") or {})
    fields = customer.get("custom_field")
    entries = [fields] if type(fields) is dict else list(fields or [])
    text = json_write.emit(patch, ascii_only=True).decode("ascii")
    entries.append({"identifier": SLOT_IDENTIFIER, "value": text})
    customer["custom_field"] = entries
    tree["customer"] = customer
    return tree


def slot_pointer(side: Side) -> str:
    return "/custom_fields/dexero" if side.family == "talkdesk" else "/customer/custom_field"


def page_slot_pointer(side: Side) -> str:
    page = envelope(side, page=True)
    return page + ("/custom_fields/dexero" if side.family == "talkdesk" else f"/{PAGE_SLOT}")


def take_page_slot(side: Side, tree: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    if side.family == "talkdesk":
        return take_order_slot(side, tree)
    if PAGE_SLOT not in tree:
        return tree, None
    text = tree[PAGE_SLOT]
    tree = {k: v for k, v in tree.items() if k != PAGE_SLOT}
    if type(text) is not str:
        raise bad_slot(page_slot_pointer(side), "expected JSON text")
    try:
        return tree, json_read.parse(text, DEFAULT_LIMITS, "carry slot")
    except DecodeError as error:
        raise bad_slot(page_slot_pointer(side), error.problems[0].message) from None


def put_page_slot(side: Side, tree: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    if side.family == "talkdesk":
        return put_order_slot(side, tree, patch)
    return {**tree, PAGE_SLOT: json_write.emit(patch, ascii_only=True).decode("ascii")}
