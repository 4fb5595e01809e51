"""What ``ordermap convert`` shows a person on standard error: the loss report's summary by
field and the progress line.

A translation of a 500-order page makes a dozen report entries per order, nearly all of them
the same few fields losing or deriving the same way in every order. Printed one per value
they bury the progress line and the one field that matters, so the terminal gets one line
per field and action instead (:class:`LossSummary`), and the values go to ``--verbose`` or
``--report FILE``. A field is the entry's JSON Pointer with its array indexes replaced by
``*`` (``/orders/order/*/customer_email``), so the same member of every order is one line.
That summary is the report's own (:mod:`ordermap.crosswalk.summary`); it is named here too,
beside the progress line, for the command line and the Dask aggregation.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    pass

from .crosswalk.summary import SHOWN, LossSummary, field_of

__all__ = ["SHOWN", "LossSummary", "Progress", "field_of"]


def _clock(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour."""
    whole = round(seconds)  # to the nearest second: 3725 s less a float error is 1:02:05
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
