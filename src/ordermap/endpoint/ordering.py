"""The order of a Talkdesk order page: ``order_by=<field>:<direction>``."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ..errors import preview

__all__ = ["DIRECTIONS", "ORDER_FIELDS", "Direction", "OrderBy", "parse_order_by"]

Direction = Literal["asc", "desc"]

DIRECTIONS: tuple[Direction, ...] = ("asc", "desc")
ORDER_FIELDS = (
    "customer_id",
    "delivery_type",
    "id",
    "items_number",
    "order_number",
    "purchase_datetime",
    "status",
)
"""The Talkdesk order members a page can be ordered by: the order's own scalar members."""


def _known_field(instance: Any, attribute: Any, value: Any) -> None:
    if value not in ORDER_FIELDS:
        raise ValueError(f"not an order field to sort by: {value!r}")


def _known_direction(instance: Any, attribute: Any, value: Any) -> None:
    if value not in DIRECTIONS:
        raise ValueError(f"not a sort direction: {value!r}")


@attrs.frozen
class OrderBy:
    """An order for a page of Talkdesk orders.

    Attributes:
        field: The Talkdesk order member to sort by (one of :data:`ORDER_FIELDS`).
        direction: ``asc`` or ``desc``.
    """

    field: str = attrs.field(validator=_known_field)
    direction: Direction = attrs.field(validator=_known_direction)

    def __str__(self) -> str:
        return f"{self.field}:{self.direction}"


def parse_order_by(text: str) -> OrderBy:
    """Read ``<field>:<direction>``, exactly as :class:`OrderBy` writes it.

    Raises:
        ValueError: With a message that says what is wrong, in words.
    """
    field, colon, direction = text.partition(":")
    if not colon:
        raise ValueError("expected <field>:<direction>, such as purchase_datetime:desc")
    if field not in ORDER_FIELDS:
        known = ", ".join(ORDER_FIELDS)
        raise ValueError(f"cannot order by {preview(field)}; expected one of {known}")
    if direction not in DIRECTIONS:
        raise ValueError(f"the direction must be asc or desc, not {preview(direction)}")
    return OrderBy(field, "asc" if direction == "asc" else "desc")
