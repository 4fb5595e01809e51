"""The pagination rules of a Dexero page (issue #10): ``too-many-orders``, ``start-past-total``
and ``page-count-mismatch``, in dexero-json and dexero-xml, warnings that ``strict`` makes
errors, the same from the whole document and from the page read order by order (which counts
its orders as they go past), from a page that decodes and from one that does not."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordermap import Severity
from ordermap.validation import Validation, validate, validate_file
from ordermap.validation.values import pagination

ROOT = Path(__file__).parent.parent
CODES = {"too-many-orders", "start-past-total", "page-count-mismatch"}
NAMES = ("totalResults", "startIndex", "itemsPerPage", "pageCount")


def _page(fmt: str, numbers: dict[str, Any], orders: list[dict[str, Any]]) -> bytes:
    """A Dexero page with these pagination properties (``None``: absent) and orders."""
    present = {name: value for name, value in numbers.items() if value is not None}
    if fmt == "dexero-json":
        return json.dumps({"orders": {**present, "order": orders}}, indent=1).encode()
    members = [f"<{name}>{value}</{name}>" for name, value in present.items()]
    for order in orders:
        members.append(
            "<order>" + "".join(f"<{k}>{v}</{k}>" for k, v in order.items()) + "</order>"
        )
    return ("<orders>\n" + "\n".join(members) + "\n</orders>").encode()


def _both(data: bytes, strict: bool = False) -> Validation:
    """``validate``'s result, after checking that ``validate_file`` finds the same problems."""
    whole = validate(data, strict=strict)
    streamed = validate_file(io.BytesIO(data), strict=strict)
    assert sorted(map(repr, streamed.problems)) == sorted(map(repr, whole.problems))
    return whole


def _found(result: Validation) -> list[tuple[str, str | None, str | None]]:
    where = [(p.code, p.location.pointer or p.location.path, p.input) for p in result.problems]
    return [each for each in where if each[0] in CODES]


ORDERS = [{"id": 1}, {"id": 2}, {"id": 3}]
FORMATS = ["dexero-json", "dexero-xml"]


def _at(fmt: str, name: str) -> str:
    return f"/orders/{name}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("numbers", "count", "expected"),
    [
        # More orders than a page holds.
        ((3, 0, 2, 2), 3, [("too-many-orders", "itemsPerPage", "2")]),
        ((3, 0, 0, None), 1, [("too-many-orders", "itemsPerPage", "0")]),
        # A start past the end, and a start at the end with orders.
        ((2, 3, 10, 1), 0, [("start-past-total", "startIndex", "3")]),
        ((2, 2, 10, 1), 1, [("start-past-total", "startIndex", "2")]),
        # Pages that do not add up.
        ((21, 0, 20, 1), 2, [("page-count-mismatch", "pageCount", "1")]),
        ((0, 0, 20, 1), 0, [("page-count-mismatch", "pageCount", "1")]),
        ((40, 0, 20, 3), 2, [("page-count-mismatch", "pageCount", "3")]),
        # All three at once, in document order.
        (
            (5, 6, 1, 4),
            2,
            [
                ("too-many-orders", "itemsPerPage", "1"),
                ("start-past-total", "startIndex", "6"),
                ("page-count-mismatch", "pageCount", "4"),
            ],
        ),
    ],
)
def test_each_contradiction_is_a_warning_at_its_member(
    fmt: str, numbers: tuple[int | None, ...], count: int, expected: list[tuple[str, str, str]]
) -> None:
    data = _page(fmt, dict(zip(NAMES, numbers, strict=True)), ORDERS[:count])
    result = _both(data)
    assert result.ok
    assert _found(result) == [(code, _at(fmt, name), value) for code, name, value in expected]
    assert {p.severity for p in result.problems} == {Severity.WARNING}
    strict = _both(data, strict=True)
    assert not strict.ok
    assert [p.code for p in strict.errors] == [code for code, _, _ in expected]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("numbers", "count"),
    [
        ((2, 0, 20, 1), 2),  # the seed-like example page
        ((261, 260, 20, 14), 1),  # the last page of Dexero's products example
        ((261, 261, 20, 14), 0),  # just past the last order, empty
        ((0, 0, 20, 0), 0),  # an empty result
        ((40, 20, 20, 2), 2),  # a short page is no contradiction
        ((None, None, None, None), 3),  # nothing to compare
        ((3, None, 2, None), 2),
        ((5, 0, 0, 7), 0),  # no page size: no page count to expect
        ((-1, -5, -2, -3), 3),  # negative properties are not these rules' business
    ],
)
def test_pages_that_add_up_give_no_pagination_problem(
    fmt: str, numbers: tuple[int | None, ...], count: int
) -> None:
    result = _both(_page(fmt, dict(zip(NAMES, numbers, strict=True)), ORDERS[:count]))
    assert _found(result) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_page_that_does_not_decode_still_has_its_pagination_checked(fmt: str) -> None:
    # The second order's id is text, so the page is checked from its tree, not its model.
    numbers = {"totalResults": 3, "startIndex": 0, "itemsPerPage": 1, "pageCount": 3}
    data = _page(fmt, numbers, [{"id": 1}, {"id": "x" if fmt == "dexero-json" else "x1"}])
    result = _both(data)
    assert not result.ok
    assert _found(result) == [("too-many-orders", "/orders/itemsPerPage", "1")]


def test_a_single_bare_order_counts_as_one() -> None:
    # Dexero JSON's one-item list as a bare object, and XML's one <order>, are one order.
    bare = (
        b'{"orders": {"totalResults": 0, "startIndex": 0, "itemsPerPage": 5, "order": {"id": 1}}}'
    )
    assert _found(_both(bare)) == [("start-past-total", "/orders/startIndex", "0")]
    xml = b"<orders><totalResults>1</totalResults><itemsPerPage>0</itemsPerPage><order/></orders>"
    assert _found(_both(xml)) == [("too-many-orders", "/orders/itemsPerPage", "0")]


def test_xml_numbers_are_read_as_the_decoder_reads_them() -> None:
    data = b"<orders>\n<totalResults>5</totalResults>\n<pageCount>2</pageCount>\n"
    data += b"<itemsPerPage>2</itemsPerPage>\n</orders>"
    result = _both(data)
    assert [(p.code, p.location.path, p.location.line) for p in result.problems] == [
        ("page-count-mismatch", "/orders/pageCount", 3)
    ]
    # A number the decoder refuses (blanks around it) has its error and no rule's finding.
    spaced = data.replace(b">5<", b"> 5 <")
    assert [p.code for p in _both(spaced).problems] == ["wrong-type"]


@given(
    numbers=st.tuples(*[st.one_of(st.none(), st.integers(-2, 8)) for _ in NAMES]),
    count=st.integers(0, 4),
    fmt=st.sampled_from(FORMATS),
    broken=st.booleans(),
)
def test_whole_and_streamed_pages_agree_on_small_paginations(
    numbers: tuple[int | None, ...], count: int, fmt: str, broken: bool
) -> None:
    orders: list[dict[str, Any]] = [{"id": index} for index in range(count)]
    if broken and orders:
        orders[-1] = {"id": "not a long"}
    data = _page(fmt, dict(zip(NAMES, numbers, strict=True)), orders)
    result = _both(data)
    total, start, per_page, pages = numbers
    expected = sorted(found[1] for found in pagination([], total, start, per_page, pages, count))
    assert sorted(code for code, _, _ in _found(result)) == expected


def _payloads() -> list[Path]:
    folders = [ROOT / "tests" / "fixtures", ROOT / "tests" / "stream_fixtures", ROOT / "examples"]
    return sorted(
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.suffix in (".json", ".xml") and path.is_file()
    )


@pytest.mark.parametrize("path", _payloads(), ids=lambda path: str(path.relative_to(ROOT)))
def test_the_bundled_payloads_have_consistent_pagination(path: Path) -> None:
    assert [p for p in validate(path.read_bytes()).problems if p.code in CODES] == []
