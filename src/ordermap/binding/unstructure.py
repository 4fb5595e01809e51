"""Unstructure hook factories: model instances to ``(key, value)`` members in wire order."""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from itertools import repeat
from typing import Any

import cattrs

from ..model import Wire
from .core import Fault, FieldSpec, Profile, fail, field_specs, gather

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
                        faults = gather(
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
                        faults = gather(faults, fault.within(key).items)
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
                        faults = gather(faults, fault.within(key).items)
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
                    faults = gather(faults, fault.within(index).items)
            if faults:
                raise Fault(faults)
            return out

        return unstructure

    return factory
