"""Carry slots that user data cannot break (lossless rule 6, issue #10).

A value in a slot's place is ordermap's slot only when it holds the ``"ordermap:slot": 1``
mark; anything else there is user data: report mode loses it with a reason that says it looks
like a slot, carry mode brings it back exactly, and a marked slot that is damaged is still a
``bad-carry-slot`` error. Each kind of look-alike is tried in every place a slot has, from
every source format, to every target.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

import ordermap
from ordermap import TranslationError, stream, translate
from ordermap.validation import validate, validate_file

from .trees import json_tree, xml_tree

NO_MARK = "looks like a carry slot but has no ordermap:slot mark, so it is data"


def unknown_version(shown: str) -> str:
    return (
        f"looks like a carry slot but its ordermap:slot mark {shown} is not version 1,"
        " the one this ordermap reads, so it is data"
    )


# Values a Talkdesk slot's place may hold that are not ordermap's slot, with the reason.
OBJECT_LOOKALIKES: dict[str, tuple[str, str]] = {
    "null": ("null", NO_MARK),
    "empty-object": ("{}", NO_MARK),
    "array": ("[1, 2]", NO_MARK),
    "string": ('"not json"', NO_MARK),
    "unmarked-patch": ('{"total_products": "1.00"}', NO_MARK),
    "version-2": ('{"ordermap:slot": 2, "total_products": "1.00"}', unknown_version("2")),
    "version-true": ('{"ordermap:slot": true}', unknown_version("true")),
    "version-1.0": ('{"ordermap:slot": 1.0}', unknown_version("1.0")),
    "version-text": ('{"ordermap:slot": "1"}', unknown_version("'1'")),
}

# The JSON text a Dexero slot may hold that is not ordermap's slot, with the reason.
TEXT_LOOKALIKES: dict[str, tuple[str, str]] = {
    "empty-text": ("", NO_MARK),
    "not-json": ("{oops", NO_MARK),
    "empty-object": ("{}", NO_MARK),
    "array": ("[1,2]", NO_MARK),
    "unmarked-patch": ('{"items_number":2}', NO_MARK),
    "version-2": ('{"ordermap:slot":2,"items_number":2}', unknown_version("2")),
    "version-true": ('{"ordermap:slot":true}', unknown_version("true")),
    "version-1.0": ('{"ordermap:slot":1.0}', unknown_version("1.0")),
}

DEXERO_FORMATS = ("dexero-json", "dexero-xml")


def tree(data: bytes, format: str) -> Any:
    return xml_tree(data) if format == "dexero-xml" else json_tree(data)


def wire(json_text: str, format: str) -> bytes:
    """A document in ``format``, written from its JSON form (for dexero-xml, as ordermap
    writes it, so that the XML holds the same values)."""
    if format == "dexero-xml":
        return ordermap.encode(ordermap.decode(json_text, "dexero-json"), "dexero-xml")
    return json_text.encode()


def round_trip(source: bytes, format: str, to: str) -> tuple[bytes, Any, Any]:
    """Carry ``source`` to ``to`` and back; what came back, and the two reports."""
    there = translate(ordermap.decode(source, format), to, mode="carry", source_format=format)
    middle = ordermap.encode(there.document, to)
    back = translate(ordermap.decode(middle, to), format, mode="carry", source_format=to)
    return ordermap.encode(back.document, format), there.report, back.report


def check(source: bytes, format: str, to: str, where: str, reason: str) -> None:
    """Report mode loses the look-alike at ``where`` with ``reason``; carry mode carries it
    with the same reason, and translating back gives ``source`` exactly, with no entries."""
    result = translate(ordermap.decode(source, format), to, source_format=format)
    found = [e for e in result.report.entries if e.source == where]
    assert [(e.action, e.reason.endswith("; " + reason)) for e in found] == [("lost", True)], (
        result.report.render()
    )
    back, there, report = round_trip(source, format, to)
    carried = [e for e in there.entries if e.source == where]
    assert [(e.action, e.reason) for e in carried] == [("carried", found[0].reason)]
    assert report.entries == ()
    assert tree(back, format) == tree(source, format)


def talkdesk_order(slot: str) -> str:
    return '{"id": "7", "order_number": "#A1", "custom_fields": {"dexero": ' + slot + "}}"


def talkdesk_page(slot: str) -> str:
    return (
        '{"_embedded": {"orders": [{"id": "7", "order_number": "#A1"}]},'
        ' "custom_fields": {"note": "x", "dexero": ' + slot + "}}"
    )


def dexero_order(value: str) -> str:
    entry = json.dumps({"identifier": "ordermap:talkdesk", "value": value})
    other = '{"identifier": "gift", "value": "yes"}'
    return '{"order": {"id": 7, "reference_number": "#A1", "customer": {"custom_field": [' + (
        other + ", " + entry + "]}}}"
    )


def dexero_page(value: str) -> str:
    return (
        '{"orders": {"totalResults": 1, "order": [{"id": 7, "reference_number": "#A1"}],'
        ' "ordermap_talkdesk": ' + json.dumps(value) + "}}"
    )


@pytest.mark.parametrize("to", DEXERO_FORMATS)
@pytest.mark.parametrize("kind", OBJECT_LOOKALIKES)
def test_a_talkdesk_order_lookalike_is_data(kind: str, to: str) -> None:
    slot, reason = OBJECT_LOOKALIKES[kind]
    check(
        wire(talkdesk_order(slot), "talkdesk-json"), "talkdesk-json", to, "/custom_fields", reason
    )


@pytest.mark.parametrize("to", DEXERO_FORMATS)
@pytest.mark.parametrize("kind", OBJECT_LOOKALIKES)
def test_a_talkdesk_page_lookalike_is_data(kind: str, to: str) -> None:
    slot, reason = OBJECT_LOOKALIKES[kind]
    check(wire(talkdesk_page(slot), "talkdesk-json"), "talkdesk-json", to, "/custom_fields", reason)


@pytest.mark.parametrize("format", DEXERO_FORMATS)
@pytest.mark.parametrize("kind", TEXT_LOOKALIKES)
def test_a_dexero_order_lookalike_is_data(kind: str, format: str) -> None:
    value, reason = TEXT_LOOKALIKES[kind]
    source = wire(dexero_order(value), format)
    check(source, format, "talkdesk-json", "/order/customer", reason)


@pytest.mark.parametrize("format", DEXERO_FORMATS)
@pytest.mark.parametrize("kind", TEXT_LOOKALIKES)
def test_a_dexero_page_lookalike_is_data(kind: str, format: str) -> None:
    value, reason = TEXT_LOOKALIKES[kind]
    source = wire(dexero_page(value), format)
    check(source, format, "talkdesk-json", "/orders/ordermap_talkdesk", reason)


@pytest.mark.parametrize(
    "entry",
    [
        '{"identifier": "ordermap:talkdesk"}',
        '{"identifier": "ordermap:talkdesk", "value": null}',
        '{"identifier": "ordermap:talkdesk", "value": 5}',
        '{"identifier": "ordermap:talkdesk", "value": "{}", "label": "mine"}',
    ],
    ids=["no-value", "null-value", "number-value", "with-a-label"],
)
def test_a_dexero_entry_without_json_text_is_data(entry: str) -> None:
    source = '{"order": {"id": 7, "reference_number": "#A1", "customer": {"custom_field": ' + (
        entry + "}}}"
    )
    check(source.encode(), "dexero-json", "talkdesk-json", "/order/customer", NO_MARK)


def test_a_dexero_slot_beside_a_lookalike_is_read_and_the_lookalike_kept() -> None:
    """A marked entry is the slot; an unmarked one with the same identifier stays data."""
    source = talkdesk_order('{"ordermap:slot": 2}')
    there = translate(ordermap.decode(source), "dexero-json", mode="carry")
    middle = ordermap.encode(there.document, "dexero-json")
    fields = json.loads(middle)["order"]["customer"]["custom_field"]
    assert [field["identifier"] for field in fields] == ["ordermap:talkdesk"]
    # Dexero data beside the slot: an entry named like it but unmarked.
    document = json.loads(middle)
    fields.insert(0, {"identifier": "ordermap:talkdesk", "value": "mine"})
    document["order"]["customer"]["custom_field"] = fields
    data = json.dumps(document)
    result = translate(ordermap.decode(data), "talkdesk-json")
    assert json_tree(ordermap.encode(result.document, "talkdesk-json")) == json_tree(source)
    assert [(e.action, e.source) for e in result.report.entries] == [("lost", "/order/customer")]
    assert result.report.entries[0].value == {
        "custom_field": [{"identifier": "ordermap:talkdesk", "value": "mine"}]
    }
    assert result.report.entries[0].reason.endswith("; " + NO_MARK)


def test_an_empty_page_level_lookalike_survives_a_carry_round_trip() -> None:
    source = b'{"_embedded": {"orders": []}, "custom_fields": {"dexero": {}}}'
    for to in DEXERO_FORMATS:
        back, _, report = round_trip(source, "talkdesk-json", to)
        assert report.entries == ()
        assert json_tree(back) == json_tree(source)


@pytest.mark.parametrize("to", DEXERO_FORMATS)
def test_every_slot_ordermap_writes_leads_with_the_mark(to: str) -> None:
    source = b'{"_links": {"self": {"href": "x"}}, "_embedded": {"orders": [{"id": "A-7", "order_number": "#A1"}]}}'
    there = translate(ordermap.decode(source), to, mode="carry")
    page = ordermap.decode(ordermap.encode(there.document, to), to)
    assert page.extra["ordermap_talkdesk"].startswith('{"ordermap:slot":1,')
    (field,) = page.orders[0].customer.custom_fields
    assert field.value is not None and field.value.startswith('{"ordermap:slot":1,')
    dexero = translate(
        ordermap.decode(
            b'{"order": {"id": 1, "reference_number": "#A", "customer_email": "a@b.pt"}}'
        ),
        "talkdesk-json",
        mode="carry",
    )
    held = json.loads(ordermap.encode(dexero.document, "talkdesk-json"))["custom_fields"]["dexero"]
    assert next(iter(held)) == "ordermap:slot" and held["ordermap:slot"] == 1


def test_an_old_slot_without_the_mark_is_data_now() -> None:
    """A slot written before the mark is read as data: its values are reported, not applied."""
    old = dexero_order('{"id":"A-7","ordermap:keys":["id","order_number"]}')
    result = translate(ordermap.decode(old), "talkdesk-json")
    assert json.loads(ordermap.encode(result.document, "talkdesk-json"))["id"] == "7"
    assert [e.source for e in result.report.lost] == ["/order/customer"]


@pytest.mark.parametrize(
    ("source", "format", "to", "where"),
    [
        (
            talkdesk_order('{"ordermap:slot": 1, "ordermap:keys": 3}'),
            "talkdesk-json",
            "dexero-json",
            "/custom_fields/dexero",
        ),
        (
            talkdesk_page('{"ordermap:slot": 1, "totalResults": "x"}'),
            "talkdesk-json",
            "dexero-xml",
            "/custom_fields/dexero",
        ),
        (
            dexero_order('{"ordermap:slot":1,"items_number":"x"}'),
            "dexero-json",
            "talkdesk-json",
            "/order/customer/custom_field",
        ),
        (
            dexero_order('{"ordermap:slot":1,"ordermap:absent":5}'),
            "dexero-xml",
            "talkdesk-json",
            "/order/customer/custom_field",
        ),
        (
            dexero_page('{"ordermap:slot":1,"_links":5}'),
            "dexero-xml",
            "talkdesk-json",
            "/orders/ordermap_talkdesk",
        ),
    ],
    ids=["talkdesk-order", "talkdesk-page", "dexero-order", "dexero-xml-order", "dexero-xml-page"],
)
@pytest.mark.parametrize("mode", ["report", "strict", "carry"])
def test_a_marked_slot_that_is_damaged_is_an_error(
    source: str, format: str, to: str, where: str, mode: str
) -> None:
    document = ordermap.decode(wire(source, format), format)
    with pytest.raises(TranslationError) as caught:
        translate(document, to, mode=mode, source_format=format)
    assert {p.code for p in caught.value.problems} == {"bad-carry-slot"}
    if "restore" not in caught.value.problems[0].message:
        assert [p.location.pointer for p in caught.value.problems] == [where]


def test_carry_mode_does_not_overwrite_a_lookalike_with_its_slot() -> None:
    """A Talkdesk look-alike restored from a Dexero slot sits where carry mode would put its
    own slot, when the Dexero order has something of its own to carry: an error, not a loss."""
    source = talkdesk_order('{"mine": true}')
    there = translate(ordermap.decode(source), "dexero-json", mode="carry")
    document = json.loads(ordermap.encode(there.document, "dexero-json"))
    document["order"]["customer_email"] = "ana@example.com"
    edited = ordermap.decode(json.dumps(document))
    with pytest.raises(TranslationError) as caught:
        translate(edited, "talkdesk-json", mode="carry")
    assert [(p.code, p.location.pointer) for p in caught.value.problems] == [
        ("carry-slot-taken", "/custom_fields/dexero")
    ]
    # Report mode writes no slot: the look-alike comes back, the email is lost.
    result = translate(edited, "talkdesk-json")
    assert json.loads(ordermap.encode(result.document, "talkdesk-json"))["custom_fields"] == {
        "dexero": {"mine": True}
    }
    assert [e.source for e in result.report.lost] == ["/order/customer_email"]


def test_carry_mode_does_not_overwrite_a_page_lookalike_with_its_slot() -> None:
    source = dexero_page("mine")
    there = translate(ordermap.decode(source), "talkdesk-json", mode="carry")
    document = json.loads(ordermap.encode(there.document, "talkdesk-json"))
    document["_links"] = {"self": {"href": "x"}}
    with pytest.raises(TranslationError) as caught:
        translate(ordermap.decode(json.dumps(document)), "dexero-json", mode="carry")
    assert [(p.code, p.location.pointer) for p in caught.value.problems] == [
        ("carry-slot-taken", "/orders/ordermap_talkdesk")
    ]


# --- validate warns at every look-alike: carry-slot-lookalike -------------------------------


def lookalike_warnings(data: bytes, strict: bool = False) -> list[tuple[str, str, str]]:
    """The ``carry-slot-lookalike`` problems (severity, place, message) of ``data``, after
    checking that the page read order by order finds what the whole document does."""
    whole = validate(data, strict=strict)
    streamed = validate_file(io.BytesIO(data), strict=strict)
    assert sorted(map(repr, streamed.problems)) == sorted(map(repr, whole.problems))
    return [
        (str(p.severity), p.location.pointer or p.location.path or "", p.message)
        for p in whole.problems
        if p.code == "carry-slot-lookalike"
    ]


@pytest.mark.parametrize("kind", OBJECT_LOOKALIKES)
def test_validate_warns_at_a_talkdesk_lookalike(kind: str) -> None:
    slot, reason = OBJECT_LOOKALIKES[kind]
    for source in (talkdesk_order(slot), talkdesk_page(slot)):
        assert lookalike_warnings(source.encode()) == [("warning", "/custom_fields/dexero", reason)]
        assert lookalike_warnings(source.encode(), strict=True) == [
            ("error", "/custom_fields/dexero", reason)
        ]


@pytest.mark.parametrize("format", DEXERO_FORMATS)
@pytest.mark.parametrize("kind", TEXT_LOOKALIKES)
def test_validate_warns_at_a_dexero_lookalike(kind: str, format: str) -> None:
    value, reason = TEXT_LOOKALIKES[kind]
    entry = "/order/customer/custom_field/1" if format == "dexero-json" else ""
    page = "/orders/ordermap_talkdesk" if format == "dexero-json" else ""
    for source, where in ((dexero_order(value), entry), (dexero_page(value), page)):
        found = lookalike_warnings(wire(source, format))
        if format == "dexero-xml":
            # An element path: the entry is the second custom_field element.
            assert [w[0] for w in found] == ["warning"] and found[0][2] == reason
            assert found[0][1] in ("/order/customer/custom_field[2]", "/orders/ordermap_talkdesk")
        else:
            assert found == [("warning", where, reason)]


def test_validate_warns_in_a_document_that_does_not_decode() -> None:
    """The parsed tree's walk gives the warning too, beside the decoder's error."""
    talkdesk_source = talkdesk_order("null").replace('"id": "7"', '"id": 7')
    dexero_source = dexero_order("x").replace('"id": 7', '"id": "x"')
    for source, where in (
        (talkdesk_source, "/custom_fields/dexero"),
        (dexero_source, "/order/customer/custom_field/1"),
    ):
        result = validate(source.encode())
        assert not result.ok
        assert [(p.code, p.location.pointer) for p in result.problems][-1] == (
            "carry-slot-lookalike",
            where,
        )


@pytest.mark.parametrize(
    ("source", "to"),
    [
        (talkdesk_order('{"ordermap:slot": 2}'), "dexero-json"),
        (talkdesk_order("null"), "dexero-xml"),
        (dexero_order("x"), "talkdesk-json"),
        (dexero_page(""), "talkdesk-json"),
    ],
)
def test_validate_is_quiet_about_the_slots_ordermap_writes(source: str, to: str) -> None:
    """A carried document holds the source's look-alike inside a marked slot: one slot, no
    warning (the look-alike is data inside the patch, where no slot's place is)."""
    there = translate(ordermap.decode(source), to, mode="carry")
    data = ordermap.encode(there.document, to)
    assert b"ordermap:slot" in data
    assert lookalike_warnings(data) == []


# --- the stream reads look-alikes as the whole document does --------------------------------


@pytest.mark.parametrize("mode", ["report", "carry"])
@pytest.mark.parametrize(
    ("source", "format", "to"),
    [
        (talkdesk_page("null"), "talkdesk-json", "dexero-json"),
        (talkdesk_page('{"ordermap:slot": 2}'), "talkdesk-json", "dexero-xml"),
        (dexero_page("{oops"), "dexero-json", "talkdesk-json"),
        (dexero_page('{"ordermap:slot":true}'), "dexero-xml", "talkdesk-json"),
    ],
)
def test_the_stream_gives_what_the_whole_translation_gives(
    source: str, format: str, to: str, mode: str
) -> None:
    """Page-level and order-level look-alikes, streamed order by order and translated whole."""
    page = json.loads(source)
    orders = page["_embedded"]["orders"] if "_embedded" in page else page["orders"]["order"]
    if format == "talkdesk-json":
        orders[0]["custom_fields"] = {"dexero": {}}
    else:
        orders[0]["customer"] = {
            "custom_field": [{"identifier": "ordermap:talkdesk", "value": "[]"}]
        }
    data = wire(json.dumps(page), format)
    document = ordermap.decode(data, format)
    translation = translate(document, to, mode=mode, source_format=format)
    out = io.BytesIO()
    entries: list[Any] = []
    stream.convert(io.BytesIO(data), out, to, mode=mode, on_entry=entries.append)
    assert out.getvalue() == ordermap.encode(translation.document, to, indent=2)
    assert entries == list(translation.report.entries)
    assert sum(NO_MARK in e.reason or "mark" in e.reason for e in entries) == 2
