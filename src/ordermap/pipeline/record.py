"""What a reader yields: one :class:`Record` per order, at its place in the input."""

from __future__ import annotations

from typing import Any, Literal

from attrs import frozen

from ..errors import Location, Problem
from ..places import TOP, Place

CHUNK = 1 << 16
"""How many bytes a reader asks its file for at a time."""
Layout = Literal["page", "lines", "single"]

# A page format says where it keeps its orders (PAGE_ORDERS) and gives the placeholder its
# skeleton keeps in their place (ORDER_PLACEHOLDER: any valid order; only its presence and
# position count).


@frozen
class Record:
    """One order of a stream.

    Attributes:
        index: Its position in the stream, from 0.
        payload: What the order was read as: an lxml element, XML bytes, JSON text, an
            already decoded order (of a page read whole), or a :class:`Whole` document.
        place: Where it is in the input, set by the reader that read it: its pointer in the
            input's JSON form, its element path in XML, and the line and column its text
            starts at (a text payload's problems count lines from there; an element's lines
            are the input's own). Decoding the payload at this place locates its problems
            in the input.
    """

    index: int
    payload: Any
    place: Place = TOP


@frozen
class Whole:
    """A record's payload that is a whole document, parsed (and its kind, where told)."""

    parsed: Any
    kind: str | None


def problem(code: str, message: str, line: int | None = None, column: int | None = None) -> Problem:
    return Problem(code, message, Location(line=line, column=column))
