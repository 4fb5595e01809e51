"""Streamed conversion (ordermap.stream): the same result as the whole-document path."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ordermap
from ordermap import stream
from ordermap.crosswalk.summary import LossSummary
from ordermap.pipeline import record as pipeline_record
from ordermap.stream import RecordError

from .sample import dexero_page_xml
from .strategies import (
    json_documents,
    raw_dexero_json,
    raw_dexero_xml,
    raw_talkdesk_json,
    raw_talkdesk_json_with,
)
from .trees import json_tree

# Every registered format: the properties below run for each (a new format needs its
# strategy added to the dicts keyed by format name).
FORMATS = ordermap.formats.names()


def whole(data: bytes, to: str, mode: str, indent: int | None) -> tuple[bytes, list[Any]]:
    """What decode, translate and encode of the whole document give."""
    document, source = ordermap.documents.decode_as(data)
    entries: list[Any] = []
    if to not in ordermap.formats_for(document):
        translation = ordermap.translate(document, to, mode=mode, source_format=source)  # type: ignore[arg-type]
        document, entries = translation.document, list(translation.report.entries)
    return ordermap.encode(document, to, indent=indent), entries


def streamed(data: bytes, to: str, **options: Any) -> tuple[bytes, list[Any], Any]:
    out, entries = io.BytesIO(), []
    result = stream.convert(io.BytesIO(data), out, to, on_entry=entries.append, **options)
    return out.getvalue(), entries, result


def same_text(left: bytes, right: bytes, fmt: str) -> bool:
    """Byte-identical, or (when lone surrogates made one side fall back to ``\\u`` escapes
    throughout) the same JSON document."""
    if left == right:
        return True
    return fmt != "dexero-xml" and b"\\ud" in left + right and json_tree(left) == json_tree(right)


RAW_PAGES = {
    "dexero-xml": raw_dexero_xml("page").map(str.encode),
    "dexero-json": json_documents(raw_dexero_json("page")),
    "talkdesk-json": json_documents(raw_talkdesk_json_with("page", identified=True)),
}


@pytest.mark.parametrize("source", FORMATS)
@given(data=st.data())
def test_a_streamed_page_equals_the_whole_document_path(source: str, data: st.DataObject) -> None:
    raw = data.draw(RAW_PAGES[source], label="page")
    to = data.draw(st.sampled_from(FORMATS), label="to")
    mode = data.draw(st.sampled_from(["report", "carry"]), label="mode")
    indent = data.draw(st.sampled_from([None, 2]), label="indent")
    try:
        expected, expected_entries = whole(raw, to, mode, indent)
    except ordermap.OrdermapError:
        with pytest.raises(ordermap.OrdermapError):
            streamed(raw, to, mode=mode, indent=indent)
        return
    got, entries, result = streamed(raw, to, mode=mode, indent=indent)
    assert result.layout == "page"
    assert same_text(got, expected, to), (got, expected)
    assert entries == expected_entries


RAW_SINGLES = {
    "dexero-xml": raw_dexero_xml("order").map(str.encode),
    "dexero-json": json_documents(raw_dexero_json("order")),
    "talkdesk-json": json_documents(
        st.one_of(raw_talkdesk_json_with("order", identified=True), raw_talkdesk_json("error"))
    ),
}


@pytest.mark.parametrize("source", FORMATS)
@given(data=st.data())
def test_a_single_document_streams_as_one_record_to_what_the_whole_path_makes(
    source: str, data: st.DataObject
) -> None:
    raw = data.draw(RAW_SINGLES[source], label="document")
    to = data.draw(st.sampled_from(FORMATS), label="to")
    mode = data.draw(st.sampled_from(["report", "carry"]), label="mode")
    indent = data.draw(st.sampled_from([None, 2]), label="indent")
    try:
        expected, expected_entries = whole(raw, to, mode, indent)
    except ordermap.OrdermapError as error:
        # The same error, raised as it is (a document is not skipped like a stream's order).
        with pytest.raises(type(error)) as caught:
            streamed(raw, to, mode=mode, indent=indent)
        assert caught.value.problems == error.problems
        return
    progress: list[tuple[int, int]] = []
    got, entries, result = streamed(
        raw, to, mode=mode, indent=indent, on_progress=lambda *done: progress.append(done)
    )
    assert (result.layout, result.orders) == ("single", 1)
    assert got == expected
    assert entries == expected_entries
    assert progress == [(1, len(raw))]


def test_strict_mode_refuses_a_single_document_as_translate_does() -> None:
    raw = ordermap.encode(
        ordermap.decode(dexero_page_xml(1, seed=8)).orders[0],  # type: ignore[union-attr]
        "dexero-json",
    )
    with pytest.raises(ordermap.TranslationError) as expected:
        ordermap.translate(ordermap.decode(raw), "talkdesk-json", mode="strict")
    entries: list[Any] = []
    out = io.BytesIO()
    with pytest.raises(ordermap.TranslationError) as caught:
        stream.convert(
            io.BytesIO(raw), out, "talkdesk-json", mode="strict", on_entry=entries.append
        )
    # The whole report rides on the error, as translate() gives it; none went to on_entry.
    assert caught.value.problems == expected.value.problems
    assert caught.value.report is not None and expected.value.report is not None
    assert caught.value.report.entries == expected.value.report.entries
    assert caught.value.report.source_format == "dexero-json"
    assert caught.value.report.lost
    assert entries == []
    assert out.getvalue() == b""


@pytest.mark.parametrize("to", FORMATS)
def test_a_generated_export_streams_to_what_the_whole_path_makes(to: str) -> None:
    raw = dexero_page_xml(60, seed=3)
    expected, expected_entries = whole(raw, to, "report", 2)
    got, entries, result = streamed(raw, to)
    assert (got, entries) == (expected, expected_entries)
    assert (result.orders, result.failed, result.lost) == (
        60,
        0,
        sum(e.action == "lost" for e in entries),
    )


def test_two_jobs_give_the_same_output_in_the_same_order() -> None:
    raw = dexero_page_xml(300, seed=5)
    one = streamed(raw, "talkdesk-json")
    two = streamed(raw, "talkdesk-json", jobs=2)
    assert one[0] == two[0]
    assert one[1] == two[1]
    assert two[2].orders == 300


# --- newline-delimited JSON --------------------------------------------------------------------


def test_a_page_becomes_one_order_per_line_and_back() -> None:
    raw = dexero_page_xml(5, seed=7)
    lines, entries, result = streamed(raw, "dexero-json", lines_out=True)
    assert result.orders == 5
    rows = lines.splitlines()
    assert len(rows) == 5 and all(b"\n" not in row for row in rows)
    page = ordermap.decode(raw)
    assert [ordermap.decode(row) for row in rows] == list(page.orders)
    # The page's own members have no place in a stream of orders: reported, not dropped.
    assert {(e.action, e.source) for e in entries} == {
        ("lost", "/orders/totalResults"),
        ("lost", "/orders/startIndex"),
        ("lost", "/orders/itemsPerPage"),
        ("lost", "/orders/pageCount"),
    }
    back, _, again = streamed(lines, "dexero-json", lines_out=False, indent=None)
    assert again.layout == "lines"
    assert ordermap.decode(back).orders == page.orders


def test_lines_are_detected_and_translated_with_stream_pointers() -> None:
    page = ordermap.decode(dexero_page_xml(3, seed=11))
    rows = b"\n".join(ordermap.encode(order, "dexero-json") for order in page.orders) + b"\n"
    out, entries, result = streamed(rows, "talkdesk-json")
    assert (result.layout, result.orders) == ("lines", 3)
    assert len(out.splitlines()) == 3
    # Line i's document is /i: the stream reads as an array of documents.
    assert entries and all(e.source.split("/")[1] in {"0", "1", "2"} for e in entries)
    assert all(e.source[2:].startswith("/order/") for e in entries)
    assert all(e.target is None or e.target.startswith(e.source[:2]) for e in entries)


def test_a_line_that_is_not_an_order_is_a_record_error() -> None:
    rows = b'{"order": {"id": 1}}\n{"orders": {"order": []}}\n'
    with pytest.raises(RecordError) as caught:
        streamed(rows, "dexero-json")
    assert caught.value.index == 1
    assert caught.value.problems[0].code == "not-an-order"


def test_dexero_xml_cannot_be_written_one_order_per_line() -> None:
    with pytest.raises(ValueError, match="newline-delimited"):
        streamed(dexero_page_xml(1, seed=1), "dexero-xml", lines_out=True)


# --- bad orders ---------------------------------------------------------------------------------


def _page_with_a_bad_third_order() -> bytes:
    raw = dexero_page_xml(5, seed=2).decode()
    parts = raw.split("<order>")
    third = parts[3].replace("<total_order>", "<total_order>x", 1)
    assert third != parts[3]
    return "<order>".join([*parts[:3], third, *parts[4:]]).encode()


def test_a_bad_order_is_reported_with_its_position() -> None:
    raw = _page_with_a_bad_third_order()
    with pytest.raises(RecordError) as caught:
        streamed(raw, "talkdesk-json")
    problem = caught.value.problems[0]
    assert caught.value.index == 2
    assert problem.location.path == "/orders/order[3]/total_order"
    line = (
        raw.decode()
        .splitlines()
        .index(next(row for row in raw.decode().splitlines() if "<total_order>x" in row))
    )
    assert problem.location.line == line + 1


@pytest.mark.parametrize(
    "markup",
    [
        "<!-- a comment\n  over\n  three lines -->",
        "<?note a processing\ninstruction?>",
        "<remark>one&#10;two&#10;three</remark>",
        "<remark>one\ntwo</remark>",
    ],
)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bad_order_has_its_line_with_any_markup_before_the_problem(
    markup: str, jobs: int
) -> None:
    # Worker processes get an order as the bytes lxml writes for it, whose lines are not the
    # input's where markup went (a comment) or changed (a character reference became a line
    # break); the line must still be the input's.
    raw = _page_with_a_bad_third_order().decode()
    at = raw.index("<total_order>x")
    raw = raw[:at] + markup + "\n    " + raw[at:]
    with pytest.raises(RecordError) as caught:
        streamed(raw.encode(), "talkdesk-json", jobs=jobs)
    (problem,) = caught.value.problems
    assert problem.location.path == "/orders/order[3]/total_order"
    assert "<total_order>x" in raw.splitlines()[problem.location.line - 1]


def test_orders_sent_to_workers_fail_as_one_job_fails_them() -> None:
    # Bad orders among good ones in one batch, with markup that moves lines, skipped with
    # keep_going: the same errors (index, line, problems) and output with two jobs as with one.
    raw = dexero_page_xml(30, seed=12).decode()
    parts = raw.split("<total_order>")
    markup = {3: "<!-- a\ncomment -->", 4: "<remark>a&#10;b</remark>", 17: "<?pi\n?>\n\n"}
    for number, before in markup.items():
        parts[number] = "x" + parts[number]
        parts[number - 1] += before
    raw_bytes = "<total_order>".join(parts).encode()
    outcomes = []
    for jobs in (1, 2):
        out, errors = io.BytesIO(), list[RecordError]()
        result = stream.convert(
            io.BytesIO(raw_bytes), out, "talkdesk-json", jobs=jobs, keep_going=True,
            on_error=errors.append,
        )  # fmt: skip
        failed = [(error.index, error.line, error.problems) for error in errors]
        outcomes.append((out.getvalue(), failed, result))
    assert outcomes[0] == outcomes[1]
    assert [index for index, _, _ in outcomes[0][1]] == [2, 3, 16]


def test_an_order_of_non_latin_text_within_max_bytes_converts_with_workers() -> None:
    # The bytes a worker gets for an order are UTF-8 like the input's: lxml's default ASCII
    # would write each character as a reference, several times its size, and over the limit.
    raw = dexero_page_xml(3, seed=1).decode()
    comment = "<customer_comment>" + "中" * 3000 + "</customer_comment>"
    raw = raw.replace("<currency>EUR</currency>", "<currency>EUR</currency>" + comment, 1)
    limits = attrs.evolve(ordermap.limits.DEFAULT_LIMITS, max_bytes=20_000)
    assert len(raw.encode()) < limits.max_bytes < len(raw.encode("ascii", "xmlcharrefreplace"))
    results = [
        stream.convert(
            io.BytesIO(raw.encode()), io.BytesIO(), "talkdesk-json", jobs=jobs, limits=limits
        )
        for jobs in (1, 2)
    ]
    assert results[0] == results[1]
    assert results[1].orders == 3


def test_a_bad_order_in_a_json_page_names_its_pointer_and_line() -> None:
    page = ordermap.decode(dexero_page_xml(3, seed=4))
    text = ordermap.encode(page, "dexero-json", indent=2).decode()
    marker = f'"id": {page.orders[1].id}'
    assert text.count(marker) == 1
    text = text.replace(marker, f'"id": "{page.orders[1].id}"')
    with pytest.raises(RecordError) as caught:
        streamed(text.encode(), "dexero-xml")
    problem = caught.value.problems[0]
    assert problem.location.pointer == "/orders/order/1/id"
    assert caught.value.index == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_keep_going_skips_the_bad_order_and_converts_the_rest(jobs: int) -> None:
    raw = _page_with_a_bad_third_order()
    errors: list[RecordError] = []
    out, entries, result = streamed(
        raw, "talkdesk-json", keep_going=True, on_error=errors.append, jobs=jobs
    )
    assert (result.orders, result.failed) == (4, 1)
    assert [e.index for e in errors] == [2]
    orders = ordermap.decode(out).orders
    source = ordermap.decode(dexero_page_xml(5, seed=2)).orders
    assert [o.order_number for o in orders] == [source[i].reference_number for i in (0, 1, 3, 4)]
    # The fourth source order is the third written: its target pointers say so.
    fourth = [e for e in entries if e.source.startswith("/orders/order/3/") and e.target]
    assert fourth and all(e.target.startswith("/_embedded/orders/2/") for e in fourth)


def test_a_broken_page_is_an_error_not_a_partial_result() -> None:
    raw = dexero_page_xml(4, seed=9)
    with pytest.raises(ordermap.DecodeError) as caught:
        streamed(raw[: len(raw) // 2], "dexero-json")
    assert caught.value.problems[0].code == "xml-syntax"
    text = ordermap.encode(ordermap.decode(raw), "dexero-json")
    with pytest.raises(ordermap.DecodeError) as caught:
        streamed(text[:-3], "dexero-xml")
    assert caught.value.problems[0].code == "json-syntax"


def test_a_doctype_after_the_first_chunk_is_refused() -> None:
    raw = dexero_page_xml(1, seed=1)
    hostile = raw.replace(
        b"<orders>", b"<!--" + b" " * 70_000 + b'--><!DOCTYPE x [<!ENTITY a "b">]><orders>'
    )
    with pytest.raises(ordermap.DecodeError) as caught:
        streamed(hostile, "dexero-json")
    assert caught.value.problems[0].code == "doctype"


def test_strict_mode_reports_everything_then_refuses() -> None:
    raw = dexero_page_xml(3, seed=8)
    entries: list[Any] = []
    out = io.BytesIO()
    with pytest.raises(ordermap.TranslationError) as caught:
        stream.convert(
            io.BytesIO(raw), out, "talkdesk-json", mode="strict", on_entry=entries.append
        )
    lost = [e for e in entries if e.action == "lost"]
    assert [p.location.pointer for p in caught.value.problems] == [e.source for e in lost]
    assert out.getvalue() == b""


# --- memory ---------------------------------------------------------------------------------------


class _Discard(io.RawIOBase):
    """An output that keeps nothing (an in-memory one would grow with the orders)."""

    written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.written += len(data)
        return len(data)


def _peak(orders: int) -> int:
    raw = dexero_page_xml(orders, seed=6)
    tracemalloc.start()
    try:
        sink = _Discard()
        stream.convert(io.BytesIO(raw), sink, "talkdesk-json", lines_out=True)  # type: ignore[arg-type]
        assert sink.written > orders * 100
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_orders() -> None:
    # Python-side allocations only (tracemalloc); the benchmark measures the process's RSS.
    small, large = _peak(100), _peak(1_000)
    assert large < small * 1.5 + 512 * 1024, (small, large)


# --- found in review: edges of the readers and the page writer ---------------------------------

STREAM_FIXTURES = Path(__file__).parent / "stream_fixtures"


def test_a_carried_bare_object_spelling_with_two_orders_streams_as_the_whole_path() -> None:
    # The carry slot says the page's order list was a bare object; with two orders the
    # encoder writes a list, and the page writer must agree with it.
    raw = (STREAM_FIXTURES / "carry-slot-bare-order-two-orders.json").read_bytes()
    expected, entries = whole(raw, "dexero-json", "carry", 2)
    assert streamed(raw, "dexero-json", mode="carry")[:2] == (expected, entries)


def test_keep_going_never_writes_a_missing_order() -> None:
    raw = (STREAM_FIXTURES / "carry-slot-bare-order-first-broken.json").read_bytes()
    out, _, result = streamed(raw, "dexero-json", mode="carry", keep_going=True)
    assert (result.orders, result.failed) == (1, 1)
    page = ordermap.decode(out)
    assert [order.reference_number for order in page.orders] == ["R1"]
    assert b"null" not in out


def test_text_after_a_later_order_is_mixed_content() -> None:
    raw = b"<orders><order><id>1</id></order><order><id>2</id></order>JUNK<order><id>3</id></order></orders>"
    with pytest.raises(ordermap.ValidationError) as caught:
        streamed(raw, "dexero-json")
    assert caught.value.problems[0].code == "mixed-content"


@pytest.mark.parametrize("chunk", [2, 3, 7, 64])
@pytest.mark.parametrize(
    ("fixture", "mode"),
    # The Talkdesk seed's ids have no place in a Dexero long: carry mode keeps them.
    [("dexero-json/page-example.json", "report"), ("talkdesk-json/seed-page.json", "carry")],
)
def test_values_cut_at_every_chunk_boundary_still_stream(
    chunk: int, fixture: str, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = (Path(__file__).parent / "fixtures" / fixture).read_bytes()
    expected = whole(raw, "dexero-xml", mode, 2)
    monkeypatch.setattr(pipeline_record, "CHUNK", chunk)
    assert streamed(raw, "dexero-xml", mode=mode)[:2] == expected


class _Counting(io.BytesIO):
    read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.read_bytes += len(data)
        return data


def test_broken_json_in_an_early_order_stops_the_reading() -> None:
    page = ordermap.decode(dexero_page_xml(2000, seed=13))
    text = ordermap.encode(page, "dexero-json", indent=2)
    broken = text.replace(b'"currency"', b',"currency"', 1)
    source = _Counting(broken)
    with pytest.raises(ordermap.DecodeError) as caught:
        stream.convert(source, io.BytesIO(), "dexero-xml")
    assert caught.value.problems[0].code == "json-syntax"
    assert caught.value.problems[0].location.line is not None
    assert source.read_bytes < len(broken) // 4


def test_lines_with_a_leading_blank_line_are_lines() -> None:
    rows = b'\n{"order": {"id": 1}}\n\n{"order": {"id": 2}}\n'
    out, _, result = streamed(rows, "dexero-json")
    assert (result.layout, result.orders) == ("lines", 2)
    assert out == b'{"order":{"id":1}}\n{"order":{"id":2}}\n'


def test_lines_to_dexero_xml_make_a_page() -> None:
    rows = b'{"order": {"id": 1}}\n{"order": {"id": 2}}\n'
    out, _, result = streamed(rows, "dexero-xml")
    assert result.orders == 2
    assert [o.id for o in ordermap.decode(out).orders] == [1, 2]


def test_a_line_longer_than_many_chunks_converts() -> None:
    # 4 MiB on one line, read in 64 KiB chunks (the time this takes is measured by
    # benchmarks/hostile.py, not here).
    big = b'{"order": {"id": 1, "customer_comment": "' + b"x" * (4 << 20) + b'"}}'
    data = b'{"order": {"id": 2}}\n' + big + b"\n"
    out, _, result = streamed(data, "dexero-json")
    assert result.orders == 2 and len(out) > 4 << 20


def test_a_duplicate_key_in_a_later_json_order_names_its_pointer_and_line() -> None:
    page = ordermap.decode(dexero_page_xml(3, seed=4))
    text = ordermap.encode(page, "dexero-json", indent=2).decode()
    marker = f'"id": {page.orders[1].id}'
    text = text.replace(marker, f"{marker}, {marker}")
    with pytest.raises(RecordError) as caught:
        streamed(text.encode(), "dexero-xml")
    problem = caught.value.problems[0]
    assert problem.code == "duplicate-key"
    assert problem.location.pointer == "/orders/order/1/id"
    assert text.splitlines()[problem.location.line - 1].count(marker) == 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_without_a_listener_only_the_counts_come_back(jobs: int) -> None:
    raw = dexero_page_xml(150, seed=14)
    _, entries, full = streamed(raw, "talkdesk-json")
    out = io.BytesIO()
    counted = stream.convert(io.BytesIO(raw), out, "talkdesk-json", jobs=jobs)
    assert counted == full
    assert (counted.lost, counted.derived) == (
        sum(e.action == "lost" for e in entries),
        sum(e.action == "derived" for e in entries),
    )


def test_an_undefined_entity_in_a_streamed_page_is_located_as_the_whole_path_locates_it() -> None:
    raw = b'<?xml version="1.0"?>\n<orders>\n<order>\n<id>&amp;&foo;</id>\n</order>\n</orders>\n'
    with pytest.raises(ordermap.DecodeError) as whole_error:
        ordermap.decode(raw)
    with pytest.raises(ordermap.DecodeError) as streamed_error:
        streamed(raw, "dexero-json")
    assert streamed_error.value.problems == whole_error.value.problems
    assert streamed_error.value.problems[0].location.line == 4


def _inputs_for_by_field() -> dict[str, bytes]:
    """A page with two bad orders in each layout a stream reads, and a single document; in
    the JSON ones, unknown members named by digits inside an order (array indexes to the
    summary, which counts them as ``*``)."""
    raw = dexero_page_xml(90, seed=15)
    parts = raw.split(b"<total_order>")
    parts[4], parts[70] = b"x" + parts[4], b"y" + parts[70]
    bad_xml = b"<total_order>".join(parts)
    page = ordermap.decode(raw)

    def numbered(text: bytes, member: bytes) -> bytes:
        # The first three objects of the member get a member named by digits.
        parts = text.split(b'"%s":{' % member)
        for number in range(1, min(4, len(parts))):
            parts[number] = b'"%d":%d,' % (90209 + number, number) + parts[number]
        return (b'"%s":{' % member).join(parts)

    dexero_json = numbered(ordermap.encode(page, "dexero-json", indent=None), b"billing_address")
    talkdesk = ordermap.translate(page, "talkdesk-json", mode="carry").document
    lines = numbered(
        b"".join(
            ordermap.encode(order, "talkdesk-json", indent=None) + b"\n"
            for order in talkdesk.orders or ()
        ),
        b"price_summary",
    )
    return {
        "dexero-xml page": bad_xml,
        "dexero-json page": dexero_json,
        "talkdesk-json lines": lines,
        "talkdesk-json order": lines.splitlines()[1],
    }


BY_FIELD_INPUTS = _inputs_for_by_field()


@pytest.mark.parametrize("name", sorted(BY_FIELD_INPUTS))
@pytest.mark.parametrize("mode", ["report", "carry", "strict"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_counting_by_field_gives_the_summary_of_every_entry(
    name: str, mode: str, jobs: int
) -> None:
    # The terminal's summary is counted without making the entries (by_field without
    # on_entry); it must be the summary of the entries a listener is given.
    raw = BY_FIELD_INPUTS[name]
    to = "dexero-json" if name.startswith("talkdesk") else "talkdesk-json"

    def run(**options: Any) -> tuple[Any, bytes]:
        out = io.BytesIO()
        try:
            result = stream.convert(
                io.BytesIO(raw),
                out,
                to,
                mode=mode,
                keep_going=True,
                jobs=jobs,
                **options,  # type: ignore[arg-type]
            )
        except ordermap.OrdermapError as error:
            return type(error), b""
        return result, out.getvalue()

    entries: list[Any] = []
    listened, listened_out = run(on_entry=entries.append)
    expected = LossSummary()
    for entry in entries:
        expected.add(entry)
    summary = LossSummary()
    counted, counted_out = run(by_field=summary)
    assert (counted, counted_out) == (listened, listened_out)
    assert summary.to_json() == expected.to_json()
    assert summary.lines() == expected.lines()
    assert summary.totals() == tuple(
        sum(e.action == action for e in entries) for action in ("lost", "derived", "carried")
    )
    if mode != "strict":
        assert len(summary) > 1
    if "json" in name and mode == "report":
        # The members named by digits are one field, whatever their names.
        assert any(
            field["source"].endswith(("/billing_address/*", "/price_summary/*"))
            and field["count"] == (1 if name.endswith("order") else 3)
            for field in summary.to_json()
        )
