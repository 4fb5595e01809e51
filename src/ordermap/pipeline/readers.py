"""Reading documents of any size one order at a time (the readers behind :mod:`ordermap.stream`).

A reader yields :class:`Record` objects, one per order, and afterwards gives the page's
*skeleton*: the page with every order but a placeholder taken out, so that the page-level
members (pagination, unknown members, the order list's position and spelling) are read and
checked by the ordinary decoders. Three readers:

- :class:`XmlPageReader`: a ``<orders>`` page, through lxml's pull parser with the same
  hardening as :func:`ordermap.formats.xml_read.parse`; each finished ``<order>`` is taken
  out of the tree, so memory holds one order.
- :class:`JsonPageReader`: a dexero-json or talkdesk-json page, scanned with the standard
  library's JSON scanner on a sliding window of text: the envelope member by member, the
  order list item by item.
- :class:`LinesReader`: newline-delimited JSON, one document per line.

Whatever does not fit these shapes (a single order, an error body, a page whose first member
does not tell its format) is read whole by :class:`DocumentReader`, within ``max_bytes``.

:class:`XmlPageReader` (and with it lxml) is imported when an XML page is read, or when it is
first asked for here, so that streaming JSON does not pay for the XML codec.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from .. import documents, formats
from ..binding import paused_gc
from ..errors import DecodeError
from ..limits import Limits
from . import record
from .json_reader import SCAN, SPACE, JsonPageReader, JsonText, LinesReader
from .record import Layout, Record, Whole

if TYPE_CHECKING:
    from .xml_reader import XmlPageReader

__all__ = [
    "DocumentReader",
    "JsonPageReader",
    "LinesReader",
    "Reader",
    "Record",
    "XmlPageReader",
    "reader_for",
]


class DocumentReader:
    """A document read whole: a single order or error body, or a page that does not stream.

    The input is parsed once, here. A document that is not a page is a stream of one record,
    which holds the parsed document and is decoded where every record is (in
    :func:`ordermap.pipeline.work.convert_one`). A page read whole is decoded when its
    records are asked for: its orders are the records and the page is the skeleton.

    Attributes:
        data: The input (validation reads its text again for warnings).
        module: The format it is read as.
        parsed: Its parsed form, until a page is decoded.
        kind: ``page``, ``order`` or ``error``, or ``None`` when the format does not know it
            (decoding says why).
    """

    def __init__(self, data: bytes, format: str | None, limits: Limits) -> None:
        self.bytes_read = len(data)
        self.data = data
        self.module, self.parsed, kind = documents.parse_as(data, format, limits)
        self.format = self.module.FORMAT
        self.kind = kind if kind is not None else self.module.classify(self.parsed)
        self.layout: Layout = "page" if self.kind == "page" else "single"
        self._limits = limits
        self._page: Any = None

    def records(self) -> Iterator[Record]:
        if self.layout != "page":
            yield Record(0, Whole(self.parsed, self.kind))
            return
        with paused_gc():
            self._page = self.module.decode_parsed(self.parsed, "page", self._limits)
        self.parsed = None
        for index, order in enumerate(self._page.orders or ()):
            yield Record(index, order)

    def skeleton(self) -> Any:
        return self._page


if TYPE_CHECKING:
    Reader = XmlPageReader | JsonPageReader | LinesReader | DocumentReader


def __getattr__(name: str) -> object:
    """``XmlPageReader`` and ``Reader``, made when first asked for (they import lxml)."""
    if name not in ("XmlPageReader", "Reader"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .xml_reader import XmlPageReader

    globals()["XmlPageReader"] = XmlPageReader
    globals()["Reader"] = XmlPageReader | JsonPageReader | LinesReader | DocumentReader
    return globals()[name]


_SNIFF_LINE = 1 << 22  # a first line longer than this is taken for one compact document


def _first_line_is_a_document(text: JsonText) -> bool:
    """Whether the input starts with a one-line JSON value followed by more lines.

    Leading blank lines are skipped. Called while sniffing, so nothing read is dropped.
    """
    start = SPACE.match(text.text, text.pos).end()  # type: ignore[union-attr]
    end = text.text.find("\n", start)
    while end < 0 and len(text.text) < _SNIFF_LINE and text.more():
        start = SPACE.match(text.text, text.pos).end()  # type: ignore[union-attr]
        end = text.text.find("\n", start)
    if end < 0:
        return False
    try:
        SCAN.raw_decode(text.text[start:end].strip())
    except (json.JSONDecodeError, RecursionError):
        return False
    while not text.text[end:].strip() and text.more():
        pass
    return bool(text.text[end:].strip())


def _first_key(text: JsonText) -> str | None:
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


# What may come before a page's root element, in its first chunk: a byte order mark, the XML
# declaration, white space, comments and processing instructions (not a DOCTYPE: such a
# document is read whole, and refused there).
_PROLOG = rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>)?(?:\s|<!--.*?-->|<\?(?!xml[\s?]).*?\?>)*"


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
    head = file.read(record.CHUNK)
    first = head.lstrip()[:1]
    chosen = None if format is None else formats.get(format)
    if (chosen is None and first == b"<") or (chosen is not None and chosen.SYNTAX == "xml"):
        for module in () if lines else _candidates(chosen, "xml"):
            root = re.escape(module.PAGE_ORDERS[0].encode())
            if re.match(_PROLOG + b"<" + root + rb"[\s/>]", head, re.DOTALL):
                from .xml_reader import XmlPageReader

                return XmlPageReader(file, head, limits, module)
        return DocumentReader(_read_all(file, head, limits), format, limits)
    if first != b"{" or head.startswith(codecs.BOM_UTF8):
        return DocumentReader(_read_all(file, head, limits), format, limits)
    text = JsonText(file, head, limits, format or "json")
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
    return formats.formats_of_syntax(syntax)
