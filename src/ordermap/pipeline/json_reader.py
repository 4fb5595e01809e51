"""Reading JSON pages and newline-delimited JSON order by order.

A page (dexero-json or talkdesk-json) is scanned with the standard library's JSON scanner on a
sliding window of text: the envelope member by member, the order list item by item. Lines are
read one document at a time.
"""

from __future__ import annotations

import bisect
import codecs
import itertools
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import attrs

from .. import formats
from ..errors import DecodeError, Location
from ..limits import Limits
from ..places import Place
from . import record
from .record import Layout, Record, problem

# The scanner that finds where a value ends: the standard library's, with numbers and
# constants left as text (the strict parse of each order comes later, in its worker).
SCAN = json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=str)
SPACE = re.compile(r"[ \t\n\r]*")


class JsonText:
    """A sliding window of UTF-8 input text, with line and column bookkeeping."""

    def __init__(self, file: BinaryIO, head: bytes, limits: Limits, format: str) -> None:
        self.file = file
        self.format = format
        self.limits = limits
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.text = ""
        self.pos = 0
        self.eof = False
        self.bytes_read = 0
        self.line = 1  # line and column of text[0]
        self.column = 1
        self._pending = head
        self._mark = (0, 1, 1)  # a position whose line and column are known
        self.raw: list[bytes] | None = []  # the bytes read while the input is being sniffed

    def fail(self, code: str, message: str, at: int | None = None) -> DecodeError:
        line, column = self.where(self.pos if at is None else at)
        return DecodeError([problem(code, message, line, column)], format=self.format)

    def where(self, at: int) -> tuple[int, int]:
        """The line and column of ``text[at]``.

        Counts line breaks from the last position asked for (positions mostly move forward),
        so finding the place of each order costs the length of the order, not of the window.
        """
        mark, line, column = self._mark
        if at < mark:
            mark, line, column = 0, self.line, self.column
        newlines = self.text.count("\n", mark, at)
        if newlines:
            line += newlines
            column = at - self.text.rindex("\n", mark, at)
        else:
            column += at - mark
        self._mark = (at, line, column)
        return line, column

    def fill(self, wanted: int = record.CHUNK) -> bool:
        """Read more text (at least ``wanted`` bytes); ``False`` at the end of input.

        Outside sniffing, the text before ``pos`` is dropped first: positions saved before a
        call are then no longer valid.
        """
        if self.eof:
            return False
        if self.pos and self.raw is None:  # drop what has been consumed
            self.line, self.column = self.where(self.pos)
            self.text = self.text[self.pos :]
            self.pos = 0
            self._mark = (0, self.line, self.column)
        if len(self.text) - self.pos > self.limits.max_bytes:
            raise self.fail("too-large", f"a value is larger than {self.limits.max_bytes} bytes")
        data = self._pending or self.file.read(max(wanted, record.CHUNK))
        self._pending = b""
        self.bytes_read += len(data)
        if self.raw is not None:
            self.raw.append(data)
        try:
            self.text += self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            at = self.bytes_read - len(data) + exc.start
            raise self.fail("encoding", f"invalid UTF-8 at byte {at}", len(self.text)) from None
        if not data:
            self.eof = True
        return True

    def more(self) -> bool:
        """Read at least as much again as the unread text (so a long value costs n log n)."""
        return self.fill(len(self.text) - self.pos)

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of input)."""
        while True:
            self.pos = SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "the end of input"
            raise self.fail("json-syntax", f"not valid JSON: expected {char!r}, found {shown}")
        self.pos += 1

    def value(self) -> tuple[str, int, int]:
        """The next value's text, with the line and column it starts at."""
        self.peek()
        while True:
            try:
                end = SCAN.raw_decode(self.text, self.pos)[1]
            except json.JSONDecodeError as exc:
                # A value cut by the end of the window fails at its end (or, for a string,
                # says so); anything else is broken JSON, whatever follows.
                cut = exc.pos >= len(self.text) - 6 or exc.msg.startswith("Unterminated string")
                if not (cut and self.more()):
                    raise self.fail("json-syntax", f"not valid JSON: {exc.msg}", exc.pos) from None
                continue
            except RecursionError:
                raise self.fail("too-deep", "JSON nested too deeply to read") from None
            if end < len(self.text) or not self.more():
                break  # a number ending at the window's end may go on in the next chunk
        line, column = self.where(self.pos)
        text = self.text[self.pos : end]
        self.pos = end
        return text, line, column


class JsonPageReader:
    """A JSON page (dexero-json, talkdesk-json), one order at a time."""

    layout: Layout = "page"

    def __init__(self, text: JsonText, module: formats.FormatModule, limits: Limits) -> None:
        self._module = module
        self.module = module
        self.format = module.FORMAT
        self._text = text
        self._limits = limits
        self._parts: list[str] = []
        # Where the page's own parts start in the input: (index in _parts, line, column), so
        # that validation can locate a problem of the page text in the input.
        self._marks: list[tuple[int, int, int]] = []
        self.count = 0

    @property
    def bytes_read(self) -> int:
        return self._text.bytes_read

    def records(self) -> Iterator[Record]:
        text = self._text
        yield from self._object(self._module.PAGE_ORDERS)
        if text.peek():
            raise text.fail("json-syntax", "not valid JSON: extra data after the document")

    def _object(self, path: tuple[str, ...]) -> Iterator[Record]:
        text, parts = self._text, self._parts
        text.peek()
        self._marks.append((len(parts), *text.where(text.pos)))
        text.expect("{")
        parts.append("{")
        first = True
        while True:
            if text.peek() == "}":
                text.pos += 1
                parts.append("}")
                return
            if not first:
                text.expect(",")
                parts.append(",")
            first = False
            if text.peek() != '"':
                raise text.fail("json-syntax", "not valid JSON: expected a member name")
            key_text, line, column = text.value()
            text.expect(":")
            self._marks.append((len(parts), line, column))
            parts.append(key_text + ":")
            key, ahead = json.loads(key_text), text.peek()
            if key == path[0] and len(path) > 1 and ahead == "{":
                yield from self._object(path[1:])
            elif key == path[0] and len(path) == 1 and ahead == "[":
                yield from self._array()
            elif key == path[0] and len(path) == 1 and ahead == "{":
                yield self._order(bare=True)
            else:
                value, line, column = text.value()
                self._marks.append((len(parts), line, column))
                parts.append(value)

    def _array(self) -> Iterator[Record]:
        text, parts = self._text, self._parts
        text.peek()
        self._marks.append((len(parts), *text.where(text.pos)))
        text.expect("[")
        parts.append("[")
        if text.peek() == "]":
            text.pos += 1
            parts.append("]")
            return
        while True:
            yield self._order()
            if text.peek() == "]":
                text.pos += 1
                parts.append("]")
                return
            text.expect(",")

    def _order(self, bare: bool = False) -> Record:
        """The next order; one spelled as a bare object (no list) is named without an index,
        as the whole document names it."""
        order, line, column = self._text.value()
        if self.count == 0:
            self._parts.append(self._module.ORDER_PLACEHOLDER)
        at: tuple[str | int, ...] = self._module.PAGE_ORDERS
        if not bare:
            at = (*at, self.count)
        place = Place(at, None, line, column)
        self.count += 1
        return Record(self.count - 1, order, place)

    def page_text(self) -> str:
        """The page's own text, its orders standing as a placeholder (validation reads it for
        lone surrogates); its positions are not the input's."""
        return "".join(self._parts)

    def page_position(self, offset: int) -> tuple[int, int] | None:
        """The input's line and column of an offset into :meth:`page_text`, where that is
        the page's own text (not its punctuation or the orders' placeholder)."""
        parts = self._parts
        starts = [0, *itertools.accumulate(len(part) for part in parts)]
        spots = [starts[index] for index, _, _ in self._marks]
        found = bisect.bisect_right(spots, offset) - 1
        if found < 0:
            return None
        index, line, column = self._marks[found]
        if offset >= starts[index + 1]:
            return None  # past the part's text: not a place in the input
        before = parts[index][: offset - starts[index]]
        newlines = before.count("\n")
        if not newlines:
            return line, column + len(before)
        return line + newlines, len(before) - before.rindex("\n")

    def page_parsed(self) -> Any:
        """The page's parsed form, its orders standing as a placeholder (validation)."""
        return self._module.parse(self.page_text(), self._limits)

    def skeleton(self) -> Any:
        try:
            page = self._module.decode("".join(self._parts), kind="page", limits=self._limits)
        except DecodeError as error:
            # Positions in the skeleton are not positions in the input; pointers still are.
            problems = [
                attrs.evolve(p, location=Location(pointer=p.location.pointer))
                for p in error.problems
            ]
            raise type(error)(problems, format=error.format) from None
        return page


class LinesReader:
    """Newline-delimited JSON: one document (an order) per line; blank lines are skipped."""

    layout: Layout = "lines"

    def __init__(self, text: JsonText, format: str | None, limits: Limits) -> None:
        self.format = format
        self._text = text
        self._limits = limits

    @property
    def bytes_read(self) -> int:
        return self._text.bytes_read

    def records(self) -> Iterator[Record]:
        text = self._text
        index = 0
        while True:
            searched = text.pos
            end = text.text.find("\n", searched)
            while end < 0:
                searched = len(text.text)
                before = text.pos
                if not text.more():
                    break
                searched -= before - text.pos  # the consumed text was dropped
                end = text.text.find("\n", searched)
            stop = len(text.text) if end < 0 else end
            if text.text[text.pos : stop].strip():
                line = text.where(text.pos)[0]
                yield Record(index, text.text[text.pos : stop], Place((index,), None, line, 1))
                index += 1
            if end < 0:
                return
            text.pos = end + 1

    def skeleton(self) -> None:
        return None
