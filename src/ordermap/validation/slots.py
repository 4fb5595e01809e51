"""The ``carry-slot-lookalike`` rule: a value in a carry slot's place that ordermap did not write.

Translation reads such a value as ordinary data (lossless rule 6, :mod:`ordermap.carry_mark`),
which is right, but a reviewer should know that the payload holds something shaped like
ordermap's own slot: it may be an old slot written before slots were marked, or user data that
happens to use the name. The checks ask :mod:`ordermap.carry_mark` the same question the
translation asks, so ``validate`` warns exactly where a translation says "looks like a carry
slot".

Each check reads a value as the walks give it: a decoded model's value or a parsed tree's, which
agree here (free-form members are plain trees in both, and a Dexero slot text that is not a
string is no slot either way).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..carry_mark import SLOT_IDENTIFIER, lookalike, lookalike_text

Path = list[str | int]
Found = tuple[Path, str, str, Any]


def _lookalike(here: Path, why: str) -> Found:
    return here, "carry-slot-lookalike", why, None


def custom_fields(here: Path, value: Any, _: str | None) -> Found | None:
    """A Talkdesk order's or page's ``custom_fields`` whose ``dexero`` is not a slot."""
    if not isinstance(value, dict) or "dexero" not in value:
        return None
    why = lookalike(value["dexero"])
    return None if why is None else _lookalike([*here, "dexero"], why)


def page_slot(here: Path, value: Any, _: str | None) -> Found | None:
    """A Dexero page's ``ordermap_talkdesk`` that is not a slot."""
    why = lookalike_text(value)
    return None if why is None else _lookalike(here, why)


def custom_field(here: Path, get: Callable[[str], Any]) -> Found | None:
    """A Dexero ``custom_field`` entry named ``ordermap:talkdesk`` whose value is not a slot
    (located at the entry, which its identifier names)."""
    if get("identifier") != SLOT_IDENTIFIER:
        return None
    why = lookalike_text(get("value"))
    return None if why is None else _lookalike(here, why)
