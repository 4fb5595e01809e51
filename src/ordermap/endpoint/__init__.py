"""Serve Talkdesk's orders endpoint from a Dexero store: requests, cursors and paging.

The pieces an integration needs beyond the order bodies (``specs/endpoint.md`` has the
rules in full):

- :class:`TalkdeskQuery` and :class:`DexeroQuery`, read from query strings by
  :func:`parse_talkdesk_query` / :func:`parse_dexero_query` and written back by the
  ``render_*`` functions; a bad parameter is a :class:`QueryError`, which renders as a
  Talkdesk 400 error body naming it;
- :func:`translate_request`: the Dexero request that fetches the page a Talkdesk request asks
  for, with :class:`RequestNote` entries for what Dexero cannot be asked;
- :class:`Cursor` and :class:`CursorCodec`: ordermap's own opaque cursor;
- :func:`assemble_page`: the Dexero page, the request and the endpoint's URL give the
  Talkdesk page with ``_links.self`` and ``_links.next``, and the translation's loss report;
- :class:`Gate`: who is asking (a bearer JWT checked by a :class:`TokenVerifier`) and the
  account's Dexero :class:`Store`, read from a TOML file by :func:`load_config`; a request
  that does not pass is an :class:`AuthError` (401 or 403). PyJWT is imported only when a
  verifier is made or used (the ``endpoint`` extra).

>>> from ordermap.endpoint import parse_talkdesk_query, translate_request, render_dexero_query
>>> request = parse_talkdesk_query("limit=50&order_by=purchase_datetime:desc")
>>> render_dexero_query(translate_request(request).query)
'count=50&sort_key=purchasedTimestamp&sort_dir=desc'
"""

from __future__ import annotations

from ._params import MAX_PARAMETERS, MAX_QUERY_LENGTH, MAX_VALUE_LENGTH, QueryError
from .accounts import FORMATS, Admission, ConfigError, Gate, Store, load_config
from .auth import (
    ALGORITHMS,
    DEFAULT_LEEWAY,
    MAX_TOKEN_LENGTH,
    SCOPE,
    AuthError,
    Caller,
    TokenVerifier,
    VerificationKey,
)
from .cursor import CURSOR_VERSION, DEFAULT_CURSORS, MAX_OFFSET, Cursor, CursorCodec
from .ordering import DIRECTIONS, ORDER_FIELDS, Direction, OrderBy, parse_order_by
from .paging import PagingError, assemble_page, page_links
from .query import (
    DEXERO_DEFAULT_COUNT,
    DEXERO_DEFAULT_SORT_DIR,
    DEXERO_DEFAULT_SORT_KEY,
    DEXERO_MAX_COUNT,
    DEXERO_PARAMETERS,
    MAX_LIMIT,
    TALKDESK_PARAMETERS,
    DexeroQuery,
    TalkdeskQuery,
    parse_dexero_query,
    parse_talkdesk_query,
    render_dexero_query,
    render_talkdesk_query,
)
from .request import SORT_KEYS, NoteAction, RequestNote, RequestTranslation, translate_request

__all__ = [
    "ALGORITHMS",
    "CURSOR_VERSION",
    "DEFAULT_CURSORS",
    "DEFAULT_LEEWAY",
    "DEXERO_DEFAULT_COUNT",
    "DEXERO_DEFAULT_SORT_DIR",
    "DEXERO_DEFAULT_SORT_KEY",
    "DEXERO_MAX_COUNT",
    "DEXERO_PARAMETERS",
    "DIRECTIONS",
    "FORMATS",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_PARAMETERS",
    "MAX_QUERY_LENGTH",
    "MAX_TOKEN_LENGTH",
    "MAX_VALUE_LENGTH",
    "ORDER_FIELDS",
    "SCOPE",
    "SORT_KEYS",
    "TALKDESK_PARAMETERS",
    "Admission",
    "AuthError",
    "Caller",
    "ConfigError",
    "Cursor",
    "CursorCodec",
    "DexeroQuery",
    "Direction",
    "Gate",
    "NoteAction",
    "OrderBy",
    "PagingError",
    "QueryError",
    "RequestNote",
    "RequestTranslation",
    "Store",
    "TalkdeskQuery",
    "TokenVerifier",
    "VerificationKey",
    "assemble_page",
    "load_config",
    "page_links",
    "parse_dexero_query",
    "parse_order_by",
    "parse_talkdesk_query",
    "render_dexero_query",
    "render_talkdesk_query",
    "translate_request",
]
