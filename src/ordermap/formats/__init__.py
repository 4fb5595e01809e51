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

The built-in formats are registered by name, vocabulary and syntax, and their modules are
imported when a format is first looked up (:func:`get`, :data:`FORMATS`), so that a
conversion between JSON formats never imports lxml and the XML codec. Asking for the
formats of one syntax or vocabulary (:func:`formats_of_syntax`, :func:`family_format`)
imports only those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

from attrs import frozen

from ..places import Place

if TYPE_CHECKING:
    from . import dexero_json as dexero_json
    from . import dexero_xml as dexero_xml
    from . import talkdesk_json as talkdesk_json

__all__ = [
    "FORMATS",
    "FormatModule",
    "dexero_json",
    "dexero_xml",
    "family_format",
    "formats_of_family",
    "formats_of_syntax",
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


@frozen
class _Deferred:
    """A built-in format not imported yet: what the registry knows of it without its module.

    ``FORMAT``, ``FAMILY`` and ``SYNTAX`` are the module's own; they are checked against it
    when it is imported.
    """

    FORMAT: str
    FAMILY: str
    SYNTAX: str
    module: str


_BUILT_IN = (
    _Deferred("talkdesk-json", "talkdesk", "json", "talkdesk_json"),
    _Deferred("dexero-json", "dexero", "json", "dexero_json"),
    _Deferred("dexero-xml", "dexero", "xml", "dexero_xml"),
)

_REGISTRY: dict[str, FormatModule | _Deferred] = {}


def _loaded(name: str) -> FormatModule:
    """The module of a registered format, imported now if it was deferred.

    Raises:
        KeyError: No format of that name is registered.
    """
    entry = _REGISTRY[name]
    if not isinstance(entry, _Deferred):
        return entry
    module: FormatModule = import_module(f"{__name__}.{entry.module}")
    found = (module.FORMAT, module.FAMILY, module.SYNTAX)
    if found != (entry.FORMAT, entry.FAMILY, entry.SYNTAX):
        raise RuntimeError(f"{entry.module} is {found}, registered as {entry}")
    # Replacing the entry keeps its place: the registry's order is the registration order.
    _REGISTRY[name] = module
    return module


def __getattr__(name: str) -> object:
    """Import a built-in format module (``formats.dexero_xml``) when it is first asked for."""
    if any(name == entry.module for entry in _BUILT_IN):
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        return _loaded(name)
    except KeyError:
        listed = ", ".join(names())
        raise ValueError(f"unknown format {name!r}; expected one of {listed}") from None


def names() -> tuple[str, ...]:
    """The registered format names, sorted."""
    return tuple(sorted(_REGISTRY))


def formats_of_family(family: str) -> tuple[FormatModule, ...]:
    """The formats that write a vocabulary, in the order they were registered."""
    return tuple(_loaded(name) for name, entry in list(_REGISTRY.items()) if family == entry.FAMILY)


def formats_of_syntax(syntax: str) -> tuple[FormatModule, ...]:
    """The formats whose bytes are of a syntax (``json`` or ``xml``), in the order they were
    registered; detection and the page readers try them in that order."""
    return tuple(_loaded(name) for name, entry in list(_REGISTRY.items()) if syntax == entry.SYNTAX)


def family_format(family: str) -> FormatModule:
    """A vocabulary's reference format: its first JSON format, whose JSON form report
    pointers and carry slots are written in."""
    for name, entry in list(_REGISTRY.items()):
        if family == entry.FAMILY and entry.SYNTAX == "json":
            return _loaded(name)
    raise ValueError(f"no JSON format is registered for the {family} vocabulary")


class _Formats(Mapping[str, FormatModule]):
    """A read-only live view of the registry: format name to module (imported on lookup)."""

    def __getitem__(self, name: str) -> FormatModule:
        return _loaded(name)

    def __contains__(self, name: object) -> bool:
        # Without this, Mapping would look the format up, importing its module.
        return name in _REGISTRY

    def __iter__(self) -> Iterator[str]:
        return iter(_REGISTRY)

    def __len__(self) -> int:
        return len(_REGISTRY)

    def __repr__(self) -> str:
        return f"FORMATS({', '.join(_REGISTRY)})"


FORMATS: Mapping[str, FormatModule] = _Formats()
"""Every registered format by name (the built-in three and any added with :func:`register`)."""

for _entry in _BUILT_IN:
    _REGISTRY[_entry.FORMAT] = _entry
