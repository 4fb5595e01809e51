"""The typed step every format shares: cattrs hook factories for the model's classes and lists.

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
from itertools import repeat
from typing import Any

import attrs
import cattrs
from attrs import frozen

from .limits import DEFAULT_LIMITS, Limits
from .model import EMPTY, Wire
from .values import JsonNumber

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


def _gather(faults: list[list[Any]] | None, items: list[list[Any]]) -> list[list[Any]]:
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
_SPELLING_OF_TYPE = {
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
    """

    name: str
    record_spelling: bool
    single_item: Callable[[Any], bool]
    expand_lists: bool
    is_object: Callable[[Any], bool]
    empty_object: Callable[[Any], bool]
    default_tokens: Callable[[Any], frozenset[type]]
    omit_empty_lists: bool = False


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


def make_class_structure(converter: cattrs.Converter, profile: Profile) -> Callable[[type], Any]:
    """The structure hook factory for model classes."""

    def factory(cls: type) -> Callable[[Any, Any], Any]:
        specs = field_specs(cls)
        # Per wire key: attribute name, hook, field type, token types that need no spelling
        # note, and whether the field is required.
        by_key: dict[str, tuple[str, Callable[[Any, Any], Any], Any, frozenset[type], bool]] = {
            spec.key: (
                spec.name,
                converter.get_structure_hook(spec.type),
                spec.type,
                profile.default_tokens(spec.type),
                spec.required,
            )
            for spec in specs
        }
        required = tuple(spec.key for spec in specs if spec.required)
        record = profile.record_spelling
        is_object = profile.is_object
        empty_object = profile.empty_object

        def structure(obj: Any, _: Any) -> Any:
            if not is_object(obj):
                if empty_object(obj):
                    obj = {}
                else:
                    fail("wrong-type", "expected an object", obj)
            kwargs: dict[str, Any] = {}
            spelling: dict[str, str] | None = None
            extra: dict[str, Any] | None = None
            faults: list[list[Any]] | None = None
            for key, raw in obj.items():
                entry = by_key.get(key)
                if entry is None:
                    try:
                        value = keep_free(raw)
                    except Fault as fault:
                        faults = _gather(faults, fault.within(key).items)
                        continue
                    if extra is None:
                        extra = {}
                    extra[key] = value
                    continue
                name, hook, tp, plain, is_required = entry
                if raw is None:
                    if is_required:
                        faults = _gather(
                            faults,
                            [[[key], "null-required", f"required member {key!r} is null", None]],
                        )
                    else:
                        if spelling is None:
                            spelling = {}
                        spelling[key] = "null"
                    continue
                try:
                    kwargs[name] = hook(raw, tp)
                except Fault as fault:
                    faults = _gather(faults, fault.within(key).items)
                    continue
                if record and type(raw) not in plain:
                    if spelling is None:
                        spelling = {}
                    spelling[key] = _SPELLING_OF_TYPE[type(raw)]
            for key in required:
                if key not in obj:
                    faults = _gather(
                        faults,
                        [[[key], "missing-field", f"required member {key!r} is missing", None]],
                    )
            if faults:
                raise Fault(faults)
            # A plain dict (JSON) has no remembered sequence; asking for one would raise inside.
            keys = tuple(obj) if type(obj) is dict else getattr(obj, "sequence", None) or tuple(obj)
            return cls(
                **kwargs,
                extra=EMPTY if extra is None else extra,
                wire=Wire(keys, EMPTY if spelling is None else spelling),
            )

        return structure

    return factory


def _class_structure(converter: cattrs.Converter, profile: Profile) -> Callable[[type], Any]:
    """The class hook factory :func:`register_model_hooks` registers: generated hooks, or the
    generic ones while the private switch of :mod:`ordermap._structure_gen` is off."""
    from . import _structure_gen  # it builds on this module

    if not _structure_gen.GENERATE:
        return make_class_structure(converter, profile)

    def factory(cls: type) -> Callable[[Any, Any], Any]:
        return _structure_gen.make_class_structure_fn(cls, converter.get_structure_hook, profile)

    return factory


def make_list_structure(converter: cattrs.Converter, profile: Profile) -> Callable[[Any], Any]:
    """The structure hook factory for ``tuple[Model, ...]`` fields."""

    def factory(tp: Any) -> Callable[[Any, Any], Any]:
        item_type = typing.get_args(tp)[0]
        hook = converter.get_structure_hook(item_type)
        single_item = profile.single_item

        def structure(obj: Any, _: Any) -> tuple[Any, ...]:
            if type(obj) is not list:
                if single_item(obj):
                    return (hook(obj, item_type),)
                fail("wrong-type", "expected an array", obj)
            items = []
            faults: list[list[Any]] | None = None
            for index, raw in enumerate(obj):
                if raw is None:
                    faults = _gather(faults, [[[index], "null-item", "a list item is null", None]])
                    continue
                try:
                    items.append(hook(raw, item_type))
                except Fault as fault:
                    faults = _gather(faults, fault.within(index).items)
            if faults:
                raise Fault(faults)
            return tuple(items)

        return structure

    return factory


# --- unstructure ---------------------------------------------------------------------------

NIL = None
"""The unstructured form of a remembered ``null`` (JSON ``null``, XML ``xsi:nil``)."""


_UNSET: Any = object()


class Members(list[tuple[str, Any]]):
    """An object being written: its ``(key, value)`` members in order (keys repeat in XML)."""

    __slots__ = ()


# How one field is written: its attribute name, unstructure hook, whether it is required,
# whether it is a list, and its spec (for ``respell``).
_OutField = tuple[str, Callable[[Any], Any], bool, bool, FieldSpec]
# One step of a write plan: the wire key, its field (``None`` for a member kept in ``extra``),
# which occurrence of the key this is, whether it is the last one, and whether the key is in
# the remembered order at all.
_Step = tuple[str, _OutField | None, int, bool, bool]
_Plan = tuple[tuple[_Step, ...], frozenset[str]]

# Plans are cached per remembered member order; documents share a handful of orders, and the
# cache is emptied when it grows past this many, so odd inputs cannot make it grow unbounded.
_PLAN_CACHE_SIZE = 256


def _write_plan(
    order: tuple[str, ...],
    canonical: tuple[str, ...],
    fields: Mapping[str, _OutField],
    expand: bool,
) -> _Plan:
    """The steps that write a document whose remembered member order is ``order``.

    The remembered keys come first, then the model's other fields in canonical order. With
    ``expand`` (XML) a key repeated in the order keeps each of its places: a list member's
    items are written one per place, the last place taking the rest, and a scalar member is
    written at its first place. Without repeats, or without ``expand``, each key is written
    once, at its first place.
    """
    steps: list[_Step] = []
    if expand and len(set(order)) != len(order):
        counts: dict[str, int] = {}
        for key in order:
            counts[key] = counts.get(key, 0) + 1
        seen: dict[str, int] = {}
        for key in order:
            index = seen.get(key, 0)
            seen[key] = index + 1
            entry = fields.get(key)
            if entry is not None and not entry[3] and index:
                continue
            steps.append((key, entry, index, index + 1 == counts[key], True))
    else:
        steps.extend((key, fields.get(key), 0, True, True) for key in dict.fromkeys(order))
    placed = frozenset(order)
    steps.extend((key, fields[key], 0, True, False) for key in canonical if key not in placed)
    return tuple(steps), placed.union(canonical)


def make_class_unstructure(
    converter: cattrs.Converter,
    profile: Profile,
    respell: Callable[[str, Any, Any], Any] | None = None,
) -> Callable[[type], Any]:
    """The unstructure hook factory for model classes.

    The hooks return a list of ``(key, value)`` pairs in wire order. With
    ``profile.expand_lists`` a list becomes one pair per item (XML's repeated elements);
    otherwise one pair holding the list. ``respell(spelling, spec_type, value)`` turns a
    default value into the remembered spelling (JSON formats).

    Each member order met often enough gets a writer of its own, compiled by
    :mod:`ordermap._unstructure_gen`; the generic hook below writes the others, and any
    document on which a compiled writer meets a problem. ``_unstructure_gen.ENABLED`` is
    read here, when a converter is configured: off, the hooks are the generic ones alone
    (for the tests that compare the two).
    """
    # Imported here: the generator imports this module's names at its own import.
    from . import _unstructure_gen as gen

    compiled = gen.ENABLED
    # The JSON formats count odd free-form values, so that their encoders know whether the
    # fast writer may write the result (see _json.emit(plain=True)).
    note = not profile.expand_lists

    def factory(cls: type) -> Callable[[Any], Members]:
        specs = field_specs(cls)
        canonical = tuple(spec.key for spec in specs)
        fields: dict[str, _OutField] = {
            spec.key: (
                spec.name,
                converter.get_unstructure_hook(spec.type),
                spec.required,
                spec.is_list,
                spec,
            )
            for spec in specs
        }
        expand = profile.expand_lists
        omit_empty = profile.omit_empty_lists
        plans: dict[tuple[str, ...], _Plan] = {}

        def plan_of(order: tuple[str, ...]) -> _Plan:
            plan = plans.get(order)
            if plan is None:
                if len(plans) >= _PLAN_CACHE_SIZE:
                    plans.clear()
                plan = plans[order] = _write_plan(order, canonical, fields, expand)
            return plan

        def generic(document: Any) -> Members:
            if type(document) is not cls:
                fail(
                    "wrong-type",
                    f"expected a {cls.__name__}, got {type(document).__name__}",
                    document,
                )
            obj: Any = document
            wire: Wire = obj.wire
            spelling = wire.spelling
            extra: Mapping[str, Any] = obj.extra
            if note and extra:
                gen.note_extra(extra)
            steps, planned = plan_of(wire.keys)
            pairs = Members()
            faults: list[list[Any]] | None = None
            # A list met again at a later place of a repeated key (XML) is unstructured once.
            written: dict[str, Any] | None = None
            for key, entry, index, last, in_order in steps:
                if entry is None:
                    if key in extra:
                        value = extra[key]
                        if expand and type(value) is list:
                            pairs.extend(
                                zip(
                                    repeat(key), value[index:] if last else value[index : index + 1]
                                )
                            )
                        else:
                            pairs.append((key, value))
                    continue
                if index:
                    out = _UNSET if written is None else written.get(key, _UNSET)
                    if out is not _UNSET:
                        pairs.extend(
                            zip(repeat(key), out[index:] if last else out[index : index + 1])
                        )
                    continue
                name, hook, required, is_list, spec = entry
                value = getattr(obj, name)
                if value is None:
                    if spelling.get(key) == "null":
                        pairs.append((key, NIL))
                    elif required:
                        faults = _gather(
                            faults,
                            [
                                [
                                    [key],
                                    "missing-field",
                                    f"required member {key!r} has no value",
                                    None,
                                ]
                            ],
                        )
                    continue
                if is_list:
                    if omit_empty and not value and not in_order:
                        continue
                    try:
                        out = hook(value)
                    except Fault as fault:
                        faults = _gather(faults, fault.within(key).items)
                        continue
                    if expand:
                        if last:
                            pairs.extend(zip(repeat(key), out))
                        else:
                            if written is None:
                                written = {}
                            written[key] = out
                            pairs.extend(zip(repeat(key), out[:1]))
                        continue
                else:
                    try:
                        out = hook(value)
                    except Fault as fault:
                        faults = _gather(faults, fault.within(key).items)
                        continue
                if respell is not None and key in spelling:
                    out = respell(spelling[key], spec, out)
                pairs.append((key, out))
            if extra:
                for key, value in extra.items():
                    if key in planned:
                        continue
                    if expand and type(value) is list:
                        pairs.extend(zip(repeat(key), value))
                    else:
                        pairs.append((key, value))
            if faults:
                raise Fault(faults)
            return pairs

        if not compiled:
            return generic

        writers: dict[tuple[str, ...], Callable[[Any], Members]] = {}
        uses: dict[tuple[str, ...], int] = {}

        def writer_of(order: tuple[str, ...]) -> Callable[[Any], Members] | None:
            """The compiled writer of an order, made once the order is used often enough."""
            count = uses.get(order, 0) + 1
            if count < gen.COMPILE_AFTER or not gen.compilable(order):
                if len(uses) >= _PLAN_CACHE_SIZE * 4:
                    uses.clear()
                uses[order] = count
                return None
            uses.pop(order, None)
            if len(writers) >= _PLAN_CACHE_SIZE:
                gen.forget(writers.values())
                writers.clear()
            steps, planned = plan_of(order)
            write: Callable[[Any], Members] = gen.compile_writer(
                cls,
                steps,
                planned,
                expand=expand,
                omit_empty=omit_empty,
                respell=respell,
                slow=generic,
                members=Members,
                unset=_UNSET,
            )
            writers[order] = write
            return write

        def unstructure(document: Any) -> Members:
            if type(document) is not cls:
                return generic(document)  # refuses it
            obj: Any = document
            order = obj.wire.keys
            write = writers.get(order)
            if write is None:
                write = writer_of(order)
                if write is None:
                    return generic(document)
            if note:
                extra = obj.extra
                if extra:
                    gen.note_extra(extra)
            try:
                return write(obj)
            except Fault:
                # Written again the generic way, which collects every problem with its path.
                return generic(document)

        return unstructure

    return factory


def make_list_unstructure(converter: cattrs.Converter) -> Callable[[Any], Any]:
    """The unstructure hook factory for ``tuple[Model, ...]`` fields."""

    def factory(tp: Any) -> Callable[[Any], list[Any]]:
        hook = converter.get_unstructure_hook(typing.get_args(tp)[0])

        def unstructure(items: Any) -> list[Any]:
            if not isinstance(items, tuple | list):
                fail("wrong-type", "expected a list of objects", items)
            try:
                return [hook(item) for item in items]
            except Fault:
                pass  # written again item by item, collecting every item's problems
            out = []
            faults: list[list[Any]] | None = None
            for index, item in enumerate(items):
                try:
                    out.append(hook(item))
                except Fault as fault:
                    faults = _gather(faults, fault.within(index).items)
            if faults:
                raise Fault(faults)
            return out

        return unstructure

    return factory


def register_model_hooks(
    converter: cattrs.Converter,
    profile: Profile,
    respell: Callable[[str, Any, Any], Any] | None = None,
) -> None:
    """Register the model class and list hook factories; call after the scalar hooks."""
    converter.register_structure_hook_factory(is_model, _class_structure(converter, profile))
    converter.register_structure_hook_factory(
        is_model_list, make_list_structure(converter, profile)
    )
    converter.register_unstructure_hook_factory(
        is_model, make_class_unstructure(converter, profile, respell)
    )
    converter.register_unstructure_hook_factory(is_model_list, make_list_unstructure(converter))


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
