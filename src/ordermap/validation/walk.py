"""The findings of a payload's members: unknown members, unlisted values, lone surrogates
and the value rules (:mod:`.values`), found in a decoded object or, for a document that did
not decode, in its tree."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from .. import formats
from ..binding import FieldSpec, field_specs, is_model, never
from ..errors import Location, Problem, Severity, preview
from ..formats import json_findings, json_read
from ..limits import Limits
from ..places import TOP, Place
from ..values import scalar_text
from .values import Rule, given, missing, page_findings, raw_page_findings, rules_for

Path = list[str | int]
Found = tuple[Path, str, str, Any]  # (path, code, message, offending value)


@functools.cache
def _fields(cls: type) -> dict[str, FieldSpec]:
    return {spec.key: spec for spec in field_specs(cls)}


# A member as the walks need it: its spec, the model class its objects are of (``None``: it
# holds plain values), and its value rule.
_Member = tuple[FieldSpec, type | None, Rule | None]


@functools.cache
def _members(cls: type) -> dict[str, _Member]:
    """The members of a model class by wire name, with what each walk step asks of them
    worked out once per class rather than once per member of every order."""
    rules = rules_for(cls)
    table: dict[str, _Member] = {}
    for key, spec in _fields(cls).items():
        item = spec.item_type if spec.is_list else spec.type
        rule = None if rules is None else rules.members.get(key)
        table[key] = (spec, item if is_model(item) else None, rule)
    return table


def _unknown(path: Path, key: str) -> Found:
    return [*path, key], "unknown-field", f"unknown member {preview(key)} (kept as it is)", None


def _unlisted(here: Path, spec: FieldSpec, value: Any) -> Found | None:
    if not spec.values or not isinstance(value, str) or value in spec.values:
        return None
    listed = ", ".join(spec.values)
    return here, "unlisted-value", f"value not in the documented list ({listed})", value


def walk(obj: Any, path: Path, xml: bool, orders: int | None = None) -> Iterator[Found]:
    """Findings of a model object and everything below it, in the order its members came:
    its warnings, and its value rules' errors (:data:`.values.ERRORS`), which the tally keeps
    apart. ``orders`` is how many orders a page held when they are not in ``obj`` (a streamed
    page's skeleton), for its pagination rules.

    Paths name a list's item by its index unless the list came as one bare object (Dexero
    JSON) or one element (XML), as the errors of the same places do.
    """
    cls: type = type(obj)
    members = _members(cls)
    extra = obj.extra
    spelling = obj.wire.spelling
    rules = rules_for(cls)
    country = None
    if rules is not None:
        if rules.required is not None and getattr(obj, members[rules.required][0].name) is None:
            yield missing(path)
        if rules.country is not None:
            country = given(getattr(obj, members[rules.country][0].name))
        if rules.counted is not None:
            yield from page_findings(path, obj, orders)
        if rules.entry is not None:
            found = rules.entry(path, lambda key: getattr(obj, members[key][0].name))
            if found is not None:
                yield found
    for key in dict.fromkeys((*obj.wire.keys, *members, *extra)):
        if key in extra:
            yield _unknown(path, key)
            if rules is not None and key in rules.extras and extra[key] is not None:
                found = rules.extras[key].decoded([*path, key], extra[key], country)
                if found is not None:
                    yield found
            continue
        member = members.get(key)
        if member is None:
            continue
        spec, child, rule = member
        value = getattr(obj, spec.name)
        if value is None:
            continue
        here = [*path, key]
        found = _unlisted(here, spec, value)
        if found is not None:
            yield found
        if rule is not None:
            found = rule.decoded(here, value, country)
            if found is not None:
                yield found
        if child is None:
            continue
        if spec.is_list:
            single = len(value) == 1 and (xml or spelling.get(key) == "object")
            for index, item in enumerate(value):
                yield from walk(item, here if single else [*here, index], xml)
        else:
            yield from walk(value, here, xml)


def walk_raw(
    raw: Any,
    cls: type,
    path: Path,
    bare_items: bool,
    orders: int | None = None,
    empty: Callable[[Any], bool] = never,
) -> Iterator[Found]:
    """The findings :func:`walk` gives, read from a parsed tree that did not make a document.

    Parts shaped wrong for ``cls`` are skipped: their errors are reported already.
    ``bare_items`` says whether the format lets a list field hold its one item bare,
    ``orders`` is as for :func:`walk`, and ``empty`` says whether a raw value stands for an
    object with no members (XML's ``<order/>``, which decodes as an order without its id).
    """
    if not isinstance(raw, dict):
        if not empty(raw):
            return
        raw = {}
    members = _members(cls)
    rules = rules_for(cls)
    country = None
    if rules is not None:
        if rules.required is not None and raw.get(rules.required) is None:
            yield missing(path)
        if rules.country is not None:
            country = given(scalar_text(raw.get(rules.country)))
        if rules.counted is not None:
            yield from raw_page_findings(path, raw, rules.counted, orders)
        if rules.entry is not None:
            found = rules.entry(path, raw.get)
            if found is not None:
                yield found
    for key, value in raw.items():
        member = members.get(key)
        if member is None:
            yield _unknown(path, key)
            if rules is not None and key in rules.extras and value is not None:
                found = rules.extras[key].raw([*path, key], value, country)
                if found is not None:
                    yield found
            continue
        if value is None:
            continue
        spec, child, rule = member
        here = [*path, key]
        found = _unlisted(here, spec, scalar_text(value))
        if found is not None:
            yield found
        if rule is not None:
            found = rule.raw(here, value, country)
            if found is not None:
                yield found
        if child is None:
            continue
        if not spec.is_list:
            yield from walk_raw(value, child, here, bare_items, empty=empty)
        elif type(value) is list:
            for index, each in enumerate(value):
                yield from walk_raw(each, child, [*here, index], bare_items, empty=empty)
        elif bare_items:  # one element, or Dexero's bare object
            yield from walk_raw(value, child, here, bare_items, empty=empty)


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
    orders: int | None = None,
) -> Iterator[Found]:
    """The warnings of a parsed tree that did not decode, but none where an error is (a member
    whose value is refused, too deep say, is an error, not also a warning); ``orders`` is as
    for :func:`walk`."""
    taken = {key(p.location) for p in errors}
    profile = getattr(module, "PROFILE", None)
    empty = never if profile is None else profile.empty_object
    for warning in walk_raw(tree, cls, [], module.BARE_ITEMS, orders, empty):
        if key(locate(warning[0])) not in taken:
            yield warning
