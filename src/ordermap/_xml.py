"""XML text in and out for the Dexero layout, read with a hardened lxml parser.

Reading: the input is bytes handed to lxml's in-memory parser (never a path, which would
inflate gzip), with DTD loading, entity expansion, network access and every external
resolution turned off and a resolver that refuses all loads; a DOCTYPE, an entity reference
or a processing instruction is refused outright. The DOCTYPE is looked for before parsing,
in the document's own encoding (UTF-8, UTF-16, or what its declaration names, UTF-7
included), so that no DTD is ever read; UTF-32 and encodings Python does not know are
refused. The tree becomes plain values: an element with children is an :class:`XmlNode` (a
``dict`` remembering its children's order), a leaf is its text, an ``xsi:nil`` element is
``None``, and repeated children become lists.

Writing: ``(key, value)`` members become elements, text is escaped by hand (building one
lxml element per field is the slowest way measured) and text XML 1.0 cannot hold is refused.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from itertools import islice
from typing import Any

from lxml import etree

from ._json import HOLE, line_col
from ._place import TOP, Place
from .binding import Fault, Members
from .errors import DecodeError, Location, Problem, ValidationError, preview
from .limits import Limits
from .values import scalar_text

__all__ = ["XmlNode", "locate", "parse", "serialize", "to_node"]

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSI_NIL = f"{{{XSI}}}nil"
_GZIP = b"\x1f\x8b"
# A DOCTYPE's start in UTF-8 and in UTF-16 (either byte order). Each is looked for with
# bytes.find, which scans a page many times faster than a regular expression of the three.
_DOCTYPES = (
    b"<!DOCTYPE",
    b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E",
    b"\x00<\x00!\x00D\x00O\x00C",
)
_UTF32 = (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\x00<", b"<\x00\x00\x00")
_UTF16 = ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
          (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))  # fmt: skip
_DECLARED = re.compile(
    rb"<\?xml[ \t\r\n][^>]*?encoding[ \t\r\n]*=[ \t\r\n]*[\"']([A-Za-z][A-Za-z0-9._\-]*)[\"']"
)
_BLANK = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*\Z")
_ENCODING_ERRORS = frozenset(
    {etree.ErrorTypes.ERR_INVALID_ENCODING, etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING}
)
# Encodings in which a DOCTYPE is the bytes "<!DOCTYPE"; others are decoded to look for it.
_BYTE_SCREENED = frozenset({"utf-8", "ascii"})
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
# libxml2 reads no longer name without huge_tree, which the hardened parser leaves off.
_MAX_NAME = 50_000


class XmlNode(dict[str, Any]):
    """An element with children: child name to value, with the children's order in ``sequence``."""

    __slots__ = ("sequence",)

    def __init__(self) -> None:
        super().__init__()
        self.sequence: tuple[str, ...] = ()


# A node made without XmlNode.__init__ (a Python call per element); to_node sets its sequence.
_new_node = dict.__new__


class _DenyAll(etree.Resolver):
    """Refuse every external load: DTDs, entities, XIncludes, stylesheets."""

    def resolve(self, system_url: str, public_id: str, context: Any = None) -> Any:
        raise etree.XMLSyntaxError(  # type: ignore[call-arg]
            f"external resource refused: {system_url}",
            None,  # type: ignore[arg-type]
            0,
            0,
        )


# The hardening every parser here gets: no DTD, no entity expansion, no network, no
# attribute defaults, libxml2's own size bounds; comments dropped, CDATA read as text and
# processing instructions kept (so that they can be refused).
_HARDENED: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": False,
    "strip_cdata": True,
}


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(**_HARDENED)
    parser.resolvers.add(_DenyAll())
    return parser


def _refuse(
    code: str,
    message: str,
    format: str,
    line: int | None = None,
    column: int | None = None,
    place: Place = TOP,
) -> DecodeError:
    line, column = place.position(line, column)
    return DecodeError([Problem(code, message, Location(line=line, column=column))], format=format)


def _encoding(data: bytes) -> str:
    """The name of the encoding a document is in: from its byte order mark or first bytes, or
    what its XML declaration says (UTF-8 when nothing says otherwise)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"  # the byte order mark wins over the declaration, as in libxml2
    for start, name in _UTF16:
        if data.startswith(start):
            return name
    declared = _DECLARED.match(data)
    return declared.group(1).decode("ascii") if declared else "utf-8"


def _screen(data: bytes, format: str, place: Place) -> None:
    """Refuse, before parsing, what must not reach the parser: empty input, UTF-32 or an
    encoding Python does not know, text that is not in its encoding, and a DOCTYPE."""
    if data.startswith(_GZIP):
        raise _refuse(
            "compressed", "input is gzip-compressed; decompress it first", format, 1, 1, place=place
        )
    if data.startswith(_UTF32):
        raise _refuse(
            "encoding", "input is UTF-32; dexero-xml must be UTF-8", format, 1, 1, place=place
        )
    name = _encoding(data)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise _refuse(
            "encoding", f"unknown character encoding {name!r}", format, 1, 1, place=place
        ) from None
    doctype = "a DOCTYPE is not allowed (no DTDs, no entities)"
    if codec in _BYTE_SCREENED:
        if _BLANK.match(data):
            raise _refuse("empty", "input is empty", format, 1, 1, place=place)
    else:
        # UTF-16, or another encoding (UTF-7 can spell "<!DOCTYPE" without those bytes).
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            line, column = line_col(data, exc.start)
            raise _refuse(
                "encoding", f"bytes that are not valid {name}", format, line, column, place=place
            ) from None
        if not text.lstrip("\ufeff").strip(" \t\r\n"):
            raise _refuse("empty", "input is empty", format, 1, 1, place=place)
        offset = text.find("<!DOCTYPE")
        if offset >= 0:
            raise _refuse("doctype", doctype, format, *line_col(text, offset), place=place)
    # The bytes too, in UTF-8 and UTF-16, whatever the document says it is in.
    found = _doctype_at(data)
    if found >= 0:
        raise _refuse("doctype", doctype, format, *line_col(data, found), place=place)


def parse(data: bytes | str, limits: Limits, format: str, place: Place = TOP) -> Any:
    """Parse XML input into its root element, refusing anything but plain elements and text.

    ``place`` is where the text is in a stream: problems are located in the whole input.
    """
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            line, column = line_col(data, exc.start)
            raise _refuse(
                "encoding",
                "text holds a lone surrogate, which XML cannot carry",
                format,
                line,
                column,
                place=place,
            ) from None
    if len(data) > limits.max_bytes:
        raise _refuse(
            "too-large", f"input is larger than {limits.max_bytes} bytes", format, place=place
        )
    _screen(data, format, place)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, format, place) from None
    except (ValueError, MemoryError) as exc:
        raise _refuse("xml-syntax", f"not well-formed XML: {exc}", format, place=place) from None
    tree = root.getroottree()
    if tree.docinfo.doctype:  # type: ignore[union-attr]
        # Only reached when the screen above missed it; the parser loaded nothing for it.
        raise _refuse(
            "doctype", "a DOCTYPE is not allowed (no DTDs, no entities)", format, 1, place=place
        )
    for sibling in (*root.itersiblings(preceding=True), *root.itersiblings()):
        if sibling.tag is etree.PI:
            raise _refuse(
                "processing-instruction",
                "processing instructions are not allowed",
                format,
                sibling.sourceline,
                place=place,
            )
    return root


def syntax_error(exc: etree.XMLSyntaxError, format: str, place: Place = TOP) -> DecodeError:
    """The ordermap error for an lxml syntax error (in a text at ``place``)."""
    line, column = exc.position if exc.position else (None, None)
    if not line:
        # A feed parser's close() reports only "no element found" at line 0; the error that
        # stopped it, with its place, is the latest in its log that has a line.
        log: Any = exc.error_log
        placed = [entry for entry in log if entry.line]
        if placed:
            exc.msg, line, column = placed[-1].message, placed[-1].line, placed[-1].column
    if "Excessive depth" in str(exc.msg):
        return _refuse(
            "too-deep", "elements nested deeper than 256 levels", format, line, column, place=place
        )
    message = " ".join(re.sub(r", line \d+, column \d+$", "", str(exc.msg)).split())
    if getattr(exc, "code", None) in _ENCODING_ERRORS:
        return _refuse(
            "encoding", f"not readable text: {message}", format, line, column, place=place
        )
    return _refuse(
        "xml-syntax", f"not well-formed XML: {message}", format, line, column, place=place
    )


def _doctype_at(data: bytes) -> int:
    """Where the first DOCTYPE of ``data`` starts (in UTF-8 or UTF-16), or -1."""
    found = [offset for offset in (data.find(spelling) for spelling in _DOCTYPES) if offset >= 0]
    return min(found) if found else -1


def has_doctype(data: bytes) -> bool:
    """Whether ``data`` holds a DOCTYPE (in UTF-8 or UTF-16)."""
    return _doctype_at(data) >= 0


def pull_parser(tag: str) -> etree.XMLPullParser:
    """A feed parser with :func:`parse`'s hardening, reporting the end of each ``tag``."""
    parser = etree.XMLPullParser(events=("end",), tag=tag, **_HARDENED)
    parser.resolvers.add(_DenyAll())
    return parser


def to_node(root: Any, format: str, place: Place = TOP) -> Any:
    """Turn an element into plain values (see the module docstring); problems are located
    where the element is at ``place``."""
    tree = root.getroottree()

    def refuse(code: str, message: str, element: Any) -> ValidationError:
        where = Location(
            path=place.element(tree.getpath(element)), line=place.line_of(element.sourceline)
        )
        return ValidationError([Problem(code, message, where)], format=format)

    # Depth needs no check here: libxml2 refuses documents nested deeper than 256 levels, and
    # the typed step bounds unknown elements by limits.max_depth as the JSON formats do.
    def convert(element: Any) -> Any:
        nil = False
        for name, value in element.items():
            if name == XSI_NIL and value == "true":
                nil = True
            else:
                raise refuse(
                    "attribute", f"attribute {name!r} is not part of the Dexero layout", element
                )
        node: XmlNode | None = None
        sequence: list[str] = []
        for child in element:
            tag = child.tag
            if type(tag) is not str:
                kind = "processing instruction" if tag is etree.PI else "entity reference"
                raise refuse("xml-construct", f"{kind} not allowed", child)
            if tag[0] == "{":
                raise refuse(
                    "namespace", f"element {tag} is in a namespace; the layout has none", child
                )
            tail = child.tail
            # For a non-empty text, "has something besides blanks" is "not all blanks".
            if tail and not tail.isspace():
                raise refuse("mixed-content", "text between elements (mixed content)", element)
            if node is None:
                node = _new_node(XmlNode)
            # Most elements are leaves without attributes: their value is their text, which
            # the recursive call below would also give, at several times the cost.
            value = convert(child) if len(child) or child.items() else child.text or ""
            if tag in node:
                previous = node[tag]
                if type(previous) is list:
                    previous.append(value)
                else:
                    node[tag] = [previous, value]
            else:
                node[tag] = value
            sequence.append(tag)
        text = element.text
        if node is None:
            if nil:
                if text:
                    raise refuse("nil-with-content", "an xsi:nil element must be empty", element)
                return None
            return text or ""
        if nil:
            raise refuse("nil-with-content", "an xsi:nil element must be empty", element)
        if text is not None and text.strip():
            raise refuse("mixed-content", "text beside child elements (mixed content)", element)
        node.sequence = tuple(sequence)
        return node

    tag = root.tag
    if type(tag) is not str or tag[0] == "{":
        raise refuse(
            "namespace", f"root element {tag} is in a namespace; the layout has none", root
        )
    return convert(root)


def not_xml_char(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot hold, or ``None``."""
    found = _NOT_XML_CHAR.search(text)
    return None if found is None else found.group()


def element_path(root: str, path: list[str | int]) -> str:
    """An element path such as ``/orders/order[3]/id`` for a key/index path below ``root``."""
    parts = ["", root]
    for step in path:
        if isinstance(step, int):
            parts[-1] += f"[{step + 1}]"
        else:
            parts.append(step)
    return "/".join(parts)


def locate(root: Any, path: list[str | int], place: Place = TOP) -> Location:
    """The element path and line of a key/index path below ``root`` (found at ``place``).

    A path to an element that is not there (a missing member) gets the line of its closest
    ancestor that is.
    """
    element = root
    for position, step in enumerate(path):
        if isinstance(step, int):
            continue
        following = path[position + 1] if position + 1 < len(path) else None
        index = following if isinstance(following, int) else 0
        # iterchildren(tag) filters in C: a page of many thousand orders is walked quickly.
        found = next(islice(element.iterchildren(step), index, None), None)
        if found is None:
            break
        element = found
    return Location(
        path=place.element(element_path(root.tag, path)), line=place.line_of(element.sourceline)
    )


# --- writing -------------------------------------------------------------------------------


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
        if _NAME.match(name) is None or name.lower().startswith("xml"):
            self.fault(path, "not-xml-name", f"{preview(name)} cannot be an XML element name", name)
            return
        if len(name) > _MAX_NAME:
            self.fault(
                path,
                "not-xml-name",
                f"an element name longer than {_MAX_NAME:,} characters cannot be read back",
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
            bad = _NOT_XML_CHAR.search(text)
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


# --- the fast way: no paths, no problems -----------------------------------------------------

_FAST = True
"""Whether documents are written the fast way first (off only in tests, to compare)."""

# Element names already found to be XML names (most documents use the same few dozen); bounded,
# since unknown members bring names from the input.
_GOOD_NAMES: set[str] = set()
_GOOD_NAMES_SIZE = 4096
# Text that needs escaping or cannot be written at all; most text has neither.
_SPECIAL_TEXT = re.compile(f"[&<>\r]|{_NOT_XML_CHAR.pattern}")


class _Problem(Exception):
    """The fast writer met something to refuse; the collecting writer says what, and where."""


def _good_name(name: Any) -> bool:
    if type(name) is not str:
        return False
    if _NAME.match(name) is None or name.lower().startswith("xml") or len(name) > _MAX_NAME:
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
                if _NOT_XML_CHAR.search(text) is not None:
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
    :data:`~ordermap._json.HOLE`, the root declaring ``xsi`` when the page or its orders
    (``orders_use_nil``) use ``xsi:nil``.

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
