"""JSON Schemas, an XSD and field tables for the three formats, generated from the model.

Nothing here is written per field: every property, element and table row comes from
:func:`~ordermap._convert.field_specs`, so the schemas follow the model when it changes. Each
field type is first named by a *kind* (``"long"``, ``"amount"``, ``"list"`` and so on); each
format then says how a kind looks on its wire. A kind a format does not know is an error, so a
new field type cannot slip into a schema unnoticed.

The schemas describe the documents ordermap accepts, as closely as each schema language allows;
``specs/<format>.md`` lists where ordermap is stricter. ``python -m ordermap._schema --write
specs`` rewrites the schema files and the generated tables in the format documents.
"""

from __future__ import annotations

import argparse
import collections.abc
import json
import typing
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from ._convert import FieldSpec, field_specs, is_model, is_model_list
from .lexical import INT_RANGE, LONG_RANGE
from .model import (
    Amount,
    Base64Text,
    DexeroOrder,
    DexeroOrderPage,
    Int32,
    Long,
    TalkdeskErrorBody,
    TalkdeskOrder,
    TalkdeskOrderPage,
)
from .values import CalendarDate, Timestamp

__all__ = [
    "FIELDS_BEGIN",
    "FIELDS_END",
    "SCHEMA_FILES",
    "field_table",
    "fields_section",
    "json_schema",
    "replace_fields_block",
    "schema_text",
    "write_all",
    "xml_schema",
]

SCHEMA_FILES: Mapping[str, str] = {
    "talkdesk-json": "talkdesk-json.schema.json",
    "dexero-json": "dexero-json.schema.json",
    "dexero-xml": "dexero-xml.xsd",
}
"""Format name to the schema's file name in ``specs/``."""

FIELDS_BEGIN = "<!-- fields:begin -->"
FIELDS_END = "<!-- fields:end -->"

_DOCUMENTS: Mapping[str, tuple[tuple[str, type], ...]] = {
    "talkdesk-json": (
        ("order page", TalkdeskOrderPage),
        ("single order", TalkdeskOrder),
        ("error body", TalkdeskErrorBody),
    ),
    "dexero-json": (("orders", DexeroOrderPage), ("order", DexeroOrder)),
    "dexero-xml": (("orders", DexeroOrderPage), ("order", DexeroOrder)),
}
"""Each format's documents: a title (the envelope or root name for Dexero) and its class."""

_TALKDESK_PAGE_KEYS = ("_embedded", "_links")

# PRODUCT.md's carry mode puts what has no counterpart into these slots. The model keeps them
# as unknown members, so they are declared here to let carried documents pass the schemas.
_CARRY_DOC = "ordermap carry slot: what the other vocabulary holds and this one cannot."


def _carry_slot(key: str, tp: Any, doc: str) -> FieldSpec:
    return FieldSpec(name=key, key=key, type=tp, required=False, item_type=None, values=(), doc=doc)


_CARRY_SLOTS: Mapping[type, tuple[FieldSpec, ...]] = {
    TalkdeskOrderPage: (
        _carry_slot(
            "custom_fields",
            Mapping[str, Any],
            _CARRY_DOC + " Holds `dexero`: a patch (specs/crosswalk.md) with the Dexero "
            "page's pagination properties.",
        ),
    ),
    DexeroOrderPage: (
        _carry_slot(
            "ordermap_talkdesk",
            str,
            _CARRY_DOC + " The compact JSON of a patch (specs/crosswalk.md) holding the "
            "Talkdesk page's `_links`.",
        ),
    ),
}

# --- lexical patterns ----------------------------------------------------------------------
# Written once for three regex dialects (ECMA-262 for JSON Schema, Python's re in jsonschema,
# XSD): plain groups only, since XSD has no (?:...), and [0-9] rather than \d, which matches
# every Unicode digit in XSD and in Python.

_DATE = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = (
    "[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?"
    "([Zz]|[-+]([01][0-9]|2[0-3]):[0-5][0-9])"
)
_PATTERNS: Mapping[str, str] = {
    "timestamp": _DATE + _TIME,
    "date-or-timestamp": _DATE + "(" + _TIME + ")?",
    "amount": "-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,2})?",
    "base64": "([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?",
    "integer": "0|-?[1-9][0-9]*",
    "boolean": "true|false",
}

# |x| < 10**18 with at most two decimals is exactly decimal(20,2); integer bounds stay exact
# where 999999999999999999.99 as a float would not.
_AMOUNT_BOUND = 10**18


# --- kinds ---------------------------------------------------------------------------------

Kind = Literal[
    "string",
    "boolean",
    "integer",
    "number",
    "long",
    "int",
    "amount",
    "base64",
    "timestamp",
    "date-or-timestamp",
    "free-object",
    "object",
    "list",
]


# Annotated and union types compare by value, plain classes by identity.
_KINDS_BY_VALUE: tuple[tuple[Any, Kind], ...] = (
    (Long, "long"),
    (Int32, "int"),
    (Amount, "amount"),
    (Base64Text, "base64"),
    (Timestamp | CalendarDate, "date-or-timestamp"),
)
_KINDS_BY_CLASS: Mapping[type, Kind] = {
    str: "string",
    bool: "boolean",
    int: "integer",
    Decimal: "number",
    Timestamp: "timestamp",
}


def _kind(tp: Any) -> Kind:
    """Name the kind of a field type (as :func:`field_specs` gives it, ``None`` stripped)."""
    for known, kind in _KINDS_BY_VALUE:
        if tp == known:
            return kind
    if isinstance(tp, type) and tp in _KINDS_BY_CLASS:
        return _KINDS_BY_CLASS[tp]
    if typing.get_origin(tp) is collections.abc.Mapping:
        return "free-object"
    if is_model(tp):
        return "object"
    if is_model_list(tp):
        return "list"
    raise TypeError(f"no schema rule for the field type {tp!r}")


def _specs(cls: type) -> tuple[FieldSpec, ...]:
    return field_specs(cls) + _CARRY_SLOTS.get(cls, ())


def _target(spec: FieldSpec) -> type:
    """The model class a field of kind ``object`` or ``list`` holds."""
    target = spec.item_type if spec.is_list else spec.type
    assert isinstance(target, type)
    return target


def _classes(format: str) -> tuple[type, ...]:
    """The model classes of a format's documents, each once, in depth-first field order."""
    found: list[type] = []

    def visit(cls: type) -> None:
        if cls in found:
            return
        found.append(cls)
        for spec in _specs(cls):
            if _kind(spec.type) in ("object", "list"):
                visit(_target(spec))

    for _, cls in _DOCUMENTS[format]:
        visit(cls)
    return tuple(found)


def _name(cls: type) -> str:
    """A class's name in schemas and tables (``TalkdeskMoney`` is ``Money``)."""
    return cls.__name__.removeprefix("Talkdesk").removeprefix("Dexero")


def _summary(cls: type) -> str:
    """The first line of a class's docstring, with reST literals as markdown ones."""
    return (cls.__doc__ or "").strip().splitlines()[0].replace("``", "`")


def _notes(spec: FieldSpec) -> str:
    if not spec.values:
        return spec.doc
    known = ", ".join(f"`{value}`" for value in spec.values)
    return f"{spec.doc} Known values: {known}; any other string is kept, with a warning."


# --- JSON Schema ---------------------------------------------------------------------------


def _ref(cls: type) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{_name(cls)}"}


def _anchored(kind: str) -> str:
    return "^(" + _PATTERNS[kind] + ")$"


def _talkdesk_type(spec: FieldSpec) -> dict[str, Any]:
    kind = _kind(spec.type)
    simple = {"string", "boolean", "integer", "number"}
    if kind in simple:
        return {"type": kind}
    if kind == "timestamp":
        return {"type": "string", "pattern": _anchored(kind)}
    if kind == "free-object":
        return {"type": "object"}
    if kind == "object":
        return _ref(_target(spec))
    if kind == "list":
        return {"type": "array", "items": _ref(_target(spec))}
    raise TypeError(f"talkdesk-json has no {kind} fields ({spec.key})")


def _dexero_type(spec: FieldSpec) -> dict[str, Any]:
    # A string field also takes the number or boolean a text-typing XML-to-JSON mapping makes.
    text_tokens = ["string", "number", "boolean"]
    kind = _kind(spec.type)
    if kind == "string":
        return {"type": text_tokens}
    if kind == "base64":
        return {"type": text_tokens, "pattern": _anchored(kind)}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind in ("long", "int"):
        low, high = LONG_RANGE if kind == "long" else INT_RANGE
        return {"type": "integer", "minimum": low, "maximum": high}
    if kind == "amount":
        # The bounds apply to numbers and the pattern to strings. multipleOf 0.01 is left out:
        # validators compute it in binary floating point and reject exact two-decimal values.
        return {
            "type": ["number", "string"],
            "exclusiveMinimum": -_AMOUNT_BOUND,
            "exclusiveMaximum": _AMOUNT_BOUND,
            "pattern": _anchored(kind),
        }
    if kind in ("timestamp", "date-or-timestamp"):
        return {"type": "string", "pattern": _anchored(kind)}
    if kind == "object":
        return _ref(_target(spec))
    if kind == "list":
        item = _ref(_target(spec))
        return {"anyOf": [{"type": "array", "items": item}, item]}
    raise TypeError(f"dexero-json has no {kind} fields ({spec.key})")


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    if "anyOf" in schema:
        return {"anyOf": [*schema["anyOf"], {"type": "null"}]}
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*types, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _json_object(format: str, cls: type) -> dict[str, Any]:
    typer = _talkdesk_type if format == "talkdesk-json" else _dexero_type
    properties: dict[str, Any] = {}
    for spec in _specs(cls):
        schema = typer(spec)
        if not spec.required:
            schema = _or_null(schema)
        properties[spec.key] = {"description": _notes(spec), **schema}
        if spec.values:
            properties[spec.key]["examples"] = list(spec.values)
    required = [spec.key for spec in _specs(cls) if spec.required]
    return {
        "title": _name(cls),
        "description": _summary(cls),
        "type": "object",
        "properties": properties,
        **({"required": required} if required else {}),
        # Unknown members are kept (and reported as warnings), so they are allowed.
        "additionalProperties": True,
    }


def _talkdesk_documents() -> list[dict[str, Any]]:
    """The Talkdesk documents, told apart the way ordermap's detection does."""
    page_keys = [{"required": [key]} for key in _TALKDESK_PAGE_KEYS]
    branches = []
    for title, cls in _DOCUMENTS["talkdesk-json"]:
        branch: dict[str, Any] = {"title": title, **_ref(cls)}
        if cls is TalkdeskOrder:
            branch["not"] = {"anyOf": page_keys}
        elif cls is TalkdeskErrorBody:
            branch["not"] = {"anyOf": [*page_keys, {"required": ["id"]}]}
        branches.append(branch)
    return branches


def _dexero_documents() -> list[dict[str, Any]]:
    """The Dexero envelopes: one member named after the resource, nothing beside it."""
    return [
        {
            "title": envelope,
            "type": "object",
            "properties": {envelope: _ref(cls)},
            "required": [envelope],
            "additionalProperties": False,
        }
        for envelope, cls in _DOCUMENTS["dexero-json"]
    ]


def json_schema(format: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a JSON format's documents.

    Args:
        format: ``"talkdesk-json"`` or ``"dexero-json"``.

    Returns:
        The schema as plain JSON values: a ``oneOf`` over the format's documents and one
        ``$defs`` entry per model class.

    Raises:
        ValueError: For any other format.
    """
    if format == "talkdesk-json":
        documents = _talkdesk_documents()
        about = "A Talkdesk order page, single order or error body."
    elif format == "dexero-json":
        documents = _dexero_documents()
        about = 'A Dexero envelope: {"orders": {...}} or {"order": {...}}.'
    else:
        raise ValueError(f"no JSON Schema for {format!r}; expected talkdesk-json or dexero-json")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format,
        "description": f"{about} Generated by ordermap._schema from the model; "
        f"see {format}.md for what ordermap checks beyond this schema.",
        "type": "object",
        "oneOf": documents,
        "$defs": {_name(cls): _json_object(format, cls) for cls in _classes(format)},
    }


# --- XSD -----------------------------------------------------------------------------------

_XS = "http://www.w3.org/2001/XMLSchema"

_XSD_TYPES: Mapping[str, tuple[str, str, str]] = {
    # kind: (simple type name, XSD base type, pattern name)
    "long": ("Long", "xs:long", "integer"),
    "int": ("Int", "xs:int", "integer"),
    "amount": ("Amount", "xs:decimal", "amount"),
    "boolean": ("Boolean", "xs:boolean", "boolean"),
    "timestamp": ("Timestamp", "xs:string", "timestamp"),
    "date-or-timestamp": ("DateOrTimestamp", "xs:string", "date-or-timestamp"),
    "base64": ("Base64", "xs:string", "base64"),
}

_XSD_ABOUT = """
Dexero eCommerce orders, XML rendering: an <orders> page or a single <order>. Generated by
ordermap._schema from the model; see dexero-xml.md for what ordermap checks beyond it.
Elements come in any order, so objects with repeated (list) elements use a repeated choice,
which cannot say that a single-valued element occurs at most once; objects without lists use
xs:all, which can. XSD 1.0 cannot accept unknown elements beside known ones (Unique Particle
Attribution), so a document with unknown elements, which ordermap keeps with a warning, fails
this schema.
"""


def _xs(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{_XS}}}{tag}", attributes)


def _document(parent: etree._Element, text: str) -> None:
    _xs(_xs(parent, "annotation"), "documentation").text = text


def _xsd_type(spec: FieldSpec) -> str:
    kind = _kind(spec.type)
    if kind == "string":
        return "xs:string"
    if kind in ("object", "list"):
        return _name(_target(spec))
    if kind in _XSD_TYPES:
        return _XSD_TYPES[kind][0]
    raise TypeError(f"dexero-xml has no {kind} fields ({spec.key})")


def _xsd_complex_type(schema: etree._Element, cls: type) -> None:
    complex_type = _xs(schema, "complexType", name=_name(cls))
    _document(complex_type, _summary(cls))
    specs = _specs(cls)
    if any(spec.is_list for spec in specs):
        group = _xs(complex_type, "choice", minOccurs="0", maxOccurs="unbounded")
        occurs: dict[str, str] = {}
    else:
        group = _xs(complex_type, "all")
        occurs = {"minOccurs": "0"}
    for spec in specs:
        element = _xs(
            group, "element", name=spec.key, type=_xsd_type(spec), nillable="true", **occurs
        )
        _document(element, _notes(spec))


def _xsd_simple_type(schema: etree._Element, kind: str) -> None:
    name, base, pattern = _XSD_TYPES[kind]
    restriction = _xs(_xs(schema, "simpleType", name=name), "restriction", base=base)
    if kind == "amount":
        _xs(restriction, "totalDigits", value="20")
        _xs(restriction, "fractionDigits", value="2")
    _xs(restriction, "pattern", value=_PATTERNS[pattern])


def xml_schema() -> str:
    """The XSD 1.0 of dexero-xml: roots ``<orders>`` and ``<order>``, no namespace.

    Every element below the root is nillable (``xsi:nil="true"`` is how ``null`` is written).
    """
    schema = etree.Element(f"{{{_XS}}}schema", nsmap={"xs": _XS})
    _document(schema, _XSD_ABOUT.strip().replace("\n", " "))
    for root, cls in _DOCUMENTS["dexero-xml"]:
        _xs(schema, "element", name=root, type=_name(cls))
    classes = _classes("dexero-xml")
    for cls in classes:
        _xsd_complex_type(schema, cls)
    used = {_kind(spec.type) for cls in classes for spec in _specs(cls)}
    for kind in _XSD_TYPES:
        if kind in used:
            _xsd_simple_type(schema, kind)
    etree.indent(schema, space="  ")
    body = etree.tostring(schema, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


# --- the files in specs/ --------------------------------------------------------------------


def schema_text(format: str) -> str:
    """The exact text of a format's schema file in ``specs/`` (see :data:`SCHEMA_FILES`).

    Raises:
        ValueError: For an unknown format.
    """
    if format == "dexero-xml":
        return xml_schema()
    return json.dumps(json_schema(format), indent=2, ensure_ascii=False) + "\n"


_TYPE_WORDS: Mapping[str, Mapping[str, str]] = {
    "talkdesk-json": {
        "string": "string",
        "boolean": "boolean",
        "integer": "integer",
        "number": "number",
        "timestamp": "string, RFC 3339 date-time",
        "free-object": "object, free-form",
        "object": "`{}` object",
        "list": "array of `{}`",
    },
    "dexero-json": {
        "string": "string (or number, boolean)",
        "boolean": "boolean",
        "long": "long (JSON integer)",
        "int": "int (JSON integer)",
        "amount": "decimal(20,2): number or string",
        "base64": "string, base64",
        "timestamp": "string, RFC 3339 date-time",
        "date-or-timestamp": "string, date or RFC 3339 date-time",
        "object": "`{}` object",
        "list": "array of `{}` (or one bare object)",
    },
    "dexero-xml": {
        "string": "text",
        "boolean": "`true` or `false`",
        "long": "long",
        "int": "int",
        "amount": "decimal(20,2)",
        "base64": "base64 text",
        "timestamp": "RFC 3339 date-time",
        "date-or-timestamp": "date or RFC 3339 date-time",
        "object": "`{}` element",
        "list": "`{}` element, repeated",
    },
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def field_table(format: str, cls: type) -> str:
    """A markdown table of one class's members (elements for dexero-xml) in a format.

    Columns: wire name, type, whether the member is required, notes.

    Raises:
        ValueError: For an unknown format.
    """
    if format not in _TYPE_WORDS:
        raise ValueError(f"unknown format {format!r}; expected one of {sorted(_TYPE_WORDS)}")
    words = _TYPE_WORDS[format]
    member = "element" if format == "dexero-xml" else "member"
    lines = [f"| {member} | type | required | notes |", "|---|---|---|---|"]
    for spec in _specs(cls):
        kind = _kind(spec.type)
        if kind not in words:
            raise TypeError(f"{format} has no {kind} fields ({spec.key})")
        target = _name(_target(spec)) if kind in ("object", "list") else ""
        type_text = words[kind].format(target)
        required = "**yes**" if spec.required else "no"
        row = [f"`{spec.key}`", type_text, required, _notes(spec)]
        lines.append("| " + " | ".join(_cell(cell) for cell in row) + " |")
    return "\n".join(lines) + "\n"


def fields_section(format: str) -> str:
    """Every class of a format: a heading, the class summary and its :func:`field_table`."""
    parts = [
        f"### `{_name(cls)}`\n\n{_summary(cls)}\n\n{field_table(format, cls)}"
        for cls in _classes(format)
    ]
    return "\n".join(parts)


def replace_fields_block(text: str, format: str) -> str:
    """``text`` with the part between the field markers replaced by :func:`fields_section`.

    Raises:
        ValueError: When the markers are missing or out of order.
    """
    start = text.find(FIELDS_BEGIN)
    end = text.find(FIELDS_END)
    if start < 0 or end < start:
        raise ValueError(f"expected {FIELDS_BEGIN} ... {FIELDS_END} in the {format} document")
    head = text[: start + len(FIELDS_BEGIN)]
    return head + "\n\n" + fields_section(format) + "\n" + text[end:]


def write_all(folder: str | Path) -> list[Path]:
    """Write the schema files into ``folder`` and refresh the field tables of its documents.

    A format document (``<format>.md``) is updated only when it exists; its text outside the
    field markers is left as it is.

    Returns:
        The paths written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for format, name in SCHEMA_FILES.items():
        path = folder / name
        path.write_text(schema_text(format), encoding="utf-8", newline="\n")
        written.append(path)
        document = folder / f"{format}.md"
        if document.exists():
            text = document.read_text(encoding="utf-8")
            document.write_text(replace_fields_block(text, format), encoding="utf-8", newline="\n")
            written.append(document)
    return written


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ordermap._schema", description="Print or write ordermap's schemas."
    )
    parser.add_argument("format", nargs="?", choices=sorted(SCHEMA_FILES), help="print one")
    parser.add_argument("--write", metavar="FOLDER", help="write every schema into FOLDER")
    args = parser.parse_args(argv)
    if args.write:
        for path in write_all(args.write):
            print(path)
    elif args.format:
        print(schema_text(args.format), end="")
    else:
        parser.error("give a format or --write FOLDER")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
