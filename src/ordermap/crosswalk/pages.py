"""Documents through the crosswalk: :func:`translate` for orders and pages, and
:class:`PageTranslator`, which the stream uses order by order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from attrs import frozen

from .. import formats
from ..binding import paused_gc
from ..errors import Location, Problem
from ..formats.common import pointer
from ..model import (
    DexeroOrder,
    DexeroOrderPage,
    Document,
    TalkdeskErrorBody,
    TalkdeskOrder,
    TalkdeskOrderPage,
)
from ..names import FormatName, expect_mode, expect_name, expect_policy
from ..policy import DEFAULT_POLICY, Policy
from ..provenance import format_of, remember
from . import patch as _patch
from .carry import PAGE_SLOT, apply_slot, page_slot_pointer, put_page_slot, take_page_slot
from .entries import lookalike_reason
from .orders import Unwritable, text_limit_of, translate_order
from .report import (
    Action,
    Family,
    Mode,
    Report,
    ReportEntry,
    Translation,
    TranslationError,
    strict_refusal,
)
from .sides import DEXERO, OTHER, TALKDESK, Side, document_tree, envelope, tree_model
from .summary import FieldRow

# A page's orders are compared one by one; in its page-level tree their list stands as one
# of these, so that the list's own spelling (absent, null, array, bare object) still counts.
_ORDERS_ARRAY = "ordermap:orders"
_ORDERS_OBJECT = "ordermap:order"


def _orders_of(page: Any) -> tuple[Any, ...]:
    orders: tuple[Any, ...] = page.orders or ()
    return orders


def _page_reason(side: Side, path: list[str | int]) -> str:
    if side.family == "talkdesk" and path[0] == "_links":
        return "paging links are not derivable from Dexero's pagination"
    if side.family == "dexero" and path[0] in (
        "totalResults",
        "startIndex",
        "itemsPerPage",
        "pageCount",
        "uri",
    ):
        return "pagination is not derivable from Talkdesk's links"
    return "unknown member, no counterpart"


def _blank_orders(side: Side, count: int) -> tuple[Any, ...]:
    if side.family == "dexero":
        return tuple(DexeroOrder() for _ in range(count))
    return tuple(TalkdeskOrder(id="", order_number="") for _ in range(count))


def _shaped_page(side: Side, count: int) -> Any:
    """A page as a translation makes it: no page-level members, ``count`` orders."""
    orders = _blank_orders(side, count)
    return side.page.of(orders)


def _page_tree(side: Side, page: Any, count: int) -> dict[str, Any]:
    """A page's tree with its ``count`` orders replaced by a placeholder of the list's spelling."""
    if side.family == "talkdesk" or page.orders is not None:
        # Only whether the list is empty, and its spelling, reach the tree: two blanks will do.
        page = page.with_orders(_blank_orders(side, min(count, 2)))
    tree = document_tree(side, page, envelope(side, page=True))
    holder = tree
    for key in side.page_orders[:-1]:
        holder = holder[key]
    last = side.page_orders[-1]
    if type(holder.get(last)) is list:
        holder[last] = _ORDERS_ARRAY
    elif type(holder.get(last)) is dict:
        holder[last] = _ORDERS_OBJECT
    return tree


def _page_model(side: Side, tree: dict[str, Any], orders: tuple[Any, ...]) -> Any:
    holder = tree = dict(tree)
    for key in side.page_orders[:-1]:
        holder[key] = dict(holder.get(key) or {})
        holder = holder[key]
    last = side.page_orders[-1]
    if holder.get(last) == _ORDERS_ARRAY:
        holder[last] = []
    elif holder.get(last) == _ORDERS_OBJECT:
        holder[last] = {}
    page = tree_model(side, tree, side.page, "the page's carry slot")
    if side.family == "dexero" and page.orders is None and not orders:
        return page  # absent or null, as the slot says
    return page.with_orders(orders)


def _page_order(
    source_side: Side,
    order: Any,
    index: int,
    mode: Mode,
    policy: Policy,
    xml: Unwritable | None,
    xml_source: Unwritable | None,
) -> tuple[Any, list[ReportEntry]]:
    """Translate the ``index``-th order of a page (report pointers name its place)."""
    target_side = OTHER[source_side.family]
    source_list = envelope(source_side, page=True) + pointer(source_side.page_orders)
    target_list = envelope(target_side, page=True) + pointer(target_side.page_orders)
    return translate_order(
        source_side,
        order,
        mode,
        policy,
        f"{source_list}/{index}",
        f"{target_list}/{index}",
        xml,
        xml_source,
    )


def _page_frame(
    source_side: Side, page: Any, count: int, mode: Mode
) -> tuple[dict[str, Any], list[ReportEntry]]:
    """The target page's tree, with a placeholder for its orders, and the page-level entries.

    Only the number of orders (``count``) matters here, not the orders ``page`` holds.
    """
    target_side = OTHER[source_side.family]
    source_page = envelope(source_side, page=True)
    entries: list[ReportEntry] = []
    tree, incoming, lookalikes = take_page_slot(source_side, _page_tree(source_side, page, count))
    # Nothing page-level maps across, so the target page starts empty and so does the way back.
    target_tree = _page_tree(target_side, _shaped_page(target_side, min(count, 2)), count)
    if incoming is not None:
        target_tree = apply_slot(target_tree, incoming, page_slot_pointer(source_side))
    back_tree = _page_tree(source_side, _shaped_page(source_side, min(count, 2)), count)
    patch, differences = _patch.diff(tree, back_tree)
    carry = mode == "carry" and bool(patch)
    slot = "/custom_fields/dexero" if target_side.family == "talkdesk" else f"/{PAGE_SLOT}"
    for path, value in differences:
        where = pointer(path)
        if value is _patch.MISSING:
            continue
        if tuple(path) == source_side.page_orders:
            if value != _ORDERS_ARRAY:
                continue  # a bare object for one order: a spelling, kept by carry
            value, reason = [], "an empty list comes back absent"
        else:
            reason = lookalike_reason(_page_reason(source_side, path), tuple(path), lookalikes)
        action: Action = "carried" if carry else "lost"
        target_page = envelope(target_side, page=True)
        entries.append(
            ReportEntry(
                action, source_page + where, target_page + slot if carry else None, value, reason
            )
        )
    if carry:
        target_tree = put_page_slot(target_side, target_tree, patch)
    return target_tree, entries


def _page(
    source_side: Side,
    page: Any,
    mode: Mode,
    policy: Policy,
    xml: Unwritable | None,
    xml_source: Unwritable | None,
) -> tuple[Any, list[ReportEntry]]:
    orders: list[Any] = []
    entries: list[ReportEntry] = []
    # Values the target cannot hold are gathered over every order, so that one error names
    # them all (lossless rule 5); any other refusal ends the page at its order.
    unheld: list[Problem] = []
    for index, order in enumerate(_orders_of(page)):
        try:
            translated, found = _page_order(
                source_side, order, index, mode, policy, xml, xml_source
            )
        except TranslationError as error:
            if any(problem.code != "cannot-hold" for problem in error.problems):
                raise
            unheld.extend(error.problems)
            continue
        orders.append(translated)
        entries.extend(found)
    if unheld:
        raise TranslationError(unheld, format=OTHER[source_side.family].format)
    tree, found = _page_frame(source_side, page, len(orders), mode)
    target_side = OTHER[source_side.family]
    return _page_model(target_side, tree, tuple(orders)), entries + found


def _untranslatable(to: str) -> TranslationError:
    return TranslationError(
        [
            Problem(
                "untranslatable",
                "a Talkdesk error body has no Dexero counterpart",
                Location(pointer=""),
            )
        ],
        format=to,
    )


def _single(
    side: Side,
    order: Any,
    mode: Mode,
    policy: Policy,
    to: str,
    source_format: str | None,
    counts: list[int] | None = None,
) -> tuple[Any, list[ReportEntry]]:
    """A single order translated: its entries name places below the documents' envelopes."""
    target_side = OTHER[side.family]
    return translate_order(
        side,
        order,
        mode,
        policy,
        envelope(side, page=False),
        envelope(target_side, page=False),
        text_limit_of(to),
        text_limit_of(source_format),
        counts,
    )


@paused_gc()
def translate(
    document: Document,
    to: FormatName,
    *,
    mode: Mode = "report",
    policy: Policy | None = None,
    source_format: str | None = None,
) -> Translation:
    """Translate a Talkdesk document into Dexero's vocabulary, or a Dexero one into Talkdesk's.

    Args:
        document: A Talkdesk or Dexero order or page.
        to: The target format: ``talkdesk-json``, ``dexero-json`` or ``dexero-xml``.
        mode: ``report``, ``strict`` or ``carry`` (see the module docstring).
        policy: The heuristic rules (:class:`~ordermap.policy.Policy`); ``None`` for the
            defaults.
        source_format: The format the document was read from; rarely needed, since a
            document read by :func:`ordermap.decode` or made by a translation knows it
            (:func:`ordermap.format_of`), and one made in code counts as its vocabulary's
            JSON format. It names the source in the report, and for ``dexero-xml`` the round
            trip is measured against XML, which cannot hold some text (so carry mode stays
            exact through XML).

    Returns:
        The translated document, ready for :func:`ordermap.encode` in ``to`` (it knows it
        was made for ``to``), and its report.

    Raises:
        TranslationError: In strict mode when something would be lost (with the whole
            report); in every mode for a Talkdesk error body, an order missing a value the
            target requires, or a damaged carry slot.
        TypeError: An argument of the wrong type (bytes for the document, say).
        ValueError: An unknown format or mode, or a document already in ``to``'s vocabulary.
    """
    expect_name("to", to)
    expect_name("source_format", source_format, optional=True)
    expect_mode(mode)
    policy = expect_policy(policy)
    if source_format is None:
        source_format = format_of(document)
    if mode not in ("report", "strict", "carry"):
        raise ValueError(f"unknown mode {mode!r}; expected report, strict or carry")
    if to not in formats.FORMATS:
        raise ValueError(f"unknown format {to!r}; expected one of {list(formats.names())}")
    target_family = formats.get(to).FAMILY
    if isinstance(document, TalkdeskErrorBody):
        raise _untranslatable(to)
    if isinstance(document, TalkdeskOrder | TalkdeskOrderPage):
        side = TALKDESK
    elif isinstance(document, DexeroOrder | DexeroOrderPage):
        side = DEXERO
    else:
        raise TypeError(
            "document must be a Talkdesk or Dexero order or page (as ordermap.decode returns),"
            f" not {type(document).__name__}"
        )
    if side.family == target_family:
        raise ValueError(f"a {type(document).__name__} is already in {to}'s vocabulary; encode it")
    if source_format is not None and side.family != formats.get(source_format).FAMILY:
        raise ValueError(
            f"a {type(document).__name__} cannot have been read as {source_format}, which"
            f" holds {formats.get(source_format).FAMILY.title()} documents"
        )
    if isinstance(document, side.page):
        translated, entries = _page(
            side, document, mode, policy, text_limit_of(to), text_limit_of(source_format)
        )
    else:
        translated, entries = _single(side, document, mode, policy, to, source_format)
    report = Report(source_format or side.format, to, mode, tuple(entries))
    if mode == "strict" and report.has_loss:
        raise strict_refusal(report)
    remember(translated, to)
    return Translation(translated, report)


@frozen
class PageTranslator:
    """Translates a page one order at a time, for pages too large to hold in memory.

    :func:`translate` of a whole page gives the same orders and entries as :meth:`order` for
    each order in turn (with its page pointers) followed by :meth:`frame`;
    :mod:`ordermap.stream` relies on that.
    The object is small and picklable, so worker processes can hold one.
    """

    source_family: Family
    to: str
    mode: Mode = "report"
    policy: Policy = DEFAULT_POLICY
    source_format: str | None = None

    def order(
        self,
        order: Any,
        source: str,
        target: str,
        counts: list[int] | None = None,
        rows: list[FieldRow] | None = None,
    ) -> tuple[Any, list[ReportEntry]]:
        """An order translated, and its report entries.

        Args:
            order: The order.
            source: Its JSON Pointer in the source document (such as ``/orders/order/7``).
            target: Its JSON Pointer in the target document.
            counts: When given, ``[lost, derived, carried]`` to add this order's counts to;
                no entries are made then (cheaper when nobody reads them).
            rows: With ``counts``, a list to append each entry to as the summary by field
                counts it (:data:`ordermap.crosswalk.summary.FieldRow`).
        """
        side = TALKDESK if self.source_family == "talkdesk" else DEXERO
        return translate_order(
            side,
            order,
            self.mode,
            self.policy,
            source,
            target,
            text_limit_of(self.to),
            text_limit_of(self.source_format),
            counts,
            rows,
        )

    def single(
        self, document: Any, counts: list[int] | None = None
    ) -> tuple[Any, list[ReportEntry]]:
        """A document read whole that is not a page (an order or an error body) translated,
        as :func:`translate` translates it (a stream of one record uses this).

        Raises:
            TranslationError: An error body, which has no counterpart; an order the target
                cannot take.
        """
        if isinstance(document, TalkdeskErrorBody):
            raise _untranslatable(self.to)
        side = TALKDESK if self.source_family == "talkdesk" else DEXERO
        return _single(side, document, self.mode, self.policy, self.to, self.source_format, counts)

    def frame(
        self, page: Any, count: int
    ) -> tuple[Callable[[Sequence[Any]], Any], list[ReportEntry]]:
        """The page-level part of a page of ``count`` orders.

        Returns a function that makes the target page around given (translated) orders, and
        the page-level entries; ``page``'s own orders are not looked at.
        """
        side = TALKDESK if self.source_family == "talkdesk" else DEXERO
        target = OTHER[side.family]
        tree, entries = _page_frame(side, page, count, self.mode)
        return (lambda orders: _page_model(target, tree, tuple(orders))), entries
