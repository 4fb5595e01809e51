"""Unstructure hooks compiled per model class and remembered member order.

The generic class hook (``binding.unstructure``) walks a write plan step by step,
unpacking a tuple and testing half a dozen flags per member; for a page of orders that loop
was most of an encode. Documents share a handful of member orders, so the steps of each
plan are written out here as Python source, compiled once (as ``cattrs.gen`` does, with the
source registered in ``linecache`` so that tracebacks and profiles show it) and run as
straight-line code.

The compiled writers take only the way through a document that meets no problem. At the
first problem (a hook's :class:`~ordermap.binding.Fault`, a required member without a
value) they hand the document to the generic hook, which starts again and collects every
problem with its path, in the order it always did: the generic hook stays the one
definition of what is written and what is refused, and the writers here are checked
against it (``tests/test_encode_fast.py``).

A plan is compiled once it has been used :data:`COMPILE_AFTER` times, so that documents
whose every object has its own member order (odd or hostile input) pay no compile per
object.

This module also keeps the tally of free-form values (unknown members, ``custom_fields``)
that hold something the JSON formats' fast writer (orjson) could write differently from
``formats.json_write._emit``: a ``float``, an ``Enum``, a ``UUID`` and the like. An encoder
that sees the tally unchanged across its unstructure may let orjson write the result (see
``formats.json_write.emit(plain=True)``).
"""

from __future__ import annotations

import linecache
import threading
import typing
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from itertools import repeat
from typing import Any

from ..values import JsonNumber

__all__ = [
    "COMPILE_AFTER",
    "ENABLED",
    "compilable",
    "compile_writer",
    "forget",
    "inline",
    "is_plain",
    "note_extra",
    "note_free",
    "odd_values",
]

ENABLED = True
"""Whether converters configured from now on compile writers (off only in tests, to compare
with the generic hooks alone)."""

COMPILE_AFTER = 4
"""How many times a member order is written the generic way before it gets its own code."""

_tally = threading.local()

# Leaves that orjson and _json._emit write alike (or orjson refuses, leaving them to _emit).
_PLAIN_LEAVES = frozenset({str, int, bool, type(None), Decimal, JsonNumber})
_CONTAINERS = frozenset({list, tuple})


def odd_values() -> int:
    """How many odd free-form values this thread's unstructure hooks have met so far.

    Per thread, so that another thread's count can neither hide nor fake this one's.
    """
    count: int = getattr(_tally, "odd", 0)
    return count


def is_plain(value: Any) -> bool:
    """Whether a free-form value holds only what both JSON writers write the same way."""
    stack = [value]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind in _PLAIN_LEAVES:
            continue
        if kind in _CONTAINERS:
            stack.extend(current)
        elif isinstance(current, dict):
            stack.extend(current.values())
        else:
            # Members (or any other list of pairs) inside a free-form value is left to the
            # Python writer too: its pairs would otherwise be checked as values.
            return False
    return True


def note_free(value: Any) -> Any:
    """Pass a free-form value through, counting it when it is not plain."""
    if type(value) not in _PLAIN_LEAVES and not is_plain(value):
        _tally.odd = odd_values() + 1
    return value


def note_extra(extra: Mapping[str, Any]) -> None:
    """Count the values of an object's unknown members that are not plain."""
    for value in extra.values():
        if type(value) not in _PLAIN_LEAVES and not is_plain(value):
            _tally.odd = odd_values() + 1


# --- compiled writers ----------------------------------------------------------------------

_serial = 0
_serial_lock = threading.Lock()


_Hook = typing.TypeVar("_Hook", bound=Callable[..., Any])


def inline(hook: _Hook, check: str, out: str = "v", **names: Any) -> _Hook:
    """Mark a scalar unstructure hook as one that compiled writers may write out in place.

    ``check`` is a Python expression over the value ``v`` that is true only where the hook
    returns without a problem, and ``out`` the expression giving what it returns then; the
    ``names`` they use are bound beside the compiled code (so each name must mean the same
    object wherever it is used). Where ``check`` is false the writer calls the generic hook,
    which calls the hook itself, so a check may be stricter than the hook but never looser.
    """
    hook.inline = (check, out, names)  # type: ignore[attr-defined]
    return hook


def compile_writer(
    cls: type,
    steps: tuple[tuple[str, Any, int, bool, bool], ...],
    planned: frozenset[str],
    *,
    expand: bool,
    omit_empty: bool,
    respell: Callable[[str, Any, Any], Any] | None,
    slow: Callable[[Any], Any],
    members: type,
    unset: Any,
) -> Callable[[Any], Any]:
    """A function writing an instance of ``cls`` whose member order has these plan steps.

    ``steps`` and ``planned`` are a plan of ``binding.unstructure._write_plan``; each field entry is
    ``(attribute, hook, required, is_list, spec)``. ``slow`` is the generic hook, called
    (and its result returned) where a problem is met. The function does not catch faults
    itself: its caller hands the document to ``slow`` when one is raised.

    Two functions are made: one for an object that remembers no spelling (a document built
    in code, and most documents read), which needs no ``null`` or respelling checks, and one
    for the others. The second, twice the first's source, is compiled only when an object
    first needs it: compiling is most of what a member order costs in a run that meets it a
    few dozen times.
    """
    names: dict[str, Any] = {
        "Members": members,
        "UNSET": unset,
        "repeat": repeat,
        "slow": slow,
        "respell": respell,
        "planned": planned,
    }
    plain = _function("write", steps, names, expand, omit_empty, None, spelled=False)
    spelled = _function("write_spelled", steps, names, expand, omit_empty, respell, spelled=True)
    namespace = dict(names)
    label = f"<ordermap unstructure {cls.__qualname__} #{_next_serial()}"
    later = _source(spelled)

    def write_spelled(obj: Any) -> Any:
        # The first call compiles the real one into the namespace, where ``write`` finds it
        # from then on (two threads may both compile it: the same function, harmless).
        return _compiled(label + " spelled>", later, namespace, "write_spelled")(obj)

    namespace["write_spelled"] = write_spelled
    write = _compiled(label + ">", _source(plain), namespace, "write")
    write.sources = (label + ">", label + " spelled>")  # type: ignore[attr-defined]
    return write


def _function(
    function: str,
    steps: tuple[tuple[str, Any, int, bool, bool], ...],
    names: dict[str, Any],
    expand: bool,
    omit_empty: bool,
    respell: Callable[[str, Any, Any], Any] | None,
    *,
    spelled: bool,
) -> list[str]:
    """The source lines of one writer (see :func:`compile_writer`)."""
    lines = [f"def {function}(obj):"]
    if spelled:
        lines.append("    sp = obj.wire.spelling")
    else:
        lines.append("    if obj.wire.spelling:")
        lines.append("        return write_spelled(obj)")
    lines += [
        "    ex = obj.extra",
        "    pairs = Members()",
        "    ap = pairs.append",
        "    ext = pairs.extend",
    ]
    slots: dict[str, str] = {}

    def slot(key: str) -> str:
        # The variable holding a list whose items are written at later places (XML).
        return "w" + slots.setdefault(key, str(len(slots)))

    for key, entry, index, _, _ in steps:
        if entry is not None and index:
            lines.append(f"    {slot(key)} = UNSET")
    for number, (key, entry, index, last, in_order) in enumerate(steps):
        k = _const(key, names)
        if entry is None:
            lines.append(f"    if {k} in ex:")
            lines.append(f"        v = ex[{k}]")
            if expand:
                part = f"v[{index}:]" if last else f"v[{index}:{index + 1}]"
                lines.append("        if type(v) is list:")
                lines.append(f"            ext(zip(repeat({k}), {part}))")
                lines.append("        else:")
                lines.append(f"            ap(({k}, v))")
            else:
                lines.append(f"        ap(({k}, v))")
            continue
        name, hook, required, is_list, spec = entry
        if index:
            w = slot(key)
            part = f"{w}[{index}:]" if last else f"{w}[{index}:{index + 1}]"
            lines.append(f"    if {w} is not UNSET:")
            lines.append(f"        ext(zip(repeat({k}), {part}))")
            continue
        if not name.isidentifier():
            raise ValueError(f"not an attribute name: {name!r}")
        lines.append(f"    v = obj.{name}")
        if spelled:
            lines.append("    if v is None:")
            lines.append(f"        if sp.get({k}) == 'null':")
            lines.append(f"            ap(({k}, None))")
            if required:
                lines.append("        else:")
                lines.append("            return slow(obj)")
            lines.append("    else:")
        else:
            if required:
                lines.append("    if v is None:")
                lines.append("        return slow(obj)")
                lines.append("    else:")
            else:
                lines.append("    if v is not None:")
        body = "        "
        if is_list and omit_empty and not in_order:
            lines.append(f"{body}if v:")
            body += "    "
        found = getattr(hook, "inline", None)
        if found is not None:
            check, out, bound = found
            for alias, value in bound.items():
                if names.setdefault(alias, value) is not value:
                    raise ValueError(f"{alias!r} names two objects in inlined hooks")
            lines.append(f"{body}if not ({check}):")
            lines.append(f"{body}    return slow(obj)")
            if out != "v":
                lines.append(f"{body}v = {out}")
        else:
            h = f"h{number}"
            names[h] = hook
            lines.append(f"{body}v = {h}(v)")
        if is_list and expand:
            if last:
                lines.append(f"{body}ext(zip(repeat({k}), v))")
            else:
                lines.append(f"{body}{slot(key)} = v")
                lines.append(f"{body}ext(zip(repeat({k}), v[:1]))")
            continue
        if spelled and respell is not None:
            s = f"s{number}"
            names[s] = spec
            lines.append(f"{body}if {k} in sp:")
            lines.append(f"{body}    v = respell(sp[{k}], {s}, v)")
        lines.append(f"{body}ap(({k}, v))")
    lines.append("    if ex:")
    lines.append("        for key, v in ex.items():")
    lines.append("            if key in planned:")
    lines.append("                continue")
    if expand:
        lines.append("            if type(v) is list:")
        lines.append("                ext(zip(repeat(key), v))")
        lines.append("            else:")
        lines.append("                ap((key, v))")
    else:
        lines.append("            ap((key, v))")
    lines.append("    return pairs")
    lines.append("")
    return lines


def compilable(order: tuple[str, ...]) -> bool:
    """Whether a remembered member order can have a writer: its names are all text (a
    document built in code may remember anything; the generic hook writes that)."""
    return all(type(key) is str for key in order)


def forget(writers: Iterable[Callable[..., Any]]) -> None:
    """Drop the source of writers no longer used from ``linecache``, which keeps it for ever."""
    for write in writers:
        for filename in getattr(write, "sources", ()):
            linecache.cache.pop(filename, None)


def _const(key: str, names: dict[str, Any]) -> str:
    """A source expression for a member name: a literal for an identifier-like name, else a
    name bound to the object (any text may be a member name; none of it becomes code)."""
    if type(key) is str and key.isidentifier() and key.isascii():
        return repr(key)
    alias = f"k{len(names)}"
    names[alias] = key
    return alias


def _next_serial() -> int:
    global _serial
    with _serial_lock:
        _serial += 1
        return _serial


def _source(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _compiled(
    filename: str, source: str, namespace: dict[str, Any], name: str
) -> Callable[[Any], Any]:
    """Compile ``source`` and run it in ``namespace``; the function it defines as ``name``."""
    exec(compile(source, filename, "exec"), namespace)  # our own source
    # Tracebacks and profiles show the generated lines (as cattrs.gen does).
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    function: Callable[[Any], Any] = namespace[name]
    return function
