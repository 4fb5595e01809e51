"""What every hook of the binding shares: faults and their paths, the pause of the cyclic
collector, the fields of a model class, free-form values, format profiles and scalar helpers."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
import operator
import threading
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from attrs import frozen

from ..limits import DEFAULT_LIMITS, Limits
from ..values import JsonNumber

Path = list[str | int]

LIMITS: contextvars.ContextVar[Limits] = contextvars.ContextVar("ordermap_limits")


class Fault(Exception):
    """Problems found below some point of a document; paths are relative to that point.

    ``items`` holds ``[path, code, message, value]`` lists. Paths are built backwards while
    the fault unwinds (appending is cheap) and read reversed.
    """

    def __init__(self, items: list[list[Any]]) -> None:
        super().__init__(items)
        self.items = items

    def within(self, segment: str | int) -> Fault:
        for item in self.items:
            item[0].append(segment)
        return self


def gather(faults: list[list[Any]] | None, items: list[list[Any]]) -> list[list[Any]]:
    """``faults`` with ``items`` added (in place: many problems cost linear time, not square)."""
    if faults is None:
        return items
    faults.extend(items)
    return faults


_gc_lock = threading.Lock()
_gc_holders = 0  # calls inside paused_gc() that paused the collector, across threads
_gc_was_enabled = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole document is read, written or
    translated (usable as a decorator: ``@paused_gc()``).

    A document is a tree of many small objects and no cycles, but the collector walks every
    live object each time it runs, so its cost grows with the document: at 5,000 orders it
    took a third of a decode. Reference counting frees everything as usual meanwhile. Calls
    may nest and run in several threads: the first one in pauses the collector, if it was
    running, and the last one out starts it again; a collector the caller paused stays paused.
    """
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
            if _gc_was_enabled:
                gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                gc.enable()


def fail(code: str, message: str, value: Any = None) -> typing.NoReturn:
    """Raise a single-problem :class:`Fault` at the current point."""
    raise Fault([[[], code, message, value]])


def fault_paths(fault: Fault) -> list[tuple[Path, str, str, Any]]:
    """The fault's problems with their paths read root first."""
    return [(item[0][::-1], item[1], item[2], item[3]) for item in fault.items]


# --- field specs ---------------------------------------------------------------------------

_NONE_TYPE = type(None)


@frozen
class FieldSpec:
    """What the converters need to know about one field of a model class."""

    name: str
    key: str
    type: Any
    required: bool
    item_type: Any  # the element type of a list field, else None
    values: tuple[str, ...]
    doc: str

    @property
    def is_list(self) -> bool:
        return self.item_type is not None


def _strip_optional(tp: Any) -> tuple[Any, bool]:
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and _NONE_TYPE in args:
        rest = tuple(a for a in args if a is not _NONE_TYPE)
        return functools.reduce(operator.or_, rest), True
    return tp, False


@functools.cache
def field_specs(cls: type) -> tuple[FieldSpec, ...]:
    """The wire fields of a model class, in their canonical order."""
    hints = typing.get_type_hints(cls, include_extras=True)
    specs = []
    for a in attrs.fields(cls):
        if "role" in a.metadata:
            continue
        tp, _ = _strip_optional(hints[a.name])
        item = None
        if typing.get_origin(tp) is tuple:
            item = typing.get_args(tp)[0]
        specs.append(
            FieldSpec(
                name=a.name,
                key=a.metadata.get("key", a.name),
                type=tp,
                required=a.default is attrs.NOTHING,
                item_type=item,
                values=a.metadata.get("values", ()),
                doc=a.metadata.get("doc", ""),
            )
        )
    return tuple(specs)


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp) and "wire" in attrs.fields_dict(tp)


def is_model_list(tp: Any) -> bool:
    return typing.get_origin(tp) is tuple and is_model(typing.get_args(tp)[0])


# --- free-form values ----------------------------------------------------------------------


def check_depth(value: Any, limit: int) -> None:
    """Refuse a free-form value nested deeper than ``limit`` (our own walks recurse)."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children: Any = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        if depth > limit:
            fail("too-deep", f"free-form value nested deeper than {limit} levels")
        stack.extend((child, depth + 1) for child in children)


def keep_free(value: Any) -> Any:
    """Check an unknown member or free-form value before it is kept verbatim."""
    if isinstance(value, dict | list):
        check_depth(value, LIMITS.get(DEFAULT_LIMITS).max_depth)
    return value


# --- profiles ------------------------------------------------------------------------------

# How a raw token's Python type is named when a field was spelled differently from its default.
SPELLING_OF_TYPE = {
    str: "string",
    int: "number",
    Decimal: "number",
    JsonNumber: "number",
    bool: "boolean",
    dict: "object",
}


@frozen
class Profile:
    """The differences between formats that the class and list hooks must know.

    Attributes:
        name: The format name, for messages.
        record_spelling: Remember token kinds that differ from the default (JSON formats).
        single_item: Tells whether a raw value stands for a one-item list (Dexero's bare
            object in JSON; any single element in XML).
        expand_lists: Write a list as repeated members, following ``wire.keys`` (XML).
        is_object: Tells whether a raw value is an object of this format.
        empty_object: Tells whether a raw value stands for an object with no members (XML's
            empty element).
        default_tokens: For a field type, the raw Python types that need no spelling note.
        omit_empty_lists: Leave an empty list out unless the input had it (Dexero writes
            no element for an empty list, so its JSON has no member either).
        number_text: Remember the exact text of a number read as a
            :class:`~ordermap.values.JsonNumber` (an exponent form), rather than only that it
            was a number, so that a writer can give that text back (talkdesk-json).
    """

    name: str
    record_spelling: bool
    single_item: Callable[[Any], bool]
    expand_lists: bool
    is_object: Callable[[Any], bool]
    empty_object: Callable[[Any], bool]
    default_tokens: Callable[[Any], frozenset[type]]
    omit_empty_lists: bool = False
    number_text: bool = False


def spelling_of(raw: Any, number_text: bool) -> str | None:
    """How a raw value that is not its field's default token is remembered; ``None`` for a
    number whose ``Decimal`` keeps its text (``-0``), which needs no note."""
    if number_text and type(raw) is JsonNumber:
        text: str = raw.text
        return None if format(Decimal(text), "f") == text else text
    return SPELLING_OF_TYPE[type(raw)]


def is_dict(value: Any) -> bool:
    """Whether a raw value is a JSON object."""
    return type(value) is dict


def never(value: Any) -> bool:
    return False


def always(value: Any) -> bool:
    return True


def no_spelling(tp: Any) -> frozenset[type]:
    """For formats that remember no spelling: no raw type needs a note."""
    return frozenset()


def register_scalar(
    converter: cattrs.Converter,
    tp: Any,
    structure: Callable[[Any, Any], Any],
    unstructure: Callable[[Any], Any],
) -> None:
    """Register a scalar type's hooks, matching the type exactly (``Annotated`` included)."""
    if isinstance(tp, type):
        # Plain classes go through cattrs' single dispatch, which outranks its built-in hooks.
        converter.register_structure_hook(tp, structure)
        converter.register_unstructure_hook(tp, unstructure)
    else:
        converter.register_structure_hook_func(lambda t: t == tp, structure)
        converter.register_unstructure_hook_func(lambda t: t == tp, unstructure)


def expect(kind: type | tuple[type, ...], what: str) -> Callable[[Any], None]:
    """A check that a value (being written) has exactly the given Python type."""
    kinds = kind if isinstance(kind, tuple) else (kind,)

    def check(value: Any) -> None:
        if type(value) not in kinds:
            fail("wrong-type", f"expected {what}, got {type(value).__name__}", value)

    return check


def free_mapping(value: Any, _: Any) -> Mapping[str, Any]:
    """Structure hook for a free-form JSON object (``custom_fields``)."""
    if type(value) is not dict:
        fail("wrong-type", "expected an object", value)
    return typing.cast(Mapping[str, Any], keep_free(value))
