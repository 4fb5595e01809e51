"""Validate a payload: every problem in one pass, errors and warnings, each with its place.

:func:`validate` reads a document like :func:`ordermap.decode` but never raises for a bad
payload: it returns a :class:`Validation` holding every :class:`~ordermap.errors.Problem`
found (up to the limit's cap). Besides the format's errors it reports three warnings, which
do not stop a document:

- ``unknown-field``: a member the format does not define (it is kept and written back);
- ``unlisted-value``: a value outside an open enum's documented list (kept verbatim);
- ``lone-surrogate``: JSON text holding an unpaired ``\\ud800``-``\\udfff`` escape, which is
  no Unicode character (it is kept, and written back escaped, but most consumers choke).

It also checks what values say (:mod:`.values`, each rule with its own code): a Dexero order
without its ``id``, a negative count or id and a currency that is not three capital letters
are errors; a currency, country, region or locale outside its ISO list, a region in another
country than its address, an email, IP address or URL that does not parse, and a Dexero page
whose pagination contradicts itself or its order count are warnings. A page read order by
order has its orders counted as they go past, so its pagination is checked against the same
count as the whole page's.

Warnings are reported for documents with errors too. Errors come first (the decoder's, then
the value rules'), then warnings, each in document order (lone surrogates, found while
reading the text, before the members), so that the cap never hides an error behind a
warning. ``strict=True`` makes warnings errors.

:func:`validate_file` checks a payload in a file the way :mod:`ordermap.stream` converts
one: a page or newline-delimited JSON one order (one record) at a time, each at its place in
the input, so that memory holds one order; a document that is not a page is one record.
Whole documents and records go through the same checks (:mod:`.records`): the findings of
members (:mod:`.walk`, with the value rules of :mod:`.values`) and problems gathered under
the cap (:mod:`.tally`).
"""

from __future__ import annotations

from typing import BinaryIO

from attrs import frozen

from .. import documents
from ..binding import paused_gc
from ..errors import DecodeError, Location, Problem, Severity, ValidationError
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Document, TalkdeskErrorBody, TalkdeskErrorField
from ..names import expect_data, expect_limits, expect_name
from .records import check_line, check_order, check_page, check_whole, told_format
from .tally import Tally

__all__ = ["Validation", "validate", "validate_file"]


@frozen
class Validation:
    """The outcome of :func:`validate`.

    Attributes:
        format: The format the payload was read as, or ``None`` when it could not be told.
        kind: ``page``, ``order`` or ``error``, where known.
        problems: Every problem found, errors and warnings, in document order.
        document: The document, when it could be read.
    """

    format: str | None
    kind: str | None
    problems: tuple[Problem, ...]
    document: Document | None = None

    @property
    def ok(self) -> bool:
        """Whether the payload has no error (warnings allowed)."""
        return not self.errors

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def to_talkdesk_error(
        self, code: str = "400", message: str = "The payload is not valid"
    ) -> TalkdeskErrorBody:
        """The errors as a Talkdesk error body: one ``fields`` entry per error, named by its
        JSON Pointer (or XML element path), described by its message and code.
        """
        fields = tuple(
            TalkdeskErrorField(
                name=_place(problem.location),
                description=f"{problem.message} [{problem.code}]",
            )
            for problem in self.errors
        )
        count = len(fields)
        return TalkdeskErrorBody(
            code=code,
            message=message,
            description=f"{count} problem{'s' * (count != 1)} found",
            fields=fields,
        )


def _place(location: Location) -> str:
    where = location.pointer if location.pointer is not None else location.path
    return where or "/"


def _start_of(source: BinaryIO) -> int | None:
    """Where the input starts in ``source``, so that an XML page's problems can be given
    their columns by reading it again (only when there are problems, and only from a file
    that can seek); ``None`` when it cannot be read twice (a pipe)."""
    try:
        return source.tell() if source.seekable() else None
    except (OSError, AttributeError):
        return None


@paused_gc()
def validate(
    data: bytes | str,
    format: str | None = None,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Validation:
    """Check a payload and report every problem in it.

    The payload is parsed once; the document, its errors and its warnings all come from that
    parsed form. A payload in a file is better checked with :func:`validate_file`, which
    reads a page or newline-delimited JSON one order at a time.

    Args:
        data: The payload, as bytes (preferred) or text.
        format: A registered format name; detected when omitted.
        strict: Treat warnings (unknown members, unlisted enum values, lone surrogates, the
            value rules' warnings) as errors.
        limits: Bounds on size, depth, number length and the number of problems.

    Returns:
        A :class:`Validation`; ``ok`` tells whether the payload passes.

    Raises:
        TypeError: An argument of the wrong type (a path for ``data``, say).
    """
    data = expect_data(data)
    expect_name("format", format, optional=True)
    expect_limits(limits)
    tally = Tally(Severity.ERROR if strict else Severity.WARNING, limits)
    try:
        module, parsed, kind = documents.parse_as(data, format, limits)
    except DecodeError as error:
        return Validation(told_format(error, format), None, error.problems)
    found, kind, document = check_whole(data, module, parsed, kind, tally)
    return Validation(found or format, kind, tally.problems(), document)


def validate_file(
    source: BinaryIO,
    format: str | None = None,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    lines: bool | None = None,
) -> Validation:
    """Check a payload read from a binary file, one order at a time.

    A page (of any format) and newline-delimited JSON are read as :func:`ordermap.stream.convert`
    reads them: each order is a record, checked at its place in the input, so memory holds
    one order and ``limits.max_bytes`` bounds each order (or line), not the whole input. Any
    other document is read whole, within ``max_bytes``, and checked as :func:`validate`
    checks it. Problems are the same as :func:`validate` finds in the whole document, with
    the differences ``specs/cli.md`` lists (page-level problems come after the orders'; a
    syntax error ends the reading, after the problems of the orders before it). A problem
    in a line of newline-delimited JSON that has no line of its own is given that line.
    Problems have the line and column where their token or start tag begins; for that, an
    XML page with problems is read a second time, from where it started, when ``source``
    can seek (it is left wherever that reading stopped).

    Args:
        source: The payload, opened for reading bytes.
        format: A registered format name; detected when omitted (each line of
            newline-delimited JSON on its own).
        strict: Treat warnings as errors.
        limits: Bounds on size, depth, number length and the number of problems.
        lines: ``True``: newline-delimited JSON; ``False``: one document; ``None``: decide
            from the content.

    Returns:
        A :class:`Validation`, with no ``document`` for a page or lines (they are not held).
    """
    from ..pipeline import readers

    tally = Tally(Severity.ERROR if strict else Severity.WARNING, limits)
    start = _start_of(source)
    try:
        reader = readers.reader_for(source, format, limits, lines=lines)
    except DecodeError as error:
        return Validation(told_format(error, format), None, error.problems)
    if isinstance(reader, readers.DocumentReader):
        with paused_gc():
            found = check_whole(reader.data, reader.module, reader.parsed, reader.kind, tally)
        return Validation(found[0], found[1], tally.problems(), found[2])
    if isinstance(reader, readers.XmlPageReader):
        reader.hold_first = True  # so a page of one order names it as the whole page does
    told = reader.format
    kind: str | None = "page" if reader.layout == "page" else "order"
    orders = 0  # records gone past, for a page's pagination rules
    try:
        for record in reader.records():
            orders += 1
            if reader.layout == "lines":
                mark = tally.mark()
                line_format = check_line(record, format, tally)
                tally.on_line(mark, record.place.line)
                told = told or line_format
            else:
                assert not isinstance(reader, readers.LinesReader)
                check_order(reader.module, record, tally)
    except ValidationError as error:  # the page breaks its format's rules
        tally.add(error.problems, error.omitted)
    except DecodeError as error:  # the input stops being readable
        tally.add(error.problems, error.omitted)
        if reader.layout == "page":
            told, kind = told_format(error, format), None
    else:
        if reader.layout == "page":
            try:
                check_page(reader, tally, orders)
            except DecodeError as error:
                # Not a page after all: what its orders hold is not what is wrong with it.
                tally = Tally(tally.level, tally.limits)
                tally.add(error.problems, error.omitted)
                told, kind = told_format(error, format), None
    if isinstance(reader, readers.XmlPageReader) and start is not None:
        source.seek(start)
        tally.place_xml((0, 0, 0), source)
    return Validation(told, kind, tally.problems())
