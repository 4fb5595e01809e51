"""The loss report counted by field and action: what ``ordermap convert`` prints on a terminal,
what its ``--report`` file lists under ``by_field``, and the explain page's summary table.

A translation of a 500-order page makes a dozen report entries per order, nearly all of them
the same few fields losing or deriving the same way in every order. A field is the entry's
JSON Pointer with its array indexes replaced by ``*`` (``/orders/order/*/customer_email``),
so the same member of every order is one line of :class:`LossSummary`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .report import ReportEntry

__all__ = ["SHOWN", "FieldKey", "FieldRow", "LossSummary", "field_of", "generalised"]

_INDEX = re.compile(r"/[0-9]+(?=/|\Z)")
# The order the summary lists actions in: what did not reach the target first, then what
# only the carry slot keeps, then what a rule computed.
_RANK = {"lost": 0, "carried": 1, "derived": 2}
# Distinct reasons kept per field: a reason that names a value (a currency, a character)
# could otherwise make one field hold as many reasons as orders.
_REASONS = 8
SHOWN = 50
"""The most fields the terminal summary lists; ``--report`` and ``--verbose`` list them all."""


FieldKey = tuple[str, str, "str | None"]
"""A line of the summary: an entry's action and its source and target fields."""
FieldRow = tuple[FieldKey, str]
"""An entry as the summary counts it: its field and its reason. A translation asked for rows
instead of entries makes no :class:`~ordermap.crosswalk.report.ReportEntry` and no value's
JSON form, and sends worker processes' rows back at a fraction of the entries' cost."""


def field_of(pointer: str | None) -> str | None:
    """A report pointer with its array indexes generalised to ``*``."""
    if pointer is None:
        return None
    return _INDEX.sub("/*", pointer) or "/"


def generalised(pointer: str) -> str:
    """:func:`field_of` without its ``/`` for the empty pointer: the generalised pointers of
    two parts make the generalised whole (``generalised(a + b) == generalised(a) +
    generalised(b)`` when ``b`` is empty or starts with ``/``), so an order's prefix and its
    members' pointers are each generalised once."""
    return _INDEX.sub("/*", pointer)


class _Field:
    """One (action, source field, target field) of the summary: its count and reasons."""

    __slots__ = ("count", "first", "reasons")

    def __init__(self, first: int) -> None:
        self.count = 0
        self.first = first
        self.reasons: dict[str, int] = {}

    def add(self, reason: str) -> None:
        self.count += 1
        if reason in self.reasons or len(self.reasons) < _REASONS:
            self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def reason(self) -> tuple[str, int]:
        """The most frequent reason, and how many of the field's entries give another."""
        reason, count = max(self.reasons.items(), key=lambda item: item[1])
        return reason, self.count - count


class LossSummary:
    """The loss report counted by field and action, in the order that matters.

    Memory grows with the distinct fields, not with the entries: a 20,000-order export
    gives the same few dozen lines as one order.
    """

    def __init__(self) -> None:
        self._fields: dict[tuple[str, str, str | None], _Field] = {}

    def add(self, entry: ReportEntry) -> None:
        """Count an entry."""
        self.count(
            (entry.action, field_of(entry.source) or "/", field_of(entry.target)), entry.reason
        )

    def count(self, key: FieldKey, reason: str) -> None:
        """Count an entry given by its field (``(action, source field, target field)``, the
        pointers generalised by :func:`field_of`) and its reason, without the entry itself
        (see :data:`FieldRow`)."""
        found = self._fields.get(key)
        if found is None:
            found = self._fields[key] = _Field(len(self._fields))
        found.add(reason)

    def totals(self) -> tuple[int, int, int]:
        """How many entries of each kind were counted: lost, derived, carried."""
        counts = dict.fromkeys(("lost", "derived", "carried"), 0)
        for (action, _, _), found in self._fields.items():
            counts[action] += found.count
        return counts["lost"], counts["derived"], counts["carried"]

    def __len__(self) -> int:
        return len(self._fields)

    def _sorted(self) -> list[tuple[tuple[str, str, str | None], _Field]]:
        # Lost before carried before derived, the most frequent first; ties keep the order
        # in which the fields were first met, which is the documents' own order.
        return sorted(
            self._fields.items(),
            key=lambda item: (_RANK.get(item[0][0], 3), -item[1].count, item[1].first),
        )

    def lines(self, limit: int = SHOWN) -> list[str]:
        """One line per field, such as ``lost /orders/order/*/is_test x 500: no ...``."""
        shown = []
        ranked = self._sorted()
        for (action, source, target), found in ranked[:limit]:
            arrow = f" -> {target}" if target is not None else ""
            reason, others = found.reason()
            rest = f" (and {others} with other reasons)" if others else ""
            shown.append(f"{action} {source}{arrow} x {found.count}: {reason}{rest}")
        if len(ranked) > limit:
            more = len(ranked) - limit
            shown.append(
                f"... and {more} more field{'s' * (more != 1)} (--verbose or --report FILE "
                "lists every value)"
            )
        return shown

    def to_json(self) -> list[dict[str, Any]]:
        """Every field, as the ``--report`` file's ``by_field`` member lists them."""
        listed = []
        for (action, source, target), found in self._sorted():
            reason, others = found.reason()
            listed.append(
                {
                    "action": action,
                    "source": source,
                    "target": target,
                    "count": found.count,
                    "reason": reason,
                    "other_reasons": others,
                }
            )
        return listed
