"""The fast ways of encoding give what the generic ones give: the same bytes, or the same error.

Encoding has a fast way and a generic way at three points: unstructure hooks compiled per
member order (``ordermap.binding._unstructure_gen``) beside the generic class hook, orjson beside
the Python JSON writer (``json_write.emit(plain=True)``), and a fast XML writer beside the one
that collects problems with their paths (``xml_write._FAST``). The generic ways are the
definition; these properties encode generated documents (read from generated wire text,
built from the model, and built with wrong values) both ways, in every format, and require
the same bytes or the same error with the same problems in the same order.
"""

from __future__ import annotations

import contextlib
import enum
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ordermap
from ordermap.binding import Members, _unstructure_gen, field_specs, is_model
from ordermap.errors import OrdermapError
from ordermap.formats import dexero_json, dexero_xml, json_write, talkdesk_json, xml_write
from ordermap.model import DexeroOrder, TalkdeskOrder, Wire
from ordermap.values import CalendarDate, JsonNumber, Timestamp
from tests.strategies import (
    dexero_documents,
    json_values,
    raw_dexero_json,
    raw_dexero_xml,
    raw_talkdesk_json,
    talkdesk_documents,
)

MODULES = {"dexero-json": dexero_json, "dexero-xml": dexero_xml, "talkdesk-json": talkdesk_json}


def _generic_converters() -> dict[str, Any]:
    _unstructure_gen.ENABLED = False
    try:
        return {name: module.make_converter() for name, module in MODULES.items()}
    finally:
        _unstructure_gen.ENABLED = True


GENERIC = _generic_converters()


@contextlib.contextmanager
def _generic_ways() -> Iterator[None]:
    """Encode with the generic hooks, the Python JSON writer and the collecting XML writer."""
    saved = {name: module.CONVERTER for name, module in MODULES.items()}
    emit = json_write.emit

    def python_emit(*args: Any, **kwargs: Any) -> bytes:
        kwargs["plain"] = False
        return emit(*args, **kwargs)

    for name, module in MODULES.items():
        module.CONVERTER = GENERIC[name]  # type: ignore[attr-defined]
    json_write.emit = python_emit  # type: ignore[assignment]
    xml_write._FAST = False
    try:
        yield
    finally:
        for name, module in MODULES.items():
            module.CONVERTER = saved[name]  # type: ignore[attr-defined]
        json_write.emit = emit  # type: ignore[assignment]
        xml_write._FAST = True


@contextlib.contextmanager
def _compile_at_once() -> Iterator[None]:
    """Compile a writer for every member order at its first use (not only for common ones)."""
    saved = _unstructure_gen.COMPILE_AFTER
    _unstructure_gen.COMPILE_AFTER = 1
    try:
        yield
    finally:
        _unstructure_gen.COMPILE_AFTER = saved


def _outcome(call: Any) -> Any:
    """What a call gives: its bytes, or its error's type and problems (or message)."""
    try:
        return ("bytes", call())
    except OrdermapError as error:
        return ("error", type(error).__name__, [repr(problem) for problem in error.problems])
    except Exception as error:  # an internal fault or a TypeError: compared as it is
        return ("raised", type(error).__name__, str(error))


def _both_ways(call: Any) -> tuple[Any, Any]:
    with _compile_at_once():
        fast = _outcome(call)
        again = _outcome(call)  # the second time through, compiled writers are used
    with _generic_ways():
        generic = _outcome(call)
    assert fast == again
    return fast, generic


def _check_encodes(document: Any, formats: tuple[str, ...]) -> None:
    for format in formats:
        for indent in (None, 2, 4):
            fast, generic = _both_ways(
                lambda format=format, indent=indent: ordermap.encode(
                    document, format, indent=indent
                )
            )
            assert fast == generic, (format, indent)
        module = MODULES[format]
        order_type = TalkdeskOrder if format == "talkdesk-json" else DexeroOrder
        if type(document) is order_type:
            at: list[str | int] = ["orders", "order", 3] if format == "dexero-xml" else ["x", 3]
            for indent, level in ((None, 0), (2, 0), (2, 3), (4, 2)):
                fast, generic = _both_ways(
                    lambda module=module, at=at, indent=indent, level=level: module.encode_order(
                        document, at, indent=indent, level=level
                    )
                )
                assert fast == generic, (format, indent, level)


DEXERO = ("dexero-json", "dexero-xml")


@given(raw_dexero_json())
def test_read_dexero_json_documents_encode_alike(raw: Any) -> None:
    document = ordermap.decode(json_write.emit(raw), "dexero-json")
    _check_encodes(document, DEXERO)


@given(st.data())
def test_read_dexero_xml_documents_encode_alike(data: st.DataObject) -> None:
    text = data.draw(raw_dexero_xml(contiguous=data.draw(st.booleans())))
    document = ordermap.decode(text.encode("utf-8"), "dexero-xml")
    _check_encodes(document, DEXERO)


@given(raw_talkdesk_json())
def test_read_talkdesk_documents_encode_alike(raw: Any) -> None:
    document = ordermap.decode(json_write.emit(raw), "talkdesk-json")
    _check_encodes(document, ("talkdesk-json",))


# Values a document built in code may hold where the model wants something else, and
# free-form values that only the Python JSON writer writes (or refuses) its own way.
class _Colour(enum.Enum):
    RED = 1


class _Text(str):
    pass


class _Number(int):
    pass


_BAD_VALUES = (
    None,
    1.5,
    "text",
    "",
    "\ud800",
    "a\x00b",
    -1,
    2**70,
    True,
    Decimal("NaN"),
    Decimal("1.234"),
    Decimal("1E+30"),
    Decimal("10.50"),
    JsonNumber("1e5"),
    _Text("sub"),
    _Number(3),
    _Colour.RED,
    uuid.UUID(int=7),
    Timestamp("2021-09-14T12:16:50Z"),
    CalendarDate("2021-09-14"),
    (),
    ("a",),
    [],
    {},
    {"k": 1.5},
    {"k": [1, {"x": 2**65}]},
    {"k": _Colour.RED},
    {"k": "\udfff"},
    {"k": Members([("a", 1), ("a", 2)])},
    {1: "non-text key"},
    orjson.Fragment(b"1"),
)


def _damage(data: st.DataObject, value: Any) -> Any:
    """A model tree with, here and there, a wrong value, odd unknown members or an odd
    remembered member order."""
    if isinstance(value, tuple):
        return tuple(_damage(data, item) for item in value)
    if not is_model(type(value)):
        return value
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        if field.name in ("wire", "extra"):
            continue
        changes[field.name] = _damage(data, getattr(value, field.name))
    roll = data.draw(st.integers(0, 9))
    names = [f.name for f in attrs.fields(type(value)) if f.name not in ("wire", "extra")]
    if roll == 0 and names:
        changes[data.draw(st.sampled_from(names))] = data.draw(st.sampled_from(_BAD_VALUES))
    elif roll == 1:
        changes["extra"] = {
            data.draw(st.sampled_from(["odd", "zz", "x-y"])): data.draw(
                st.sampled_from(_BAD_VALUES)
            )
        }
    elif roll == 2:
        keys = [*value.wire.keys, "odd"]
        order = tuple(data.draw(st.lists(st.sampled_from(keys), max_size=len(keys) + 2)))
        changes["wire"] = Wire(order, value.wire.spelling)
    elif roll == 3:
        changes["wire"] = Wire((*value.wire.keys, 7), value.wire.spelling)  # type: ignore[arg-type]
    elif roll in (4, 5):
        keys = [spec.key for spec in field_specs(type(value))]
        spelling = data.draw(st.dictionaries(st.sampled_from(keys), st.sampled_from(_SPELLINGS)))
        if roll == 5 and names:
            changes[data.draw(st.sampled_from(names))] = None
        changes["wire"] = Wire(value.wire.keys, spelling)
    return attrs.evolve(value, **changes)


_SPELLINGS = ("null", "null", "string", "number", "boolean", "object", "odd")


@given(st.data())
def test_dexero_documents_built_in_code_encode_alike(data: st.DataObject) -> None:
    document = data.draw(dexero_documents(xml_safe=data.draw(st.booleans())))
    _check_encodes(document, DEXERO)
    _check_encodes(_damage(data, document), DEXERO)


@given(st.data())
def test_talkdesk_documents_built_in_code_encode_alike(data: st.DataObject) -> None:
    document = data.draw(talkdesk_documents())
    _check_encodes(document, ("talkdesk-json",))
    _check_encodes(_damage(data, document), ("talkdesk-json",))


# --- the JSON writers alone ----------------------------------------------------------------

_ODD_BUT_PLAIN = st.sampled_from(
    [
        2**64,
        -(2**63) - 1,
        2**64 - 1,
        "\ud800",
        "x\udfffy",
        Decimal("NaN"),
        Decimal("-0"),
        Decimal("1E+5"),
        JsonNumber("-0"),
        _Text("sub"),
        _Number(5),
        Members([("a", 1), ("a", 2)]),
        Members(),
        {1: "x"},
        {_Text("k"): 1},
        'é\u2028\u2029\x7f\x1f"\\/',
    ]
)


def _values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(json_values(xml_safe=False, parsed=True), _ODD_BUT_PLAIN)
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.lists(children, max_size=3).map(tuple),
            st.dictionaries(st.text(max_size=3), children, max_size=3),
            st.lists(st.tuples(st.text(max_size=3), children), max_size=3).map(Members),
        ),
        max_leaves=10,
    )


_TRICKY = [
    Members([("a", Decimal("1E+5")), ("b", [Decimal("-0.00"), JsonNumber("1e5")])]),
    [2**64, "\ud800"],
    Members([("a", 1), ("a", 2)]),
    {"k": [_Text("x")]},
    {"k": {}, "l": [], "m": Members(), "n": [[], {}, ()]},
    ['é\u2028\x1f"\\/', {"é": None, "t": True, "f": False}, 2**64 - 1, -(2**63)],
]


@pytest.mark.parametrize("value", _TRICKY)
@pytest.mark.parametrize(("indent", "level"), [(None, 0), (None, 2), (2, 0), (2, 3), (3, 1)])
def test_orjson_writes_tricky_values_as_the_python_writer(
    value: Any, indent: int | None, level: int
) -> None:
    fast = _outcome(lambda: json_write.emit(value, indent, level=level, plain=True))
    assert fast == _outcome(lambda: json_write.emit(value, indent, level=level))


@given(_values(), st.sampled_from([None, 2, 0, 3]), st.integers(0, 3))
def test_orjson_writes_what_the_python_writer_writes(value: Any, indent: Any, level: int) -> None:
    fast = _outcome(lambda: json_write.emit(value, indent, level=level, plain=True))
    python = _outcome(lambda: json_write.emit(value, indent, level=level))
    assert fast == python


def test_free_form_values_that_orjson_would_write_its_own_way_are_noted() -> None:
    for odd in (1.5, _Colour.RED, uuid.UUID(int=1), orjson.Fragment(b"1"), [1.5], {"a": (2.5,)}):
        order = TalkdeskOrder(id="1", order_number="2", extra={"odd": odd})
        with_custom = TalkdeskOrder(id="1", order_number="2", custom_fields={"odd": odd})
        for document in (order, with_custom):
            _, plain = talkdesk_json.unstructure_plain(
                talkdesk_json.CONVERTER, document, "talkdesk-json", lambda path: None
            )
            assert not plain
    _, plain = talkdesk_json.unstructure_plain(
        talkdesk_json.CONVERTER,
        TalkdeskOrder(id="1", order_number="2", extra={"ok": [1, {"a": Decimal("1.5")}]}),
        "talkdesk-json",
        lambda path: None,
    )
    assert plain


# --- hooks written out in compiled writers ---------------------------------------------------


def _inlined_hooks() -> list[Any]:
    hooks = []
    for module in MODULES.values():
        for cls in module.KINDS.values():
            stack = [cls]
            seen = set()
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                for spec in field_specs(current):
                    tp = spec.item_type if spec.is_list else spec.type
                    if is_model(tp):
                        stack.append(tp)
                        continue
                    hook = module.CONVERTER.get_unstructure_hook(tp)
                    if getattr(hook, "inline", None) is not None and hook not in hooks:
                        hooks.append(hook)
    return hooks


INLINED = _inlined_hooks()


def test_the_common_hooks_are_inlined() -> None:
    assert len({id(hook) for hook in INLINED}) >= 10


_SCALARS = st.one_of(
    st.sampled_from(_BAD_VALUES),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(places=2, min_value=-(10**19), max_value=10**19),
    st.booleans(),
    st.text(max_size=8),
    st.text(alphabet="ABCDabcd0123+/=", max_size=12),
)


@pytest.mark.parametrize("hook", INLINED, ids=lambda hook: hook.__qualname__)
@given(value=_SCALARS)
def test_an_inlined_check_passes_only_what_its_hook_writes(hook: Any, value: Any) -> None:
    check, out, names = hook.inline
    scope = dict(names)
    scope["v"] = value
    if eval(check, scope):  # the hook's own check, as the writers run it
        assert hook(value) == eval(out, scope)
        assert type(hook(value)) is type(eval(out, scope))


def test_the_writer_of_spelled_objects_is_compiled_when_one_first_needs_it() -> None:
    import linecache

    from ordermap.model import DexeroCustomer

    def ours() -> set[str]:
        return {name for name in linecache.cache if "unstructure DexeroCustomer" in name}

    # A member order no other test uses, so that its writer is made here.
    order = ("default_locale", "last_name", "email", "first_name", "id")
    customer = DexeroCustomer(id=7, email="a@b.example", first_name="Ann", wire=Wire(order))
    plain = DexeroOrder(id=1, customer=customer)
    spelling = {"default_locale": "null"}  # read as null: written as null again
    spelled = DexeroOrder(id=1, customer=attrs.evolve(customer, wire=Wire(order, spelling)))
    before = ours()
    with _compile_at_once():
        first = ordermap.encode(plain, "dexero-json", indent=None)
        made = ours() - before
        assert len(made) == 1 and not next(iter(made)).endswith(" spelled>")
        assert ordermap.encode(plain, "dexero-json", indent=None) == first
        assert ours() - before == made  # used again, not made again
        written = ordermap.encode(spelled, "dexero-json", indent=None)
        later = ours() - before - made
        assert [name[-9:] for name in later] == [" spelled>"]
        assert linecache.getline(next(iter(later)), 1) == "def write_spelled(obj):\n"
        assert ordermap.encode(spelled, "dexero-json", indent=None) == written
    assert (
        first == b'{"order":{"id":1,"customer":{"email":"a@b.example","first_name":"Ann","id":7}}}'
    )
    with _generic_ways():
        assert ordermap.encode(plain, "dexero-json", indent=None) == first
        assert ordermap.encode(spelled, "dexero-json", indent=None) == written
    assert written == (
        b'{"order":{"id":1,"customer":{"default_locale":null,"email":"a@b.example",'
        b'"first_name":"Ann","id":7}}}'
    )
