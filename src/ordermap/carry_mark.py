"""The version mark that tells ordermap's carry slots from user data (lossless rule 6).

The slots are in band: a Talkdesk ``custom_fields.dexero``, a Dexero ``customer.custom_field``
entry named ``ordermap:talkdesk`` and a Dexero page's ``ordermap_talkdesk`` are places where
user data may sit too. So ordermap writes ``"ordermap:slot": 1`` as the first member of every
slot's patch, and reads a value there as a slot only when it holds that mark; anything else is
ordinary data, and :func:`lookalike` says why, in the words the report and ``validate`` use.

This module stands apart from :mod:`ordermap.crosswalk` so that validation can ask the same
question without importing the translation engine.
"""

from __future__ import annotations

from typing import Any

from .errors import DecodeError, preview
from .formats import json_read
from .limits import DEFAULT_LIMITS
from .values import scalar_text

__all__ = [
    "MARK",
    "PAGE_SLOT",
    "SLOT_IDENTIFIER",
    "VERSION",
    "lookalike",
    "lookalike_entry",
    "lookalike_text",
    "parse_text",
]

MARK = "ordermap:slot"
VERSION = 1
SLOT_IDENTIFIER = "ordermap:talkdesk"
PAGE_SLOT = "ordermap_talkdesk"

NO_MARK = "looks like a carry slot but has no ordermap:slot mark, so it is data"


class _NotJson:
    def __repr__(self) -> str:
        return "<not JSON text>"


NOT_JSON: Any = _NotJson()
"""What :func:`parse_text` gives for a value that is not JSON text."""


def parse_text(text: Any) -> Any:
    """The JSON value a Dexero slot's text holds, or :data:`NOT_JSON`."""
    if type(text) is not str:
        return NOT_JSON
    try:
        return json_read.parse(text, DEFAULT_LIMITS, "carry slot")
    except DecodeError:
        return NOT_JSON


def lookalike(value: Any) -> str | None:
    """``None`` when ``value`` is what ordermap writes in a slot (an object whose
    ``ordermap:slot`` member is the integer 1); otherwise why it is data.

    Only the integer 1 marks a slot: ``true`` and ``1.0`` are other JSON values, and a later
    version is one this ordermap cannot know how to read, so taking either as a slot would be
    a guess.
    """
    if type(value) is not dict or MARK not in value:
        return NO_MARK
    mark = value[MARK]
    if type(mark) is int and mark == VERSION:
        return None
    text = None if type(mark) is str else scalar_text(mark)
    shown = preview(mark) if text is None else text
    return (
        f"looks like a carry slot but its ordermap:slot mark {shown} is not version"
        f" {VERSION}, the one this ordermap reads, so it is data"
    )


def lookalike_text(text: Any) -> str | None:
    """:func:`lookalike` of the JSON text a Dexero slot holds (a page's ``ordermap_talkdesk``
    or an entry's ``value``)."""
    return lookalike(parse_text(text))


def lookalike_entry(entry: Any) -> str | None:
    """For a Dexero ``custom_field`` entry named ``ordermap:talkdesk``, why it is data, or
    ``None`` when it is a slot; ``None`` too for any other entry (it looks like no slot)."""
    if type(entry) is not dict or entry.get("identifier") != SLOT_IDENTIFIER:
        return None
    return lookalike_text(entry.get("value"))
