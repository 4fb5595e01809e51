"""The format registry: one module per wire format, each with the same parts.

A format module owns everything about its format, so that the rest of ordermap (the command
line, the stream, validation, translation) looks formats up here and holds no format names
or format branches of its own. Adding a format is one module and one :func:`register` call.

Every format module has (see :class:`FormatModule`):

- ``FORMAT`` (its name), ``FAMILY`` (the vocabulary it writes: ``talkdesk`` or ``dexero``),
  ``SYNTAX`` (``json`` or ``xml``: how its bytes are told apart and which page reader
  streams them), ``KINDS`` (document kind to model class), ``PAGE_ORDERS`` (where a page's
  orders sit: member names from the top, or the root and order element names),
  ``PAGE_KEYS`` (first members that announce a page, for JSON), ``ORDER_LEVEL`` (how deep a
  page writes an order), ``ORDER_POINTER`` (where a single order's members sit in the
  JSON form reports name places in), ``ORDER_PLACEHOLDER`` (a smallest valid order,
  which a streamed page's skeleton holds in place of its orders), ``LINES`` (whether orders can be
  written one per line), ``BARE_ITEMS`` (whether a list field may hold its one item bare);
- ``configure_converter``/``make_converter`` (its cattrs rules), like ``cattrs.preconf``;
- ``parse`` (bytes to the parsed form), ``classify`` (the kind of a parsed document, or
  ``None`` when it is not one of this format's), ``decode_parsed``, ``decode`` and ``encode``;
  ``parse`` and ``decode_parsed`` take the :class:`~ordermap.places.Place` of a document
  read inside a stream (a line of newline-delimited JSON), and locate its problems there;
- ``decode_order`` and ``encode_order`` (one order of a page, for the stream; the order
  is decoded at the place its reader gives it, so its problems name places in the input),
  ``order_separator`` and ``page_frame`` (how a streamed page is put together: what goes
  between two orders, and the page's head and tail, written from the page itself);
- ``content``, ``locator`` and ``spot`` (a parsed document's members below its envelope,
  and how a path below it is named), and ``order_tree`` and ``order_locator`` (the same for
  one order of a streamed page), for validation;
- ``TEXT_LIMIT`` and ``unwritable`` (what the format is where it cannot hold some text,
  such as ``XML 1.0``, or empty; and the first character of a text it cannot hold);
- ``CONVERTER``, the configured converter (a reference format's gives report trees);
- ``SCHEMA_FILE`` and ``schema_text`` (its JSON Schema or XSD, as ``specs/`` holds it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from ..places import Place
from . import dexero_json, dexero_xml, talkdesk_json

__all__ = [
    "FORMATS",
    "FormatModule",
    "dexero_json",
    "dexero_xml",
    "family_format",
    "formats_of_family",
    "get",
    "names",
    "register",
    "talkdesk_json",
    "unregister",
]


class FormatModule(Protocol):
    """What the registry needs of a format module (module-level names and functions)."""

    FORMAT: str
    FAMILY: str
    SYNTAX: str
    KINDS: Mapping[str, type]
    PAGE_ORDERS: tuple[str, ...]
    PAGE_KEYS: tuple[str, ...]
    ORDER_LEVEL: int
    ORDER_PLACEHOLDER: str
    ORDER_POINTER: str
    LINES: bool
    BARE_ITEMS: bool
    TEXT_LIMIT: str
    CONVERTER: Any
    SCHEMA_FILE: str

    def parse(self, data: bytes | str, limits: Any, place: Place = ...) -> Any: ...

    def classify(self, parsed: Any) -> str | None: ...

    def decode_parsed(
        self, parsed: Any, kind: Any = None, limits: Any = ..., place: Place = ...
    ) -> Any: ...

    def decode(self, data: bytes | str, *, kind: Any = None, limits: Any = ...) -> Any: ...

    def encode(self, document: Any, *, indent: int | None = ...) -> bytes: ...

    def decode_order(self, payload: Any, limits: Any, place: Place) -> Any: ...

    def order_tree(self, payload: Any, limits: Any, place: Place) -> Any: ...

    def order_locator(self, payload: Any, place: Place) -> Callable[[list[str | int]], Any]: ...

    def encode_order(
        self, order: Any, at: list[str | int], *, indent: int | None, level: int
    ) -> tuple[bytes, bool]: ...

    def order_separator(self, indent: int | None) -> bytes: ...

    def page_frame(
        self,
        around: Callable[[Sequence[Any]], Any],
        count: int,
        *,
        indent: int | None,
        orders_use_nil: bool,
    ) -> tuple[bytes, bytes, int]: ...

    def content(self, parsed: Any) -> tuple[Any, str] | None: ...

    def locator(self, parsed: Any) -> Callable[[list[str | int]], Any]: ...

    def spot(self, parsed: Any, path: list[str | int]) -> str: ...

    def unwritable(self, text: str) -> str | None: ...

    def schema_text(self) -> str: ...


_REGISTRY: dict[str, FormatModule] = {}


def register(module: FormatModule) -> None:
    """Add a format to the registry (under ``module.FORMAT``).

    Raises:
        ValueError: A format of that name is registered already.
    """
    if module.FORMAT in _REGISTRY:
        raise ValueError(f"a format named {module.FORMAT!r} is registered already")
    _REGISTRY[module.FORMAT] = module


def unregister(name: str) -> None:
    """Remove a format from the registry (tests that registered one clean up with this)."""
    del _REGISTRY[name]


def get(name: str) -> FormatModule:
    """The format module of a name.

    Raises:
        ValueError: No format of that name is registered (the message lists those that are).
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        listed = ", ".join(names())
        raise ValueError(f"unknown format {name!r}; expected one of {listed}") from None


def names() -> tuple[str, ...]:
    """The registered format names, sorted."""
    return tuple(sorted(_REGISTRY))


def formats_of_family(family: str) -> tuple[FormatModule, ...]:
    """The formats that write a vocabulary, in the order they were registered."""
    return tuple(module for module in _REGISTRY.values() if family == module.FAMILY)


def family_format(family: str) -> FormatModule:
    """A vocabulary's reference format: its first JSON format, whose JSON form report
    pointers and carry slots are written in."""
    for module in formats_of_family(family):
        if module.SYNTAX == "json":
            return module
    raise ValueError(f"no JSON format is registered for the {family} vocabulary")


class _Formats(Mapping[str, FormatModule]):
    """A read-only live view of the registry: format name to module."""

    def __getitem__(self, name: str) -> FormatModule:
        return _REGISTRY[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_REGISTRY)

    def __len__(self) -> int:
        return len(_REGISTRY)

    def __repr__(self) -> str:
        return f"FORMATS({', '.join(_REGISTRY)})"


FORMATS: Mapping[str, FormatModule] = _Formats()
"""Every registered format by name (the built-in three and any added with :func:`register`)."""

for _module in (talkdesk_json, dexero_json, dexero_xml):
    register(_module)
