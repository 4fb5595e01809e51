"""Bounds on what ordermap reads, so hostile input costs bounded time and memory.

``specs/limits.md`` says what each bound guards against, what happens at it, and how the
command line applies them.
"""

from __future__ import annotations

from attrs import field, frozen
from attrs.validators import and_, ge, le

__all__ = ["DEFAULT_LIMITS", "Limits"]


@frozen(kw_only=True)
class Limits:
    """Limits applied while reading a document.

    Attributes:
        max_bytes: The largest input read whole, in bytes (streamed conversions apply it to
            each order, or each line, instead); larger input is refused with ``too-large``.
        max_depth: The deepest nesting of objects and arrays accepted inside a free-form
            value (unknown members, ``custom_fields``), from 8 to 256; deeper is
            ``too-deep``. XML is never read past 256 levels and JSON past about 1,000 (the
            parsers' own bounds), whatever this says.
        max_number_digits: The most characters a JSON number may have, from 24 to 4,300
            (Python reads no longer integer); ``number-too-long`` beyond.
        max_problems: The most problems listed; one more, ``too-many-problems``, says how
            many were left out.
    """

    max_bytes: int = field(default=256 * 1024 * 1024, validator=ge(1))
    max_depth: int = field(default=64, validator=and_(ge(8), le(256)))
    max_number_digits: int = field(default=64, validator=and_(ge(24), le(4300)))
    max_problems: int = field(default=100, validator=ge(1))


DEFAULT_LIMITS = Limits()
