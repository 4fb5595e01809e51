"""JSON Schemas, an XSD and field tables for the three formats, generated from the model.

Nothing here is written per field: every property, element and table row comes from
:func:`~ordermap.binding.field_specs`, so the schemas follow the model when it changes. Each
field type is first named by a *kind* (``"long"``, ``"amount"``, ``"list"`` and so on); each
format then says how a kind looks on its wire. A kind a format does not know is an error, so a
new field type cannot slip into a schema unnoticed.

The schemas describe the documents ordermap accepts, as closely as each schema language allows;
``specs/<format>.md`` lists where ordermap is stricter. ``python -m ordermap.schema --write
specs`` rewrites the schema files and the generated tables in the format documents.
"""

from __future__ import annotations

from .docs import (
    FIELDS_BEGIN,
    FIELDS_END,
    SCHEMA_FILES,
    field_table,
    fields_section,
    replace_fields_block,
    schema_text,
    write_all,
)
from .json_schema import json_schema
from .xsd import xml_schema

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
