"""The report of one order, worded from what the rules found: why each value of the source
does not come back, as the report's entries or as the rows the summary by field counts.

:func:`ordermap.crosswalk.orders.translate_order` finds what an order derives and which of
its values do not come back; :func:`made` makes their entries and :func:`counted` the same
entries' rows (their fields and reasons, without the entries and their values).
"""

from __future__ import annotations

import functools
from typing import Any

from attrs import frozen

from ..formats import FormatModule
from ..formats.common import pointer
from . import patch as _patch
from .carry import Lookalike, slot_pointer
from .report import Family, ReportEntry
from .rules import Notes
from .sides import OTHER, Side
from .summary import FieldRow, generalised
from .table import rows_for

__all__ = ["Findings", "counted", "lookalike_reason", "made"]

Differences = list[tuple[list[str | int], Any]]

_RULE_NAMES = {
    "name-split": "first and last name from the name",
    "delivery-type": "delivery_type from is_shippable",
    "items-number": "items_number from the order lines",
    "is-refunded": "is_refunded from total_refunded",
    "status-info": "latest_status_info from status",
}
# What a rule derives when it runs from Talkdesk to Dexero.
_RULE_NAMES_TO_DEXERO = {
    "plain-number": "the amount in plain notation",
    "name-split": "the name from first and last name",
    "delivery-type": "is_shippable from delivery_type",
    "status-info": "status from latest_status_info",
}


def _rule_name(family: Family, rule: str) -> str:
    """What a rule derived, in words, translating from ``family``."""
    names = _RULE_NAMES_TO_DEXERO if family == "talkdesk" else {}
    return names.get(rule, _RULE_NAMES.get(rule, rule))


_ABSENT_REASON = "absent in the source; translating back derives a value"


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


@frozen
class Findings:
    """What translating one order found, for its report.

    Attributes:
        source_side: The order's vocabulary.
        notes: What the rules derived and refused.
        differences: The values that do not come back, as ``way_back`` gives them.
        lookalikes: User data in a carry slot's place.
        xml: The target, where it cannot hold all text.
        carry: Whether the values that do not come back are carried (else lost).
    """

    source_side: Side
    notes: Notes
    differences: Differences
    lookalikes: tuple[Lookalike, ...]
    xml: FormatModule | None
    carry: bool


def made(found: Findings, source_prefix: str, target_prefix: str) -> list[ReportEntry]:
    """The entries of an order at ``source_prefix`` translated to ``target_prefix``: what the
    rules derived, then the values that do not come back, lost or carried."""
    source_side = found.source_side
    entries = [
        ReportEntry(
            "derived",
            source_prefix + path,
            target_prefix + target_path,
            value,
            _rule_name(source_side.family, rule),
        )
        for path, target_path, value, rule in found.notes.derived
    ]
    slot = target_prefix + slot_pointer(OTHER[source_side.family])
    carry = found.carry
    for path, value in found.differences:
        steps = tuple(path)
        where = _pointer(steps)
        if value is _patch.MISSING:
            entries.append(
                ReportEntry("derived", source_prefix + where, None, None, _ABSENT_REASON)
            )
            continue
        reason = _reason_of(found, steps, where, value)
        if carry:
            entries.append(ReportEntry("carried", source_prefix + where, slot, value, reason))
        else:
            entries.append(ReportEntry("lost", source_prefix + where, None, value, reason))
    return entries


# Rows come up order after order: the same fields with the same reasons (bounded, as the
# reasons of look-alikes and of unwritable text name what they found).
_ROWS: dict[tuple[str, str, str, str | None, str], FieldRow] = {}
_ROWS_SIZE = 4096


def _row(action: str, source: str, where: str, target: str | None, reason: str) -> FieldRow:
    """The row of an entry whose source is ``source + where`` (``source`` generalised
    already) and whose target field is ``target``."""
    key = (action, source, where, target, reason)
    row = _ROWS.get(key)
    if row is None:
        if len(_ROWS) >= _ROWS_SIZE:
            _ROWS.clear()
        row = _ROWS[key] = ((action, (source + generalised(where)) or "/", target), reason)
    return row


def _target_field(prefix: str, path: str) -> str:
    return (prefix + generalised(path)) or "/"


def counted(rows: list[FieldRow], found: Findings, source_prefix: str, target_prefix: str) -> None:
    """The rows of the entries :func:`made` makes, in their order, appended to ``rows``."""
    source_side = found.source_side
    source, target = generalised(source_prefix), generalised(target_prefix)
    for derived, target_path, _, rule in found.notes.derived:
        reason = _rule_name(source_side.family, rule)
        rows.append(_row("derived", source, derived, _target_field(target, target_path), reason))
    slot = _target_field(target, slot_pointer(OTHER[source_side.family]))
    carry = found.carry
    for path, value in found.differences:
        steps = tuple(path)
        where = _pointer(steps)
        if value is _patch.MISSING:
            rows.append(_row("derived", source, where, None, _ABSENT_REASON))
            continue
        reason = _reason_of(found, steps, where, value)
        if carry:
            rows.append(_row("carried", source, where, slot, reason))
        else:
            rows.append(_row("lost", source, where, None, reason))


def _reason_of(found: Findings, steps: tuple[str | int, ...], where: str, value: Any) -> str:
    """Why a value of the source does not come back."""
    notes, xml, lookalikes = found.notes, found.xml, found.lookalikes
    reason = (notes.refused and _refusal(notes, where)) or _reason(found.source_side.family, steps)
    if xml is not None and isinstance(value, str) and (bad := xml.unwritable(value)):
        reason = f"{xml.TEXT_LIMIT} cannot hold the character U+{ord(bad):04X}"
    if lookalikes:
        reason = lookalike_reason(reason, steps, lookalikes)
    return reason


def lookalike_reason(
    reason: str, path: tuple[str | int, ...], lookalikes: tuple[Lookalike, ...]
) -> str:
    """The reason of an entry, saying why the value is data when it is, or holds, user data
    in a carry slot's place (lossless rule 6): the user sees why ordermap did not read it."""
    for where, why in lookalikes:
        common = min(len(where), len(path))
        if path[:common] == where[:common]:
            return f"{reason}; {why}"
    return reason
