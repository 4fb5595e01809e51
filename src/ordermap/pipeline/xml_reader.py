"""Reading a dexero-xml ``<orders>`` page order by order, through lxml's pull parser with the
same hardening as :func:`ordermap.formats.xml_read.parse`; each finished ``<order>`` is
taken out of the tree, so memory holds one order.

The pull parser drops comments and processing instructions and reads CDATA as text as the
whole-document parser does, so a streamed page reads as the same page read whole, wherever
in it they are (before or after the root, between orders, inside a value).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import attrs
from lxml import etree

from .. import formats
from ..errors import DecodeError, Location, Problem, ValidationError
from ..formats import xml_read, xml_screen
from ..limits import Limits
from ..places import Place
from . import record
from .record import Layout, Record, problem


class XmlPageReader:
    """An XML page (dexero-xml's ``<orders>``), one order element at a time."""

    layout: Layout = "page"

    def __init__(
        self, file: BinaryIO, head: bytes, limits: Limits, module: formats.FormatModule
    ) -> None:
        self._module = module
        self.module = module
        self.format = module.FORMAT
        self._tag = module.PAGE_ORDERS[-1]
        self._file = file
        self._head = head
        self._limits = limits
        self._root: Any = None
        # Validation names the one order of a page as the whole document does, without a
        # position, so it holds the first order until the second or the end shows which it
        # is. Conversion does not wait: its report entries come as each order is converted.
        self.hold_first = False
        self.bytes_read = 0
        self.count = 0
        self._elements = 0  # order elements seen, nil ones included (an element path counts them)

    def _fail(self, code: str, message: str, line: int | None = None) -> DecodeError:
        return DecodeError([problem(code, message, line)], format=self.format)

    def records(self) -> Iterator[Record]:
        parser = xml_read.pull_parser(self._tag)
        # The whole document names the elements of a page of one order without a position
        # (``/orders/order/id``), of a longer page with one (``/orders/order[1]/id``).
        first: Record | None = None
        since = 0  # bytes read since the last finished order
        tail = b""  # the end of the previous chunk, so a DOCTYPE split across two is seen
        # The bytes read while the prolog may go on: a DOCTYPE can come only there (see
        # xml_screen.prolog_doctype), so "<!DOCTYPE" in a later comment or CDATA is text.
        prolog: bytes | None = b""
        data = self._head
        while data:
            self.bytes_read += len(data)
            if prolog is not None:
                prolog += data
                found = xml_screen.prolog_doctype(prolog)
                prolog = prolog if found is None else None
                if found is not None and found >= 0:
                    raise self._fail("doctype", "a DOCTYPE is not allowed (no DTDs, no entities)")
            if xml_screen.utf16_doctype(tail + data) >= 0:
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
                raise xml_read.syntax_error(exc, self.format) from None
            for _, element in events:
                parent = element.getparent()
                if parent is None or parent.getparent() is not None:
                    continue  # an <order> root, or an element named order deeper down
                self._elements += 1
                if element.get(xml_read.XSI_NIL) is not None:
                    continue  # a nil list, or a nil item: the skeleton's decoding tells which
                self._root = parent
                since = 0
                taken = self._take(element)
                if self.hold_first and first is None and taken.index == 0:
                    first = taken  # held until it is known whether another order follows
                    continue
                if first is not None:
                    yield first
                    first = None
                yield taken
            data = self._file.read(record.CHUNK)
        try:
            root: Any = parser.close()
        except etree.XMLSyntaxError as exc:
            raise xml_read.syntax_error(exc, self.format) from None
        self._root = root
        if root.getroottree().docinfo.doctype:
            # Only reached if the screen above missed one; the parser loaded nothing for it.
            raise self._fail("doctype", "a DOCTYPE is not allowed (no DTDs, no entities)")
        if first is not None and self._elements > 1:
            yield first  # a nil order beside it: the whole page names positions
        elif first is not None:
            top, tag = self._module.PAGE_ORDERS
            yield attrs.evolve(first, place=attrs.evolve(first.place, path=f"/{top}/{tag}"))

    def _take(self, element: Any) -> Record:
        """Take a finished order out of the tree (the first leaves a placeholder)."""
        top, tag = self._module.PAGE_ORDERS
        path = f"/{top}/{tag}[{self._elements}]"
        place = Place((top, tag, self.count), path, element.sourceline)
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

    def page_text(self) -> None:
        """XML has no lone surrogates to look for (JSON page readers give their text)."""
        return None

    def page_parsed(self) -> Any:
        """The page's root element, its orders taken out but a placeholder (validation)."""
        return self._root
