"""Structure hook factories: raw values (JSON objects, XML nodes) to model instances."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

import cattrs

from ..model import EMPTY, Wire
from .core import Fault, Profile, fail, field_specs, gather, keep_free, spelling_of


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
        number_text = profile.number_text
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
                        faults = gather(faults, fault.within(key).items)
                        continue
                    if extra is None:
                        extra = {}
                    extra[key] = value
                    continue
                name, hook, tp, plain, is_required = entry
                if raw is None:
                    if is_required:
                        faults = gather(
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
                    faults = gather(faults, fault.within(key).items)
                    continue
                if record and type(raw) not in plain:
                    note = spelling_of(raw, number_text)
                    if note is not None:
                        if spelling is None:
                            spelling = {}
                        spelling[key] = note
            for key in required:
                if key not in obj:
                    faults = gather(
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


def class_structure(converter: cattrs.Converter, profile: Profile) -> Callable[[type], Any]:
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
                    faults = gather(faults, [[[index], "null-item", "a list item is null", None]])
                    continue
                try:
                    items.append(hook(raw, item_type))
                except Fault as fault:
                    faults = gather(faults, fault.within(index).items)
            if faults:
                raise Fault(faults)
            return tuple(items)

        return structure

    return factory
