"""The exception tree and the problem record every ordermap error is made of.

Every error raised by ordermap is an :class:`OrdermapError`. It carries one or more
:class:`Problem` records, each naming where in the document the problem is:

- :class:`DecodeError`: the input cannot be read as the format (not JSON, not XML, a DOCTYPE,
  gzip bytes, invalid UTF-8, a limit passed).
- :class:`ValidationError`: the input was read but breaks the format's rules (a missing
  required field, ``"3"`` where a number belongs, an amount with three decimals).
  It is a :class:`DecodeError`, so catching that catches both.
- :class:`EncodeError`: a document cannot be written in the asked format (a control
  character bound for XML, an id out of range for a Dexero ``long``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import field, frozen

__all__ = [
    "DecodeError",
    "EncodeError",
    "Location",
    "OrdermapError",
    "Problem",
    "Severity",
    "ValidationError",
]

_INPUT_PREVIEW = 60


_SURROGATE = re.compile("[\ud800-\udfff]")


def pointer(path: Iterable[str | int]) -> str:
    """An RFC 6901 JSON Pointer for a path of keys and indexes."""
    return "".join("/" + str(seg).replace("~", "~0").replace("/", "~1") for seg in path)


def printable(text: str | None) -> str | None:
    """``text`` with each lone surrogate written as its ``\\udXXX`` escape.

    A lone surrogate (which a JSON ``\\ud800`` escape can put in a member name) is no Unicode
    character: no UTF-8 output, a terminal's or an XML report's, could show it.
    """
    if text is None or _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class Severity(enum.StrEnum):
    """How bad a problem is: an error stops a document, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@frozen
class Location:
    """Where a problem is.

    Attributes:
        pointer: An RFC 6901 JSON Pointer into a JSON document (``/orders/order/2/id``). A
            lone surrogate in a member name is written as its ``\\udXXX`` escape, so that
            every location can be printed.
        path: An element path into an XML document (``/orders/order[3]/id``).
        line: The 1-based line in the input, where known.
        column: The 1-based column in the input, where known.
    """

    pointer: str | None = field(default=None, converter=printable)
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.pointer if self.pointer is not None else self.path
        parts = [] if where is None else [where or "/"]
        if self.line is not None:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        return " ".join(parts) if parts else "document"


@frozen
class Problem:
    """One thing wrong with a document.

    Attributes:
        code: A stable, documented slug such as ``missing-field`` (see ``specs/problems.md``).
        message: A sentence a person understands.
        location: Where the problem is.
        severity: Error or warning.
        input: The offending input, shortened, or ``None`` when there is none to show.
    """

    code: str
    message: str
    location: Location = Location()
    severity: Severity = Severity.ERROR
    input: str | None = None

    def __str__(self) -> str:
        shown = f" (got {self.input})" if self.input is not None else ""
        return f"{self.location}: {self.message}{shown} [{self.code}]"


def preview(value: Any) -> str:
    """Render an offending input for a message: JSON-like, shortened to a readable length."""
    if isinstance(value, str):
        text = repr(value)
    elif value is None:
        text = "null"
    elif value is True or value is False:
        text = "true" if value else "false"
    elif isinstance(value, dict):
        text = "an object"
    elif isinstance(value, list):
        text = "an array"
    else:
        text = str(value)
    if len(text) > _INPUT_PREVIEW:
        text = text[: _INPUT_PREVIEW - 3] + "..."
    return text


class OrdermapError(Exception):
    """Base of every error ordermap raises.

    Attributes:
        problems: What is wrong, at least one record, errors first.
        format: The format name involved (``dexero-xml``), when known.
        omitted: How many more problems were found than ``problems`` lists (the
            ``Limits.max_problems`` cap; its last record, ``too-many-problems``, says so too).
    """

    def __init__(
        self, problems: Iterable[Problem], *, format: str | None = None, omitted: int = 0
    ) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("an OrdermapError needs at least one problem")
        self.format = format
        self.omitted = omitted
        super().__init__(self._summary())

    def _summary(self) -> str:
        first = str(self.problems[0])
        rest = len(self.problems) - 1
        prefix = f"{self.format}: " if self.format else ""
        return prefix + first + (f" (and {rest} more problem{'s' * (rest > 1)})" if rest else "")

    @property
    def errors(self) -> Sequence[Problem]:
        """The problems of error severity."""
        return [p for p in self.problems if p.severity is Severity.ERROR]


class DecodeError(OrdermapError):
    """The input cannot be read as the format."""


class ValidationError(DecodeError):
    """The input was read but breaks the rules of its format."""


class EncodeError(OrdermapError):
    """A document cannot be written in the asked format."""
