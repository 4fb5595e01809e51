"""Structure hooks generated per model class: Python source written for one class and one
format, compiled once, the way ``cattrs.gen.make_dict_structure_fn`` does it.

The generic hook in :mod:`ordermap.binding.structure` loops over an object's members and, for each,
looks its field up in a table, unpacks what it knows about it and asks a scalar hook for the
value. A generated hook knows the class's fields when it is written: it asks the object for
each wire key in turn, writes the common case of each scalar (a string that is a string, an
integer in range) as an inline test, and calls the format's hook only for the rest. What it
does is the generic hook's, to the letter:

- members the model does not know go to ``extra`` (checked as free-form values), in the order
  read, and member order goes to ``wire.keys``;
- ``null`` is remembered in ``wire.spelling`` (an error for a required member), and so is any
  token kind other than the field's default, where the format remembers spelling;
- every problem is collected with its path, in the order the generic hook finds them: member
  by member in the order read, then the required members that are missing.

The generated source is registered in :mod:`linecache` under a name of its own, so that a
traceback through a hook shows the line that ran. :data:`GENERATE` is a private switch for
tests that compare the generated hooks with the generic ones.
"""

from __future__ import annotations

import linecache
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from attrs import frozen

from ..model import EMPTY, Wire
from ..values import JsonNumber
from .core import (
    SPELLING_OF_TYPE,
    Fault,
    FieldSpec,
    Profile,
    field_specs,
    is_dict,
    keep_free,
    spelling_of,
)

__all__ = ["GENERATE", "Shortcut", "make_class_structure_fn", "shortcut"]

GENERATE = True
"""Whether :func:`ordermap.binding.register_model_hooks` registers generated class hooks
(tests turn it off to build converters with the generic hooks, for comparison)."""

# Per generated hook: how many member orders share their Wire, and up to how many keys long.
_SHARED_WIRES = 64
_SHARED_WIRE_KEYS = 64

_F = TypeVar("_F", bound=Callable[..., Any])
_ATTRIBUTE = "_ordermap_shortcut"


@frozen
class Shortcut:
    """The common case of a scalar hook, written as an expression over ``raw``.

    Attributes:
        test: An expression that is true only when the hook would return :attr:`value` for
            ``raw`` without a fault (it may bind names with ``:=`` for ``value`` to use).
        value: The expression the hook would return.
        kinds: The raw Python types ``test`` can accept, so that the generator can check
            that no spelling note is skipped.
        names: The global names ``test`` and ``value`` use.
    """

    test: str
    value: str
    kinds: tuple[type, ...]
    names: Mapping[str, Any]


def shortcut(
    test: str, value: str = "raw", *, kinds: tuple[type, ...], **names: Any
) -> Callable[[_F], _F]:
    """Mark a structure hook with the inline form of its common case (see :class:`Shortcut`)."""

    def mark(hook: _F) -> _F:
        setattr(hook, _ATTRIBUTE, Shortcut(test, value, kinds, names))
        return hook

    return mark


def shortcut_of(hook: Any) -> Shortcut | None:
    found = getattr(hook, _ATTRIBUTE, None)
    return found if isinstance(found, Shortcut) else None


# --- what the generated code calls when something is out of the ordinary -------------------

_Group = tuple[str, list[list[Any]]]


def _faulted(groups: list[_Group] | None, key: str, fault: Fault) -> list[_Group]:
    """``groups`` with the problems of member ``key`` added (paths made relative to here)."""
    if groups is None:
        groups = []
    groups.append((key, fault.within(key).items))
    return groups


def _null_required(groups: list[_Group] | None, key: str) -> list[_Group]:
    if groups is None:
        groups = []
    groups.append((key, [[[key], "null-required", f"required member {key!r} is null", None]]))
    return groups


def _missing(items: list[list[Any]] | None, key: str) -> list[list[Any]]:
    if items is None:
        items = []
    items.append([[key], "missing-field", f"required member {key!r} is missing", None])
    return items


def _fault(
    obj: Mapping[str, Any], groups: list[_Group] | None, missing: list[list[Any]] | None
) -> Fault:
    """The fault of an object: its members' problems in the order the members were read
    (the generated code meets them in field order), then the missing required members."""
    items: list[list[Any]] = []
    if groups:
        if len(groups) > 1:
            position = {key: index for index, key in enumerate(obj)}
            groups.sort(key=lambda group: position[group[0]])
        for _, group in groups:
            items.extend(group)
    if missing:
        items.extend(missing)
    return Fault(items)


def _in_read_order(obj: Mapping[str, Any], spelling: dict[str, str]) -> dict[str, str]:
    """Spelling notes in the order their members were read (they are made in field order)."""
    if len(spelling) < 2:
        return spelling
    return {key: spelling[key] for key in obj if key in spelling}


def _unknown(
    obj: Mapping[str, Any], known: frozenset[str], groups: list[_Group] | None
) -> tuple[dict[str, Any] | None, list[_Group] | None]:
    """The members of ``obj`` the class does not know, kept verbatim, and their problems."""
    extra: dict[str, Any] | None = None
    for key, raw in obj.items():
        if key in known:
            continue
        try:
            value = keep_free(raw)
        except Fault as fault:
            groups = _faulted(groups, key, fault)
            continue
        if extra is None:
            extra = {}
        extra[key] = value
    return extra, groups


# --- the generator ---------------------------------------------------------------------------

_generated = 0


def _field_source(
    index: int,
    spec: FieldSpec,
    hook: Any,
    plain: frozenset[type],
    record: bool,
    namespace: dict[str, Any],
    number_text: bool = False,
) -> list[str]:
    """The lines that read one field into ``v<index>``."""
    key = repr(spec.key)  # a literal: a constant is the cheapest name to look up
    namespace[f"_h{index}"] = hook
    namespace[f"_t{index}"] = spec.type
    lines = [
        f"    raw = get({key}, _ABSENT)",
        "    if raw is _ABSENT:",
    ]
    if spec.required:
        lines.append(f"        missing = _missing(missing, {key})")
    lines += [
        f"        v{index} = None",
        "    else:",
        "        found += 1",
    ]
    branch = "if"
    fast = shortcut_of(hook)
    if fast is not None:
        if record and not set(fast.kinds) <= plain:
            raise ValueError(f"the shortcut of {hook!r} would skip a spelling note")
        for name, value in fast.names.items():
            # Equal, not identical: each ``pattern.match`` is a new bound method.
            if namespace.setdefault(name, value) != value:
                raise ValueError(f"two shortcuts name different values {name!r}")
        lines += [f"        if {fast.test}:", f"            v{index} = {fast.value}"]
        branch = "elif"
    lines.append(f"        {branch} raw is None:")
    lines.append(f"            v{index} = None")
    if spec.required:
        lines.append(f"            groups = _null_required(groups, {key})")
    else:
        lines += [
            "            if spelling is None:",
            "                spelling = {}",
            f"            spelling[{key}] = 'null'",
        ]
    lines += [
        "        else:",
        "            try:",
        f"                v{index} = _h{index}(raw, _t{index})",
        "            except _Fault as fault:",
        f"                groups = _faulted(groups, {key}, fault)",
        f"                v{index} = None",
    ]
    if record:
        namespace[f"_p{index}"] = plain
        if number_text and JsonNumber not in plain:
            # A number's text is remembered only where its Decimal does not keep it.
            lines += [
                "            else:",
                f"                if type(raw) not in _p{index}:",
                "                    note = _spelling_of(raw, True)",
                "                    if note is not None:",
                "                        if spelling is None:",
                "                            spelling = {}",
                f"                        spelling[{key}] = note",
            ]
        else:
            lines += [
                "            else:",
                f"                if type(raw) not in _p{index}:",
                "                    if spelling is None:",
                "                        spelling = {}",
                f"                    spelling[{key}] = _SPELLING[type(raw)]",
            ]
    return lines


def make_class_structure_fn(
    cls: type, hook_of: Callable[[Any], Any], profile: Profile
) -> Callable[[Any, Any], Any]:
    """The generated structure hook of a model class for a format.

    ``hook_of`` gives the structure hook of a field's type (the converter's).
    """
    global _generated
    specs = field_specs(cls)
    record = profile.record_spelling
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_ABSENT": object(),
        "_EMPTY": EMPTY,
        "_Wire": Wire,
        "_wires": {},
        "_WIRES": _SHARED_WIRES,
        "_WIRE_KEYS": _SHARED_WIRE_KEYS,
        "_Fault": Fault,
        "_faulted": _faulted,
        "_null_required": _null_required,
        "_missing": _missing,
        "_fault": _fault,
        "_unknown": _unknown,
        "_in_read_order": _in_read_order,
        "_known": frozenset(spec.key for spec in specs),
        "_is_object": profile.is_object,
        "_empty_object": profile.empty_object,
        "_SPELLING": SPELLING_OF_TYPE,
        "_spelling_of": spelling_of,
    }
    plain_dicts = profile.is_object is is_dict
    lines = ["def structure(obj, _):"]
    if plain_dicts:
        lines.append("    if type(obj) is not dict:")
    else:
        lines.append("    if not _is_object(obj):")
    lines += [
        "        if _empty_object(obj):",
        "            obj = {}",
        "        else:",
        "            raise _Fault([[[], 'wrong-type', 'expected an object', obj]])",
        "    get = obj.get",
        "    found = 0",
        "    spelling = None",
        "    groups = None",
        "    missing = None",
    ]
    for index, spec in enumerate(specs):
        hook = hook_of(spec.type)
        lines += _field_source(
            index,
            spec,
            hook,
            profile.default_tokens(spec.type),
            record,
            namespace,
            profile.number_text,
        )
    lines += [
        "    if found != len(obj):",
        "        extra, groups = _unknown(obj, _known, groups)",
        "    else:",
        "        extra = None",
        "    if groups is not None or missing is not None:",
        "        raise _fault(obj, groups, missing)",
    ]
    lines += [
        "    if spelling is not None:",
        "        spelling = _in_read_order(obj, spelling)",
    ]
    if plain_dicts:
        lines.append("    keys = tuple(obj)")
    else:
        # An object made from an empty element is a plain dict, which has no sequence.
        lines.append(
            "    keys = tuple(obj) if type(obj) is dict"
            " else getattr(obj, 'sequence', None) or tuple(obj)"
        )
    # Objects read in the same member order share one Wire (it is immutable and compared by
    # no one): most of a page's objects come in a handful of orders, and every object fewer
    # is one the cyclic collector does not walk. Long key lists are not kept, nor more than a
    # bounded number of orders, so the cache cannot hold much.
    lines += [
        "    if spelling is None and len(keys) <= _WIRE_KEYS:",
        "        wire = _wires.get(keys)",
        "        if wire is None:",
        "            if len(_wires) >= _WIRES:",
        "                _wires.clear()",
        "            wire = _wires[keys] = _Wire(keys, _EMPTY)",
        "    else:",
        "        wire = _Wire(keys, _EMPTY if spelling is None else spelling)",
    ]
    arguments = "".join(f"{spec.name}=v{index}, " for index, spec in enumerate(specs))
    lines.append(f"    return _cls({arguments}extra=_EMPTY if extra is None else extra, wire=wire)")
    source = "\n".join(lines) + "\n"
    _generated += 1
    filename = f"<ordermap structure {profile.name} {cls.__qualname__} #{_generated}>"
    exec(compile(source, filename, "exec"), namespace)  # our own source
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    function = namespace["structure"]
    function.__qualname__ = function.__name__ = f"structure_{cls.__name__}"
    return typing.cast(Callable[[Any, Any], Any], function)
