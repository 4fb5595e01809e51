"""Reading documents of any size one order at a time (the readers behind :mod:`ordermap.stream`).

A reader yields :class:`Record` objects, one per order, and afterwards gives the page's
*skeleton*: the page with every order but a placeholder taken out, so that the page-level
members (pagination, unknown members, the order list's position and spelling) are read and
checked by the ordinary decoders. Three readers:

- :class:`XmlPageReader`: a ``<orders>`` page, through lxml's pull parser with the same
  hardening as :func:`ordermap._xml.parse`; each finished ``<order>`` is taken out of the
  tree, so memory holds one order.
- :class:`JsonPageReader`: a dexero-json or talkdesk-json page, scanned with the standard
  library's JSON scanner on a sliding window of text: the envelope member by member, the
  order list item by item.
- :class:`LinesReader`: newline-delimited JSON, one document per line.

Whatever does not fit these shapes (a single order, an error body, a page whose first member
does not tell its format) is read whole by :class:`DocumentReader`, within ``max_bytes``.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO, Literal

import attrs
from attrs import frozen
from lxml import etree

from . import _api, _xml, formats
from ._place import TOP, Place
from .errors import DecodeError, Location, Problem, ValidationError
from .limits import Limits

__all__ = [
    "DocumentReader",
    "JsonPageReader",
    "LinesReader",
    "Record",
    "XmlPageReader",
    "reader_for",
]

CHUNK = 1 << 16
Layout = Literal["page", "lines", "single"]

# A page format says where it keeps its orders (PAGE_ORDERS) and gives the placeholder its
# skeleton keeps in their place (ORDER_PLACEHOLDER: any valid order; only its presence and
# position count).


@frozen
class Record:
    """One order of a stream.

    Attributes:
        index: Its position in the stream, from 0.
        payload: What the order was read as: an lxml element, XML bytes, JSON text, or an
            already decoded order (from :class:`DocumentReader`).
        place: Where it is in the input, set by the reader that read it: its pointer in the
            input's JSON form, its element path in XML, and the line and column its text
            starts at (a text payload's problems count lines from there; an element's lines
            are the input's own). Decoding the payload at this place locates its problems
            in the input.
    """

    index: int
    payload: Any
    place: Place = TOP


def _problem(
    code: str, message: str, line: int | None = None, column: int | None = None
) -> Problem:
    return Problem(code, message, Location(line=line, column=column))


# --- XML --------------------------------------------------------------------------------------


class XmlPageReader:
    """An XML page (dexero-xml's ``<orders>``), one order element at a time."""

    layout: Layout = "page"

    def __init__(
        self, file: BinaryIO, head: bytes, limits: Limits, module: formats.FormatModule
    ) -> None:
        self._module = module
        self.format = module.FORMAT
        self._tag = module.PAGE_ORDERS[-1]
        self._file = file
        self._head = head
        self._limits = limits
        self._root: Any = None
        self.bytes_read = 0
        self.count = 0

    def _fail(self, code: str, message: str, line: int | None = None) -> DecodeError:
        return DecodeError([_problem(code, message, line)], format=self.format)

    def records(self) -> Iterator[Record]:
        parser = _xml.pull_parser(self._tag)
        since = 0  # bytes read since the last finished order
        tail = b""  # the end of the previous chunk, so a DOCTYPE split across two is seen
        data = self._head
        while data:
            self.bytes_read += len(data)
            if _xml.has_doctype(tail + data):
                raise self._fail("doctype", "a DOCTYPE is not allowed (no DTDs, no entities)")
            tail = data[-32:]
            since += len(data)
            if since > self._limits.max_bytes:
                raise self._fail(
                    "too-large", f"an order is larger than {self._limits.max_bytes} bytes"
                )
            try:
                parser.feed(data)
                events: list[Any] = list(parser.read_events())
            except etree.XMLSyntaxError as exc:
                raise _xml.syntax_error(exc, self.format) from None
            for _, element in events:
                parent = element.getparent()
                if parent is None or parent.getparent() is not None:
                    continue  # an <order> root, or an element named order deeper down
                if element.get(_xml.XSI_NIL) is not None:
                    continue  # a nil list, or a nil item: the skeleton's decoding tells which
                self._root = parent
                since = 0
                yield self._take(element)
            data = self._file.read(CHUNK)
        try:
            root: Any = parser.close()
        except etree.XMLSyntaxError as exc:
            raise _xml.syntax_error(exc, self.format) from None
        self._root = root
        for sibling in (*root.itersiblings(preceding=True), *root.itersiblings()):
            if sibling.tag is etree.PI:
                raise self._fail(
                    "processing-instruction",
                    "processing instructions are not allowed",
                    sibling.sourceline,
                )

    def _take(self, element: Any) -> Record:
        """Take a finished order out of the tree (the first leaves a placeholder)."""
        top, tag = self._module.PAGE_ORDERS
        place = Place((top, tag, self.count), f"/{top}/{tag}[{self.count + 1}]", element.sourceline)
        record = Record(self.count, element, place)
        root = self._root
        if element.tail is not None and element.tail.strip():
            # Taking the order out would take this text with it; the layout has no such text.
            raise ValidationError(
                [
                    Problem(
                        "mixed-content",
                        "text between elements (mixed content)",
                        Location(path="/orders", line=element.sourceline),
                    )
                ],
                format=self.format,
            )
        if self.count == 0:
            placeholder = etree.fromstring(self._module.ORDER_PLACEHOLDER)
            placeholder.tail = element.tail
            root.replace(element, placeholder)
        else:
            root.remove(element)
        element.tail = None
        self.count += 1
        return record

    def skeleton(self) -> Any:
        if self._root is None:
            raise self._fail("empty", "input is empty", 1)
        return self._module.decode_parsed(self._root, "page", self._limits)


# --- JSON -------------------------------------------------------------------------------------


# The scanner that finds where a value ends: the standard library's, with numbers and
# constants left as text (the strict parse of each order comes later, in its worker).
_SCAN = json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=str)
_SPACE = re.compile(r"[ \t\n\r]*")


class _Text:
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
        return DecodeError([_problem(code, message, line, column)], format=self.format)

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

    def fill(self, wanted: int = CHUNK) -> bool:
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
        data = self._pending or self.file.read(max(wanted, CHUNK))
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
            self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
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
                end = _SCAN.raw_decode(self.text, self.pos)[1]
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

    def __init__(self, text: _Text, module: formats.FormatModule, limits: Limits) -> None:
        self._module = module
        self.format = module.FORMAT
        self._text = text
        self._limits = limits
        self._parts: list[str] = []
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
            key_text = text.value()[0]
            text.expect(":")
            parts.append(key_text + ":")
            key, ahead = json.loads(key_text), text.peek()
            if key == path[0] and len(path) > 1 and ahead == "{":
                yield from self._object(path[1:])
            elif key == path[0] and len(path) == 1 and ahead == "[":
                yield from self._array()
            elif key == path[0] and len(path) == 1 and ahead == "{":
                yield self._order()
            else:
                parts.append(text.value()[0])

    def _array(self) -> Iterator[Record]:
        text, parts = self._text, self._parts
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

    def _order(self) -> Record:
        order, line, column = self._text.value()
        if self.count == 0:
            self._parts.append(self._module.ORDER_PLACEHOLDER)
        place = Place((*self._module.PAGE_ORDERS, self.count), None, line, column)
        self.count += 1
        return Record(self.count - 1, order, place)

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

    def __init__(self, text: _Text, format: str | None, limits: Limits) -> None:
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


class DocumentReader:
    """A document read whole: a single order or error body, or a page that does not stream."""

    def __init__(self, data: bytes, format: str | None, limits: Limits) -> None:
        self.bytes_read = len(data)
        self.document, self.format = _api.decode_as(data, format, limits=limits)
        self.layout: Layout = "page" if _api.kind_of(self.document) == "page" else "single"

    def records(self) -> Iterator[Record]:
        document: Any = self.document
        if self.layout == "page":
            for index, order in enumerate(document.orders or ()):
                yield Record(index, order)
        else:
            yield Record(0, self.document)

    def skeleton(self) -> Any:
        return self.document if self.layout == "page" else None


Reader = XmlPageReader | JsonPageReader | LinesReader | DocumentReader


_SNIFF_LINE = 1 << 22  # a first line longer than this is taken for one compact document


def _first_line_is_a_document(text: _Text) -> bool:
    """Whether the input starts with a one-line JSON value followed by more lines.

    Leading blank lines are skipped. Called while sniffing, so nothing read is dropped.
    """
    start = _SPACE.match(text.text, text.pos).end()  # type: ignore[union-attr]
    end = text.text.find("\n", start)
    while end < 0 and len(text.text) < _SNIFF_LINE and text.more():
        start = _SPACE.match(text.text, text.pos).end()  # type: ignore[union-attr]
        end = text.text.find("\n", start)
    if end < 0:
        return False
    try:
        _SCAN.raw_decode(text.text[start:end].strip())
    except (json.JSONDecodeError, RecursionError):
        return False
    while not text.text[end:].strip() and text.more():
        pass
    return bool(text.text[end:].strip())


def _first_key(text: _Text) -> str | None:
    """The first member name of the top-level object, leaving the window where it was."""
    start = text.pos
    try:
        if text.peek() != "{":
            return None
        text.pos += 1
        if text.peek() != '"':
            return None
        key: str = json.loads(text.value()[0])
        return key
    except (DecodeError, json.JSONDecodeError):
        return None
    finally:
        text.pos = start


def _read_all(file: BinaryIO, head: bytes, limits: Limits) -> bytes:
    rest = file.read(max(0, limits.max_bytes + 1 - len(head)))
    return head + rest


def reader_for(
    file: BinaryIO, format: str | None, limits: Limits, *, lines: bool | None = None
) -> Reader:
    """Choose the reader for ``file`` from its first bytes (and ``format``, when given).

    Args:
        file: The input, opened for reading bytes.
        format: The input's format, or ``None`` to detect it.
        limits: Bounds; ``max_bytes`` bounds one order (or one line) in a stream.
        lines: ``True``: the input is newline-delimited JSON; ``False``: it is one document;
            ``None``: decide from the content.
    """
    head = file.read(CHUNK)
    first = head.lstrip()[:1]
    chosen = None if format is None else formats.get(format)
    if (chosen is None and first == b"<") or (chosen is not None and chosen.SYNTAX == "xml"):
        for module in () if lines else _candidates(chosen, "xml"):
            root = re.escape(module.PAGE_ORDERS[0].encode())
            if re.match(rb"(\xef\xbb\xbf)?\s*(<\?xml[^>]*\?>\s*)?<" + root + rb"[\s/>]", head):
                return XmlPageReader(file, head, limits, module)
        return DocumentReader(_read_all(file, head, limits), format, limits)
    if first != b"{" or head.startswith(codecs.BOM_UTF8):
        return DocumentReader(_read_all(file, head, limits), format, limits)
    text = _Text(file, head, limits, format or "json")
    text.fill()
    if lines or (lines is None and _first_line_is_a_document(text)):
        text.raw = None
        return LinesReader(text, format, limits)
    key = _first_key(text)
    for module in _candidates(chosen, "json"):
        if key in module.PAGE_KEYS:
            text.raw = None
            text.format = module.FORMAT
            return JsonPageReader(text, module, limits)
    # Not a page that announces itself in its first member: read it whole.
    return DocumentReader(_read_all(file, b"".join(text.raw or ()), limits), format, limits)


def _candidates(
    chosen: formats.FormatModule | None, syntax: str
) -> tuple[formats.FormatModule, ...]:
    """The formats a page may be in: the one asked for, or every format of its syntax."""
    if chosen is not None:
        return (chosen,)
    return tuple(module for module in formats.FORMATS.values() if syntax == module.SYNTAX)
