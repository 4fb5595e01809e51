"""Validation one order at a time (:func:`ordermap.validation.validate_file`) finds what the
whole-document validation finds, for every format, on generated and on broken payloads."""

from __future__ import annotations

import io
from typing import Any

import attrs
import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from ordermap import formats
from ordermap.binding import Fault
from ordermap.errors import Location, Problem
from ordermap.formats import json_read, json_write, xml_read, xml_write
from ordermap.limits import DEFAULT_LIMITS
from ordermap.validation import Validation, validate, validate_file

from .strategies import json_documents, raw_dexero_json, raw_dexero_xml, raw_talkdesk_json
from .test_structure_gen import _ODD_JSON, _ODD_XML, broken


def _json(raw: Any) -> bytes:
    return json_write.emit(raw, indent=2)


@st.composite
def broken_json(draw: Any, raw: st.SearchStrategy[Any]) -> bytes:
    value = json_read.parse(_json(draw(raw)), DEFAULT_LIMITS, "test")
    return _json(draw(broken(value, _ODD_JSON)))


@st.composite
def broken_xml(draw: Any) -> bytes:
    root = xml_read.parse(draw(raw_dexero_xml()).encode(), DEFAULT_LIMITS, "test")
    node = draw(broken(xml_read.to_node(root, "test"), _ODD_XML))
    members = xml_write._children(node)
    if members is None:
        reject()  # an array inside an array has no XML form
    try:
        return xml_write.serialize(root.tag, members, indent=draw(st.sampled_from([None, 2])))
    except Fault:
        reject()  # the same, deeper down


PAYLOADS = {
    "dexero-json": st.one_of(json_documents(raw_dexero_json()), broken_json(raw_dexero_json())),
    "talkdesk-json": st.one_of(
        json_documents(raw_talkdesk_json()), broken_json(raw_talkdesk_json())
    ),
    "dexero-xml": st.one_of(raw_dexero_xml().map(str.encode), broken_xml()),
}


def _sorted(problems: tuple[Problem, ...], orders: str) -> list[str]:
    """The problems in a stable order. A JSON page's own members are read again from the
    page's text without its orders, so their problems keep their pointers but not their
    lines and columns."""
    shown = []
    for problem in problems:
        where = problem.location
        if where.pointer is not None and not where.pointer.startswith(orders):
            problem = attrs.evolve(problem, location=Location(pointer=where.pointer))
        shown.append(repr(problem))
    return sorted(shown)


@pytest.mark.parametrize("source", sorted(PAYLOADS))
@given(data=st.data())
def test_a_payload_validated_order_by_order_has_the_whole_documents_problems(
    source: str, data: st.DataObject
) -> None:
    payload = data.draw(PAYLOADS[source], label="payload")
    strict = data.draw(st.booleans(), label="strict")
    whole = validate(payload, strict=strict)
    streamed = validate_file(io.BytesIO(payload), strict=strict)
    assert isinstance(streamed, Validation)
    if streamed.kind is None and whole.kind != "page":
        # It starts as a page and turns out not to be one (another format's order, say); a
        # stream cannot go back to read it as something else, so it is refused as a page.
        assert not streamed.ok
        assert [p.code for p in streamed.problems] == ["unknown-document"]
        return
    assert (streamed.kind, streamed.ok) == (whole.kind, whole.ok)
    # A page that cannot be read to its end is named by the format its start announced.
    assert streamed.format == whole.format or (whole.format is None and whole.kind is None)
    orders = "/" + "/".join(formats.get(source).PAGE_ORDERS) + "/"
    if whole.format is None:
        # Not a document of any format: the page reader the first member chose says so in its
        # format's words, at the same place.
        assert [(p.code, p.location) for p in streamed.problems] == [
            (p.code, p.location) for p in whole.problems
        ]
        return
    assert _sorted(streamed.problems, orders) == _sorted(whole.problems, orders)


def test_an_empty_order_element_beside_a_nil_one_lacks_its_id_read_either_way() -> None:
    # Found by the property above: the page does not decode (the nil order), and its tree's
    # walk skipped <order/>, which decodes as an order without its id when streamed.
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<orders'
        b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        b'<order xsi:nil="true"/><order/></orders>\n'
    )
    expected = [("null-item", "/orders/order[1]"), ("missing-id", "/orders/order[2]")]
    whole = validate(data, "dexero-xml")
    streamed = validate_file(io.BytesIO(data), "dexero-xml")
    assert isinstance(streamed, Validation)
    for result in (whole, streamed):
        assert sorted((p.code, p.location.path) for p in result.problems) == sorted(expected)
