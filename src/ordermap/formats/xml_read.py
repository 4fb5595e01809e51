"""Reading XML text for the Dexero layout, with a hardened lxml parser.

The input is bytes handed to lxml's in-memory parser (never a path, which would inflate
gzip), with DTD loading, entity expansion, network access and every external resolution
turned off and a resolver that refuses all loads; a DOCTYPE or an entity reference is refused
outright. What is refused before parsing (compressed input, encodings, the DOCTYPE, so that
no DTD is ever read) is :mod:`.xml_screen`'s.

Comments, processing instructions and CDATA sections are markup, not data (PRODUCT.md,
"Validation"): the parser drops the first two wherever they are, joining the text on either
side of them, and reads a CDATA section as the text it holds. None of them is written back,
like the blanks between elements. The XML declaration is not a processing instruction and is
read as the declaration it is. The tree becomes plain values: an element with children is an
:class:`XmlNode` (a ``dict`` remembering its children's order), a leaf is its text, an
``xsi:nil`` element is ``None``, and repeated children become lists.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from lxml import etree

from ..errors import DecodeError, Location, Problem, ValidationError
from ..limits import Limits
from ..places import TOP, Place
from .json_read import line_col
from .xml_screen import refuse as _refuse
from .xml_screen import screen

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSI_NIL = f"{{{XSI}}}nil"
_ENCODING_ERRORS = frozenset(
    {etree.ErrorTypes.ERR_INVALID_ENCODING, etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING}
)
NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
# libxml2 reads no longer name without huge_tree, which the hardened parser leaves off.
MAX_NAME = 50_000


class XmlNode(dict[str, Any]):
    """An element with children: child name to value, with the children's order in ``sequence``."""

    __slots__ = ("sequence",)

    def __init__(self) -> None:
        super().__init__()
        self.sequence: tuple[str, ...] = ()


# What the tag of a node that is not an element stands for, in a tree parsed elsewhere.
_CONSTRUCTS: dict[Any, str] = {etree.PI: "processing instruction", etree.Comment: "comment"}

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
# attribute defaults, libxml2's own size bounds. Comments and processing instructions are
# dropped as they are parsed and CDATA is read as text, so a tree never holds them and the
# text around them comes as one string (libxml2 acts on no instruction, xml-stylesheet
# included, and the resolver above would refuse what one names in any case).
_HARDENED: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "strip_cdata": True,
}


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(**_HARDENED)
    parser.resolvers.add(_DenyAll())
    return parser


def parse(data: bytes | str, limits: Limits, format: str, place: Place = TOP) -> Any:
    """Parse XML input into its root element, refusing a DOCTYPE and what is not well-formed.

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
    screen(data, format, place)
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
                # The parsers here leave none of these in a tree; an element parsed elsewhere
                # (a caller's own lxml tree) may hold them, and the layout has no place for them.
                kind = _CONSTRUCTS.get(tag, "entity reference")
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


# Every attribute at or below an element; libxml2 finds the few a document has far faster
# than asking each element for its attributes from Python.
_ATTRIBUTES = etree.XPath("descendant-or-self::*/@*")


def plain_attributes(element: Any) -> bool:
    """Whether the only attributes at or below ``element`` are ``xsi:nil="true"`` on
    elements with no content, the only ones :func:`to_node` accepts.

    The direct element hooks (:func:`ordermap.binding.make_element_structure_fn`) read no
    attributes but ``xsi:nil`` on an empty element, and only when this holds.
    """
    found: Any = _ATTRIBUTES(element)
    for value in found:
        if value.attrname != XSI_NIL or value != "true":
            return False
        owner = value.getparent()
        if owner.text is not None or len(owner):
            return False
    return True


def not_xml_char(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot hold, or ``None``."""
    found = NOT_XML_CHAR.search(text)
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
