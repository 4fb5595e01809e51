"""From a Dexero page to the Talkdesk page, with ``_links.self`` and ``_links.next``.

The seed defines ``startIndex`` as "the offset starting point (0-based) of the first object",
the same reading as the ``offset`` parameter, and ``itemsPerPage`` as "the total number of
items per page": the page size, not the number of orders on this page (Dexero's own example
has ``startIndex`` 260, ``itemsPerPage`` 20 and ``totalResults`` 261 on a one-item last page).
So a page has a next page exactly when ``startIndex + itemsPerPage < totalResults``, and the
next page starts at ``startIndex + itemsPerPage``. ``pageCount`` is not needed.

Before links are made, the page is checked against the request, so that following ``next``
sees every order once: the three properties are present and in range, ``startIndex`` is the
offset asked for, and the page holds ``min(itemsPerPage, totalResults - startIndex)`` orders
(none past the end). A page that fails is a :class:`PagingError`.
"""

from __future__ import annotations

import attrs

from ..crosswalk import Mode, Translation, translate
from ..errors import Location, Problem, ValidationError
from ..model import DexeroOrderPage, TalkdeskLink, TalkdeskLinks, TalkdeskOrderPage
from ..policy import DEFAULT_POLICY, Policy
from .cursor import DEFAULT_CURSORS, Cursor, CursorCodec
from .query import TalkdeskQuery, render_talkdesk_query

__all__ = ["PagingError", "assemble_page", "page_links"]


class PagingError(ValidationError):
    """A Dexero page that cannot be paged through: a pagination property missing or out of
    range, another page than the one asked for, or a page holding the wrong number of orders.

    Problems are located by JSON Pointer in the page's dexero-json form (``/orders/startIndex``).
    """


def _problem(code: str, key: str, message: str, value: object = None) -> Problem:
    shown = None if value is None else str(value)
    return Problem(code, message, Location(pointer=f"/orders/{key}"), input=shown)


def _check(page: DexeroOrderPage, offset: int) -> tuple[int, int, int]:
    """The page's ``(totalResults, startIndex, itemsPerPage)``, checked against the request."""
    problems: list[Problem] = []
    found: dict[str, int] = {}
    properties = (
        ("totalResults", page.total_results, 0),
        ("startIndex", page.start_index, 0),
        ("itemsPerPage", page.items_per_page, 1),
    )
    for key, value, low in properties:
        if value is None:
            problems.append(_problem("missing-field", key, f"the page has no {key}"))
        elif value < low:
            problems.append(_problem("out-of-range", key, f"{key} must be at least {low}", value))
        else:
            found[key] = value
    if problems:
        raise PagingError(problems)
    total, start, size = found["totalResults"], found["startIndex"], found["itemsPerPage"]
    if start != offset:
        message = f"the page starts at {start}, but the request asked for offset {offset}"
        raise PagingError([_problem("bad-paging", "startIndex", message, start)])
    expected = max(0, min(size, total - start))
    held = len(page.orders or ())
    if held != expected:
        message = (
            f"the page holds {held} orders; with totalResults {total}, startIndex {start} "
            f"and itemsPerPage {size} it must hold {expected}"
        )
        raise PagingError([_problem("bad-paging", "order", message, held)])
    return total, start, size


def _href(base_url: str, query: TalkdeskQuery, cursors: CursorCodec) -> str:
    rendered = render_talkdesk_query(query, cursors=cursors)
    return f"{base_url}?{rendered}" if rendered else base_url


def page_links(
    page: DexeroOrderPage,
    request: TalkdeskQuery,
    base_url: str,
    *,
    cursors: CursorCodec = DEFAULT_CURSORS,
) -> TalkdeskLinks:
    """The Talkdesk links of the page that answers ``request``.

    Args:
        page: The Dexero page fetched for the request.
        request: The Talkdesk request it answers.
        base_url: The endpoint's URL without a query, such as
            ``https://api.example.com/erc/ecommerce/orders``.
        cursors: The codec that writes the ``next`` link's cursor.

    Returns:
        ``self``, the request as it was made; ``next``, the same request with a cursor at the
        next page, except on the last page.

    Raises:
        PagingError: The page is not the one asked for, or cannot be paged through.
        ValueError: ``base_url`` is empty or holds a query or fragment.
    """
    if not base_url or "?" in base_url or "#" in base_url:
        raise ValueError(f"base_url must be a URL without query or fragment: {base_url!r}")
    offset = 0 if request.cursor is None else request.cursor.offset
    total, start, size = _check(page, offset)
    self_link = TalkdeskLink(href=_href(base_url, request, cursors))
    if start + size >= total:
        return TalkdeskLinks(self_=self_link)
    following = attrs.evolve(request, cursor=Cursor(start + size, request.order_by))
    return TalkdeskLinks(
        self_=self_link, next=TalkdeskLink(href=_href(base_url, following, cursors))
    )


def assemble_page(
    page: DexeroOrderPage,
    request: TalkdeskQuery,
    base_url: str,
    *,
    mode: Mode = "report",
    policy: Policy = DEFAULT_POLICY,
    source_format: str | None = None,
    cursors: CursorCodec = DEFAULT_CURSORS,
) -> Translation:
    """The Talkdesk page that answers ``request``, from the Dexero page fetched for it.

    The orders are translated by :func:`ordermap.translate`. The pagination properties are
    spent on the links, so they are taken off the page before it is translated and the
    report does not list them; anything else page-level (``uri``, unknown members) is
    reported, refused or carried by ``mode`` like any other value.

    Args:
        page: The Dexero page fetched for the request.
        request: The Talkdesk request it answers.
        base_url: The endpoint's URL without a query (see :func:`page_links`).
        mode: ``report``, ``strict`` or ``carry``, as for :func:`ordermap.translate`.
        policy: The heuristic rules of the crosswalk.
        source_format: ``dexero-xml`` or ``dexero-json``: the format the page was read from.
        cursors: The codec that writes the ``next`` link's cursor.

    Returns:
        The Talkdesk page with its links, and the translation's loss report.

    Raises:
        PagingError: The page is not the one asked for, or cannot be paged through.
        TranslationError: As :func:`ordermap.translate` raises it (strict mode, for instance).
    """
    links = page_links(page, request, base_url, cursors=cursors)
    bare = attrs.evolve(
        page, total_results=None, start_index=None, items_per_page=None, page_count=None
    )
    translation = translate(
        bare, "talkdesk-json", mode=mode, policy=policy, source_format=source_format
    )
    document = translation.document
    assert isinstance(document, TalkdeskOrderPage)  # a Dexero page translates to a page
    return Translation(attrs.evolve(document, links=links), translation.report)
