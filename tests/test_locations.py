"""Problems are located where their offending token starts: line and column, JSON and XML.

Each property injects a fault at a known place of a generated document, writes the document
in a generated layout (indented or not, escaped or not), and checks the reported line and
column against the place found in the text by other means (a unique marker searched for).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import ordermap
from ordermap.cli import main
from ordermap.formats import json_places, json_read, json_write, xml_places
from ordermap.validation import validate_file

from . import strategies

UNKNOWN = "zz-unknown-member"
WRONG = "WRONG-TYPE-MARKER"


def _spot(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of an offset, counted plainly."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _objects(order: dict[str, Any]) -> list[dict[str, Any]]:
    """The order's objects that the format defines (where an unknown member warns)."""
    found = [order]
    for key in ("customer", "shipping_address", "billing_address"):
        if isinstance(order.get(key), dict):
            found.append(order[key])
    return found


@st.composite
def faulty_orders(draw: Any) -> tuple[dict[str, Any], str, str]:
    """A Dexero order's tree with one fault: (tree, the fault's code, its marker's text)."""
    order = draw(strategies.dexero_orders(xml_safe=False))
    tree = json_read.parse(ordermap.encode(order, "dexero-json"), ordermap.Limits(), "json")
    inner = tree["order"]
    if draw(st.booleans()):
        target = draw(st.sampled_from(_objects(inner)))
        target[UNKNOWN] = draw(st.sampled_from([1, "x", {"a": [1]}, None]))
        return tree, "unknown-field", f'"{UNKNOWN}"'
    inner["id"] = WRONG  # a long written as a string
    return tree, "wrong-type", f'"{WRONG}"'


def _found(result: ordermap.Validation, code: str, marker: str) -> tuple[int | None, int | None]:
    named = UNKNOWN if code == "unknown-field" else "/id"
    (problem,) = [
        p for p in result.problems if p.code == code and str(p.location.pointer).endswith(named)
    ]
    return problem.location.line, problem.location.column


@settings(max_examples=25)
@given(faulty_orders(), st.sampled_from([None, 0, 1, 2, 4]), st.booleans())
def test_a_json_document_problem_is_located_at_its_token(
    fault: tuple[dict[str, Any], str, str], indent: int | None, ascii_only: bool
) -> None:
    tree, code, marker = fault
    text = json_write.emit(tree, indent, ascii_only=ascii_only).decode()
    expected = _spot(text, text.index(marker))
    assert _found(ordermap.validate(text.encode()), code, marker) == expected
    assert _found(validate_file(io.BytesIO(text.encode())), code, marker) == expected


@settings(max_examples=25)
@given(faulty_orders(), st.integers(0, 3), st.integers(0, 2), st.booleans())
def test_a_json_line_problem_is_located_in_its_line(
    fault: tuple[dict[str, Any], str, str], before: int, blanks: int, ascii_only: bool
) -> None:
    tree, code, marker = fault
    good = b'{"order": {"id": 1}}\n'
    line = json_write.emit(tree, None, ascii_only=ascii_only)
    data = good * before + b"\n" * blanks + line + b"\n" + good
    text = data.decode()
    expected = _spot(text, text.index(marker))
    assert _found(validate_file(io.BytesIO(data), lines=True), code, marker) == expected


@settings(max_examples=25)
@given(
    faulty_orders(),
    st.integers(0, 2),
    st.integers(0, 2),
    st.sampled_from([None, 0, 2]),
    st.booleans(),
)
def test_a_streamed_page_problem_is_located_in_the_input(
    fault: tuple[dict[str, Any], str, str],
    before: int,
    after: int,
    indent: int | None,
    page_member: bool,
) -> None:
    tree, code, marker = fault
    good = {"id": 7, "customer_comment": "é\n"}
    if page_member:  # the fault is the page's own: an unknown member after its orders
        code, marker = "unknown-field", f'"{UNKNOWN}"'
        tree = {"order": {"id": 8}}
    envelope: dict[str, Any] = {"totalResults": before + after + 1}
    envelope["order"] = [good] * before + [tree["order"]] + [good] * after
    if page_member:
        envelope[UNKNOWN] = {"é": 1}
    page = {"orders": envelope}
    text = json_write.emit(page, indent).decode()
    expected = _spot(text, text.index(marker))
    result = validate_file(io.BytesIO(text.encode()))
    assert _found(result, code, marker) == expected


@st.composite
def faulty_xml_orders(draw: Any) -> tuple[Any, str, str]:
    """A Dexero order as an lxml element with one fault: (element, the fault's code, the
    element path it is located at)."""
    order = draw(strategies.dexero_orders(xml_safe=True))
    root = etree.fromstring(ordermap.encode(order, "dexero-xml"))
    if draw(st.booleans()):
        unknown = etree.Element(XML_UNKNOWN)
        unknown.text = "1"
        root.insert(draw(st.integers(0, len(root))), unknown)
        return root, "unknown-field", f"/order/{XML_UNKNOWN}"
    found = root.find("id")
    if found is None:
        found = etree.Element("id")
        root.insert(0, found)
    found.text = WRONG
    return root, "wrong-type", "/order/id"


XML_UNKNOWN = "zzunknown"


def _xml_found(result: ordermap.Validation, code: str, path: str) -> tuple[int | None, int | None]:
    (problem,) = [
        p for p in result.problems if p.code == code and str(p.location.path).endswith(path)
    ]
    return problem.location.line, problem.location.column


def _xml_spot(text: str, code: str) -> tuple[int, int]:
    if code == "unknown-field":
        return _spot(text, text.index(f"<{XML_UNKNOWN}"))
    return _spot(text, text.rindex("<id", 0, text.index(f">{WRONG}<")))


@settings(max_examples=25)
@given(faulty_xml_orders(), st.booleans())
def test_an_xml_document_problem_is_located_at_its_start_tag(
    fault: tuple[Any, str, str], pretty: bool
) -> None:
    root, code, path = fault
    data = etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=pretty)
    expected = _xml_spot(data.decode(), code)
    assert _xml_found(ordermap.validate(data), code, path) == expected
    assert _xml_found(validate_file(io.BytesIO(data)), code, path) == expected


@settings(max_examples=25)
@given(faulty_xml_orders(), st.integers(0, 2), st.integers(0, 2), st.booleans())
def test_a_streamed_xml_page_problem_is_located_in_the_input(
    fault: tuple[Any, str, str], before: int, after: int, pretty: bool
) -> None:
    order, code, path = fault
    page = etree.Element("orders")
    etree.SubElement(page, "totalResults").text = str(before + after + 1)
    for _ in range(before):
        etree.SubElement(etree.SubElement(page, "order"), "id").text = "7"
    page.append(order)
    for _ in range(after):
        etree.SubElement(etree.SubElement(page, "order"), "id").text = "8"
    data = etree.tostring(page, encoding="utf-8", pretty_print=pretty)
    expected = _xml_spot(data.decode(), code)
    where = f"/orders/order[{before + 1}]" if before + after else "/orders/order"
    assert _xml_found(validate_file(io.BytesIO(data)), code, where + path[6:]) == expected


def test_json_places_by_example() -> None:
    text = '{"a": [1, {"b": "é", "c": null}],\n "d": {}, "d": 2}'
    wanted = [
        (("a", "1", "b"), False),  # a value
        (("a", "1", "c"), True),  # a member's name
        (("a", "1", "zz"), False),  # missing: the object it belongs in
        (("a", "5"), False),  # past the list's end: the list
        (("d",), True),  # a duplicate: the first
        ((), False),  # the root
    ]
    assert json_places.positions(text, wanted) == {
        (("a", "1", "b"), False): (1, 17),
        (("a", "1", "c"), True): (1, 22),
        (("a", "1", "zz"), False): (1, 11),
        (("a", "5"), False): (1, 7),
        (("d",), True): (2, 2),
        ((), False): (1, 1),
    }
    assert json_places.parse_pointer("/a~1b/~0c/0") == ("a/b", "~c", "0")
    assert json_places.parse_pointer("") == ()
    assert json_places.parse_pointer("x") is None


def test_xml_places_by_example() -> None:
    text = "<a>\n <b/><b>\n  <é>é</é><c/></b>\n<!-- <c/> --><c/></a>"
    paths = [("/a/b[2]/c", (3, 11)), ("/a/c", (4, 14)), ("/a/b[2]/zz", (2, 6)), ("/a", (1, 1))]
    steps = {xml_places.parse_path(path): spot for path, spot in paths}
    assert xml_places.start_tags(text, steps) == steps
    assert xml_places.parse_path("/orders/order[3]/id") == (("orders", 1), ("order", 3), ("id", 1))
    assert xml_places.parse_path("/a[0]") is None


def test_the_three_outputs_carry_the_same_numbers(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    page = tmp_path / "page.xml"
    page.write_bytes(
        b"<orders>\n <order><id>1</id></order>\n <order> <id>x</id></order>\n</orders>"
    )
    order = tmp_path / "order.json"
    order.write_bytes('{"order": {\n  "id": 1, "chännel": "web", "id2": [\n1]}}'.encode())
    spots = {page: (3, 10), order: (2, 12)}
    assert main(["validate", str(page), str(order)]) == 1
    lines = capsysbinary.readouterr().out.decode().splitlines()
    for path, (line, column) in spots.items():
        assert any(text.startswith(f"{path}:{line}:{column}: ") for text in lines), lines
    assert main(["validate", "--output", "json", str(page), str(order)]) == 1
    report = json.loads(capsysbinary.readouterr().out)
    for entry in report["files"]:
        first = entry["problems"][0]
        assert (first["line"], first["column"]) == spots[Path(entry["path"])]
    assert main(["validate", "--output", "junit", str(page), str(order)]) == 1
    suite = ElementTree.fromstring(capsysbinary.readouterr().out)
    texts = "\n".join(
        str(each.text) for each in suite.iter() if each.tag in ("failure", "system-out")
    )
    for path, (line, column) in spots.items():
        assert f"{path}:{line}:{column}: " in texts


def test_a_page_from_standard_input_has_lines_without_xml_columns() -> None:
    page = b"<orders>\n <order><id>1</id></order>\n <order> <id>x</id></order>\n</orders>"

    class Unseekable(io.BytesIO):
        def seekable(self) -> bool:
            return False

    (problem,) = validate_file(Unseekable(page)).problems
    assert (problem.location.line, problem.location.column) == (3, None)
    (problem,) = validate_file(io.BytesIO(page)).problems
    assert (problem.location.line, problem.location.column) == (3, 10)
