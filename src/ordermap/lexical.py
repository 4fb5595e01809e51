"""The lexical rules of the wire types, in one place.

What text a Dexero ``long``, ``int``, ``decimal(20,2)``, ``boolean`` and base64 value may be
written as, what RFC 3339 date-times and dates look like, and what a JSON number's text is.
The format modules (which turn a broken rule into a located problem), the crosswalk's rules
(which ask whether a Talkdesk value fits a Dexero type), the value classes, the schemas and
the endpoint all take them from here.

Everything here is a plain predicate or parser with no opinion on how a failure is reported.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

__all__ = [
    "AMOUNT_TEXT",
    "BASE64_TEXT",
    "BOOLEAN_TEXTS",
    "DATE_TEXT",
    "INTEGER_TEXT",
    "INT_RANGE",
    "JSON_NUMBER_TEXT",
    "LONG_RANGE",
    "PLAIN_LIMIT",
    "TIMESTAMP_TEXT",
    "amount_fits",
    "in_range",
    "integer_from_text",
    "long_from_text",
    "plain_decimal",
    "plain_length",
]

LONG_RANGE = (-(2**63), 2**63 - 1)
"""A Dexero ``long``: a signed 64-bit integer."""
INT_RANGE = (-(2**31), 2**31 - 1)
"""A Dexero ``int``: a signed 32-bit integer."""

# re.ASCII throughout: Python's \d also matches other scripts' digits, which int() and
# Decimal() would quietly accept.
INTEGER_TEXT = re.compile(r"-?(?:0|[1-9]\d*)\Z", re.ASCII)
"""A plain decimal integer: no sign but ``-``, no leading zeros (``-0`` is refused apart)."""
AMOUNT_TEXT = re.compile(r"-?(?:0|[1-9]\d{0,17})(?:\.\d{1,2})?\Z", re.ASCII)
"""A ``decimal(20,2)``: plain digits, at most 18 before the point and 2 after it."""
BASE64_TEXT = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z")
"""Standard base64 with canonical padding only (``b64decode`` would also take ``AAAA=``)."""
BOOLEAN_TEXTS = {"true": True, "false": False}
"""A Dexero XML boolean's text (``1`` and ``0`` are not used by Dexero)."""
TIMESTAMP_TEXT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))\Z",
    re.ASCII,
)
"""An RFC 3339 date-time with an offset (the calendar is checked apart)."""
DATE_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII)
"""A calendar date, ``YYYY-MM-DD`` (the calendar is checked apart)."""
JSON_NUMBER_TEXT = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\Z", re.ASCII)
"""A JSON number token (RFC 8259)."""


def in_range(value: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= value <= bounds[1]


@functools.cache
def _longest(bounds: tuple[int, int]) -> int:
    """The longest text an integer within ``bounds`` has (a longer one is refused unread)."""
    return max(len(str(bounds[0])), len(str(bounds[1])))


def integer_from_text(text: str, bounds: tuple[int, int]) -> int | None:
    """The integer within ``bounds`` that ``text`` is written as, or ``None`` when it is not
    one (written plainly, in range, and written back the same: ``-0`` and ``007`` are not)."""
    if len(text) > _longest(bounds) or text == "-0" or INTEGER_TEXT.match(text) is None:
        return None
    value = int(text)
    return value if in_range(value, bounds) else None


def long_from_text(text: str) -> int | None:
    """The ``long`` that ``text`` is written as, or ``None`` (see :func:`integer_from_text`)."""
    return integer_from_text(text, LONG_RANGE)


def amount_fits(value: Decimal) -> bool:
    """Whether an amount fits ``decimal(20,2)`` as it is (its plain text, scale included)."""
    if not value.is_finite() or plain_length(value) > _LONGEST_AMOUNT:
        return False  # not formatted: an exponent's plain text may be very long
    return AMOUNT_TEXT.match(format(value, "f")) is not None


_LONGEST_AMOUNT = len("-999999999999999999.99")
PLAIN_LIMIT = 4300
"""The longest plain text (digits, sign and point) of a Talkdesk amount read in exponent
form; ``1e999999999`` is 11 characters of JSON but a billion digits plain."""


def plain_decimal(text: str) -> Decimal | None:
    """The Decimal of a JSON number's text, or ``None`` when its plain text would be longer
    than :data:`PLAIN_LIMIT` (or its exponent past what a Decimal holds at all)."""
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    return number if plain_length(number) <= PLAIN_LIMIT else None


def plain_length(value: Decimal) -> int:
    """The length of ``format(value, "f")``, worked out without making it."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int), "a finite Decimal"
    if exponent >= 0:
        body = len(digits) + exponent if digits != (0,) else 1
    else:
        body = max(len(digits), -exponent + 1) + 1  # the point, and a zero before it
    return body + sign
