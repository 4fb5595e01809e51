"""The progress line ``ordermap convert`` draws on standard error.

Beside it the command prints the loss report by field, one line per field and action
(:class:`ordermap.crosswalk.summary.LossSummary`), never on the progress line's line.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


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
