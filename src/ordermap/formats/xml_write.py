"""Writing XML text for the Dexero layout.

``(key, value)`` members become elements; text is escaped by hand (building one lxml element
per field is the slowest way measured) and text XML 1.0 cannot hold is refused. A fast
writer goes first; where it meets a problem, the collecting writer writes the members again
and reports every problem with its path. :func:`serialize_around` writes a page with a hole
where its orders go.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..binding import Fault, Members
from ..errors import Location, preview
from ..values import scalar_text
from .json_write import HOLE
from .xml_read import MAX_NAME, NAME, NOT_XML_CHAR, XSI


def _escape(text: str) -> str:
    # \r is escaped so that XML's line-end normalisation cannot turn it into \n.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


class _Writer:
    """Writes members as elements; collects the faults instead of stopping at the first."""

    def __init__(self, indent: int | None) -> None:
        self.indent = indent
        self.out: list[str] = []
        self.faults: list[list[Any]] = []
        self.uses_nil = False
        self.cut: int | None = None

    def fault(self, path: list[str | int], code: str, message: str, value: Any) -> None:
        # ``path`` is kept leaf first, the order faults carry their paths in.
        self.faults.append([list(path), code, message, value])

    def each(self, children: list[tuple[str, Any]], level: int, path: list[str | int]) -> None:
        counts: dict[str, int] = {}
        for key, _ in children:
            counts[key] = counts.get(key, 0) + 1
        seen: dict[str, int] = {}
        for key, child in children:
            if counts[key] > 1:
                index = seen.get(key, 0)
                seen[key] = index + 1
                self.element(key, child, level, [index, key, *path])
            else:
                self.element(key, child, level, [key, *path])

    def element(self, name: str, value: Any, level: int, path: list[str | int]) -> None:
        out = self.out
        pad = "" if self.indent is None else "\n" + " " * (self.indent * level)
        if NAME.match(name) is None or name.lower().startswith("xml"):
            self.fault(path, "not-xml-name", f"{preview(name)} cannot be an XML element name", name)
            return
        if len(name) > MAX_NAME:
            self.fault(
                path,
                "not-xml-name",
                f"an element name longer than {MAX_NAME:,} characters cannot be read back",
                name,
            )
            return
        if value is None:
            self.uses_nil = True
            out.append(f'{pad}<{name} xsi:nil="true"/>')
            return
        if value is HOLE:
            self.cut = len(out)  # where the page's orders go (serialize_around)
            return
        text = scalar_text(value)
        if text is not None:
            bad = NOT_XML_CHAR.search(text)
            if bad is not None:
                self.fault(
                    path,
                    "not-xml-text",
                    f"character U+{ord(bad.group()):04X} cannot be written in XML 1.0",
                    text,
                )
                return
            out.append(f"{pad}<{name}>{_escape(text)}</{name}>" if text else f"{pad}<{name}/>")
            return
        children = _children(value)
        if children is None:
            self.fault(
                path, "no-xml-form", "this value has no XML form (an array inside an array?)", value
            )
            return
        if not children:
            out.append(f"{pad}<{name}/>")
            return
        out.append(f"{pad}<{name}>")
        self.each(children, level + 1, path)
        out.append(f"{pad}</{name}>")


def start_tag(root: str, uses_nil: bool) -> str:
    """The root's start tag, declaring the ``xsi`` prefix when an ``xsi:nil`` needs it."""
    return f'<{root} xmlns:xsi="{XSI}">' if uses_nil else f"<{root}>"


_FAST = True
"""Whether documents are written the fast way first (off only in tests, to compare)."""

# Element names already found to be XML names (most documents use the same few dozen); bounded,
# since unknown members bring names from the input.
_GOOD_NAMES: set[str] = set()
_GOOD_NAMES_SIZE = 4096
# Text that needs escaping or cannot be written at all; most text has neither.
_SPECIAL_TEXT = re.compile(f"[&<>\r]|{NOT_XML_CHAR.pattern}")


class _Problem(Exception):
    """The fast writer met something to refuse; the collecting writer says what, and where."""


def _good_name(name: Any) -> bool:
    if type(name) is not str:
        return False
    if NAME.match(name) is None or name.lower().startswith("xml") or len(name) > MAX_NAME:
        return False
    if len(_GOOD_NAMES) >= _GOOD_NAMES_SIZE:
        _GOOD_NAMES.clear()
    _GOOD_NAMES.add(name)
    return True


def _write_fast(
    children: list[tuple[str, Any]], indent: int | None, level: int
) -> tuple[list[str], bool, int | None]:
    """Write members as :class:`_Writer` does where it finds no problem: the text parts,
    whether ``xsi:nil`` is used, and where the hole is (``None``: no hole).

    Raises:
        _Problem: At the first thing :class:`_Writer` would refuse.
    """
    out: list[str] = []
    append = out.append
    uses_nil = False
    cut: int | None = None
    good = _GOOD_NAMES
    special = _SPECIAL_TEXT.search

    def each(children: list[tuple[str, Any]], level: int) -> None:
        nonlocal uses_nil, cut
        pad = "" if indent is None else "\n" + " " * (indent * level)
        for name, value in children:
            if type(name) is not str or (name not in good and not _good_name(name)):
                raise _Problem
            kind = type(value)
            if kind is str:
                text = value
            elif kind is Members:
                if value:
                    append(f"{pad}<{name}>")
                    each(value, level + 1)
                    append(f"{pad}</{name}>")
                else:
                    append(f"{pad}<{name}/>")
                continue
            elif value is None:
                uses_nil = True
                append(f'{pad}<{name} xsi:nil="true"/>')
                continue
            elif value is HOLE:
                cut = len(out)
                continue
            else:
                found = scalar_text(value)
                if found is None:
                    nested = _children(value)
                    if nested is None:
                        raise _Problem
                    if nested:
                        append(f"{pad}<{name}>")
                        each(nested, level + 1)
                        append(f"{pad}</{name}>")
                    else:
                        append(f"{pad}<{name}/>")
                    continue
                text = found
            if not text:
                append(f"{pad}<{name}/>")
                continue
            if special(text) is not None:
                if NOT_XML_CHAR.search(text) is not None:
                    raise _Problem
                text = _escape(text)
            append(f"{pad}<{name}>{text}</{name}>")

    each(children, level)
    return out, uses_nil, cut


def _write(
    children: list[tuple[str, Any]], indent: int | None, level: int, *, element: bool = False
) -> tuple[list[str], bool, int | None]:
    """Write members ``level`` levels below the root: the text parts, whether ``xsi:nil``
    is used, and where the hole is. With ``element``, ``children`` is the one element that
    :func:`serialize_element` writes, and problems' paths start below it.

    The fast writer goes first; where it stops, :class:`_Writer` writes the members again
    and collects every problem with its path.

    Raises:
        Fault: For what cannot be written (see :func:`serialize`).
    """
    if _FAST:
        try:
            return _write_fast(children, indent, level)
        except _Problem:
            pass
    writer = _Writer(indent)
    if element:
        ((name, value),) = children
        writer.element(name, value, level, [])
    else:
        writer.each(children, level, [])
    if writer.faults:
        raise Fault(writer.faults)
    return writer.out, writer.uses_nil, writer.cut


def serialize(root: str, members: Members, indent: int | None = 2) -> bytes:
    """Write members as an XML document with root element ``root``.

    Raises:
        Fault: For text XML 1.0 cannot hold, names that are not XML names, or values with no
            XML form (an array inside an array); each with its path.
    """
    out, uses_nil, _ = _write(members, indent, 1)
    pad = "" if indent is None else "\n"
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' + start_tag(root, uses_nil)
    return (head + "".join(out) + f"{pad}</{root}>\n").encode("utf-8")


def serialize_around(
    root: str, members: Members, orders_use_nil: bool, indent: int | None = 2
) -> tuple[bytes, bytes]:
    """Write a page around its orders: the text before and after the member holding
    :data:`~ordermap.formats.json_write.HOLE`, the root declaring ``xsi`` when the page or
    its orders (``orders_use_nil``) use ``xsi:nil``.

    Raises:
        Fault: As :func:`serialize`.
    """
    out, uses_nil, cut = _write(members, indent, 1)
    if cut is None:
        raise ValueError("the page has no place for its orders")
    pad = "" if indent is None else "\n"
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    head += start_tag(root, uses_nil or orders_use_nil)
    head += "".join(out[:cut])
    tail = "".join(out[cut:]) + f"{pad}</{root}>\n"
    return head.encode("utf-8"), tail.encode("utf-8")


def serialize_element(name: str, value: Any, indent: int | None, level: int) -> tuple[bytes, bool]:
    """Write one element as :func:`serialize` writes it ``level`` levels below the root.

    Returns the text (with its leading line break and indentation) and whether it uses
    ``xsi:nil``, whose prefix the root's start tag must then declare.

    Raises:
        Fault: As :func:`serialize`; paths are relative to the element.
    """
    out, uses_nil, _ = _write([(name, value)], indent, level, element=True)
    return "".join(out).encode("utf-8"), uses_nil


def _children(value: Any) -> list[tuple[str, Any]] | None:
    """The child members of a value written as an element with children."""
    if type(value) is Members:
        return value
    if isinstance(value, dict):
        order: Any = getattr(value, "sequence", None) or value.keys()
        pairs: list[tuple[str, Any]] = []
        cursors: dict[str, int] = {}
        counts = {key: order.count(key) for key in value} if type(order) is tuple else None
        for key in order:
            item = value[key]
            if type(item) is list:
                if any(type(i) is list for i in item):
                    return None
                start = cursors.get(key, 0)
                last = counts is None or counts[key] == 1
                stop = len(item) if last else start + 1
                if counts is not None:
                    counts[key] -= 1
                pairs.extend((key, i) for i in item[start:stop])
                cursors[key] = stop
            else:
                pairs.append((key, item))
        return pairs
    return None


Locator = Callable[[list[str | int]], Location]
