"""The files in ``specs/``: each schema's exact text and the generated field tables of the
format documents."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from .json_schema import json_schema
from .kinds import classes_of, kind_of, name_of, notes_of, specs_of, summary_of, target_of
from .xsd import xml_schema

SCHEMA_FILES: Mapping[str, str] = {
    "talkdesk-json": "talkdesk-json.schema.json",
    "dexero-json": "dexero-json.schema.json",
    "dexero-xml": "dexero-xml.xsd",
}
"""Format name to the schema's file name in ``specs/``."""

FIELDS_BEGIN = "<!-- fields:begin -->"
FIELDS_END = "<!-- fields:end -->"


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
    for spec in specs_of(cls):
        kind = kind_of(spec.type)
        if kind not in words:
            raise TypeError(f"{format} has no {kind} fields ({spec.key})")
        target = name_of(target_of(spec)) if kind in ("object", "list") else ""
        type_text = words[kind].format(target)
        required = "**yes**" if spec.required else "no"
        row = [f"`{spec.key}`", type_text, required, notes_of(spec)]
        lines.append("| " + " | ".join(_cell(cell) for cell in row) + " |")
    return "\n".join(lines) + "\n"


def fields_section(format: str) -> str:
    """Every class of a format: a heading, the class summary and its :func:`field_table`."""
    parts = [
        f"### `{name_of(cls)}`\n\n{summary_of(cls)}\n\n{field_table(format, cls)}"
        for cls in classes_of(format)
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
