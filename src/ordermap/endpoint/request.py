"""From a Talkdesk request to the Dexero request that fetches the same page.

- ``limit`` becomes ``count``; a limit above Dexero's 500 becomes 500 (an ``adjusted`` note:
  the page is shorter, and its ``next`` link continues after it, so no order is skipped);
- ``order_by`` becomes ``sort_key`` and ``sort_dir`` where the field has a Dexero sort key
  (by default only ``purchase_datetime``, whose key ``purchasedTimestamp`` the seed names);
  any other field is a ``lost`` note, and Dexero's default order applies;
- the cursor's offset becomes ``offset``;
- a parameter Talkdesk's endpoint does not define is a ``lost`` note.

A parameter that is absent stays absent, so Dexero's documented default applies: 20 orders,
from offset 0, by ``purchasedTimestamp`` ascending. In strict mode a ``lost`` note is a
:class:`~ordermap.endpoint.QueryError` (code ``would-lose``) naming the parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import attrs

from ._params import QueryError, _problem
from .query import (
    DEXERO_DEFAULT_SORT_DIR,
    DEXERO_DEFAULT_SORT_KEY,
    DEXERO_MAX_COUNT,
    DexeroQuery,
    TalkdeskQuery,
)

__all__ = ["SORT_KEYS", "NoteAction", "RequestNote", "RequestTranslation", "translate_request"]

NoteAction = Literal["adjusted", "lost"]

SORT_KEYS: Mapping[str, str] = MappingProxyType({"purchase_datetime": DEXERO_DEFAULT_SORT_KEY})
"""Talkdesk order field to Dexero ``sort_key``: the pairs the seeds document."""


@attrs.frozen
class RequestNote:
    """Something of a Talkdesk request that the Dexero request does not say as it was asked.

    Attributes:
        action: ``adjusted`` (asked differently, the same orders arrive in the same order over
            the pages) or ``lost`` (Dexero cannot be asked for it at all).
        parameter: The Talkdesk parameter's name.
        value: Its value, as given.
        reason: Why, in words.
    """

    action: NoteAction
    parameter: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.action} {self.parameter}={self.value}: {self.reason}"


@attrs.frozen
class RequestTranslation:
    """The Dexero request for a Talkdesk request, and what it could not say."""

    query: DexeroQuery
    notes: tuple[RequestNote, ...] = ()

    @property
    def lost(self) -> tuple[RequestNote, ...]:
        """The notes of parameters Dexero cannot be asked for."""
        return tuple(note for note in self.notes if note.action == "lost")


def translate_request(
    query: TalkdeskQuery,
    *,
    strict: bool = False,
    sort_keys: Mapping[str, str] = SORT_KEYS,
) -> RequestTranslation:
    """The Dexero query that fetches the page a Talkdesk query asks for.

    Args:
        query: The Talkdesk request.
        strict: Refuse a request that Dexero cannot be asked exactly (a ``lost`` note).
        sort_keys: Talkdesk order field to Dexero sort key, for stores whose Dexero sorts by
            more keys than the seed documents.

    Raises:
        QueryError: In strict mode, naming every parameter that would be lost.
    """
    notes: list[RequestNote] = []
    count = None
    if query.limit is not None:
        count = min(query.limit, DEXERO_MAX_COUNT)
        if count != query.limit:
            reason = (
                f"Dexero returns at most {DEXERO_MAX_COUNT} orders per page; the page holds "
                f"up to {DEXERO_MAX_COUNT} and its next link continues after them"
            )
            notes.append(RequestNote("adjusted", "limit", str(query.limit), reason))
    sort_key = sort_dir = None
    if query.order_by is not None:
        sort_key = sort_keys.get(query.order_by.field)
        if sort_key is None:
            reason = (
                f"Dexero has no known sort key for {query.order_by.field}; its default order "
                f"({DEXERO_DEFAULT_SORT_KEY} {DEXERO_DEFAULT_SORT_DIR}) applies"
            )
            notes.append(RequestNote("lost", "order_by", str(query.order_by), reason))
        else:
            sort_dir = query.order_by.direction
    for name, value in query.extra:
        reason = "not a parameter of Talkdesk's orders endpoint; Dexero has no counterpart"
        notes.append(RequestNote("lost", name, value, reason))
    translation = RequestTranslation(
        DexeroQuery(
            count=count,
            offset=None if query.cursor is None else query.cursor.offset,
            sort_key=sort_key,
            sort_dir=sort_dir,
        ),
        tuple(notes),
    )
    if strict and translation.lost:
        raise QueryError(
            _problem("would-lose", note.parameter, note.reason, note.value)
            for note in translation.lost
        )
    return translation
