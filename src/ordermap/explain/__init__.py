"""See a translation: a page that shows what reached the target and what did not.

:func:`explain` translates a payload as ``ordermap convert`` does and returns an
:class:`Explanation`, whose :meth:`~Explanation.html` is one self-contained HTML file (no
network, no external scripts, styles or fonts): the source and the target side by side,
each value marked by its fate (mapped, derived with its rule, lost with its reason, carried),
the validation warnings pinned where they are, a summary per field with counts, and the
crosswalk rows that applied. ``ordermap explain`` writes that file; ``ordermap serve``
(:mod:`ordermap.explain.serve`, the ``serve`` extra) shows the same page on loopback with a
form to paste a payload into. ``specs/explain.md`` describes the page.

The room holds the page's data (:mod:`.model`, with the problems' places in
:mod:`.problems`), the HTML around it (:mod:`.html`, with the
page's script and styles beside it as package files) and the local server (:mod:`.serve`);
the two commands are the command line's (:mod:`ordermap.cli_explain`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import frozen

if TYPE_CHECKING:
    from ..crosswalk import Mode, Report
    from ..limits import Limits
    from ..names import FormatName
    from ..policy import Policy

__all__ = ["Explanation", "explain"]


@frozen
class Explanation:
    """What :func:`explain` found.

    Attributes:
        source_format: The format the input was read as.
        target_format: The format it was translated to.
        mode: ``report``, ``strict`` or ``carry``.
        report: The loss report, as :func:`ordermap.translate` gives it.
        refused: Strict mode refused the translation (the report says what would be lost);
            there is no target then.
        orders: How many orders the input holds.
        data: The page's data (see :mod:`ordermap.explain.model`).
    """

    source_format: str
    target_format: str
    mode: str
    report: Report
    refused: bool
    orders: int
    data: dict[str, Any]

    def html(self, *, title: str | None = None) -> str:
        """The page, as one self-contained HTML document."""
        from .html import page

        return page(self.data, title=title)


def explain(
    data: bytes,
    to: FormatName,
    *,
    source_format: FormatName | None = None,
    mode: Mode = "report",
    policy: Policy | None = None,
    limits: Limits | None = None,
) -> Explanation:
    """Translate a payload and explain the translation, value by value.

    Args:
        data: The payload (an order, a page, or a Talkdesk or Dexero document of any
            format), as bytes.
        to: The target format.
        source_format: The payload's format; detected when ``None``.
        mode: ``report``, ``strict`` or ``carry``, as for :func:`ordermap.translate`. A
            strict refusal is no error here: the explanation shows what would be lost.
        policy: The crosswalk's heuristic rules; ``None`` for the defaults.
        limits: Bounds on the input (:data:`ordermap.limits.DEFAULT_LIMITS` when ``None``).

    Raises:
        DecodeError: The payload cannot be read (its problems say where).
        TranslationError: It cannot be translated (a Talkdesk error body, an order missing
            a value the target requires, a damaged carry slot).
        TypeError: An argument of the wrong type.
        ValueError: An unknown format or mode, or a payload already in ``to``'s vocabulary.
    """
    from .. import documents, formats, validation
    from ..crosswalk import TranslationError, translate
    from ..crosswalk.sides import OTHER, document_tree, envelope
    from ..limits import DEFAULT_LIMITS
    from ..names import expect, expect_limits, expect_mode, expect_name, expect_policy
    from . import model
    from .problems import xml_pointer

    data = expect("data", data, (bytes, bytearray, memoryview), "the payload as bytes")
    expect_name("to", to)
    expect_name("source_format", source_format, optional=True)
    expect_mode(mode)
    policy = expect_policy(policy)
    if limits is None:
        limits = DEFAULT_LIMITS
    expect_limits(limits)
    target_family = formats.get(to).FAMILY
    data = bytes(data)
    # One parse gives the document and the warnings the page pins; a payload that does not
    # decode is read again by decode, for the error ordermap.decode raises.
    checked = validation.validate(data, source_format, limits=limits)
    document = checked.document
    if document is None:
        document = documents.decode(data, source_format, limits=limits)
    read_as = source_format or checked.format or documents.detect(data, limits=limits).format
    refused = False
    translated: Any = None
    try:
        translation = translate(document, to, mode=mode, policy=policy, source_format=read_as)
    except TranslationError as error:
        if mode != "strict" or error.report is None:
            raise
        report = error.report
        refused = True
    else:
        report = translation.report
        translated = translation.document
    # translate refuses a source in the target's vocabulary, so the source's is the other.
    side = OTHER[target_family]
    target_side = OTHER[side.family]
    is_page = documents.kind_of(document) == "page"
    source_root = envelope(side, page=is_page)
    source_tree = document_tree(side, document)
    target_root = envelope(target_side, page=is_page)
    target_tree = None if translated is None else document_tree(target_side, translated)
    problems = list(checked.problems)
    pinned = [
        problem.location.pointer
        or (
            xml_pointer(problem.location.path, source_tree, source_root)
            if problem.location.path
            else None
        )
        for problem in problems
    ]
    built = model.build(
        source_format=read_as,
        target_format=to,
        mode=mode,
        report=report,
        source_tree=source_tree,
        source_root=source_root,
        source_page=is_page,
        source_orders_at=side.page_orders,
        target_tree=target_tree,
        target_root=target_root,
        target_orders_at=target_side.page_orders,
        problems=problems,
        pinned=pinned,
        refused=refused,
    )
    return Explanation(read_as, to, mode, report, refused, len(built["orders"]), built)
