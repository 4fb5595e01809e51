"""One order through the pipeline: decoded at its place, translated, encoded where it goes;
in this process or, in batches, in worker processes (the output keeps the input's order)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from itertools import islice
from typing import Any

import attrs
from attrs import frozen

from .. import documents, formats
from ..binding import paused_gc
from ..crosswalk import Mode, PageTranslator, ReportEntry
from ..crosswalk.summary import FieldRow
from ..errors import DecodeError, Location, OrdermapError, Problem, pointer
from ..limits import Limits
from ..model import DexeroOrder, TalkdeskOrder
from ..policy import Policy
from .record import Record, Whole

BATCH = 64  # orders per task sent to a worker process


@frozen
class Work:
    """Everything a worker needs to convert one order (picklable)."""

    source_format: str
    layout: str  # the input's: page, lines or single (a whole document, one record)
    to: str
    lines_out: bool
    translator: PageTranslator | None
    indent: int | None
    limits: Limits
    entries: bool = True  # send report entries back, or only how many of each kind
    fields: bool = False  # without entries, send each as its summary row (FieldRow)


@frozen
class Done:
    index: int
    piece: bytes | None = None
    uses_nil: bool = False
    line: int | None = None
    entries: tuple[ReportEntry, ...] = ()
    problems: tuple[Problem, ...] = ()
    counts: tuple[int, int, int] = (0, 0, 0)  # lost, derived, carried, when entries are not sent
    fields: tuple[FieldRow, ...] = ()  # the entries as the summary counts them (Work.fields)


@frozen
class Pieces:
    """Consecutive orders converted without a problem when only the report's counts are
    wanted: their encoded bytes and their counts summed (one object for many crosses from a
    worker process at a fraction of the cost of one :class:`Done` each)."""

    pieces: tuple[bytes, ...]
    uses_nil: bool
    counts: tuple[int, int, int]
    fields: tuple[FieldRow, ...] = ()

    @staticmethod
    def pack(dones: list[Any]) -> list[Any]:
        """``dones`` with each run of plain counted results made one :class:`Pieces`."""
        packed: list[Any] = []
        run: list[Done] = []
        for done in [*dones, None]:
            if type(done) is Done and not done.problems and not done.entries:
                run.append(done)
                continue
            if run:
                lost, derived, carried = map(sum, zip(*(d.counts for d in run), strict=True))
                pieces = tuple(d.piece for d in run if d.piece is not None)
                uses_nil = any(d.uses_nil for d in run)
                rows = tuple(row for d in run for row in d.fields)
                packed.append(Pieces(pieces, uses_nil, (lost, derived, carried), rows))
                run = []
            if done is not None:
                packed.append(done)
        return packed


def work_for(
    source_format: str,
    layout: str,
    to: str,
    mode: Mode,
    policy: Policy,
    indent: int | None,
    lines_out: bool | None,
    limits: Limits,
    entries: bool,
    fields: bool = False,
) -> Work:
    """What each order of an input of ``source_format`` laid out as ``layout`` is converted
    with: one order per line when the input is (and the target has the form), or when
    ``lines_out`` says so; a translator when the vocabularies differ."""
    target = formats.get(to)
    # Lines in, lines out, unless the target has no one-per-line form (XML).
    writes_lines = layout == "lines" and target.LINES if lines_out is None else lines_out
    family = formats.get(source_format).FAMILY
    translator = None
    if family != target.FAMILY:
        translator = PageTranslator(family, to, mode, policy, source_format)  # type: ignore[arg-type]
    # A whole document's entries are told at the end (strict mode has its say first), as
    # entries: they are few.
    entries = entries or (fields and layout == "single")
    return Work(
        source_format, layout, to, writes_lines, translator, indent, limits, entries, fields
    )


def order_list(format: str) -> str:
    """Where a page of a format keeps its orders, as a JSON Pointer."""
    return pointer(formats.get(format).PAGE_ORDERS)


def single_order(format: str) -> str:
    """Where a single order's members sit in its family's JSON form."""
    return formats.family_format(formats.get(format).FAMILY).ORDER_POINTER


def source_pointer(work: Work, index: int) -> str:
    if work.layout == "lines":
        return f"/{index}{single_order(work.source_format)}"
    return f"{order_list(work.source_format)}/{index}"


def target_pointer(work: Work, index: int) -> str:
    if work.lines_out:
        return f"/{index}{single_order(work.to)}"
    return f"{order_list(work.to)}/{index}"


def decode_record(work: Work, record: Record) -> Any:
    """The order a record holds, decoded at its place (so problems name places in the input)."""
    payload, place = record.payload, record.place
    if isinstance(payload, DexeroOrder | TalkdeskOrder):
        return payload
    if isinstance(payload, Whole):
        with paused_gc():
            module = formats.get(work.source_format)
            return module.decode_parsed(payload.parsed, payload.kind, work.limits, place)
    if work.layout == "lines":
        document, _ = documents.decode_as(
            payload, work.source_format, limits=work.limits, place=place
        )
        if not isinstance(document, DexeroOrder | TalkdeskOrder):
            where = Location(pointer=place.point())
            raise DecodeError(
                [Problem("not-an-order", "each line must hold one order", where)],
                format=work.source_format,
            )
        return document
    return formats.get(work.source_format).decode_order(payload, work.limits, place)


def encode_record(work: Work, order: Any, index: int) -> tuple[bytes, bool]:
    if work.lines_out:
        return documents.encode(order, work.to, indent=None) + b"\n", False
    if work.layout == "single":
        return documents.encode(order, work.to, indent=work.indent), False
    module = formats.get(work.to)
    return piece_at(work, order, index, module.ORDER_LEVEL)


def convert_one(work: Work, record: Record) -> Done:
    """A record decoded, translated and encoded; its problems are kept in the result, except
    a whole document's, which are raised (there is no other order to go on with)."""
    try:
        return _convert(work, record)
    except OrdermapError as error:
        if work.layout == "single":
            raise
        return Done(record.index, line=record.place.line, problems=tuple(error.problems))


def _convert(work: Work, record: Record) -> Done:
    index = record.index
    order = decode_record(work, record)
    found: list[ReportEntry] = []
    # Without a reader of the entries, the translator only counts them.
    counts = None if work.entries else [0, 0, 0]
    rows: list[FieldRow] | None = [] if counts is not None and work.fields else None
    if work.translator is not None:
        if work.layout == "single":
            order, found = work.translator.single(order, counts)
        else:
            source_at, target_at = source_pointer(work, index), target_pointer(work, index)
            order, found = work.translator.order(order, source_at, target_at, counts, rows)
    piece, uses_nil = encode_record(work, order, index)
    if counts is None:
        return Done(index, piece, uses_nil, record.place.line, tuple(found))
    lost, derived, carried = counts
    return Done(
        index,
        piece,
        uses_nil,
        record.place.line,
        counts=(lost, derived, carried),
        fields=tuple(rows) if rows else (),
    )


def convert_batch(work: Work, batch: list[Record]) -> list[Done]:
    return [convert_one(work, record) for record in batch]


def portable(record: Record) -> Record:
    """A record a worker process can receive (lxml elements become bytes)."""
    from lxml import etree  # here, not above: converting JSON does not need lxml

    if isinstance(record.payload, etree._Element):
        # UTF-8, not lxml's default ASCII, whose character references would make an order of
        # non-Latin text several times its size in the input (and over max_bytes).
        return attrs.evolve(record, payload=etree.tostring(record.payload, encoding="utf-8"))
    return record


def results(work: Work, records: Iterator[Record], jobs: int) -> Iterator[Done]:
    """Each record converted, in order: here, or with ``jobs`` > 1 by worker processes that
    get the records themselves (see :mod:`ordermap.pipeline.jobs` for workers that read the
    input on their own)."""
    if jobs <= 1:
        for record in records:
            yield convert_one(work, record)
        return
    from .pool import checkpoint, worker_pool

    with worker_pool(jobs) as pool:
        pending: deque[tuple[Any, list[Record]]] = deque()
        while True:
            batch: list[Record] = []
            try:
                for record in islice(records, BATCH):
                    batch.append(record)
            except Exception:
                # The reader failed (broken input): one job would have converted the orders
                # it read before, so they are converted and given out before the error.
                if batch:
                    pending.append(_submit(pool, work, batch))
                while pending:
                    yield from _checked(work, pool, *pending.popleft())
                raise
            if batch:
                pending.append(_submit(pool, work, batch))
            while pending and (len(pending) >= 2 * jobs or not batch):
                yield from _checked(work, pool, *pending.popleft())
                checkpoint()
            if not batch:
                return


def _submit(pool: Any, work: Work, batch: list[Record]) -> tuple[Any, list[Record]]:
    return pool.submit(convert_batch, work, [portable(record) for record in batch]), batch


def _checked(work: Work, pool: Any, future: Any, batch: list[Record]) -> Iterator[Done]:
    """A worker's results for ``batch``; an order that failed as the bytes of its element is
    converted again here from the element, so that it fails as one job fails it. (Those
    bytes are not the input's: comments are gone, a character reference such as ``&#10;``
    comes out as a line break, so lines move and the size may change.)"""
    from lxml import etree

    from .pool import outcome

    for done, record in zip(outcome(pool, future), batch, strict=True):
        if done.problems and isinstance(record.payload, etree._Element):
            done = convert_one(work, record)
        yield done


def piece_at(work: Work, order: Any, index: int, level: int) -> tuple[bytes, bool]:
    module = formats.get(work.to)
    at: list[str | int] = [*module.PAGE_ORDERS, index]
    return module.encode_order(order, at, indent=work.indent, level=level)
