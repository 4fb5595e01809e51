"""Translate documents between Talkdesk and Dexero, with a loss report.

:func:`translate` maps an order or a page through the crosswalk (:mod:`ordermap.crosswalk`)
in one of three modes:

- ``report`` (default): map what maps; the :class:`Report` names every value that did not
  reach the target and every derived value;
- ``strict``: raise :class:`TranslationError`, holding the whole report, when anything would
  be lost;
- ``carry``: put what does not survive into the target's extension slot (Talkdesk
  ``custom_fields.dexero``; Dexero ``customer.custom_field`` ``ordermap:talkdesk``; for pages,
  a page-level ``custom_fields.dexero`` or an ``ordermap_talkdesk`` member of ``orders``), so
  that translating back gives the source exactly.

A value counts as surviving when translating the result back gives it again: the report is
the difference between the source and its round trip, so a derived value that does not come
back (a name with a double space, ``is_shippable`` false) is reported, and nothing that came
back is. Reading a document that holds a carry slot restores what it carries, in every mode.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from typing import Any, Literal

from attrs import frozen

from . import _json, _losses, _patch, formats
from ._convert import paused_gc
from ._rules import (
    Notes,
    Untranslatable,
    check_required,
    dexero_order_to_talkdesk,
    talkdesk_order_to_dexero,
)
from .crosswalk import rows_for
from .errors import (
    DecodeError,
    EncodeError,
    Location,
    OrdermapError,
    Problem,
    ValidationError,
    preview,
)
from .formats._common import json_locator, pointer, structure, unstructure
from .limits import DEFAULT_LIMITS
from .model import (
    DexeroOrder,
    DexeroOrderPage,
    Document,
    OrderPage,
    TalkdeskErrorBody,
    TalkdeskOrder,
    TalkdeskOrderPage,
)
from .policy import DEFAULT_POLICY, Policy

__all__ = ["Mode", "Report", "ReportEntry", "Translation", "TranslationError", "translate"]

Mode = Literal["report", "strict", "carry"]
Action = Literal["lost", "derived", "carried"]
Family = Literal["talkdesk", "dexero"]

SLOT_IDENTIFIER = "ordermap:talkdesk"
PAGE_SLOT = "ordermap_talkdesk"
# A page's orders are compared one by one; in its page-level tree their list stands as one
# of these, so that the list's own spelling (absent, null, array, bare object) still counts.
_ORDERS_ARRAY = "ordermap:orders"
_ORDERS_OBJECT = "ordermap:order"

_RULE_NAMES = {
    "name-split": "first and last name from the name",
    "delivery-type": "delivery_type from is_shippable",
    "items-number": "items_number from the order lines",
    "is-refunded": "is_refunded from total_refunded",
    "status-info": "latest_status_info from status",
}
# What a rule derives when it runs from Talkdesk to Dexero.
_RULE_NAMES_TO_DEXERO = {
    "name-split": "the name from first and last name",
    "delivery-type": "is_shippable from delivery_type",
    "status-info": "status from latest_status_info",
}


def _refusal(notes: Notes, where: str) -> str | None:
    """The reason a rule left out the value at ``where``, or a value inside it."""
    if where in notes.refused:
        return notes.refused[where]
    inside: dict[str, list[str]] = {}
    for path, reason in notes.refused.items():
        if path.startswith(where + "/"):
            inside.setdefault(reason, []).append(path[len(where) + 1 :])
    if not inside:
        return None
    return "; ".join(f"{', '.join(paths)}: {reason}" for reason, paths in inside.items())


@frozen
class ReportEntry:
    """One line of a loss report.

    Attributes:
        action: ``lost`` (did not reach the target), ``derived`` (computed by a rule) or
            ``carried`` (kept in the target's extension slot).
        source: JSON Pointer of the value in the source document (its JSON form).
        target: JSON Pointer in the target document, where there is one.
        value: The value, as a JSON value (``None`` for a member the source did not have).
        reason: Why, in words.
    """

    action: Action
    source: str
    target: str | None
    value: Any
    reason: str

    def __str__(self) -> str:
        arrow = f" -> {self.target}" if self.target is not None else ""
        return f"{self.action} {self.source or '/'}{arrow} = {preview(self.value)}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "source": self.source,
            "target": self.target,
            "value": self.value,
            "reason": self.reason,
        }


@frozen
class Report:
    """What a translation lost, derived and carried."""

    source_format: str
    target_format: str
    mode: Mode
    entries: tuple[ReportEntry, ...]

    @property
    def lost(self) -> tuple[ReportEntry, ...]:
        """The entries for values that did not reach the target."""
        return tuple(entry for entry in self.entries if entry.action == "lost")

    @property
    def has_loss(self) -> bool:
        return any(entry.action == "lost" for entry in self.entries)

    def render(self) -> str:
        """The report for people: a summary line, then one line per entry."""
        counts = {action: 0 for action in ("lost", "derived", "carried")}
        for entry in self.entries:
            counts[entry.action] += 1
        head = (
            f"{self.source_format} -> {self.target_format} ({self.mode}): "
            f"{counts['lost']} lost, {counts['derived']} derived, {counts['carried']} carried"
        )
        return "\n".join([head, *(str(entry) for entry in self.entries)]) + "\n"

    def to_json(self, indent: int | None = None) -> bytes:
        """The report as UTF-8 JSON (values keep their exact number text)."""
        return _json.emit(
            {
                "source_format": self.source_format,
                "target_format": self.target_format,
                "mode": self.mode,
                "entries": [entry.to_json() for entry in self.entries],
            },
            indent,
        )


@frozen
class Translation:
    """A translated document and its loss report."""

    document: Document
    report: Report


class TranslationError(OrdermapError):
    """A document cannot be translated: strict mode would lose something, the target requires
    a value the source lacks, or a carry slot is damaged.

    Attributes:
        report: The whole loss report, where one was made (strict refusals).
    """

    def __init__(
        self,
        problems: Sequence[Problem],
        *,
        format: str | None = None,
        report: Report | None = None,
    ) -> None:
        super().__init__(problems, format=format)
        self.report = report


# --- the two families ----------------------------------------------------------------------


@frozen
class _Side:
    family: Family
    format: str
    converter: Any
    order: type
    page: type[OrderPage]
    page_orders: tuple[str, ...]  # where a page's orders sit in its JSON form
    forward: Callable[[Any, Policy, Notes], Any]  # this family's order as the other's


_TALKDESK = _Side(
    "talkdesk",
    formats.family_format("talkdesk").FORMAT,
    formats.family_format("talkdesk").CONVERTER,
    TalkdeskOrder,
    TalkdeskOrderPage,
    ("_embedded", "orders"),
    talkdesk_order_to_dexero,
)
_DEXERO = _Side(
    "dexero",
    formats.family_format("dexero").FORMAT,
    formats.family_format("dexero").CONVERTER,
    DexeroOrder,
    DexeroOrderPage,
    ("order",),
    dexero_order_to_talkdesk,
)
_OTHER = {"talkdesk": _DEXERO, "dexero": _TALKDESK}


def _tree(side: _Side, document: Any, prefix: str = "") -> dict[str, Any]:
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


def _model(side: _Side, tree: dict[str, Any], cls: type, where: str) -> Any:
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


def _bad_slot(where: str, message: str) -> TranslationError:
    return TranslationError(
        [Problem("bad-carry-slot", f"{where}: {message}", Location(pointer=where))]
    )


# --- carry slots ---------------------------------------------------------------------------


def _take_order_slot(
    side: _Side, tree: dict[str, Any], prefix: str = ""
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
        raise _bad_slot(where, f"expected one {SLOT_IDENTIFIER} entry whose value is JSON text")
    try:
        patch = _json.parse(slots[0]["value"], DEFAULT_LIMITS, "carry slot")
    except DecodeError as error:
        raise _bad_slot(where, error.problems[0].message) from None
    remaining = [e for e in entries if e is not slots[0]]
    customer = {k: v for k, v in customer.items() if k != "custom_field"}
    if remaining:
        customer["custom_field"] = remaining
    tree = {k: v for k, v in tree.items() if k != "customer"}
    if customer:
        tree["customer"] = customer
    return tree, patch


def _put_order_slot(side: _Side, tree: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    tree = dict(tree)
    if side.family == "talkdesk":
        tree["custom_fields"] = {**(tree.get("custom_fields") or {}), "dexero": patch}
        return tree
    customer = dict(tree.get("customer") or {})
    fields = customer.get("custom_field")
    entries = [fields] if type(fields) is dict else list(fields or [])
    text = _json.emit(patch, ascii_only=True).decode("ascii")
    entries.append({"identifier": SLOT_IDENTIFIER, "value": text})
    customer["custom_field"] = entries
    tree["customer"] = customer
    return tree


def _slot_pointer(side: _Side) -> str:
    return "/custom_fields/dexero" if side.family == "talkdesk" else "/customer/custom_field"


def _page_slot_pointer(side: _Side) -> str:
    page = _envelope(side, page=True)
    return page + ("/custom_fields/dexero" if side.family == "talkdesk" else f"/{PAGE_SLOT}")


def _take_page_slot(side: _Side, tree: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    if side.family == "talkdesk":
        return _take_order_slot(side, tree)
    if PAGE_SLOT not in tree:
        return tree, None
    text = tree[PAGE_SLOT]
    tree = {k: v for k, v in tree.items() if k != PAGE_SLOT}
    if type(text) is not str:
        raise _bad_slot(_page_slot_pointer(side), "expected JSON text")
    try:
        return tree, _json.parse(text, DEFAULT_LIMITS, "carry slot")
    except DecodeError as error:
        raise _bad_slot(_page_slot_pointer(side), error.problems[0].message) from None


def _put_page_slot(side: _Side, tree: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    if side.family == "talkdesk":
        return _put_order_slot(side, tree, patch)
    return {**tree, PAGE_SLOT: _json.emit(patch, ascii_only=True).decode("ascii")}


# --- one order ------------------------------------------------------------------------------


# The same member paths come up order after order.
_pointer = functools.lru_cache(maxsize=4096)(pointer)


@functools.lru_cache(maxsize=4096)
def _reason(family: Family, path: tuple[str | int, ...]) -> str:
    dotted = "order" + "".join(f".{step}" for step in path if isinstance(step, str))
    other = "Dexero" if family == "talkdesk" else "Talkdesk"
    for row in rows_for(family, dotted):
        if row.rule in ("talkdesk-only", "dexero-only"):
            return f"no {other} counterpart" + (f" ({row.note})" if row.note else "")
        if row.rule == "derived":
            rule = row.note.split(":")[0]
            name = _RULE_NAMES.get(rule, rule)
            return f"derived ({name}): translating back does not give this value"
        return "translating back does not give this value" + (f" ({row.note})" if row.note else "")
    return f"unknown member, no {other} counterpart"


# A format that cannot hold all text (its TEXT_LIMIT names what it is, such as XML 1.0).
Unwritable = formats.FormatModule


def _writable(tree: dict[str, Any], limited: Unwritable) -> dict[str, Any]:
    """The tree without the strings a format cannot hold."""
    safe: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, str) and limited.unwritable(value) is not None:
            continue
        safe[key] = _writable(value, limited) if type(value) is dict else value
    return safe


def _holds_unwritable(value: Any, limited: Unwritable) -> bool:
    """Whether any text in a tree (member names included) is text the format cannot hold."""
    if type(value) is str:
        return limited.unwritable(value) is not None
    if type(value) is dict:
        return any(
            _holds_unwritable(key, limited) or _holds_unwritable(item, limited)
            for key, item in value.items()
        )
    if type(value) is list:
        return any(_holds_unwritable(item, limited) for item in value)
    return False


def _text_limit(format: str | None) -> Unwritable | None:
    """The format, when it cannot hold all text; ``None`` when it holds any text."""
    if format is None:
        return None
    module = formats.get(format)
    return module if module.TEXT_LIMIT else None


class _NotBack:
    """Stands in the way back for a required value the source could not give; it equals no
    value of the source, as UNSET, a string, could (a source may spell UNSET's text)."""


_NOT_BACK: Any = _NotBack()

# The report comes from the rules (:mod:`ordermap._losses`); setting this makes every order
# take the round trip instead, which is what the oracle tests compare the rules with.
_REPORT_BY_ROUND_TRIP = False


def _order(
    source_side: _Side,
    source: Any,
    mode: Mode,
    policy: Policy,
    source_prefix: str,
    target_prefix: str,
    xml: Unwritable | None = None,
    xml_source: Unwritable | None = None,
    counts: list[int] | None = None,
) -> tuple[Any, list[ReportEntry]]:
    """Translate one order; its report entries, or with ``counts`` (lost, derived, carried)
    only how many of each kind, added to ``counts`` (no entries are made)."""
    target_side = _OTHER[source_side.family]
    tree, incoming = _take_order_slot(
        source_side, _tree(source_side, source, source_prefix), source_prefix
    )
    notes = Notes()
    patch: dict[str, Any] = {}
    target_tree: dict[str, Any] = {}
    by_rules = incoming is None and mode != "carry" and not _REPORT_BY_ROUND_TRIP
    if by_rules and xml is not None:
        # Text the target cannot hold (from the source, or a status the policy gives) is
        # dropped from it: the round trip says what that loses.
        status = policy.generic_type.values() if source_side.family == "talkdesk" else ()
        by_rules = not _holds_unwritable(tree, xml) and not _holds_unwritable(list(status), xml)
    if by_rules:
        target = source_side.forward(source, policy, notes)
        _check_required(notes.unset, source_prefix, target_side)
        differences = _losses.differences(source, tree, policy, xml_source)
    else:
        target, target_tree, patch, differences = _round_trip(
            source_side, source, tree, incoming, notes, policy, source_prefix, xml, xml_source
        )
    carry = mode == "carry" and bool(patch)
    if carry:
        target = _model(
            target_side,
            _put_order_slot(target_side, target_tree, patch),
            target_side.order,
            "the carry slot",
        )
    if counts is not None:
        added = sum(1 for _, value in differences if value is _patch.MISSING)
        counts[2 if carry else 0] += len(differences) - added
        counts[1] += len(notes.derived) + added
        return target, []
    entries = [
        ReportEntry(
            "derived",
            source_prefix + path,
            target_prefix + target_path,
            value,
            (_RULE_NAMES_TO_DEXERO if source_side.family == "talkdesk" else {}).get(
                rule, _RULE_NAMES.get(rule, rule)
            ),
        )
        for path, target_path, value, rule in notes.derived
    ]
    slot = target_prefix + _slot_pointer(target_side)
    refused = notes.refused
    family = source_side.family
    for path, value in differences:
        steps = tuple(path)
        where = _pointer(steps)
        if value is _patch.MISSING:
            entries.append(
                ReportEntry(
                    "derived",
                    source_prefix + where,
                    None,
                    None,
                    "absent in the source; translating back derives a value",
                )
            )
            continue
        reason = (refused and _refusal(notes, where)) or _reason(family, steps)
        if xml is not None and isinstance(value, str) and (bad := xml.unwritable(value)):
            reason = f"{xml.TEXT_LIMIT} cannot hold the character U+{ord(bad):04X}"
        if carry:
            entries.append(ReportEntry("carried", source_prefix + where, slot, value, reason))
        else:
            entries.append(ReportEntry("lost", source_prefix + where, None, value, reason))
    return target, entries


def _check_required(unset: Collection[str], source_prefix: str, target_side: _Side) -> None:
    try:
        check_required(unset)
    except Untranslatable as error:
        raise TranslationError(
            [Problem("untranslatable", error.reason, Location(pointer=source_prefix + error.path))],
            format=target_side.format,
        ) from None


def _round_trip(
    source_side: _Side,
    source: Any,
    tree: dict[str, Any],
    incoming: Any,
    notes: Notes,
    policy: Policy,
    source_prefix: str,
    xml: Unwritable | None,
    xml_source: Unwritable | None,
) -> tuple[Any, dict[str, Any], dict[str, Any], list[tuple[list[str | int], Any]]]:
    """Translate there and back: the target, its tree, the patch back to the source and the
    values that did not come back (carry mode, carry slots, targets that cannot hold all
    text, and the oracle the rules are tested against)."""
    target_side = _OTHER[source_side.family]
    if incoming is not None:
        source = _model(source_side, tree, source_side.order, "the source without its carry slot")
    target = source_side.forward(source, policy, notes)
    target_tree = _tree(target_side, target, source_prefix)
    if xml is not None:
        # What the target cannot hold (XML 1.0) does not reach it; the round trip reports it.
        target_tree = _writable(target_tree, xml)
        target = _model(target_side, target_tree, target_side.order, "the translation")
    if incoming is not None:
        if type(incoming) is not dict:
            raise _bad_slot(source_prefix + _slot_pointer(source_side), "expected an object")
        try:
            target_tree = _patch.apply(target_tree, incoming)
        except ValueError as error:
            raise _bad_slot(source_prefix + _slot_pointer(source_side), str(error)) from None
    # The members the rules filled with UNSET, unless the carry slot gave or removed them.
    unset = [
        key
        for key in notes.unset
        if key in target_tree and (incoming is None or key not in incoming)
    ]
    _check_required(unset, source_prefix, target_side)
    if incoming is not None:
        target = _model(target_side, target_tree, target_side.order, "the carry slot")
    # The way back may hold UNSET where Talkdesk requires what Dexero lacks; it then differs
    # from the source there, which is what the report must say.
    back_notes = Notes()
    back_tree = _tree(source_side, target_side.forward(target, policy, back_notes), source_prefix)
    for key in back_notes.unset:
        if key in back_tree:
            # Not a value: even a source whose text is the placeholder's did not come back.
            back_tree[key] = _NOT_BACK
    if xml_source is not None:
        back_tree = _writable(back_tree, xml_source)
    patch, differences = _patch.diff(tree, back_tree)
    return target, target_tree, patch, differences


# --- documents ------------------------------------------------------------------------------


def _orders_of(page: Any) -> tuple[Any, ...]:
    orders: tuple[Any, ...] = page.orders or ()
    return orders


def _page_reason(side: _Side, path: list[str | int]) -> str:
    if side.family == "talkdesk" and path[0] == "_links":
        return "paging links are not derivable from Dexero's pagination"
    if side.family == "dexero" and path[0] in (
        "totalResults",
        "startIndex",
        "itemsPerPage",
        "pageCount",
        "uri",
    ):
        return "pagination is not derivable from Talkdesk's links"
    return "unknown member, no counterpart"


def _blank_orders(side: _Side, count: int) -> tuple[Any, ...]:
    if side.family == "dexero":
        return tuple(DexeroOrder() for _ in range(count))
    return tuple(TalkdeskOrder(id="", order_number="") for _ in range(count))


def _shaped_page(side: _Side, count: int) -> Any:
    """A page as a translation makes it: no page-level members, ``count`` orders."""
    orders = _blank_orders(side, count)
    return side.page.of(orders)


def _page_tree(side: _Side, page: Any, count: int) -> dict[str, Any]:
    """A page's tree with its ``count`` orders replaced by a placeholder of the list's spelling."""
    if side.family == "talkdesk" or page.orders is not None:
        # Only whether the list is empty, and its spelling, reach the tree: two blanks will do.
        page = page.with_orders(_blank_orders(side, min(count, 2)))
    tree = _tree(side, page, _envelope(side, page=True))
    holder = tree
    for key in side.page_orders[:-1]:
        holder = holder[key]
    last = side.page_orders[-1]
    if type(holder.get(last)) is list:
        holder[last] = _ORDERS_ARRAY
    elif type(holder.get(last)) is dict:
        holder[last] = _ORDERS_OBJECT
    return tree


def _page_model(side: _Side, tree: dict[str, Any], orders: tuple[Any, ...]) -> Any:
    holder = tree = dict(tree)
    for key in side.page_orders[:-1]:
        holder[key] = dict(holder.get(key) or {})
        holder = holder[key]
    last = side.page_orders[-1]
    if holder.get(last) == _ORDERS_ARRAY:
        holder[last] = []
    elif holder.get(last) == _ORDERS_OBJECT:
        holder[last] = {}
    page = _model(side, tree, side.page, "the page's carry slot")
    if side.family == "dexero" and page.orders is None and not orders:
        return page  # absent or null, as the slot says
    return page.with_orders(orders)


def _page_order(
    source_side: _Side,
    order: Any,
    index: int,
    mode: Mode,
    policy: Policy,
    xml: Unwritable | None,
    xml_source: Unwritable | None,
) -> tuple[Any, list[ReportEntry]]:
    """Translate the ``index``-th order of a page (report pointers name its place)."""
    target_side = _OTHER[source_side.family]
    source_list = _envelope(source_side, page=True) + pointer(source_side.page_orders)
    target_list = _envelope(target_side, page=True) + pointer(target_side.page_orders)
    return _order(
        source_side,
        order,
        mode,
        policy,
        f"{source_list}/{index}",
        f"{target_list}/{index}",
        xml,
        xml_source,
    )


def _page_frame(
    source_side: _Side, page: Any, count: int, mode: Mode
) -> tuple[dict[str, Any], list[ReportEntry]]:
    """The target page's tree, with a placeholder for its orders, and the page-level entries.

    Only the number of orders (``count``) matters here, not the orders ``page`` holds.
    """
    target_side = _OTHER[source_side.family]
    source_page = _envelope(source_side, page=True)
    entries: list[ReportEntry] = []
    tree, incoming = _take_page_slot(source_side, _page_tree(source_side, page, count))
    # Nothing page-level maps across, so the target page starts empty and so does the way back.
    target_tree = _page_tree(target_side, _shaped_page(target_side, min(count, 2)), count)
    if incoming is not None:
        try:
            target_tree = _patch.apply(target_tree, incoming)
        except ValueError as error:
            raise _bad_slot(_page_slot_pointer(source_side), str(error)) from None
    back_tree = _page_tree(source_side, _shaped_page(source_side, min(count, 2)), count)
    patch, differences = _patch.diff(tree, back_tree)
    carry = mode == "carry" and bool(patch)
    slot = "/custom_fields/dexero" if target_side.family == "talkdesk" else f"/{PAGE_SLOT}"
    for path, value in differences:
        where = pointer(path)
        if value is _patch.MISSING:
            continue
        if tuple(path) == source_side.page_orders:
            if value != _ORDERS_ARRAY:
                continue  # a bare object for one order: a spelling, kept by carry
            value, reason = [], "an empty list comes back absent"
        else:
            reason = _page_reason(source_side, path)
        action: Action = "carried" if carry else "lost"
        target_page = _envelope(target_side, page=True)
        entries.append(
            ReportEntry(
                action, source_page + where, target_page + slot if carry else None, value, reason
            )
        )
    if carry:
        target_tree = _put_page_slot(target_side, target_tree, patch)
    return target_tree, entries


def _page(
    source_side: _Side,
    page: Any,
    mode: Mode,
    policy: Policy,
    xml: Unwritable | None,
    xml_source: Unwritable | None,
) -> tuple[Any, list[ReportEntry]]:
    orders: list[Any] = []
    entries: list[ReportEntry] = []
    for index, order in enumerate(_orders_of(page)):
        translated, found = _page_order(source_side, order, index, mode, policy, xml, xml_source)
        orders.append(translated)
        entries.extend(found)
    tree, found = _page_frame(source_side, page, len(orders), mode)
    target_side = _OTHER[source_side.family]
    return _page_model(target_side, tree, tuple(orders)), entries + found


def _envelope(side: _Side, *, page: bool) -> str:
    """Where a document's content starts in its JSON form (Dexero wraps it in an envelope)."""
    if side.family == "talkdesk":
        return ""
    return "/orders" if page else "/order"


@paused_gc()
def translate(
    document: Document,
    to: str,
    *,
    mode: Mode = "report",
    policy: Policy = DEFAULT_POLICY,
    source_format: str | None = None,
) -> Translation:
    """Translate a Talkdesk document into Dexero's vocabulary, or a Dexero one into Talkdesk's.

    Args:
        document: A Talkdesk or Dexero order or page.
        to: The target format: ``talkdesk-json``, ``dexero-json`` or ``dexero-xml``.
        mode: ``report``, ``strict`` or ``carry`` (see the module docstring).
        policy: The heuristic rules (:class:`~ordermap.policy.Policy`).
        source_format: The format the document was read from. It names the source in the
            report, and for ``dexero-xml`` the round trip is measured against XML, which
            cannot hold some text (so carry mode stays exact through XML).

    Returns:
        The translated document, ready for :func:`ordermap.encode` in ``to``, and its report.

    Raises:
        TranslationError: In strict mode when something would be lost (with the whole
            report); in every mode for a Talkdesk error body, an order missing a value the
            target requires, or a damaged carry slot.
        ValueError: An unknown format or mode, or a document already in ``to``'s vocabulary.
    """
    if mode not in ("report", "strict", "carry"):
        raise ValueError(f"unknown mode {mode!r}; expected report, strict or carry")
    if to not in formats.FORMATS:
        raise ValueError(f"unknown format {to!r}; expected one of {list(formats.names())}")
    target_family = formats.get(to).FAMILY
    if isinstance(document, TalkdeskErrorBody):
        raise TranslationError(
            [
                Problem(
                    "untranslatable",
                    "a Talkdesk error body has no Dexero counterpart",
                    Location(pointer=""),
                )
            ],
            format=to,
        )
    if isinstance(document, TalkdeskOrder | TalkdeskOrderPage):
        side = _TALKDESK
    elif isinstance(document, DexeroOrder | DexeroOrderPage):
        side = _DEXERO
    else:
        raise TypeError(f"cannot translate a {type(document).__name__}")
    if side.family == target_family:
        raise ValueError(f"a {type(document).__name__} is already in {to}'s vocabulary; encode it")
    if source_format is not None and side.family != formats.get(source_format).FAMILY:
        raise ValueError(
            f"a {type(document).__name__} cannot have been read as {source_format}, which"
            f" holds {formats.get(source_format).FAMILY.title()} documents"
        )
    if isinstance(document, side.page):
        translated, entries = _page(
            side, document, mode, policy, _text_limit(to), _text_limit(source_format)
        )
    else:
        target_side = _OTHER[side.family]
        translated, entries = _order(
            side,
            document,
            mode,
            policy,
            _envelope(side, page=False),
            _envelope(target_side, page=False),
            _text_limit(to),
            _text_limit(source_format),
        )
    report = Report(source_format or side.format, to, mode, tuple(entries))
    if mode == "strict" and report.has_loss:
        raise TranslationError(
            [
                Problem(
                    "would-lose",
                    f"{entry.reason}",
                    Location(pointer=entry.source),
                    input=preview(entry.value),
                )
                for entry in report.lost
            ],
            format=to,
            report=report,
        )
    return Translation(translated, report)


@frozen
class PageTranslator:
    """Translates a page one order at a time, for pages too large to hold in memory.

    :func:`translate` of a whole page gives the same orders and entries as :meth:`order` for
    each order in turn (with its page pointers) followed by :meth:`frame`;
    :mod:`ordermap.stream` relies on that.
    The object is small and picklable, so worker processes can hold one.
    """

    source_family: Family
    to: str
    mode: Mode = "report"
    policy: Policy = DEFAULT_POLICY
    source_format: str | None = None

    def order(
        self, order: Any, source: str, target: str, counts: list[int] | None = None
    ) -> tuple[Any, list[ReportEntry]]:
        """An order translated, and its report entries.

        Args:
            order: The order.
            source: Its JSON Pointer in the source document (such as ``/orders/order/7``).
            target: Its JSON Pointer in the target document.
            counts: When given, ``[lost, derived, carried]`` to add this order's counts to;
                no entries are made then (cheaper when nobody reads them).
        """
        side = _TALKDESK if self.source_family == "talkdesk" else _DEXERO
        return _order(
            side,
            order,
            self.mode,
            self.policy,
            source,
            target,
            _text_limit(self.to),
            _text_limit(self.source_format),
            counts,
        )

    def frame(
        self, page: Any, count: int
    ) -> tuple[Callable[[Sequence[Any]], Any], list[ReportEntry]]:
        """The page-level part of a page of ``count`` orders.

        Returns a function that makes the target page around given (translated) orders, and
        the page-level entries; ``page``'s own orders are not looked at.
        """
        side = _TALKDESK if self.source_family == "talkdesk" else _DEXERO
        target = _OTHER[side.family]
        tree, entries = _page_frame(side, page, count, self.mode)
        return (lambda orders: _page_model(target, tree, tuple(orders))), entries
