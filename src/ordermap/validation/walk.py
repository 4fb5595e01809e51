"""The findings of a payload's members: unknown members, unlisted values, lone surrogates
and the value rules (:mod:`.values`), found in a decoded object or, for a document that did
not decode, in its tree."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from .. import formats
from ..binding import FieldSpec, field_specs, is_model
from ..errors import Location, Problem, Severity, preview
from ..formats import json_findings, json_read
from ..limits import Limits
from ..places import TOP, Place
from ..values import scalar_text
from .values import given, missing, rules_for

Path = list[str | int]
Found = tuple[Path, str, str, Any]  # (path, code, message, offending value)


@functools.cache
def _fields(cls: type) -> dict[str, FieldSpec]:
    return {spec.key: spec for spec in field_specs(cls)}


def _unknown(path: Path, key: str) -> Found:
    return [*path, key], "unknown-field", f"unknown member {preview(key)} (kept as it is)", None


def _unlisted(here: Path, spec: FieldSpec, value: Any) -> Iterator[Found]:
    if spec.values and isinstance(value, str) and value not in spec.values:
        listed = ", ".join(spec.values)
        yield here, "unlisted-value", f"value not in the documented list ({listed})", value


def walk(obj: Any, path: Path, xml: bool) -> Iterator[Found]:
    """Findings of a model object and everything below it, in the order its members came:
    its warnings, and its value rules' errors (:data:`.values.ERRORS`), which the tally keeps
    apart.

    Paths name a list's item by its index unless the list came as one bare object (Dexero
    JSON) or one element (XML), as the errors of the same places do.
    """
    cls: type = type(obj)
    fields = _fields(cls)
    extra = obj.extra
    spelling = obj.wire.spelling
    rules = rules_for(cls)
    country = None
    if rules is not None:
        if rules.required is not None and getattr(obj, fields[rules.required].name) is None:
            yield missing(path)
        if rules.country is not None:
            country = given(getattr(obj, fields[rules.country].name))
    for key in dict.fromkeys((*obj.wire.keys, *fields, *extra)):
        if key in extra:
            yield _unknown(path, key)
            continue
        spec = fields.get(key)
        value = None if spec is None else getattr(obj, spec.name)
        if spec is None or value is None:
            continue
        here = [*path, key]
        yield from _unlisted(here, spec, value)
        rule = None if rules is None else rules.members.get(key)
        if rule is not None:
            yield from rule.decoded(here, value, country)
        if spec.is_list and is_model(spec.item_type):
            single = len(value) == 1 and (xml or spelling.get(key) == "object")
            for index, item in enumerate(value):
                yield from walk(item, here if single else [*here, index], xml)
        elif is_model(spec.type):
            yield from walk(value, here, xml)


def walk_raw(raw: Any, cls: type, path: Path, bare_items: bool) -> Iterator[Found]:
    """The findings :func:`walk` gives, read from a parsed tree that did not make a document.

    Parts shaped wrong for ``cls`` are skipped: their errors are reported already.
    ``bare_items`` says whether the format lets a list field hold its one item bare.
    """
    if not isinstance(raw, dict):
        return
    fields = _fields(cls)
    rules = rules_for(cls)
    country = None
    if rules is not None:
        if rules.required is not None and raw.get(rules.required) is None:
            yield missing(path)
        if rules.country is not None:
            country = given(scalar_text(raw.get(rules.country)))
    for key, value in raw.items():
        spec = fields.get(key)
        if spec is None:
            yield _unknown(path, key)
            continue
        if value is None:
            continue
        here = [*path, key]
        yield from _unlisted(here, spec, scalar_text(value))
        rule = None if rules is None else rules.members.get(key)
        if rule is not None:
            yield from rule.raw(here, value, country)
        item = spec.item_type if spec.is_list else spec.type
        if not is_model(item):
            continue
        if not spec.is_list:
            yield from walk_raw(value, item, here, bare_items)
        elif type(value) is list:
            for index, each in enumerate(value):
                yield from walk_raw(each, item, [*here, index], bare_items)
        elif bare_items:  # one element, or Dexero's bare object
            yield from walk_raw(value, item, here, bare_items)


def lone_surrogates(
    data: bytes | str,
    module: formats.FormatModule,
    level: Severity,
    limits: Limits,
    place: Place = TOP,
) -> Iterator[Problem]:
    """Lone-surrogate warnings of a JSON text (read again when it may hold one)."""
    if module.SYNTAX != "json" or not json_findings.has_lone_surrogate_escape(data):
        return
    for found in json_findings.findings(json_read.to_text(data, module.FORMAT), limits):
        if found.code == "lone-surrogate":
            yield Problem(found.code, found.message, found.problem(place).location, level)


def key(location: Location) -> str | None:
    return location.pointer if location.pointer is not None else location.path


def raw_warnings(
    tree: Any,
    cls: type,
    module: formats.FormatModule,
    locate: Callable[[Path], Location],
    errors: list[Problem],
) -> Iterator[Found]:
    """The warnings of a parsed tree that did not decode, but none where an error is (a member
    whose value is refused, too deep say, is an error, not also a warning)."""
    taken = {key(p.location) for p in errors}
    for warning in walk_raw(tree, cls, [], module.BARE_ITEMS):
        if key(locate(warning[0])) not in taken:
            yield warning
