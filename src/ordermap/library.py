"""The library's typed entry points over functions that the engine itself calls with names it
holds as ``str``: :func:`encode` and :func:`validate`, whose format is typed here as a
``Literal`` (:data:`ordermap.FormatName`) so that a misspelt format is a type error; and
:func:`convert`, the command line's ``ordermap convert`` for bytes in memory.

:func:`convert` runs what ``ordermap convert`` runs (:func:`ordermap.stream.convert`: the
same reader, translation and writer), so its output is the bytes the command writes, and its
result holds them with the whole loss report.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from attrs import frozen

from . import documents, formats
from .limits import DEFAULT_LIMITS, Limits
from .names import FormatName, expect, expect_limits, expect_mode, expect_name, expect_policy
from .policy import Policy

if TYPE_CHECKING:
    # Imported where they are used, so that ``ordermap.encode`` does not load the stream,
    # the crosswalk and validation.
    from .crosswalk import Mode, Report
    from .model import Document
    from .stream import RecordError
    from .validation import Validation

__all__ = ["Conversion", "convert", "encode", "validate"]


def encode(document: Document, format: FormatName, *, indent: int | None = None) -> bytes:
    """Write a document in a format.

    Args:
        document: A document read by :func:`ordermap.decode` or built from the model
            classes.
        format: ``talkdesk-json``, ``dexero-json`` or ``dexero-xml``.
        indent: Spaces per nesting level; ``None`` writes compactly.

    Raises:
        EncodeError: The document cannot be written in the format (a value it cannot hold,
            or a Talkdesk document asked for in a Dexero format).
        TypeError: An argument of the wrong type (bytes for the document, say).
        ValueError: An unknown format name.
    """
    return documents.encode(document, format, indent=indent)


def validate(
    data: bytes | str,
    format: FormatName | None = None,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Validation:
    """Check a payload and report every problem in it: errors, and warnings (unknown members,
    unlisted enum values, the value rules of ``specs/problems.md``), each with its place.

    Args:
        data: The payload, as bytes (preferred) or text.
        format: ``talkdesk-json``, ``dexero-json`` or ``dexero-xml``; detected when omitted.
        strict: Treat warnings as errors.
        limits: Bounds on size, depth, number length and the number of problems.

    Returns:
        A :class:`~ordermap.validation.Validation`; ``ok`` tells whether the payload passes.
        A payload that cannot be read is not an exception here: its problems are in it.

    Raises:
        TypeError: An argument of the wrong type (a path for ``data``, say).
    """
    from . import validation

    return validation.validate(data, format, strict=strict, limits=limits)


@frozen
class Conversion:
    """What :func:`convert` made.

    Attributes:
        output: The converted document, as the command line writes it.
        report: The loss report (empty between formats of one vocabulary, which lose
            nothing); its ``source_format`` is the format the input was read as.
        orders: The orders written (1 for a single document).
        skipped: With ``keep_going``, why each skipped order could not be converted.
    """

    output: bytes
    report: Report
    orders: int
    skipped: tuple[RecordError, ...] = ()


def convert(
    data: bytes,
    to: FormatName,
    *,
    source_format: FormatName | None = None,
    mode: Mode = "report",
    policy: Policy | None = None,
    indent: int | None = 2,
    ndjson: bool | None = None,
    keep_going: bool = False,
    limits: Limits | None = None,
) -> Conversion:
    """Convert a document, a page or newline-delimited JSON to another format, as
    ``ordermap convert`` does: the same output bytes and the same report.

    Args:
        data: The input, as bytes (as a file holds it).
        to: The output format (``--to``).
        source_format: The input's format (``--from``); detected from the content when
            ``None``.
        mode: ``report``, ``strict`` or ``carry`` (``--mode``; see :func:`translate`).
        policy: The crosswalk's heuristic rules (``--policy``); ``None`` for the defaults.
        indent: Spaces per level for a page or document (``--indent``); ``None`` or 0
            writes compactly.
        ndjson: Write one order per line (``--ndjson``), or a page (``False``, ``--page``);
            ``None`` writes as the input is laid out.
        keep_going: Skip an order that cannot be converted (``--keep-going``), listing it in
            :attr:`Conversion.skipped`, instead of raising.
        limits: Bounds; ``max_bytes`` bounds each order of a page or stream. ``None`` for
            the defaults (:data:`ordermap.limits.DEFAULT_LIMITS`).

    Returns:
        A :class:`Conversion`: the output bytes and the report.

    Raises:
        DecodeError: The input cannot be read.
        RecordError: An order cannot be converted (without ``keep_going``); it says which.
        TranslationError: Strict mode would lose something (with the whole report), or the
            input cannot be translated (an error body, a damaged carry slot).
        TypeError: An argument of the wrong type (text for ``data``, say).
        ValueError: An unknown format or mode, or ``ndjson`` asked of dexero-xml.
    """
    from . import stream
    from .crosswalk import Report, ReportEntry, TranslationError

    data = expect("data", data, (bytes, bytearray, memoryview), "the input as bytes")
    expect_name("to", to)
    expect_name("source_format", source_format, optional=True)
    expect_mode(mode)
    if mode not in ("report", "strict", "carry"):
        raise ValueError(f"unknown mode {mode!r}; expected report, strict or carry")
    policy = expect_policy(policy)
    if limits is None:
        limits = DEFAULT_LIMITS
    expect_limits(limits)
    formats.get(to)  # an unknown name is a ValueError before anything is read
    entries: list[ReportEntry] = []
    skipped: list[RecordError] = []
    output = io.BytesIO()
    try:
        result = stream.convert(
            io.BytesIO(data),
            output,
            to,
            source_format=source_format,
            mode=mode,
            policy=policy,
            indent=indent or None,
            lines_out=ndjson,
            keep_going=keep_going,
            limits=limits,
            on_entry=entries.append,
            on_error=skipped.append,
        )
    except stream.StreamRefusal as refusal:
        # The stream told every entry before refusing; the error carries them, as translate's.
        report = Report(refusal.source_format, to, mode, tuple(entries))
        raise TranslationError(refusal.problems, format=to, report=report) from None
    report = Report(result.source_format, to, mode, tuple(entries))
    return Conversion(output.getvalue(), report, result.orders, tuple(skipped))
