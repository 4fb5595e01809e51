"""Bounds on what ordermap reads, so hostile input costs bounded time and memory."""

from __future__ import annotations

from attrs import field, frozen
from attrs.validators import ge

__all__ = ["DEFAULT_LIMITS", "Limits"]


@frozen(kw_only=True)
class Limits:
    """Limits applied while reading a document.

    Attributes:
        max_bytes: The largest input read whole (streamed conversions apply it per record).
        max_depth: The deepest nesting of objects and arrays (or elements) accepted.
        max_number_digits: The most characters a JSON number may have.
        max_problems: The most problems collected before reading stops.
    """

    max_bytes: int = field(default=256 * 1024 * 1024, validator=ge(1))
    max_depth: int = field(default=64, validator=ge(8))
    max_number_digits: int = field(default=64, validator=ge(24))
    max_problems: int = field(default=100, validator=ge(1))


DEFAULT_LIMITS = Limits()
