"""Where the orders of a large file are, found without building elements, so that worker
processes can each read and convert a stretch of the file on their own.

The parent process of a conversion with several jobs used to parse every order, serialise it
again for a worker and have the worker parse it a second time. Instead, :func:`xml_spans` and
:func:`line_spans` look at the raw bytes (a memory map of the input) and cut them into
:class:`Span` objects: runs of consecutive orders, each a byte range with the index of its
first order and the line it starts on. A worker reads its range with ``os.pread`` and parses
it once (:mod:`ordermap.pipeline.jobs`).

The finders are deliberately narrow. They only cut files whose layout they can vouch for,
and answer ``None`` (convert the way one job does) for anything else: a dexero-xml page must
be UTF-8, its root element ``<orders>`` bare (no attributes, so no namespace declarations an
order could depend on), its orders spelled ``<order>``…``</order>`` one after another with
only white space between them, and the page's own members before the first order or after
the last. The finder looks at the cuts only: a span ends at the first ``</order>`` past
``SPAN_BYTES`` that white space and an ``<order>`` follow, and its orders are counted by their
start tags. Everything else is checked by a parser. What lies around the orders (the prolog,
the root's other members, its end) is read here by the one-job pull parser itself, on a
*skeleton*: that text with one placeholder order where the orders were, and as many line
breaks, so that its lines are the input's. A span is parsed by its worker, which checks that
it holds exactly the orders counted, with only white space between them; a cut that does
not match what the parser finds (an ``<order>`` inside a comment or CDATA section, a
``</order >``) sends the run back to the one-job reader (see ``jobs``).

For newline-delimited JSON a span is a run of whole lines; blank lines are skipped as the
one-job reader skips them. JSON pages are not cut: finding where an order ends in JSON text
takes a scan of every string in it, which is most of what parsing costs.
"""

from __future__ import annotations

import io
import mmap
import re
from typing import Any, Literal

from attrs import frozen

from .. import formats
from ..errors import OrdermapError
from ..limits import Limits
from .record import CHUNK

__all__ = ["SPAN_BYTES", "SPAN_ORDERS", "Cut", "Span", "line_spans", "xml_spans"]

SPAN_BYTES = 1 << 19
"""About how many bytes of orders a span holds (the last order may take it past)."""
SPAN_ORDERS = 256
"""The most orders in a span of newline-delimited JSON."""

Syntax = Literal["xml", "lines"]

# XML's white space (not Python's: a form feed between elements is a syntax error).
_SPACE = re.compile(rb"[ \t\r\n]*")
_BLANK_START = frozenset(b" \t\r\n\x0b\x0c")
# Another spelling of an order's tag (attributes, white space, an empty element): the finder
# does not cut around one.
_ODD_ORDER = b"<%s[ \t\r\n/>]"


@frozen
class Span:
    """A run of consecutive orders in the input.

    Attributes:
        start: The file offset of the run's first byte (its first order's ``<``, or the
            start of its first line).
        end: The file offset just past the run (its last order's ``>``, or its last line's
            line break).
        index: The stream index of its first order.
        count: How many orders it holds.
        line: The line of the input ``start`` is on (1-based, from where the input starts).
    """

    start: int
    end: int
    index: int
    count: int
    line: int


@frozen
class Cut:
    """An input cut into spans.

    Attributes:
        syntax: ``xml`` (a page's orders) or ``lines`` (newline-delimited JSON).
        spans: The orders, in order.
        longest: The most bytes one order (with what comes before it) takes.
        skeleton: For a page, a reader that has read the page's skeleton: its ``skeleton()``
            is the page the one-job reader gives (its members, its first order a placeholder).
    """

    syntax: Syntax
    spans: list[Span]
    longest: int
    skeleton: Any = None


def _prolog(root: bytes) -> re.Pattern[bytes]:
    """The start of a page this module cuts: an optional UTF-8 declaration, the bare root."""
    s = rb"[ \t\r\n]"
    declaration = (
        rb"<\?xml%(s)s+version%(s)s*=%(s)s*(?:\"1\.0\"|'1\.0')"
        rb"(?:%(s)s+encoding%(s)s*=%(s)s*(?:\"(?i:utf-8)\"|'(?i:utf-8)'))?"
        rb"(?:%(s)s+standalone%(s)s*=%(s)s*(?:\"(?:yes|no)\"|'(?:yes|no)'))?%(s)s*\?>"
    ) % {b"s": s}
    return re.compile(rb"(?:\xef\xbb\xbf)?%s*(?:%s)?%s*<%s>" % (s, declaration, s, re.escape(root)))


def xml_spans(
    data: bytes | mmap.mmap,
    origin: int,
    module: formats.FormatModule,
    limits: Limits,
    span_bytes: int | None = None,
) -> Cut | None:
    """Cut a dexero-xml page (the bytes of ``data`` from ``origin`` on) into spans.

    ``span_bytes`` is about how many bytes of orders a span holds (:data:`SPAN_BYTES` when
    ``None``). Returns ``None`` when the page is not laid out as this module cuts pages (see
    the module docstring), or is too small to be worth cutting into more than one span.
    """
    view: Any = data
    size_of_span = SPAN_BYTES if span_bytes is None else span_bytes
    top, tag = module.PAGE_ORDERS
    opening, closing = f"<{tag}>".encode(), f"</{tag}>".encode()
    odd = re.compile(_ODD_ORDER % re.escape(tag.encode()))
    prolog = _prolog(top.encode()).match(view, origin)
    if prolog is None:
        return None
    first = view.find(opening, prolog.end())
    size = len(view)
    if first < 0 or odd.search(view, prolog.end(), first):
        return None
    # The one-job reader refuses a page when more than max_bytes come between two order ends
    # (counted in whole chunks); keep well inside that (spans are counted whole), or let it
    # say so itself.
    room = limits.max_bytes - 3 * CHUNK
    spans: list[Span] = []
    index, line, lines = 0, 1 + _newlines(view, origin, first), 0
    start = first
    previous = origin  # the end of the last span (the one-job reader counts from here)
    longest = 0
    # A span ends at the first order end past its size that another order follows (after
    # white space); its orders are counted by their start tags. Only the ends and starts at
    # the cuts are looked at: the worker checks that a span holds the orders counted.
    while True:
        end = view.find(closing, max(start + size_of_span - len(closing), start + len(opening)))
        if end < 0:
            end = view.rfind(closing, start)  # the last order's end
            if end < start:
                return None
        end += len(closing)
        following = _SPACE.match(view, end).end()  # type: ignore[union-attr]
        last = view[following : following + len(opening)] != opening
        if last:
            following = end  # the orders end here (what follows is checked with the tail)
        text = bytes(view[start:following])
        spans.append(Span(start, end, index, text.count(opening), line))
        index += spans[-1].count
        longest = max(longest, end - previous)
        previous = end
        inside = text.count(b"\n") if b"\n" in text else 0  # most exports are one line
        line += inside
        lines += inside
        if last:
            break
        _forget(view, start, following)
        start = following
    if max(longest, size - previous) > room or len(spans) < 2:
        return None
    tail = bytes(view[previous:])
    if odd.search(tail):
        return None
    placeholder = module.ORDER_PLACEHOLDER.encode()
    skeleton = bytes(view[origin:first]) + placeholder + b"\n" * lines + tail
    reader = _skeleton_reader(skeleton, module, limits)
    return None if reader is None else Cut("xml", spans, longest, reader)


def _forget(view: Any, start: int, end: int) -> None:
    """Let the pages of a memory map that have been looked at go (else they count in the
    process's resident memory until the map is closed)."""
    madvise = getattr(view, "madvise", None)
    if madvise is None:
        return
    page = mmap.PAGESIZE
    first, last = -(-start // page) * page, end // page * page
    if last > first:
        madvise(mmap.MADV_DONTNEED, first, last - first)


def _newlines(view: Any, start: int, end: int) -> int:
    count: int = bytes(view[start:end]).count(b"\n")
    return count


def _skeleton_reader(skeleton: bytes, module: formats.FormatModule, limits: Limits) -> Any:
    """The one-job reader, having read the skeleton; ``None`` if it finds anything amiss (a
    syntax error, a DOCTYPE, the placeholder not being an order of the page)."""
    from .xml_reader import XmlPageReader

    source = io.BytesIO(skeleton)
    reader = XmlPageReader(source, source.read(CHUNK), limits, module)
    try:
        records = list(reader.records())
    except (OrdermapError, ValueError):
        return None
    if len(records) != 1 or records[0].index != 0:
        return None
    return reader


def line_spans(data: bytes | mmap.mmap, origin: int, limits: Limits) -> Cut | None:
    """Cut newline-delimited JSON (the bytes of ``data`` from ``origin`` on) into spans of
    whole lines.

    Returns ``None`` when a line is longer than ``limits.max_bytes`` (the one-job reader
    refuses it then, when it comes to it) or there would be only one span.
    """
    view: Any = data
    size = len(view)
    spans: list[Span] = []
    index = count = longest = 0
    start = pos = origin
    line = number = 1  # the span's first line; the line at pos
    find = view.find
    while pos < size:
        stop = find(b"\n", pos)
        end = size if stop < 0 else stop + 1
        longest = max(longest, end - pos)
        # A line of only white space is skipped; the worker checks the lines it is given
        # with the same test as the one-job reader (str.strip), which knows more spaces.
        if view[pos] not in _BLANK_START or bytes(view[pos:end]).strip():
            count += 1
        number += 1
        pos = end
        if count >= SPAN_ORDERS or pos - start >= SPAN_BYTES or pos >= size:
            if count:
                spans.append(Span(start, pos, index, count, line))
            _forget(view, start, pos)
            index += count
            start, count, line = pos, 0, number
    if longest > limits.max_bytes or len(spans) < 2:
        return None
    return Cut("lines", spans, longest)
