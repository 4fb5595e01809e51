"""Convert documents of any size order by order, with memory bounded by one order.

:func:`convert` reads a page (dexero-xml, dexero-json or talkdesk-json), a stream of
newline-delimited JSON documents (one order per line) or a single document from a binary
file, and writes it in another format to another binary file: a page, or one order per line.
Each order is a record, decoded, translated (when the vocabularies differ) and encoded on
its own (a document that is not a page is a stream of one record, taken the same way),
across worker processes with ``jobs`` > 1 (the output keeps the input's order). The result
equals what :func:`ordermap.decode`, :func:`ordermap.translate` and :func:`ordermap.encode`
make of the whole document, except that a page's orders are written together where the
input interleaved them with other members, and that a lone surrogate makes only its order's
JSON text fall back to ``\\u`` escapes (``specs/cli.md`` lists the differences in where
problems are located).

The report is not held in memory: each entry goes to ``on_entry`` as soon as it is known
(orders first, in order, then the page-level entries). Report pointers name places in the
documents' JSON form; in newline-delimited JSON the stream counts as an array of documents,
so ``/7/order/id`` is ``id`` in the eighth line's document.

A page is written through a spool file: its page-level members (a carry slot, pagination
that comes after the orders) are known only at the end, so the orders are written to the
spool as they come and the page is put together around them at the end.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from typing import Any, BinaryIO

import attrs
from attrs import frozen

from . import documents, formats
from .crosswalk import Mode, Report, ReportEntry, TranslationError
from .crosswalk.report import strict_refusal
from .crosswalk.summary import FieldRow, LossSummary
from .errors import DecodeError, Location, OrdermapError, Problem
from .limits import DEFAULT_LIMITS, Limits
from .pipeline import readers
from .pipeline.pool import WorkerLost
from .pipeline.record import Record
from .pipeline.work import Done, Pieces, Work, results, target_pointer, work_for
from .pipeline.writer import PageWriter, page_end
from .policy import DEFAULT_POLICY, Policy

__all__ = ["RecordError", "StreamRefusal", "StreamResult", "WorkerLost", "convert"]

_ACTIONS = ("lost", "derived", "carried")


@frozen
class StreamResult:
    """What a streamed conversion did.

    Attributes:
        source_format: The format the input was read as.
        layout: ``page``, ``lines`` (newline-delimited JSON) or ``single`` (one document).
        orders: Orders written.
        failed: Orders skipped because they could not be converted (``keep_going``).
        lost, derived, carried: Report entries of each kind.
    """

    source_format: str
    layout: str
    orders: int
    failed: int
    lost: int
    derived: int
    carried: int


class RecordError(OrdermapError):
    """One order of a stream cannot be converted.

    Attributes:
        index: The order's position in the stream, from 0.
        line: The line it starts on, where known.
    """

    def __init__(
        self, problems: Sequence[Problem], *, format: str | None, index: int, line: int | None
    ) -> None:
        super().__init__(problems, format=format)
        self.index = index
        self.line = line


# --- the whole conversion ------------------------------------------------------------------------


def convert(
    source: BinaryIO,
    output: BinaryIO,
    to: str,
    *,
    source_format: str | None = None,
    mode: Mode = "report",
    policy: Policy = DEFAULT_POLICY,
    indent: int | None = 2,
    lines_in: bool | None = None,
    lines_out: bool | None = None,
    jobs: int = 1,
    keep_going: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    on_entry: Callable[[ReportEntry], None] | None = None,
    on_error: Callable[[RecordError], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    spool_dir: str | None = None,
    by_field: LossSummary | None = None,
) -> StreamResult:
    """Convert ``source`` to ``to``, order by order, writing to ``output``.

    Args:
        source: The input, opened for reading bytes.
        output: Where the result goes, opened for writing bytes. It is written only once the
            whole input has been read and converted, except with ``lines_out``, where each
            order is written as soon as it is converted.
        to: The output format.
        source_format: The input's format; detected from the content when ``None``.
        mode: ``report``, ``strict`` or ``carry`` (see :func:`ordermap.translate`).
        policy: The crosswalk's heuristic rules.
        indent: Spaces per level for a page or a single document; ``None`` for compact.
        lines_in: Whether the input is newline-delimited JSON (``None``: detect).
        lines_out: Write one order per line (``None``: as the input is laid out).
        jobs: Worker processes converting orders (1: convert in this process; 0: one per
            core). With more than one, the orders of a dexero-xml page or of
            newline-delimited JSON in a regular file are found without parsing them and each
            worker reads its own stretch of the file; other input is parsed here and its
            orders sent to the workers.
        keep_going: Skip an order that cannot be converted (after ``on_error``) instead of
            raising :class:`RecordError`.
        limits: Bounds; ``max_bytes`` bounds each order of a stream, not the whole input.
        on_entry: Called with each report entry as it is known. Without it, only the count
            of each kind is kept (in the result), which spares worker processes some work.
        on_error: Called with each skipped order's error (``keep_going``).
        on_progress: Called after each order with the orders done and the bytes read.
        spool_dir: Folder for the spool file a page is put together with.
        by_field: A summary to count every entry into, as ``LossSummary.add`` counts it.
            Without ``on_entry`` (and outside strict mode) the orders' entries are then
            never made: each is counted from its field and reason, which costs a fraction of
            making it (and, with several jobs, of sending it back from a worker).

    Raises:
        DecodeError: The input cannot be read (syntax, a limit, a page-level problem).
        RecordError: An order cannot be converted (without ``keep_going``).
        StreamRefusal: ``mode="strict"`` and something would be lost (after every entry went
            to ``on_entry``).
        TranslationError: A single document cannot be translated (strict mode, with its
            report, as :func:`ordermap.translate` refuses it; an error body), or a carry
            slot is damaged.
        ValueError: Newline-delimited output asked of a format without one (dexero-xml).
        WorkerLost: With ``jobs`` above 1, a worker process ended in the middle of the run
            (killed, or out of memory); the output is incomplete.
    """
    target = formats.get(to)
    if lines_out and not target.LINES:
        raise ValueError(f"{to} cannot be written as newline-delimited JSON")
    if jobs <= 0:
        jobs = default_jobs()
    origin = _position(source) if jobs > 1 else None
    reader = readers.reader_for(source, source_format, limits, lines=lines_in)
    records: Iterator[Record] = iter(reader.records())
    found_format = reader.format
    if found_format is None:  # newline-delimited JSON of a format to detect
        first = next(records, None)
        if first is None:
            raise DecodeError([Problem("empty", "input is empty", Location(line=1))])
        found_format = documents.detect(first.payload, limits=limits).format
        records = chain([first], records)
    layout = reader.layout
    # Entries cross from worker processes only when someone reads them (pickling them costs).
    wanted = on_entry is not None or mode == "strict"
    fields = by_field is not None and not wanted
    work = work_for(
        found_format, layout, to, mode, policy, indent, lines_out, limits, wanted, fields
    )
    # A whole document (not a page) is a stream of one record, written as it is converted.
    straight = work.lines_out or layout == "single"
    writer = None if straight else PageWriter(work, spool_dir)
    # With several jobs, workers read a file's orders from it themselves where they can.
    feed: Any = reader
    if origin is not None and layout != "single":
        from .pipeline import jobs as ranged_jobs

        def reopen() -> readers.Reader:
            source.seek(origin)
            return readers.reader_for(source, source_format, limits, lines=lines_in)

        feed = ranged_jobs.ranged(source, origin, reader, limits, reopen) or reader
    if feed is not reader:
        done_stream = feed.results(work, jobs)
    else:
        done_stream = results(work, records, 1 if layout == "single" else jobs)
    progress = None
    if on_progress is not None:
        progress = lambda done: on_progress(done, feed.bytes_read)  # noqa: E731
    run = OrderRun(work, mode, keep_going, on_entry, on_error, progress, by_field)
    try:
        run.take(done_stream, writer, output)
        build = page_end(feed.skeleton(), work, run.written, run.entry, paged=writer is not None)
        if layout == "single" and run.single_entries:
            report = Report(found_format, to, mode, run.single_entries)
            if mode == "strict" and report.has_loss:
                # As translate() refuses a document: the whole report rides on the error.
                raise strict_refusal(report)
            for found in run.single_entries:
                run.entry(found)
        refusal = run.refusal()
        if refusal is not None:
            raise refusal
        if writer is not None:
            assert build is not None
            writer.finish(build, output)
        elif run.held is not None:
            output.write(run.held)
    finally:
        done_stream.close()  # ends any worker processes at once
        if writer is not None:
            writer.close()
    return StreamResult(found_format, layout, run.written, run.failed, **run.counts)


# --- the loop over orders (ordermap.dask converts a page's ranges with it too) ------------------


class OrderRun:
    """What a conversion does with its converted orders, in order: counts their report
    entries, writes them (to a page's spool, or straight out), skips a failed one with
    ``keep_going`` or raises :class:`RecordError` for it.

    Attributes:
        counts: Report entries of each kind so far.
        written: Orders written.
        failed: Orders skipped.
        held: A single document's output, held until strict mode has had its say.
        single_entries: A single document's entries, told once strict mode has had its say.
    """

    def __init__(
        self,
        work: Work,
        mode: Mode,
        keep_going: bool,
        on_entry: Callable[[ReportEntry], None] | None,
        on_error: Callable[[RecordError], None] | None,
        on_progress: Callable[[int], None] | None = None,
        by_field: LossSummary | None = None,
    ) -> None:
        self.work = work
        self.by_field = by_field
        self.mode = mode
        self.keep_going = keep_going
        self.on_entry = on_entry
        self.on_error = on_error
        self.on_progress = on_progress
        self.counts = {"lost": 0, "derived": 0, "carried": 0}
        self.lost: list[ReportEntry] = []  # the first few, which strict mode names
        self.written = self.failed = 0
        self.held: bytes | None = None
        self.single_entries: tuple[ReportEntry, ...] = ()

    def entry(self, found: ReportEntry) -> None:
        """Count a report entry and tell ``on_entry``."""
        self.counts[found.action] += 1
        if found.action == "lost" and len(self.lost) < self.work.limits.max_problems:
            self.lost.append(found)
        if self.on_entry is not None:
            self.on_entry(found)
        if self.by_field is not None:
            self.by_field.add(found)

    def take(
        self, done_stream: Iterable[Done | Pieces], writer: PageWriter | None, output: BinaryIO
    ) -> None:
        """Count and write each converted order (to ``writer``'s spool, or to ``output``)."""
        work, counts, progress = self.work, self.counts, self.on_progress
        single = work.layout == "single"
        for done in done_stream:
            if isinstance(done, Pieces):  # several orders converted without a problem, counted
                for action, count in zip(_ACTIONS, done.counts, strict=True):
                    counts[action] += count
                if done.fields:
                    self._count_fields(done.fields)
                if writer is None:
                    output.write(b"".join(done.pieces))
                else:
                    for piece in done.pieces:
                        writer.add(Done(self.written, piece, done.uses_nil))
                if progress is None:
                    self.written += len(done.pieces)
                    continue
                for _ in done.pieces:
                    self.written += 1
                    progress(self.written + self.failed)
                continue
            if done.problems:
                error = RecordError(
                    done.problems, format=work.source_format, index=done.index, line=done.line
                )
                if not self.keep_going:
                    raise error
                self.failed += 1
                if self.on_error is not None:
                    self.on_error(error)
                continue
            if single:
                self.single_entries = done.entries  # told once strict mode has had its say
            for found in () if single else done.entries:
                if self.failed:
                    found = _renumber(found, work, done.index, self.written)
                self.entry(found)
            for action, count in zip(_ACTIONS, done.counts, strict=True):
                counts[action] += count
            if done.fields:
                self._count_fields(done.fields)
            if single:
                self.held = done.piece  # written once strict mode has had its say
            elif writer is None:
                assert done.piece is not None
                output.write(done.piece)
            else:
                writer.add(done)
            self.written += 1
            if progress is not None:
                progress(self.written + self.failed)

    def _count_fields(self, rows: tuple[FieldRow, ...]) -> None:
        summary = self.by_field
        assert summary is not None  # rows are made only for it (Work.fields)
        count = summary.count
        for key, reason in rows:
            count(key, reason)

    def refusal(self) -> StreamRefusal | None:
        """What strict mode raises when something would be lost; ``None`` otherwise."""
        if self.mode != "strict" or not self.counts["lost"]:
            return None
        work = self.work
        records = self.written + self.failed
        return _refusal(self.lost, self.counts["lost"], work.to, work.source_format, records)


def _renumber(entry: ReportEntry, work: Work, index: int, written: int) -> ReportEntry:
    """An entry's target pointer once skipped orders have moved its order up the list."""
    if entry.target is None:
        return entry
    old, new = target_pointer(work, index), target_pointer(work, written)
    if entry.target == old or entry.target.startswith(old + "/"):
        return attrs.evolve(entry, target=new + entry.target[len(old) :])
    return entry


class StreamRefusal(TranslationError):
    """Strict mode refused a streamed conversion; the report went to ``on_entry``.

    Attributes:
        source_format: The format the input was read as.
        records: How many orders were read (converted, or skipped with ``keep_going``).
    """

    def __init__(
        self, problems: Sequence[Problem], *, format: str, source_format: str, records: int = 0
    ) -> None:
        super().__init__(problems, format=format)
        self.source_format = source_format
        self.records = records


def _refusal(
    lost: list[ReportEntry], total: int, to: str, source: str, records: int
) -> StreamRefusal:
    problems = [
        Problem("would-lose", entry.reason, Location(pointer=entry.source)) for entry in lost
    ]
    if total > len(lost):
        problems.append(Problem("too-many-problems", f"{total - len(lost)} more would be lost"))
    return StreamRefusal(problems, format=to, source_format=source, records=records)


def _position(source: BinaryIO) -> int | None:
    """Where a seekable input is (the stream starts there), or ``None``."""
    try:
        return source.tell() if source.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


def default_jobs() -> int:
    """The number of processes ``--jobs 0`` means: one per available core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
