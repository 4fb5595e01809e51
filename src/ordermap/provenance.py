"""What format a document was read as, kept beside it.

A decoded document remembers its format, so that a translation names its source and
measures what survives against the right format (XML cannot hold some text) without being
told. The model classes are frozen, slotted and compared by value (a page read from
dexero-json and the same page read from dexero-xml are equal), so the format is neither a
field of theirs nor a key by value: it is kept by the object's identity, with a weak
reference that drops it when the document goes. A document made in code, or changed with
``attrs.evolve`` or ``with_orders`` (which make new objects), has no format of its own.
"""

from __future__ import annotations

import weakref
from typing import Any, cast

from .names import FormatName

__all__ = ["format_of", "remember"]

_READ_AS: dict[int, tuple[weakref.ref[Any], str]] = {}
"""The format of each live document that has one, by the document's ``id``."""


def remember(document: object, format: str) -> None:
    """Note that ``document`` was read as (or made for) ``format``."""
    key = id(document)

    def forget(_: object, key: int = key) -> None:
        # The document is going: its id may be given to another object next.
        _READ_AS.pop(key, None)

    _READ_AS[key] = (weakref.ref(document, forget), format)


def format_of(document: object) -> FormatName | None:
    """The format a document was read as by :func:`ordermap.decode`, or made for by
    :func:`ordermap.translate`; ``None`` for a document made in code or changed since.

    >>> page = ordermap.decode(xml_bytes)                    # doctest: +SKIP
    >>> ordermap.format_of(page)                             # doctest: +SKIP
    'dexero-xml'
    """
    held = _READ_AS.get(id(document))
    if held is None or held[0]() is not document:
        return None
    return cast("FormatName", held[1])
