"""What ``ordermap convert`` shows a person on standard error: the loss report's summary by
field and the progress line.

A translation of a 500-order page makes a dozen report entries per order, nearly all of them
the same few fields losing or deriving the same way in every order. Printed one per value
they bury the progress line and the one field that matters, so the terminal gets one line
per field and action instead (:class:`LossSummary`), and the values go to ``--verbose`` or
``--report FILE``. A field is the entry's JSON Pointer with its array indexes replaced by
``*`` (``/orders/order/*/customer_email``), so the same member of every order is one line.
"""

from __future__ import annotations

import re
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from .crosswalk import ReportEntry

__all__ = ["LossSummary", "Progress", "field_of"]

# A segment made only of digits is an array index in the pointers a report holds (an
# object key made of digits would be generalised too, which names the same place anyway).
_INDEX = re.compile(r"/[0-9]+(?=/|$)")
# The order the summary lists actions in: what did not reach the target first, then what
# only the carry slot keeps, then what a rule computed.
_RANK = {"lost": 0, "carried": 1, "derived": 2}
# Distinct reasons kept per field: a reason that names a value (a currency, a character)
# could otherwise make one field hold as many reasons as orders.
_REASONS = 8
SHOWN = 50
"""The most fields the terminal summary lists; ``--report`` and ``--verbose`` list them all."""


def field_of(pointer: str | None) -> str | None:
    """A report pointer with its array indexes generalised to ``*``."""
    if pointer is None:
        return None
    return _INDEX.sub("/*", pointer) or "/"


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
        key = (entry.action, field_of(entry.source) or "/", field_of(entry.target))
        found = self._fields.get(key)
        if found is None:
            found = self._fields[key] = _Field(len(self._fields))
        found.add(entry.reason)

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


def _clock(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class Progress:
    """The progress of a conversion: orders, orders per second, share done, elapsed and left.

    On a terminal it is one line redrawn in place (at most five times a second), which
    :meth:`clear` wipes before anything else is printed, so it never shares a line with the
    report. Asked for elsewhere (``--progress`` into a log), it is a plain line once a
    second, with no control characters.

    Args:
        total: The input's size in bytes, when known (the share done and the time left
            need it).
        enabled: Whether to show anything.
        stream: Where to draw (standard error).
    """

    def __init__(self, total: int | None, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.redraw = self.stream.isatty()
        self.every = 0.2 if self.redraw else 1.0
        self.start = time.monotonic()
        self.last = self.start - self.every  # the first update is drawn at once
        self.shown = False

    def line(self, orders: int, bytes_read: int, now: float) -> str:
        """The text shown after ``orders`` orders and ``bytes_read`` bytes, at ``now``."""
        elapsed = max(now - self.start, 1e-9)
        order_word = "order" if orders == 1 else "orders"
        text = f"{orders:,} {order_word}, {orders / elapsed:,.0f} orders/s"
        total = self.total
        share = min(bytes_read / total, 1.0) if total else None
        if total and share is not None:
            text += f", {share:.0%} of {total / 2**20:,.1f} MiB"
        text += f", {_clock(elapsed)} elapsed"
        if share is not None and 0 < share < 1:
            text += f", {_clock(elapsed * (1 - share) / share)} left"
        return text

    def update(self, orders: int, bytes_read: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < self.every:
            return
        self.last = now
        text = self.line(orders, bytes_read, now)
        if self.redraw:
            self.stream.write(f"\r\x1b[K{text}")
            self.shown = True
        else:
            self.stream.write(f"{text}\n")
        self.stream.flush()

    def clear(self) -> None:
        """Wipe the progress line, so that what is printed next starts a clean line."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
