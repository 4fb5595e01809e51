"""The partitions of :mod:`ordermap.dask`: how inputs are cut, and how a worker converts
one part (:mod:`ordermap._bag_report` puts the parts' reports together again).

An input is one partition unless a block size is asked for and the input is
newline-delimited JSON written as newline-delimited JSON, or a dexero-xml page.

Newline-delimited JSON is cut into ranges of about the block size at line boundaries, each
range starting at the start of a line that holds a JSON object: a range is then read exactly
as the whole input's reader reads those lines (a bad line at the very start of a range would
otherwise make the range look like another kind of document). The client reads only the
input's first bytes and a few bytes around each cut, so cutting an export on object storage
costs a few small reads. A range's orders and lines are numbered from its own start; each
part says how many orders it read and how many line breaks it held, which places the next
range's orders.

A dexero-xml page is cut into ranges of its orders where the finder of ``ordermap convert
--jobs`` vouches for its layout; :mod:`ordermap._bag_page` cuts it (reading the whole page
once, on the client), converts each range at its place in the whole input, and puts the page
together around the ranges. A page it does not vouch for stays one partition.

Other pages and single documents stay one partition per input, as does newline-delimited
JSON written as a page: the page around the orders is known only at the end of the input,
and finding where an order of a JSON page ends takes a scan of every string in it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from importlib import import_module
from typing import Any

import attrs
from attrs import frozen

from . import documents, formats, stream
from .crosswalk import Mode, TranslationError
from .crosswalk.summary import LossSummary
from .errors import OrdermapError, Problem
from .limits import Limits
from .pipeline import readers
from .pipeline.ranges import Span
from .pipeline.record import CHUNK
from .policy import Policy

# An fsspec file (fsspec has no type information, so mypy reads none).
OpenFile = Any

# JSON's white space and the other spaces str.strip() skips at a line's start, as bytes.
_BLANK = b" \t\r\n\x0b\x0c"


@frozen
class Part:
    """One partition: a whole input, a range of lines of one, or a range of a page's orders.

    Attributes:
        source: The input's name (a local path, or its URL).
        number: Its position among the parts of its input, from 0.
        start: The first byte of a range.
        end: The byte just past a range; ``None`` for a whole input.
        source_format: For a range, the input's format, detected once from its first line
            (a range on its own would detect its own first line's format).
        spans: For a range of a dexero-xml page's orders, the runs of orders the finder
            found there (those ``ordermap convert --jobs`` hands its workers): each with its
            first order's index and line in the whole input, and how many orders it holds.
        page: The first range of a page holds the page's skeleton (the page with one
            placeholder order), which its ranges are put together around.
    """

    source: str
    number: int = 0
    start: int = 0
    end: int | None = None
    source_format: str | None = None
    spans: tuple[Span, ...] = ()
    page: Any = attrs.field(default=None, eq=False, repr=False)


@frozen
class Job:
    """What every partition is converted with (picklable: it travels to the workers)."""

    to: str
    source_format: str | None
    mode: Mode
    policy: Policy
    indent: int | None
    lines_out: bool | None
    keep_going: bool
    limits: Limits
    storage_options: dict[str, Any]


@frozen
class Failure:
    """An order, or a whole input, that could not be converted.

    Attributes:
        source: The input it is in.
        index: The order's position in its input, from 0; ``None`` when the input itself
            could not be read (a syntax error, a page-level problem) or was refused.
        line: The line the order starts on, where known.
        problems: What is wrong, located in the input as ``ordermap convert`` locates it.
    """

    source: str
    index: int | None
    line: int | None
    problems: tuple[Problem, ...]

    def to_json(self) -> dict[str, Any]:
        from ._io import problem_json

        return {
            "source": self.source,
            "index": self.index,
            "line": self.line,
            "problems": [problem_json(problem) for problem in self.problems],
        }


@frozen
class PartResult:
    """What a worker made of a partition: its output and its share of the report.

    ``records`` counts the orders read, written or failed (the stream index goes on across
    both), and ``newlines`` a range's line breaks; together they place the next range's
    orders (a range of a page's orders is placed by its spans). ``stopped`` says a failure
    ended the part early (no ``keep_going``, or an input that cannot be read); ``lines``
    that the output is one order per line. For a range of a page's orders, ``uses_nil``
    says whether its orders need the page to declare ``xsi:nil``, and ``sound`` is false
    when the range was not what the finder saw (the page is then converted whole).
    """

    part: Part
    data: bytes
    orders: int
    failed: int
    records: int
    newlines: int
    counts: tuple[int, int, int]
    by_field: LossSummary
    failures: tuple[Failure, ...]
    lines: bool = False
    refusal: tuple[Problem, ...] = ()
    stopped: bool = False
    uses_nil: bool = False
    sound: bool = True

    def without_data(self) -> PartResult:
        """This result less its output, to send its report alone."""
        return attrs.evolve(self, data=b"")


# --- laying out the partitions (on the client) -------------------------------------------------


def open_files(inputs: str | Iterable[str], options: dict[str, Any]) -> list[OpenFile]:
    """The inputs as fsspec files, globs expanded."""
    names = [inputs] if isinstance(inputs, str) else list(inputs)
    found = list(fsspec().open_files(names, mode="rb", **options)) if names else []
    if not found:
        raise FileNotFoundError(f"no input matches {names!r}")
    return found


def _local(file: OpenFile) -> bool:
    protocol = file.fs.protocol
    return "file" in (protocol if isinstance(protocol, tuple) else (protocol,))


def _name(file: OpenFile) -> str:
    """An input's name: its path on the local file system, its URL elsewhere."""
    return str(file.path) if _local(file) else str(file.fs.unstrip_protocol(file.path))


def parts(files: list[OpenFile], job: Job, blocksize: int | None) -> Iterable[Part]:
    """The partitions of the inputs, in order."""
    for file in files:
        name = _name(file)
        found = None if blocksize is None else _cut(file, name, job, blocksize)
        yield from found or [Part(name)]


def _cut(file: OpenFile, name: str, job: Job, blocksize: int) -> list[Part] | None:
    """An input's ranges, or ``None`` when it is one partition: only newline-delimited JSON
    written as such and dexero-xml pages the finder vouches for are cut."""
    with file as handle:
        head = handle.read(CHUNK)
    try:
        reader = readers.reader_for(io.BytesIO(head), job.source_format, job.limits)
    except (OrdermapError, ValueError):
        return None  # the whole input's reader says what is wrong with it
    xml = reader.format is not None and formats.get(reader.format).SYNTAX == "xml"
    if xml and reader.layout == "page":
        if isinstance(reader, readers.XmlPageReader) and file.fs.size(file.path) > blocksize:
            from . import _bag_page

            return _bag_page.cut(file, name, _local(file), reader.module, job, blocksize)
        return None
    found = _lines_format(reader, job)
    size = file.fs.size(file.path) if found is not None else 0
    if found is None or size <= blocksize:
        return None
    cuts = _cuts(file, size, blocksize)
    return [
        Part(name, number, start, end, found)
        for number, (start, end) in enumerate(zip([0, *cuts], [*cuts, size], strict=True))
    ]


def _lines_format(reader: readers.Reader, job: Job) -> str | None:
    """The input's format when it is newline-delimited JSON to be written one order per line,
    found as ``ordermap convert`` finds it; ``None`` for anything else (one partition)."""
    if job.lines_out is False or not formats.get(job.to).LINES or reader.layout != "lines":
        return None
    if reader.format is not None:
        return reader.format
    try:
        first = next(iter(reader.records()), None)
        if first is None:
            return None
        return documents.detect(first.payload, limits=job.limits).format
    except (OrdermapError, ValueError):
        return None  # the whole input's reader says what is wrong with it


def _cuts(file: OpenFile, size: int, blocksize: int) -> list[int]:
    """The offsets ranges start at past the first: for each multiple of ``blocksize``, the
    start of the first line past it (or at it) that opens an object."""
    cuts: list[int] = []
    with file.fs.open(file.path, "rb") as handle:
        target = blocksize
        while target < size:
            cut = _next_cut(handle, max(target, cuts[-1] + 1 if cuts else 1))
            if cut is None or cut >= size:
                break
            cuts.append(cut)
            target = max(cut + blocksize, target + blocksize)
    return cuts


def _next_cut(handle: Any, offset: int) -> int | None:
    """The start of the first line at or past ``offset`` (> 0) that, after blank lines, holds
    an object: the line of that object."""
    # Read from the byte before: offset itself is a line start when that byte is a break.
    handle.seek(offset - 1)
    buffer, base = b"", offset - 1
    more = b"."
    while True:
        newline = buffer.find(b"\n")
        while newline < 0 and more:
            more = handle.read(CHUNK)
            buffer += more
            newline = buffer.find(b"\n")
        if newline < 0:
            return None
        start = newline + 1
        rest = buffer[start:].lstrip(_BLANK)
        while not rest and more:  # only blank bytes so far: read on
            more = handle.read(CHUNK)
            buffer += more
            rest = buffer[start:].lstrip(_BLANK)
        if not rest:
            return None
        if rest[:1] == b"{":
            # Cut at the start of the object's own line: blank lines before it stay with
            # the range before, so that no range is blank lines alone.
            opening = len(buffer) - len(rest)
            return base + buffer.rfind(b"\n", 0, opening) + 1
        base, buffer = base + start, buffer[start:]


# --- one partition (on a worker) ---------------------------------------------------------------


def fsspec() -> Any:
    """fsspec (a dependency of dask), imported untyped: it ships no type information."""
    return import_module("fsspec")


def _read(part: Part, job: Job) -> Any:
    if part.end is None:
        return fsspec().open(part.source, "rb", **job.storage_options).open()
    fs, path = fsspec().core.url_to_fs(part.source, **job.storage_options)
    return io.BytesIO(fs.cat_file(path, start=part.start, end=part.end))


def convert_part(part: Part, job: Job) -> PartResult:
    """One partition through :func:`ordermap.stream.convert` as ``ordermap convert`` runs
    it (a range of a page's orders through its pieces, see :mod:`ordermap._bag_page`), with
    its report counted by field and its failures kept."""
    if part.spans:
        from . import _bag_page

        return _bag_page.convert_range(part, job)
    # The entries are counted by field as they come (most are never made: see
    # stream.convert's by_field); the totals are the summary's.
    by_field = LossSummary()
    failures: list[Failure] = []

    def on_error(error: stream.RecordError) -> None:
        failures.append(Failure(part.source, error.index, error.line, error.problems))

    def stopped(records: int, newlines: int) -> PartResult:
        totals = by_field.totals()
        return PartResult(
            part, b"", 0, len(failures), records, newlines, totals, by_field, tuple(failures),
            stopped=True,
        )  # fmt: skip

    ranged = part.end is not None
    output = io.BytesIO()
    result = None
    refusal: tuple[Problem, ...] = ()
    refused_records: int | None = None  # how many orders a refused range read
    source = _read(part, job)
    newlines = source.getvalue().count(b"\n") if ranged else 0
    try:
        # A range of blank lines holds no order (the whole input's reader skips them).
        if not ranged or source.getvalue().strip(_BLANK):
            result = stream.convert(
                source,
                output,
                job.to,
                source_format=part.source_format if ranged else job.source_format,
                mode=job.mode,
                policy=job.policy,
                indent=job.indent,
                lines_in=True if ranged else None,
                lines_out=True if ranged else job.lines_out,
                keep_going=job.keep_going,
                limits=job.limits,
                on_error=on_error,
                by_field=by_field,
            )
    except stream.RecordError as error:
        on_error(error)
        return stopped(error.index + 1, newlines)
    except stream.StreamRefusal as error:
        refusal = error.problems
        refused_records = error.records
    except TranslationError as error:
        if job.mode != "strict" or error.report is None:
            failures.append(Failure(part.source, None, None, error.problems))
            return stopped(0, newlines)
        # A single document refused whole: its report rides on the error.
        for entry in error.report.entries:
            by_field.add(entry)
        refusal = error.problems
    except OrdermapError as error:
        failures.append(Failure(part.source, None, None, error.problems))
        return stopped(0, newlines)
    finally:
        source.close()
    orders = 0 if result is None else result.orders
    # A refused range read all its orders: the ranges after it count on from there.
    records = orders + len(failures) if refused_records is None else refused_records
    lines = ranged or (result is not None and _writes_lines(result.layout, job))
    totals = by_field.totals()
    data = b"" if refusal else output.getvalue()
    return PartResult(
        part, data, orders, len(failures), records, newlines, totals, by_field,
        tuple(failures), lines, refusal,
    )  # fmt: skip


def _writes_lines(layout: str, job: Job) -> bool:
    """Whether ``stream.convert`` wrote one order per line (as it decides it)."""
    if job.lines_out is not None:
        return job.lines_out
    return layout == "lines" and formats.get(job.to).LINES


def sources(found: Sequence[Part]) -> list[str]:
    """The inputs the parts are of, in order."""
    return list(dict.fromkeys(part.source for part in found))
