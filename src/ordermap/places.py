"""Where a record of a stream sits, so that problems found in it are located in the stream.

A reader of a stream gives each order it yields a :class:`Place`; decoding the order with it
names every problem where it is in the whole input, not where it is in the order's own text.
Outside a stream the place is :data:`TOP`, which leaves every location as it is found.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from attrs import frozen

from .errors import pointer

__all__ = ["TOP", "Place"]


@frozen
class Place:
    """Where a record is in the input it was read from.

    Attributes:
        pointer: Its path of keys and indexes in the input's JSON form (a page's order list
            and the order's index, or the line's index in newline-delimited JSON).
        path: Its XML element path, such as ``/orders/order[8]``; ``None`` outside XML.
        line: The line its text starts on (1-based), or ``None`` when the lines of its problems
            are already lines of the input (an element of the parsed input itself).
        column: The column its text starts at (1-based), where known.
    """

    pointer: tuple[str | int, ...] = ()
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def point(self, path: Sequence[str | int] = ()) -> str:
        """The JSON Pointer of a path below the record."""
        return pointer([*self.pointer, *path])

    def position(self, line: int | None, column: int | None) -> tuple[int | None, int | None]:
        """The line and column in the input of a line and column in the record's text.

        A column moves only on the text's first line, where the text does not start a line.
        """
        if self.line is None or line is None:
            return line, column
        if line == 1 and column is not None and self.column is not None:
            column += self.column - 1
        return line + self.line - 1, column

    def line_of(self, line: int | None) -> int | None:
        """The line in the input of a line in the record's text."""
        return self.position(line, None)[0]

    def element(self, path: str) -> str:
        """The element path in the input of an element path in the record (``/order/id``).

        The record's own root element, with any position it was given, becomes :attr:`path`.
        """
        if self.path is None:
            return path
        end = path.find("/", 1)
        return self.path + ("" if end < 0 else path[end:])

    def with_own_lines(self) -> Place:
        """This place, for a record whose lines are lines of the input already."""
        return attrs.evolve(self, line=None, column=None)


TOP = Place()
"""The place of a whole document: every location stays as it is found."""
