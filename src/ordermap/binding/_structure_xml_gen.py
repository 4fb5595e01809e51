"""Structure hooks generated per model class that read lxml elements directly, with no
intermediate tree of plain values.

The general way to read an XML document is in two steps: ``ordermap.formats.xml_read.to_node``
turns the elements into :class:`~ordermap.formats.xml_read.XmlNode` dicts (checking the
layout as it goes), and the class hooks of :mod:`ordermap.binding.structure` structure those.
A generated hook walks a class's child elements once, in the model's field order, and makes
the instance straight away: each field's element is expected where the model puts it, its
text goes through the inline common case of the field's scalar hook
(:func:`ordermap.binding.shortcut`), and its tag goes to ``wire.keys`` as ``to_node`` has it.

Where a child comes out of the model's order, is one the model does not know, or repeats,
the hook reads that element again by its children's tags (as ``to_node`` gathers them), keeps
unknown members in ``extra`` as their plain values, and its spelling notes in read order.

The hooks never decide anything the general way would decide otherwise: whatever is out of
the ordinary raises :class:`Irregular` and the caller reads the document again the general
way, which then gives its problems (with their paths, lines and order) or its values. That
includes every fault, every break of the layout (text beside elements, an element inside a
scalar, a processing instruction, a namespace), a repeat of a single value and a missing
required member. The caller checks attributes before calling (only ``xsi:nil="true"`` on an
element with no content passes), so a hook only asks for ``xsi:nil`` on an empty element.
Model classes must not contain themselves (a hook is built with the hooks of its classes).
"""

from __future__ import annotations

import linecache
import typing
from collections.abc import Callable
from typing import Any

from ..model import EMPTY, Wire
from ._instances import construct_lines, instance_names, wire_lines
from ._structure_gen import shortcut_of
from .core import Fault, FieldSpec, field_specs, is_model, keep_free

__all__ = ["Irregular", "make_element_structure_fn"]

ElementHook = Callable[[Any], Any]


class Irregular(Exception):
    """The element is not in the plain form a generated element hook reads; read the
    document the general way (which finds the same values, or the problems)."""


class _End:
    """Stands for the child after the last one: its tag is no field's."""

    __slots__ = ()
    tag = None
    tail = None


_END = _End()
_STR_TEST = "type(raw) is str"
_generated = 0


def _empty_hook(cls: type, specs: tuple[FieldSpec, ...], nil: str) -> ElementHook:
    """What a class's element with no child elements is: ``None`` for ``xsi:nil``, an
    instance with no members for blank text (the general way's empty object)."""
    fields = {spec.name: None for spec in specs}
    required = any(spec.required for spec in specs)
    wire = Wire((), EMPTY)

    def empty(element: Any) -> Any:
        text = element.text
        if text is None:
            if element.get(nil) is not None:
                return None
        elif not text.isspace():
            raise Irregular  # text where an object was expected
        if required:
            raise Irregular  # its required members are missing
        return cls(**fields, extra=EMPTY, wire=wire)

    return empty


def _advance(indent: str, key: str) -> list[str]:
    """The lines that remember the child just read and move to the next (the key is kept
    as the field's own string, one for all the instances, rather than the element's)."""
    return [f"{indent}seq.append({key!r})", f"{indent}c = next(it, _END)", f"{indent}tag = c.tag"]


# Text after a child element, between it and the next, is mixed content.
_ODD_TAIL = "(tail := c.tail) is not None and not tail.isspace()"


def _null_lines(index: int, spec: FieldSpec, indent: str) -> list[str]:
    """What ``xsi:nil`` gives a field: a spelling note, or (required) the general way."""
    if spec.required:
        return [f"{indent}raise _Irregular"]
    return [
        f"{indent}v{index} = None",
        f"{indent}if spelling is None:",
        f"{indent}    spelling = {{}}",
        f"{indent}spelling[{spec.key!r}] = 'null'",
    ]


def _absent_lines(index: int, spec: FieldSpec) -> list[str]:
    # A required member not where the model puts it: absent, or out of order.
    return [
        "    else:",
        "        raise _Irregular" if spec.required else f"        v{index} = None",
    ]


def _scalar_test(hook: Any, namespace: dict[str, Any]) -> tuple[str, str] | None:
    """The test and value of a scalar hook's shortcut on an element's text (``raw``, which
    is ``None`` for an element without text), or ``None`` when it has none."""
    fast = shortcut_of(hook)
    if fast is None:
        return None
    if set(fast.kinds) != {str}:
        raise ValueError(f"the shortcut of {hook!r} reads more than text")
    for name, value in fast.names.items():
        if namespace.setdefault(name, value) != value:
            raise ValueError(f"two shortcuts name different values {name!r}")
    # The text is a str or None, so the shortcut's type test becomes a None test.
    test = fast.test
    if test == _STR_TEST:
        test = "raw is not None"
    elif test.startswith(_STR_TEST + " and "):
        test = "raw is not None and " + test[len(_STR_TEST) + 5 :]
    else:
        test = f"raw is not None and ({test})"
    return test, fast.value


def _scalar_value(
    index: int, spec: FieldSpec, hook: Any, namespace: dict[str, Any], indent: str
) -> list[str]:
    """The lines that read the text of a scalar's element ``c`` into ``v<index>``."""
    namespace[f"_h{index}"] = hook
    namespace[f"_t{index}"] = spec.type
    lines = [f"{indent}raw = c.text"]
    fast = _scalar_test(hook, namespace)
    branch = "if"
    if fast is not None:
        lines += [f"{indent}if {fast[0]}:", f"{indent}    v{index} = {fast[1]}"]
        branch = "elif"
    lines.append(f"{indent}{branch} raw is None and c.get(_NIL) is not None:")
    lines += _null_lines(index, spec, indent + "    ")
    return [
        *lines,
        f"{indent}else:",
        f"{indent}    try:",
        # An element without text (and not nil) is the empty string.
        f"{indent}        v{index} = _h{index}(raw or '', _t{index})",
        f"{indent}    except _Fault:",
        f"{indent}        raise _Irregular from None",
    ]


# --- the hook for elements in the model's order ---------------------------------------------


def _scalar_source(index: int, spec: FieldSpec, hook: Any, namespace: dict[str, Any]) -> list[str]:
    return [
        f"    if tag == {spec.key!r}:",
        *_scalar_value(index, spec, hook, namespace, "        "),
        # An element inside a scalar's element is a fault or a break of the layout.
        f"        if len(c) or {_ODD_TAIL}:",
        "            raise _Irregular",
        *_advance("        ", spec.key),
        *_absent_lines(index, spec),
    ]


def _object_source(index: int, spec: FieldSpec) -> list[str]:
    return [
        f"    if tag == {spec.key!r}:",
        f"        v{index} = _d{index}(c)",
        f"        if v{index} is None:",
        *_null_lines(index, spec, "            "),
        f"        if {_ODD_TAIL}:",
        "            raise _Irregular",
        *_advance("        ", spec.key),
        *_absent_lines(index, spec),
    ]


def _list_source(index: int, spec: FieldSpec) -> list[str]:
    key = repr(spec.key)
    return [
        f"    if tag == {key}:",
        f"        item = _d{index}(c)",
        f"        if {_ODD_TAIL}:",
        "            raise _Irregular",
        *_advance("        ", spec.key),
        f"        if tag == {key}:",
        # A nil item among several is a fault (null-item).
        "            if item is None:",
        "                raise _Irregular",
        "            items = [item]",
        f"            while tag == {key}:",
        f"                item = _d{index}(c)",
        f"                if item is None or {_ODD_TAIL}:",
        "                    raise _Irregular",
        "                items.append(item)",
        *_advance("                ", spec.key),
        f"            v{index} = tuple(items)",
        "        elif item is None:",
        *_null_lines(index, spec, "            "),
        "        else:",
        f"            v{index} = (item,)",
        *_absent_lines(index, spec),
    ]


def _in_order_source(
    specs: tuple[FieldSpec, ...], hooks: list[Any], namespace: dict[str, Any]
) -> list[str]:
    """``structure(e)``: the child elements walked once, each where the model puts it."""
    lines = [
        "def structure(e):",
        "    it = iter(e)",
        "    c = next(it, _END)",
        "    if c is _END:",
        "        return _empty(e)",
        "    text = e.text",
        "    if text is not None and not text.isspace():",
        "        raise _Irregular",
        "    tag = c.tag",
        "    seq = []",
        "    spelling = None",
    ]
    for index, spec in enumerate(specs):
        if spec.is_list:
            lines += _list_source(index, spec)
        elif is_model(spec.type):
            lines += _object_source(index, spec)
        else:
            lines += _scalar_source(index, spec, hooks[index], namespace)
    return [
        *lines,
        # A child left over came out of the model's order, or is one the model does not
        # know, or repeats a single value: the element is read again by its children's tags.
        "    if c is not _END:",
        "        return _keyed(e)",
        "    keys = tuple(seq)",
        *wire_lines(),
        *construct_lines(specs, namespace, "_EMPTY"),
    ]


# --- the hook for elements in any order -------------------------------------------------------


def _keyed_source(
    specs: tuple[FieldSpec, ...], hooks: list[Any], namespace: dict[str, Any]
) -> list[str]:
    """``_keyed(e)``: the child elements gathered by tag first (as ``to_node`` gathers their
    values), then read in the model's order; members the model does not know go to
    ``extra``. Called only for an element with children and no text beside them."""
    lines = [
        "def _keyed(e):",
        "    by = {}",
        "    seq = []",
        "    for c in e:",
        "        tag = c.tag",
        # A processing instruction, or text after an element: a break of the layout.
        f"        if type(tag) is not str or {_ODD_TAIL}:",
        "            raise _Irregular",
        "        seq.append(tag)",
        "        held = by.get(tag)",
        "        if held is None:",
        "            by[tag] = c",
        "        elif type(held) is list:",
        "            held.append(c)",
        "        else:",
        "            by[tag] = [held, c]",
        "    get = by.get",
        "    found = 0",
        "    spelling = None",
    ]
    for index, spec in enumerate(specs):
        lines += [f"    c = get({spec.key!r})", "    if c is None:"]
        lines += ["        raise _Irregular"] if spec.required else [f"        v{index} = None"]
        lines += ["    else:", "        found += 1"]
        if spec.is_list:
            lines += [
                "        if type(c) is list:",
                "            items = []",
                "            for x in c:",
                f"                item = _d{index}(x)",
                "                if item is None:",
                "                    raise _Irregular",
                "                items.append(item)",
                f"            v{index} = tuple(items)",
                f"        elif (item := _d{index}(c)) is None:",
                *_null_lines(index, spec, "            "),
                "        else:",
                f"            v{index} = (item,)",
            ]
            continue
        # One element for a single value; a repeat is a fault.
        lines += ["        if type(c) is list:", "            raise _Irregular"]
        if is_model(spec.type):
            lines += [
                f"        v{index} = _d{index}(c)",
                f"        if v{index} is None:",
                *_null_lines(index, spec, "            "),
            ]
        else:
            lines += [
                *_scalar_value(index, spec, hooks[index], namespace, "        "),
                "        if len(c):",
                "            raise _Irregular",
            ]
    return [
        *lines,
        "    extra = None if found == len(by) else _unknown(by)",
        # Spelling notes in the order their members were first read, as the class hooks do.
        "    if spelling is not None and len(spelling) > 1:",
        "        spelling = {key: spelling[key] for key in by if key in spelling}",
        "    keys = tuple(seq)",
        *wire_lines(),
        *construct_lines(specs, namespace, "_EMPTY if extra is None else extra"),
    ]


def _unknown_hook(known: frozenset[str], unknown: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The members a class does not know, from its children gathered by tag: each element's
    plain value (a list for a repeated one), checked as a free-form value."""

    def extra(by: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, held in by.items():
            if key in known:
                continue
            value = [unknown(c) for c in held] if type(held) is list else unknown(held)
            try:
                found[key] = keep_free(value)
            except Fault:
                raise Irregular from None
        return found

    return extra


def make_element_structure_fn(
    cls: type,
    hook_of: Callable[[Any], Any],
    element_hook_of: Callable[[type], ElementHook],
    unknown: Callable[[Any], Any],
    nil: str,
    name: str,
) -> ElementHook:
    """The generated element hook of a model class.

    Args:
        cls: The model class.
        hook_of: The structure hook of a scalar field's type (the converter's).
        element_hook_of: The element hook of a nested model class.
        unknown: The plain value of an element the model does not know, as the two-step
            way keeps it in ``extra``; raises :class:`Irregular` where the layout is broken.
        nil: The attribute that marks a nil element (Clark notation).
        name: The format's name, for the hook's file name in tracebacks.

    Returns:
        A function of one element giving the instance, or ``None`` for an ``xsi:nil``
        element; it raises :class:`Irregular` for what it leaves to the general way.
    """
    global _generated
    specs = field_specs(cls)
    namespace: dict[str, Any] = {
        **instance_names(),
        "_cls": cls,
        "_END": _END,
        "_NIL": nil,
        "_Fault": Fault,
        "_Irregular": Irregular,
        "_empty": _empty_hook(cls, specs, nil),
        "_unknown": _unknown_hook(frozenset(spec.key for spec in specs), unknown),
    }
    hooks: list[Any] = []
    for index, spec in enumerate(specs):
        inner = spec.item_type if spec.is_list else spec.type
        if spec.is_list and not is_model(inner):
            raise ValueError(f"{cls.__name__}.{spec.name}: only lists of model classes")
        if is_model(inner):
            namespace[f"_d{index}"] = element_hook_of(inner)
            hooks.append(None)
        else:
            hooks.append(hook_of(spec.type))
    lines = [*_in_order_source(specs, hooks, namespace), *_keyed_source(specs, hooks, namespace)]
    source = "\n".join(lines) + "\n"
    _generated += 1
    filename = f"<ordermap element structure {name} {cls.__qualname__} #{_generated}>"
    exec(compile(source, filename, "exec"), namespace)  # our own source
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    function = namespace["structure"]
    function.__qualname__ = function.__name__ = f"structure_{cls.__name__}_element"
    return typing.cast(ElementHook, function)
