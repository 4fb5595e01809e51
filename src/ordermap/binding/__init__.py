"""The binding, the typed step every format shares: cattrs hook factories for the model's
classes and lists.

A format module configures a ``cattrs.Converter`` with its own scalar hooks (how a ``long``,
an amount or a string looks on its wire) and then with the factories here, which build one
structure and one unstructure hook per model class. The class hooks:

- keep unknown members in ``extra`` and remember member order and spelling in ``wire``;
- tell absent from ``null`` (``null`` is remembered, never confused with a value);
- collect every problem below them instead of stopping at the first, each with its path.

Problems travel as :class:`Fault` exceptions whose paths grow as they unwind; the format
modules turn them into :class:`~ordermap.errors.Problem` records with JSON Pointers or XML
element paths.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cattrs

from ._structure_gen import shortcut
from ._structure_xml_gen import Irregular, make_element_structure_fn
from ._unstructure_gen import inline, note_free, odd_values
from .core import (
    LIMITS,
    SPELLING_OF_TYPE,
    Fault,
    FieldSpec,
    Path,
    Profile,
    always,
    check_depth,
    expect,
    fail,
    fault_paths,
    field_specs,
    free_mapping,
    gather,
    is_dict,
    is_model,
    is_model_list,
    keep_free,
    never,
    no_spelling,
    paused_gc,
    register_scalar,
)
from .structure import class_structure, make_class_structure, make_list_structure
from .unstructure import NIL, Members, make_class_unstructure, make_list_unstructure

__all__ = [
    "LIMITS",
    "NIL",
    "SPELLING_OF_TYPE",
    "Fault",
    "FieldSpec",
    "Irregular",
    "Members",
    "Path",
    "Profile",
    "always",
    "check_depth",
    "expect",
    "fail",
    "fault_paths",
    "field_specs",
    "free_mapping",
    "gather",
    "inline",
    "is_dict",
    "is_model",
    "is_model_list",
    "keep_free",
    "make_class_structure",
    "make_class_unstructure",
    "make_element_structure_fn",
    "make_list_structure",
    "make_list_unstructure",
    "never",
    "no_spelling",
    "note_free",
    "odd_values",
    "paused_gc",
    "register_model_hooks",
    "register_scalar",
    "shortcut",
]


def register_model_hooks(
    converter: cattrs.Converter,
    profile: Profile,
    respell: Callable[[str, Any, Any], Any] | None = None,
) -> None:
    """Register the model class and list hook factories; call after the scalar hooks."""
    converter.register_structure_hook_factory(is_model, class_structure(converter, profile))
    converter.register_structure_hook_factory(
        is_model_list, make_list_structure(converter, profile)
    )
    converter.register_unstructure_hook_factory(
        is_model, make_class_unstructure(converter, profile, respell)
    )
    converter.register_unstructure_hook_factory(is_model_list, make_list_unstructure(converter))
