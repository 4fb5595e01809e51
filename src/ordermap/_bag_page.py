"""The ranges of one large dexero-xml page (an export) in :mod:`ordermap.dask`: cut on the
client, converted on the workers, put together around the page again.

**Cutting** (:func:`cut`, on the client). The finder behind ``ordermap convert --jobs``
(:func:`ordermap.pipeline.ranges.xml_spans`) cuts the page into spans, runs of orders of
about ``SPAN_BYTES`` each with the index and line of its first order and how many orders it
holds, and reads the page's *skeleton* (the page with one placeholder order) with the
one-job reader; a range is a run of spans of about ``blocksize`` bytes. The finder vouches
only for pages laid out as it cuts them (a bare ``<orders>`` root, UTF-8, ``<order>``
siblings with only white space between them; see its module) and answers ``None`` for
anything else, which stays one partition, as does a page whose skeleton does not decode. It
looks at every byte: the client maps a local export (a scan of the file, no copy in memory)
or first copies an export on object storage to a temporary file on its own disk, so cutting
costs one read of the whole export by the client, before anything runs.

**Converting** (:func:`convert_range`, on a worker). A range's spans are parsed one at a time
(:func:`ordermap.pipeline.jobs.xml_span`, which checks that each holds exactly the orders
counted) and each order goes through the record path of ``ordermap convert``
(:func:`ordermap.pipeline.work.convert_one`, then :class:`ordermap.stream.OrderRun`, which
counts, writes and skips as the command line does). Orders carry their index and line in
the whole input, so a failure is located as ``ordermap convert`` locates it; where libxml2
cannot hold an order's line, the worker converts that order from a one-job reader of the
input, read from its start up to that order. A page's orders are written with the
separators between them but without the page around them.

**Putting together** (:func:`frames` once every range is converted, then :func:`finish` for
each range). The page's head and tail are written from the skeleton and the number of
orders written, as ``ordermap convert`` writes them, and the page-level report entries are
made; the first range's output gets the head, a range after orders gets a separator first,
the last range gets the tail and the page's entries. A page one of whose ranges was not what
the finder saw (a syntax error, an ``<order>`` in a comment) is converted again whole, by its
first range's task, so that the result is the command line's whatever was wrong.
"""

from __future__ import annotations

import io
import mmap
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs
from attrs import frozen

from . import formats, stream
from ._bag import Failure, Job, OpenFile, Part, PartResult, convert_part, fsspec
from ._bag_report import merge
from .crosswalk import ReportEntry
from .crosswalk.summary import LossSummary
from .errors import OrdermapError, Problem
from .pipeline import jobs, ranges, readers
from .pipeline.record import CHUNK
from .pipeline.work import Done, Work, convert_one, work_for
from .pipeline.writer import PageWriter, empty_page, outdented, page_end, page_frame

__all__ = ["Frame", "convert_range", "cut", "finish", "frames"]


# --- cutting (on the client) -------------------------------------------------------------------


def cut(
    file: OpenFile, name: str, local: bool, module: Any, job: Job, blocksize: int
) -> list[Part] | None:
    """The ranges of a dexero-xml page, of about ``blocksize`` bytes each, or ``None`` when
    the finder does not vouch for its layout (one partition then).

    A range is a run of the finder's spans (of ``SPAN_BYTES``, as ``--jobs`` cuts them, or
    of ``blocksize`` when that is smaller): its worker parses one span at a time.
    """
    span_bytes = min(blocksize, ranges.SPAN_BYTES)
    with _mapped(file, local) as data:
        found = ranges.xml_spans(data, 0, module, job.limits, span_bytes)
    if found is None:
        return None
    try:
        page = found.skeleton.skeleton()
    except OrdermapError:
        return None  # the whole input's reader says what is wrong with its page
    # A range ends with the first span that takes it to blocksize (as a span ends with the
    # first order that takes it to its size).
    groups: list[list[ranges.Span]] = [[]]
    for span in found.spans:
        if groups[-1] and groups[-1][-1].end - groups[-1][0].start >= blocksize:
            groups.append([])
        groups[-1].append(span)
    if len(groups) < 2:
        return None
    return [
        Part(name, number, spans[0].start, spans[-1].end, module.FORMAT, tuple(spans),
             page if not number else None)
        for number, spans in enumerate(groups)
    ]  # fmt: skip


@contextmanager
def _mapped(file: OpenFile, local: bool) -> Iterator[mmap.mmap]:
    """The input's bytes, memory-mapped: a local file itself, else a temporary copy."""
    if local:
        with open(file.path, "rb") as handle, _map(handle) as data:
            yield data
        return
    with tempfile.TemporaryFile() as copy:
        with file as handle:
            shutil.copyfileobj(handle, copy, 16 * CHUNK)
        copy.flush()
        with _map(copy) as data:
            yield data


def _map(handle: Any) -> mmap.mmap:
    return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


# --- converting a range (on a worker) ----------------------------------------------------------


def work_of(job: Job, source_format: str) -> Work:
    """What each order of a page is converted with, as ``ordermap convert`` converts it: its
    entries counted by field without being made (strict mode makes them, to name what it
    refuses)."""
    return work_for(
        source_format, "page", job.to, job.mode, job.policy, job.indent, job.lines_out,
        job.limits, job.mode == "strict", fields=True,
    )  # fmt: skip


class _Unsound(Exception):
    """The input is not what the finder saw (found while converting a range)."""


def convert_range(part: Part, job: Job) -> PartResult:
    """A range of a page's orders converted as ``ordermap convert`` converts them, without
    the page around them (:func:`finish` adds it)."""
    assert part.spans and part.end is not None and part.source_format is not None
    work = work_of(job, part.source_format)
    fs, path = fsspec().core.url_to_fs(part.source, **job.storage_options)
    data = fs.cat_file(path, start=part.start, end=part.end)
    if len(data) != part.end - part.start:
        return _empty(part, job, sound=False)  # the input changed since it was cut
    by_field = LossSummary()
    failures: list[Failure] = []

    def on_error(error: stream.RecordError) -> None:
        failures.append(Failure(part.source, error.index, error.line, error.problems))

    spool = io.BytesIO()
    writer = None if work.lines_out else PageWriter(work, None, spool)
    run = stream.OrderRun(work, job.mode, job.keep_going, None, on_error, by_field=by_field)
    stopped = False
    with _OneJob(part, job, work) as one_job:
        try:
            run.take(_converted(work, part, data, one_job), writer, spool)
        except stream.RecordError as error:
            on_error(error)
            stopped = True
        except _Unsound:
            return _empty(part, job, sound=False)
    refusal = run.refusal()
    counts = (run.counts["lost"], run.counts["derived"], run.counts["carried"])
    return PartResult(
        part, spool.getvalue(), run.written, len(failures), run.written + len(failures), 0,
        counts, by_field, tuple(failures), bool(work.lines_out),
        () if refusal is None else tuple(refusal.problems), stopped,
        writer is not None and writer.uses_nil,
    )  # fmt: skip


def _converted(work: Work, part: Part, data: bytes, one_job: _OneJob) -> Iterator[Done]:
    """Each order of the range converted, one span at a time (one span's tree in memory)."""
    for span in part.spans:
        found = jobs.xml_span(work, span, data[span.start - part.start : span.end - part.start])
        if found is None:
            raise _Unsound
        yield from one_job.resolved(found)


class _OneJob:
    """A one-job reader of the whole input, opened when an order is to be converted from it
    (a failed order past the lines libxml2 holds: one job's lines there are the reference)."""

    def __init__(self, part: Part, job: Job, work: Work) -> None:
        self._part, self._job, self._work = part, job, work
        self._file: Any = None
        self._records: Iterator[Any] | None = None

    def __enter__(self) -> _OneJob:
        return self

    def __exit__(self, *_: object) -> None:
        if self._file is not None:
            self._file.close()

    def resolved(self, found: Iterable[Done | jobs.Redo]) -> Iterator[Done]:
        for done in found:
            yield self._convert(done.index) if isinstance(done, jobs.Redo) else done

    def _convert(self, index: int) -> Done:
        part, job = self._part, self._job
        try:
            if self._records is None:
                self._file = fsspec().open(part.source, "rb", **job.storage_options).open()
                reader = readers.reader_for(self._file, part.source_format, job.limits)
                self._records = iter(reader.records())
            for record in self._records:
                if record.index == index:
                    return convert_one(self._work, record)
        except (OrdermapError, ValueError):
            pass  # the input is broken (a range will say where); it is converted whole then
        raise _Unsound


def _empty(part: Part, job: Job, sound: bool = True) -> PartResult:
    """A range that gives nothing (of a page converted whole, or not what the finder saw)."""
    return PartResult(
        part, b"", 0, 0, 0, 0, (0, 0, 0), LossSummary(), (), bool(job.lines_out), sound=sound
    )


# --- putting a page together (once its ranges are converted) -----------------------------------


@frozen
class Frame:
    """How the ranges of a page are put together.

    Attributes:
        last: The number of the page's last range.
        whole: Convert the page again whole (a range was not what the finder saw).
        blank: Write nothing (an order stopped the page, or strict mode refused it).
        head, tail: What the first range's output starts with and the last one's ends with
            (a page of no orders is its head).
        outdent: The page's one order is written one level less deep.
        separated: The ranges whose output follows orders of an earlier range.
        entries: The page-level report entries, reported with the last range.
        refusal: What strict mode refused for the page's own members.
        problems: Why the page could not be put together (the page fails, as one job's).
    """

    last: int
    whole: bool = False
    blank: bool = False
    head: bytes = b""
    tail: bytes = b""
    outdent: bool = False
    separated: frozenset[int] = frozenset()
    entries: tuple[ReportEntry, ...] = ()
    refusal: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()


def frames(partitions: Iterable[Iterable[PartResult]], job: Job) -> dict[str, Frame]:
    """Each cut page's :class:`Frame`, from its ranges' reports (their outputs left out)."""
    found: dict[str, list[PartResult]] = {}
    for partition in partitions:
        for result in partition:
            if result.part.spans:
                found.setdefault(result.part.source, []).append(result)
    return {
        source: _frame(sorted(heads, key=lambda head: head.part.number), job)
        for source, heads in found.items()
    }


def _frame(heads: list[PartResult], job: Job) -> Frame:
    last = heads[-1].part.number
    if not all(head.sound for head in heads):
        return Frame(last, whole=True)
    if any(head.stopped for head in heads):
        return Frame(last, blank=True)  # one job stops at that order, before the page's end
    first = heads[0].part
    assert first.source_format is not None
    work = work_of(job, first.source_format)
    entries: list[ReportEntry] = []
    # The page's own entries, counted (for strict mode) as one job counts them after its orders.
    run = stream.OrderRun(work, job.mode, job.keep_going, entries.append, None)
    written = sum(head.orders for head in heads)
    head = tail = b""
    outdent = False
    try:
        build = page_end(first.page, work, written, run.entry, paged=not work.lines_out)
        if build is not None and written:
            uses_nil = any(head.uses_nil for head in heads)
            head, tail, outdent = page_frame(work, build, written, uses_nil)
        elif build is not None:
            head = empty_page(work, build)
    except OrdermapError as error:
        return Frame(last, problems=tuple(error.problems))
    refused = run.refusal()
    refusal = () if refused is None else tuple(refused.problems)
    before, separated = 0, set()
    for result in heads:
        if result.orders and before and not work.lines_out:
            separated.add(result.part.number)
        before += result.orders
    blank = bool(refusal) or any(result.refusal for result in heads)
    return Frame(
        last, False, blank, head, tail, outdent, frozenset(separated), tuple(entries), refusal
    )


def finish(partition: Iterable[PartResult], found: dict[str, Frame], job: Job) -> list[PartResult]:
    """The partition's results, a cut page's ranges put together as :func:`frames` says."""
    return [
        result if not result.part.spans else _finished(result, found[result.part.source], job)
        for result in partition
    ]


def _finished(result: PartResult, frame: Frame, job: Job) -> PartResult:
    part = result.part
    if frame.whole:
        if part.number:
            return _empty(part, job)
        # The page as one job converts it, reported where its first range is.
        return attrs.evolve(convert_part(Part(part.source), job), part=part)
    data = b""
    if not (frame.blank or frame.problems):
        data = outdented(result.data, job.indent) if frame.outdent else result.data
        if part.number in frame.separated:
            data = formats.get(job.to).order_separator(job.indent) + data
        if part.number == 0:
            data = frame.head + data
        if part.number == frame.last:
            data += frame.tail
    if part.number != frame.last:
        return attrs.evolve(result, data=data)
    # The page's own entries, and what it makes of the conversion, come after its orders.
    by_field = LossSummary()
    merge(by_field, result.by_field)
    counts = dict(zip(("lost", "derived", "carried"), result.counts, strict=True))
    for entry in frame.entries:
        by_field.add(entry)
        counts[entry.action] += 1
    failures = result.failures
    if frame.problems:
        failures += (Failure(part.source, None, None, frame.problems),)
    return attrs.evolve(
        result,
        data=data,
        counts=(counts["lost"], counts["derived"], counts["carried"]),
        by_field=by_field,
        failures=failures,
        refusal=result.refusal + frame.refusal,  # the orders' values, then the page's own
        stopped=result.stopped or bool(frame.problems),
    )
