"""Converting a large file with several worker processes, each reading its own byte ranges.

The parent cuts the input into spans of consecutive orders (:mod:`ordermap.pipeline.ranges`)
and hands each worker spans, not orders: the worker opens the input itself, reads a span with
``os.pread``, parses it once and sends back what one job would have made of each order
(a :class:`ordermap.pipeline.work.Done`: the encoded bytes, and the report's entries only when
someone reads them). The parent only writes what comes back, in order.

What one job gives stays the reference, in three places:

- a worker that finds a span not to be what the finder counted (a syntax error, an
  ``<order>`` that was in a comment, text that is not UTF-8) gives it back unconverted, and
  the run goes on with the one-job reader from the first order not yet given out
  (:meth:`Ranged.results`). So that the one-job reader would have given every order given
  out before, results are held back until the input is known to be sound a little past them
  (``HOLD``): one job stops at the chunk its pull parser fails in, not at the order;
- an order that fails is located as one job locates it: its elements are given their lines
  in the input, or, where libxml2 cannot hold a line number that large, the parent takes the
  order from a one-job reader of its own;
- the page around the orders is the skeleton's (see ``ranges``), decoded at the end as one job
  decodes its page.

The workers come from :func:`ordermap.pipeline.pool.worker_pool`, which ends them with the run
however it ends.
"""

from __future__ import annotations

import mmap
import os
import stat
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import TYPE_CHECKING, Any, BinaryIO

import attrs
from attrs import frozen

from ..errors import OrdermapError
from ..limits import Limits
from ..places import Place
from . import ranges
from .pool import checkpoint, end, outcome, worker_pool
from .record import CHUNK, Record
from .work import Done, Pieces, Work, convert_one, results

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .readers import Reader

__all__ = ["Ranged", "Redo", "ranged", "xml_span"]

HOLD = 4 * CHUNK
"""How far past an order (besides twice the longest order) the input must be known sound
before the order's result is given out."""
# libxml2 keeps an element's line in 16 bits; past this, lines come out approximate, and only
# the one-job reader's own approximation is the reference.
_LINE_LIMIT = 65_000


@frozen
class Redo:
    """An order to convert from a one-job reader of the input (the parent's own, here)."""

    index: int


# --- the worker side -----------------------------------------------------------------------------

_worker: _Worker | None = None  # this worker process's state, set by _start_worker


class _Worker:
    """What a worker keeps between spans: the work, the open input and its format's names."""

    def __init__(self, work: Work, path: str, identity: tuple[int, int], syntax: str) -> None:
        self.work = work
        self.syntax = syntax
        # A name that no longer gives the parent's file (removed, replaced, made unreadable
        # since the parent opened it) makes every span unsound: the parent goes on as one job
        # from its own descriptor, instead of the worker failing to start.
        self.file: int | None = None
        with suppress(OSError):
            self.file = os.open(path, os.O_RDONLY)
        found = None if self.file is None else os.fstat(self.file)
        self.sound = found is not None and (found.st_dev, found.st_ino) == identity

    def convert(self, span: ranges.Span) -> list[Done | Pieces | Redo] | None:
        """What one job makes of each order of ``span``; ``None``: not what the finder saw."""
        if not self.sound or self.file is None:
            return None
        data = os.pread(self.file, span.end - span.start, span.start)
        if len(data) != span.end - span.start:
            return None
        out = xml_span(self.work, span, data) if self.syntax == "xml" else self._lines(span, data)
        if out is None:
            return None
        return list(out) if self.work.entries else Pieces.pack(out)

    def _lines(self, span: ranges.Span, data: bytes) -> list[Done | Redo] | None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        out: list[Done | Redo] = []
        index, line = span.index, span.line
        for piece in text.split("\n"):
            if piece.strip():  # the one-job reader's test for a blank line
                record = Record(index, piece, Place((index,), None, line, 1))
                out.append(convert_one(self.work, record))
                index += 1
            line += 1
        return out if index - span.index == span.count else None


def xml_span(work: Work, span: ranges.Span, data: bytes) -> list[Done | Redo] | None:
    """What one job makes of each order of a page's ``span`` (``data``, the span's bytes);
    ``None``: the span is not what the finder saw.

    A failed order is located as one job locates it, or, where libxml2 cannot hold its lines,
    is a :class:`Redo` for a one-job reader of the input to convert. (``ordermap.dask``
    converts the ranges of an export with this too.)
    """
    from .. import formats
    from ..formats import xml_read

    top, tag = formats.get(work.source_format).PAGE_ORDERS
    text = b"<%s>%s</%s>" % (top.encode(), data, top.encode())
    try:
        # The span's size was bounded by the finder, which applied max_bytes per order.
        root = xml_read.parse(text, attrs.evolve(work.limits, max_bytes=len(text)), "")
    except OrdermapError:
        return None
    children = list(root)
    if len(children) != span.count or (root.text and not root.text.isspace()):
        return None
    out: list[Done | Redo] = []
    for offset, child in enumerate(children):
        if child.tag != tag or len(child.attrib) or (child.tail and not child.tail.isspace()):
            return None
        # As the one-job reader does: the order is taken out of its page, then decoded.
        root.remove(child)
        child.tail = None
        index = span.index + offset
        place = Place((top, tag, index), f"/{top}/{tag}[{index + 1}]")
        done = convert_one(work, Record(index, child, place))
        out.append(_located(work, done, child, place, span.line) if done.problems else done)
    return out


def _located(work: Work, done: Done, order: Any, place: Place, line: int) -> Done | Redo:
    """A failed order again, its elements given their lines in the input (the span's text
    starts on ``line``), so that its problems are located as one job locates them."""
    elements = list(order.iter())
    shift = line - 1
    if max((e.sourceline or 0) for e in elements) + shift >= _LINE_LIMIT:
        return Redo(done.index)
    for element in elements:
        if element.sourceline:
            element.sourceline += shift
    at = attrs.evolve(place, line=order.sourceline)
    return convert_one(work, Record(done.index, order, at))


def _set_up(work: Work, path: str, identity: tuple[int, int], syntax: str) -> None:
    global _worker
    _worker = _Worker(work, path, identity, syntax)


def _convert_span(span: ranges.Span) -> list[Done | Pieces | Redo] | None:
    assert _worker is not None
    return _worker.convert(span)


# --- the parent side -----------------------------------------------------------------------------


def ranged(
    source: BinaryIO,
    origin: int,
    reader: Reader,
    limits: Limits,
    reopen: Callable[[], Reader],
) -> Ranged | None:
    """A ranged run of ``source``, or ``None`` when it is to be read as one job reads it.

    ``source`` must be a regular file (not standard input, a pipe or compressed data) and
    ``reader`` (chosen by :func:`ordermap.pipeline.readers.reader_for` from ``origin`` on) a
    dexero-xml page reader or a newline-delimited JSON reader; ``reopen`` makes that reader
    again from ``origin``, for the one-job reading the run may need.
    """
    from .json_reader import LinesReader
    from .xml_reader import XmlPageReader

    try:
        descriptor = source.fileno()
        status = os.fstat(descriptor)
    except (AttributeError, OSError, ValueError):
        return None
    if not stat.S_ISREG(status.st_mode) or status.st_size <= origin:
        return None
    path = _path_of(source, descriptor, status)
    if path is None:
        return None
    with mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ) as data:
        if isinstance(reader, XmlPageReader):
            cut = ranges.xml_spans(data, origin, reader.module, limits)
        elif isinstance(reader, LinesReader):
            cut = ranges.line_spans(data, origin, limits)
        else:
            cut = None
    if cut is None:
        return None
    return Ranged(cut, path, (status.st_dev, status.st_ino), origin, reopen)


def _path_of(source: BinaryIO, descriptor: int, status: os.stat_result) -> str | None:
    """A path the workers can open the input by: its name, if that is still the same file,
    else the parent's descriptor under /proc."""
    name = getattr(source, "name", None)
    candidates = [os.path.abspath(name)] if isinstance(name, str) else []
    candidates.append(f"/proc/{os.getpid()}/fd/{descriptor}")
    for candidate in candidates:
        try:
            found = os.stat(candidate)
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (status.st_dev, status.st_ino):
            return candidate
    return None


class Ranged:
    """A conversion whose orders worker processes read from the input themselves.

    It stands in for the reader in :func:`ordermap.stream.convert`: :meth:`results` gives
    what :func:`ordermap.pipeline.work.results` gives for the reader's records, and
    :meth:`skeleton` and :attr:`bytes_read` what the reader gives.
    """

    def __init__(
        self,
        cut: ranges.Cut,
        path: str,
        identity: tuple[int, int],
        origin: int,
        reopen: Callable[[], Reader],
    ) -> None:
        self.cut = cut
        self._path = path
        self._identity = identity
        self._origin = origin
        self._reopen = reopen
        self._hold = HOLD + 2 * cut.longest
        self._one_job: Reader | None = None  # the parent's own reader, once it needs one
        self._records: Iterator[Record] | None = None
        self._read = 0
        self._given = 0  # orders given out
        self.replayed = False  # whether the run went on as one job

    @property
    def bytes_read(self) -> int:
        if self._one_job is not None and self.replayed:
            return self._one_job.bytes_read
        return self._read

    def skeleton(self) -> Any:
        if self._one_job is not None and self.replayed:
            return self._one_job.skeleton()
        return None if self.cut.skeleton is None else self.cut.skeleton.skeleton()

    def results(self, work: Work, jobs: int) -> Iterator[Done | Pieces]:
        """What one job gives for each order, in order (see the module docstring); runs of
        plain counted results come as :class:`Pieces`."""
        held: deque[tuple[ranges.Span, list[Done | Pieces | Redo]]] = deque()
        sound = True
        setup = (work, self._path, self._identity, self.cut.syntax)
        with worker_pool(jobs, _set_up, *setup) as pool:
            pending: deque[tuple[ranges.Span, Future[Any]]] = deque()
            spans = iter(self.cut.spans)
            while sound:
                while len(pending) < 2 * jobs + 1:
                    span = next(spans, None)
                    if span is None:
                        break
                    pending.append((span, pool.submit(_convert_span, span)))
                if not pending:
                    break
                span, future = pending.popleft()
                converted = outcome(pool, future)
                checkpoint()
                if converted is None:
                    sound = False
                    end(pool)
                    break
                held.append((span, converted))
                while held and held[0][0].end + self._hold <= span.end:
                    yield from self._give(work, *held.popleft())
        if sound:
            # Every span was as the finder saw it, and the skeleton was read: all is sound.
            while held:
                yield from self._give(work, *held.popleft())
            return
        # A span was not what the finder saw: go on as one job, from the first order not given
        # (in this process: where the input is broken, the reader's error must come where one
        # job meets it, after the orders before it).
        self.replayed = True
        first, records = self._given, self._one_job_records()
        yield from results(work, (r for r in records if r.index >= first), 1)

    def _give(
        self, work: Work, span: ranges.Span, dones: list[Done | Pieces | Redo]
    ) -> Iterator[Done | Pieces]:
        for done in dones:
            if isinstance(done, Redo):
                done = self._convert_here(work, done.index)
            yield done
        self._read = span.end - self._origin
        self._given = span.index + span.count

    def _one_job_records(self) -> Iterator[Record]:
        if self._records is None:
            self._one_job = self._reopen()
            self._records = iter(self._one_job.records())
        return self._records

    def _convert_here(self, work: Work, index: int) -> Done:
        """Order ``index`` as one job converts it, from the parent's own one-job reader."""
        for record in self._one_job_records():
            if record.index == index:
                return convert_one(work, record)
        raise AssertionError(f"the one-job reader has no order {index}")  # pragma: no cover
