"""JSON Schemas (draft 2020-12) of talkdesk-json and dexero-json, generated from the model."""

from __future__ import annotations

from typing import Any

from ..binding import FieldSpec
from ..lexical import INT_RANGE, LONG_RANGE
from ..model import (
    TalkdeskErrorBody,
    TalkdeskOrder,
)
from .kinds import (
    AMOUNT_BOUND,
    DOCUMENTS,
    PATTERNS,
    TALKDESK_PAGE_KEYS,
    classes_of,
    kind_of,
    name_of,
    notes_of,
    specs_of,
    summary_of,
    target_of,
)


def _ref(cls: type) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name_of(cls)}"}


def _anchored(kind: str) -> str:
    # The end is "no character follows" rather than "$": ECMA-262 reads them alike, but in
    # Python's re, which the jsonschema package uses, "$" also matches before a final line
    # feed, and would let "10.50\n" through where ordermap refuses it.
    return "^(" + PATTERNS[kind] + ")(?![\\s\\S])"


def _talkdesk_type(spec: FieldSpec) -> dict[str, Any]:
    kind = kind_of(spec.type)
    simple = {"string", "boolean", "integer", "number"}
    if kind in simple:
        return {"type": kind}
    if kind == "timestamp":
        return {"type": "string", "pattern": _anchored(kind)}
    if kind == "free-object":
        return {"type": "object"}
    if kind == "object":
        return _ref(target_of(spec))
    if kind == "list":
        return {"type": "array", "items": _ref(target_of(spec))}
    raise TypeError(f"talkdesk-json has no {kind} fields ({spec.key})")


def _dexero_type(spec: FieldSpec) -> dict[str, Any]:
    # A string field also takes the number or boolean a text-typing XML-to-JSON mapping makes.
    text_tokens = ["string", "number", "boolean"]
    kind = kind_of(spec.type)
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
            "exclusiveMinimum": -AMOUNT_BOUND,
            "exclusiveMaximum": AMOUNT_BOUND,
            "pattern": _anchored(kind),
        }
    if kind in ("timestamp", "date-or-timestamp"):
        return {"type": "string", "pattern": _anchored(kind)}
    if kind == "object":
        return _ref(target_of(spec))
    if kind == "list":
        item = _ref(target_of(spec))
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
    for spec in specs_of(cls):
        schema = typer(spec)
        if not spec.required:
            schema = _or_null(schema)
        properties[spec.key] = {"description": notes_of(spec), **schema}
        if spec.values:
            properties[spec.key]["examples"] = list(spec.values)
    required = [spec.key for spec in specs_of(cls) if spec.required]
    return {
        "title": name_of(cls),
        "description": summary_of(cls),
        "type": "object",
        "properties": properties,
        **({"required": required} if required else {}),
        # Unknown members are kept (and reported as warnings), so they are allowed.
        "additionalProperties": True,
    }


def _talkdesk_documents() -> list[dict[str, Any]]:
    """The Talkdesk documents, told apart the way ordermap's detection does."""
    page_keys = [{"required": [key]} for key in TALKDESK_PAGE_KEYS]
    branches = []
    for title, cls in DOCUMENTS["talkdesk-json"]:
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
        for envelope, cls in DOCUMENTS["dexero-json"]
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
        "description": f"{about} Generated by ordermap.schema from the model; "
        f"see {format}.md for what ordermap checks beyond this schema.",
        "type": "object",
        "oneOf": documents,
        "$defs": {name_of(cls): _json_object(format, cls) for cls in classes_of(format)},
    }
