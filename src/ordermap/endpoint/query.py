"""The two requests: Talkdesk's ``GET .../erc/ecommerce/orders`` and Dexero's ``GET orders``.

Each query is a frozen attrs class whose fields are the parameters (``None``: not given),
read from a query string by a ``parse_*`` function and written back by a ``render_*``
function, so that ``parse(render(query)) == query``. Reading collects every problem before
it raises one :class:`~ordermap.endpoint.QueryError`, which renders as a Talkdesk 400 error
body naming each parameter at fault.

Rules shared by both queries:

- a parameter of the query given twice is refused (``repeated``), whatever the values;
- a parameter of the query with an empty value (``limit=`` or a bare ``limit``) is refused
  (``empty``);
- a parameter the query does not know is kept, in order, in ``extra`` and written back;
  translating a Talkdesk query reports it, since Dexero has no counterpart;
- integers are ASCII digits only, with a leading ``-`` where the range is signed (no ``+``,
  space, ``_`` or other scripts' digits), checked for range before conversion; booleans are
  exactly ``true`` or ``false``;
- free text may be any Unicode (sent as percent-encoded UTF-8) up to 1,024 characters;
- the query string holds at most 8,192 characters and 64 parameters, and must be UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs
from attrs.validators import instance_of, optional

from ..errors import Problem
from ..lexical import LONG_RANGE as _LONG
from ..values import Timestamp
from ._params import (
    MAX_VALUE_LENGTH,
    Pairs,
    QueryError,
    _problem,
    has_surrogate,
    join_query,
    parse_integer,
    split_query,
)
from .cursor import CURSOR, DEFAULT_CURSORS, MAX_OFFSET, Cursor, CursorCodec
from .ordering import DIRECTIONS, Direction, OrderBy, parse_order_by

__all__ = [
    "DEXERO_DEFAULT_COUNT",
    "DEXERO_DEFAULT_SORT_DIR",
    "DEXERO_DEFAULT_SORT_KEY",
    "DEXERO_MAX_COUNT",
    "DEXERO_PARAMETERS",
    "MAX_LIMIT",
    "TALKDESK_PARAMETERS",
    "DexeroQuery",
    "TalkdeskQuery",
    "parse_dexero_query",
    "parse_talkdesk_query",
    "render_dexero_query",
    "render_talkdesk_query",
]

TALKDESK_PARAMETERS = ("limit", "order_by", CURSOR)
MAX_LIMIT = 2**31 - 1
"""The largest ``limit`` read (the seed gives no bound; a JSON integer is read as 32 bits)."""

DEXERO_DEFAULT_COUNT = 20
DEXERO_MAX_COUNT = 500
DEXERO_DEFAULT_SORT_KEY = "purchasedTimestamp"
DEXERO_DEFAULT_SORT_DIR: Direction = "asc"
_SORT_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}\Z", re.ASCII)


# --- validators for queries made in code -----------------------------------------------------


def _integer(low: int, high: int) -> Callable[[Any, Any, Any], None]:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if type(value) is not int or not low <= value <= high:
            raise ValueError(f"{attribute.name} must be an int from {low} to {high}: {value!r}")

    return check


def _boolean(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not bool:
        raise TypeError(f"{attribute.name} must be a bool: {value!r}")


def _text(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not str or not value or len(value) > MAX_VALUE_LENGTH:
        raise ValueError(f"{attribute.name} must be text of 1 to {MAX_VALUE_LENGTH} characters")
    if has_surrogate(value):
        raise ValueError(f"{attribute.name} holds a lone surrogate")


def _sort_key(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not str or _SORT_KEY.match(value) is None:
        raise ValueError(f"sort_key must be a field name: {value!r}")


def _direction(instance: Any, attribute: Any, value: Any) -> None:
    if value not in DIRECTIONS:
        raise ValueError(f"{attribute.name} must be asc or desc: {value!r}")


def _extra(known: tuple[str, ...]) -> Callable[[Any, Any, Any], None]:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if type(value) is not tuple:
            raise TypeError("extra must be a tuple of (name, value) pairs")
        for pair in value:
            if type(pair) is not tuple or len(pair) != 2 or not all(type(s) is str for s in pair):
                raise TypeError(f"extra holds (name, value) pairs of text: {pair!r}")
            name, text = pair
            if not name or name in known:
                raise ValueError(f"extra cannot hold a parameter named {name!r}")
            if has_surrogate(name) or has_surrogate(text):
                raise ValueError("extra holds a lone surrogate")

    return check


# --- Talkdesk ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TalkdeskQuery:
    """A request for a page of Talkdesk orders.

    Attributes:
        limit: How many orders the page should hold, from 1 to :data:`MAX_LIMIT`.
        order_by: The order of the orders (``purchase_datetime:desc``).
        cursor: Where the page starts; ``None`` for the first page. Its ``order_by`` must be
            the query's.
        extra: Parameters Talkdesk's endpoint does not define, as ``(name, value)`` pairs.
    """

    limit: int | None = attrs.field(default=None, validator=optional(_integer(1, MAX_LIMIT)))
    order_by: OrderBy | None = attrs.field(default=None, validator=optional(instance_of(OrderBy)))
    cursor: Cursor | None = attrs.field(default=None, validator=optional(instance_of(Cursor)))
    extra: Pairs = attrs.field(default=(), validator=_extra(TALKDESK_PARAMETERS))

    def __attrs_post_init__(self) -> None:
        if self.cursor is not None and self.cursor.order_by != self.order_by:
            raise ValueError("the cursor was issued for another order_by")


def _ordered(order_by: OrderBy | None) -> str:
    return "no order_by" if order_by is None else f"order_by={order_by}"


def parse_talkdesk_query(
    query: str | bytes, *, cursors: CursorCodec = DEFAULT_CURSORS
) -> TalkdeskQuery:
    """Read a Talkdesk query string (without the ``?``).

    Args:
        query: The raw query string, as the server received it (bytes or text).
        cursors: The codec that issued the cursors this service hands out.

    Raises:
        QueryError: Naming every parameter at fault.
    """
    split = split_query(query)
    values, extra = split.single(TALKDESK_PARAMETERS)
    problems = split.problems
    limit = order_by = cursor = None
    if "limit" in values:
        limit = parse_integer(problems, "limit", values["limit"], 1, MAX_LIMIT)
    order_ok = "order_by" not in values
    if not order_ok:
        try:
            order_by = parse_order_by(values["order_by"])
            order_ok = True
        except ValueError as error:
            problems.append(_problem("bad-parameter", "order_by", str(error), values["order_by"]))
    if CURSOR in values:
        try:
            cursor = cursors.decode(values[CURSOR])
        except QueryError as error:
            problems.extend(error.problems)
    if cursor is not None and order_ok and cursor.order_by != order_by:
        message = (
            f"the cursor was issued for {_ordered(cursor.order_by)}, not {_ordered(order_by)}; "
            "keep the order_by of the first page, or start again without a cursor"
        )
        problems.append(_problem("bad-cursor", CURSOR, message, values[CURSOR]))
    if problems:
        raise QueryError(problems)
    return TalkdeskQuery(limit=limit, order_by=order_by, cursor=cursor, extra=extra)


def render_talkdesk_query(query: TalkdeskQuery, *, cursors: CursorCodec = DEFAULT_CURSORS) -> str:
    """The query string (without the ``?``) for a Talkdesk query: its parameters in the order
    ``limit``, ``order_by``, ``cursor``, then the extra ones; empty for an empty query.
    """
    pairs: list[tuple[str, str]] = []
    if query.limit is not None:
        pairs.append(("limit", str(query.limit)))
    if query.order_by is not None:
        pairs.append(("order_by", str(query.order_by)))
    if query.cursor is not None:
        pairs.append((CURSOR, cursors.encode(query.cursor)))
    return join_query([*pairs, *query.extra])


# --- Dexero -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DexeroQuery:
    """A request for a page of Dexero orders; ``None`` leaves a parameter to Dexero's default.

    Attributes:
        count: Orders per page, 1 to 500 (Dexero's default: 20).
        offset: 0-based position of the first order (default 0).
        sort_key: The field to sort by (default ``purchasedTimestamp``).
        sort_dir: ``asc`` (default) or ``desc``.
        customer_email: Only the orders of this customer.
        status: Only orders in this status (``cancelled``, ``completed``, ``pending``,
            ``treated``, or another; the list is open).
        earliest_time: Only orders at or after this time (ISO 8601 with an offset).
        latest_time: Only orders at or before this time.
        min_id: Only orders whose id is at least this.
        max_id: Only orders whose id is at most this.
        include_forms: Include the order forms (default false).
        include_tests: Include the orders reported as tests (default false).
        custom_field_identifier: Only orders with a custom field of this identifier.
        custom_field_value: Only orders with a custom field of this value.
        attribute_identifier: Only orders with an attribute of this identifier.
        attribute_value: Only orders with an attribute of this value.
        extra: Parameters Dexero's documentation does not define, as ``(name, value)`` pairs.
    """

    count: int | None = attrs.field(default=None, validator=optional(_integer(1, DEXERO_MAX_COUNT)))
    offset: int | None = attrs.field(default=None, validator=optional(_integer(0, MAX_OFFSET)))
    sort_key: str | None = attrs.field(default=None, validator=optional(_sort_key))
    sort_dir: Direction | None = attrs.field(default=None, validator=optional(_direction))
    customer_email: str | None = attrs.field(default=None, validator=optional(_text))
    status: str | None = attrs.field(default=None, validator=optional(_text))
    earliest_time: Timestamp | None = attrs.field(
        default=None, validator=optional(instance_of(Timestamp))
    )
    latest_time: Timestamp | None = attrs.field(
        default=None, validator=optional(instance_of(Timestamp))
    )
    min_id: int | None = attrs.field(default=None, validator=optional(_integer(*_LONG)))
    max_id: int | None = attrs.field(default=None, validator=optional(_integer(*_LONG)))
    include_forms: bool | None = attrs.field(default=None, validator=optional(_boolean))
    include_tests: bool | None = attrs.field(default=None, validator=optional(_boolean))
    custom_field_identifier: str | None = attrs.field(default=None, validator=optional(_text))
    custom_field_value: str | None = attrs.field(default=None, validator=optional(_text))
    attribute_identifier: str | None = attrs.field(default=None, validator=optional(_text))
    attribute_value: str | None = attrs.field(default=None, validator=optional(_text))
    extra: Pairs = attrs.field(default=(), validator=_extra(()))

    def with_defaults(self) -> DexeroQuery:
        """The query with Dexero's documented defaults in place of absent parameters."""
        return attrs.evolve(
            self,
            count=DEXERO_DEFAULT_COUNT if self.count is None else self.count,
            offset=self.offset or 0,
            sort_key=self.sort_key or DEXERO_DEFAULT_SORT_KEY,
            sort_dir=self.sort_dir or DEXERO_DEFAULT_SORT_DIR,
            include_forms=bool(self.include_forms),
            include_tests=bool(self.include_tests),
        )


def _read_text(problems: list[Problem], name: str, text: str) -> str | None:
    if len(text) > MAX_VALUE_LENGTH:
        message = f"{name} is longer than {MAX_VALUE_LENGTH} characters"
        problems.append(_problem("too-large", name, message, text))
        return None
    return text


def _read_sort_key(problems: list[Problem], name: str, text: str) -> str | None:
    if _SORT_KEY.match(text) is None:
        message = f"{name} must be a field name (letters, digits, _; at most 64 characters)"
        problems.append(_problem("bad-parameter", name, message, text))
        return None
    return text


def _read_direction(problems: list[Problem], name: str, text: str) -> str | None:
    if text not in DIRECTIONS:
        problems.append(_problem("bad-parameter", name, f"{name} must be asc or desc", text))
        return None
    return text


def _read_timestamp(problems: list[Problem], name: str, text: str) -> Timestamp | None:
    try:
        return Timestamp(text)
    except ValueError:
        message = f"{name} must be an ISO 8601 date-time with an offset (2011-11-25T15:58:50-05:00)"
        problems.append(_problem("bad-timestamp", name, message, text))
        return None


def _read_boolean(problems: list[Problem], name: str, text: str) -> bool | None:
    if text not in ("true", "false"):
        problems.append(_problem("wrong-type", name, f"{name} must be true or false", text))
        return None
    return text == "true"


def _reader(low: int, high: int) -> Callable[[list[Problem], str, str], int | None]:
    def read(problems: list[Problem], name: str, text: str) -> int | None:
        return parse_integer(problems, name, text, low, high)

    return read


def _write(value: Any) -> str:
    if type(value) is bool:
        return "true" if value else "false"
    return str(value)


_DEXERO_READERS: dict[str, Callable[[list[Problem], str, str], Any]] = {
    "count": _reader(1, DEXERO_MAX_COUNT),
    "offset": _reader(0, MAX_OFFSET),
    "sort_key": _read_sort_key,
    "sort_dir": _read_direction,
    "customer_email": _read_text,
    "status": _read_text,
    "earliest_time": _read_timestamp,
    "latest_time": _read_timestamp,
    "min_id": _reader(*_LONG),
    "max_id": _reader(*_LONG),
    "include_forms": _read_boolean,
    "include_tests": _read_boolean,
    "custom_field_identifier": _read_text,
    "custom_field_value": _read_text,
    "attribute_identifier": _read_text,
    "attribute_value": _read_text,
}
DEXERO_PARAMETERS = tuple(_DEXERO_READERS)
"""Dexero's documented parameters, in the seed's order (which is also the rendering order)."""


def parse_dexero_query(query: str | bytes) -> DexeroQuery:
    """Read a Dexero ``GET orders`` query string (without the ``?``).

    Raises:
        QueryError: Naming every parameter at fault.
    """
    split = split_query(query)
    values, extra = split.single(DEXERO_PARAMETERS)
    problems = split.problems
    found: dict[str, Any] = {}
    for name, text in values.items():
        value = _DEXERO_READERS[name](problems, name, text)
        if value is not None:
            found[name] = value
    if problems:
        raise QueryError(problems)
    return DexeroQuery(**found, extra=extra)


def render_dexero_query(query: DexeroQuery) -> str:
    """The query string (without the ``?``) for a Dexero query: the parameters it gives, in
    the seed's order, then the extra ones.
    """
    pairs = [
        (name, _write(value))
        for name in DEXERO_PARAMETERS
        if (value := getattr(query, name)) is not None
    ]
    return join_query([*pairs, *query.extra])
