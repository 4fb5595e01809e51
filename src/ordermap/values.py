"""Value types that keep their exact text: timestamps, dates and JSON numbers.

Python's ``datetime`` and ``Decimal`` compare equal across spellings (``10:00+02:00`` equals
``08:00Z``; ``10.5`` equals ``10.50``), so a value whose text matters is kept as text and
checked when it is made. ``Decimal`` keeps its scale and is used for amounts directly.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from typing import Any

from attrs import field, frozen

__all__ = ["CalendarDate", "JsonNumber", "Timestamp"]

from .lexical import DATE_TEXT as _DATE
from .lexical import JSON_NUMBER_TEXT as _JSON_NUMBER
from .lexical import TIMESTAMP_TEXT as _TIMESTAMP


def _check_date(year: int, month: int, day: int) -> None:
    # datetime.date does the calendar arithmetic (month lengths, leap years) for us.
    _dt.date(year, month, day)


def _timestamp_text(instance: object, attribute: object, text: str) -> None:
    match = _TIMESTAMP.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not an RFC 3339 date-time with an offset: {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.group(1, 2, 3, 4, 5, 6))
    try:
        _check_date(year, month, day)
    except ValueError:
        raise ValueError(f"not a calendar date: {text!r}") from None
    # RFC 3339 allows second 60 for a leap second.
    if hour > 23 or minute > 59 or second > 60:
        raise ValueError(f"time of day out of range: {text!r}")
    if match.group(8) and (int(match.group(9)) > 23 or int(match.group(10)) > 59):
        raise ValueError(f"offset out of range: {text!r}")


def _date_text(instance: object, attribute: object, text: str) -> None:
    match = _DATE.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not a date (YYYY-MM-DD): {text!r}")
    try:
        _check_date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(f"not a calendar date: {text!r}") from None


@frozen
class Timestamp:
    """An RFC 3339 date-time with an offset, kept exactly as written.

    >>> Timestamp("2021-09-14T12:16:50.078Z").to_datetime().year
    2021

    Two timestamps are equal only when their text is; use :meth:`to_datetime` to compare
    instants.
    """

    text: str = field(validator=_timestamp_text)

    def __str__(self) -> str:
        return self.text

    def to_datetime(self) -> _dt.datetime:
        """The instant as an aware ``datetime`` (fractions beyond microseconds are cut).

        Raises:
            ValueError: For a leap second (``:60``), which ``datetime`` cannot hold.
        """
        text = self.text.upper().replace("Z", "+00:00")
        head, dot, rest = text[:19], text[19:20], text[19:]
        if dot == ".":
            digits = re.match(r"\.(\d+)", rest)
            assert digits is not None  # the validator guarantees the fraction's shape
            fraction = digits.group(1)
            rest = "." + (fraction + "000000")[:6] + rest[len(fraction) + 1 :]
        return _dt.datetime.fromisoformat(head + rest)


@frozen
class CalendarDate:
    """A calendar date ``YYYY-MM-DD``, kept exactly as written."""

    text: str = field(validator=_date_text)

    def __str__(self) -> str:
        return self.text

    def to_date(self) -> _dt.date:
        """The date as a ``datetime.date``."""
        return _dt.date.fromisoformat(self.text)


def _json_number_text(instance: object, attribute: object, text: str) -> None:
    if not isinstance(text, str) or _JSON_NUMBER.match(text) is None:
        raise ValueError(f"not JSON number text: {text!r}")


@frozen
class JsonNumber:
    """A JSON number whose text a Python number would not keep (``1e5``, ``-0``).

    It appears only inside free-form values (unknown fields, ``custom_fields``), so that they
    come back out exactly as they were read. Plain numbers are ``int`` or ``Decimal``.
    """

    text: str = field(validator=_json_number_text)

    def __str__(self) -> str:
        return self.text


def is_json_number_text(text: str) -> bool:
    """Whether ``text`` is the text of a JSON number."""
    return _JSON_NUMBER.match(text) is not None


def scalar_text(value: Any) -> str | None:
    """The wire text of a scalar (``true``, ``10.50``, ``1e5``), or ``None`` for a container."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is Decimal:
        return format(value, "f")
    if kind is JsonNumber:
        return str(value.text)
    return None
