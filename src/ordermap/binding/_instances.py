"""How generated structure hooks make model instances: through the slots of the class when
its ``__init__`` only sets them, and with one shared :class:`~ordermap.model.Wire` per member
order (the lines here are Python source for :mod:`ordermap.binding._structure_xml_gen`).
"""

from __future__ import annotations

from typing import Any

import attrs

from ..model import EMPTY, Wire
from ._structure_gen import _SHARED_WIRE_KEYS, _SHARED_WIRES
from .core import FieldSpec

__all__ = ["construct_lines", "instance_names", "slot_setters", "wire_lines"]

_MEMBER: Any = type(Wire.__dict__["keys"])  # the descriptor of a __slots__ member


def slot_setters(cls: type) -> dict[str, Any] | None:
    """The slot setters of an attrs class whose ``__init__`` does nothing but set its fields
    (no validators, converters or hooks), or ``None`` for any other class.

    The ``__init__`` attrs writes for a frozen class calls ``object.__setattr__`` once per
    field, by name; a generated hook sets each slot through its descriptor instead, which
    makes the same instance in about half the time.
    """
    if getattr(cls, "__attrs_pre_init__", None) or getattr(cls, "__attrs_post_init__", None):
        return None
    init = getattr(vars(cls).get("__init__"), "__code__", None)
    if init is None or not init.co_filename.startswith("<attrs generated"):
        return None
    setters: dict[str, Any] = {}
    for attribute in attrs.fields(cls):
        slot: Any = getattr(cls, attribute.name, None)
        if (
            not attribute.init
            or attribute.validator is not None
            or attribute.converter is not None
            or attribute.alias != attribute.name
            or type(slot) is not _MEMBER
        ):
            return None
        setters[attribute.name] = slot.__set__
    return setters


def construct_lines(
    specs: tuple[FieldSpec, ...], namespace: dict[str, Any], extra: str
) -> list[str]:
    """The lines that make the instance from ``v<index>``, ``extra`` and ``wire``."""
    cls = namespace["_cls"]
    values = {spec.name: f"v{index}" for index, spec in enumerate(specs)}
    roles = {a.name: a.metadata["role"] for a in attrs.fields(cls) if "role" in a.metadata}
    values.update({name: extra if role == "extra" else "wire" for name, role in roles.items()})
    setters = slot_setters(cls)
    if setters is None or set(setters) != set(values):
        arguments = ", ".join(f"{name}={value}" for name, value in values.items())
        return [f"    return _cls({arguments})"]
    lines = ["    o = _new(_cls)"]
    for index, (name, value) in enumerate(values.items()):
        namespace[f"_s{index}"] = setters[name]
        lines.append(f"    _s{index}(o, {value})")
    return [*lines, "    return o"]


def wire_lines() -> list[str]:
    # Objects read in the same member order share one Wire, as the class hooks do.
    return [
        "    if spelling is None and len(keys) <= _WIRE_KEYS:",
        "        wire = _wires.get(keys)",
        "        if wire is None:",
        "            if len(_wires) >= _WIRES:",
        "                _wires.clear()",
        "            wire = _wires[keys] = _Wire(keys, _EMPTY)",
        "    else:",
        "        wire = _Wire(keys, _EMPTY if spelling is None else spelling)",
    ]


def instance_names() -> dict[str, Any]:
    """The global names the lines of :func:`construct_lines` and :func:`wire_lines` use, with
    a cache of shared Wire records of its own (one per hook)."""
    return {
        "_EMPTY": EMPTY,
        "_Wire": Wire,
        "_wires": {},
        "_WIRES": _SHARED_WIRES,
        "_WIRE_KEYS": _SHARED_WIRE_KEYS,
        "_new": object.__new__,
    }
