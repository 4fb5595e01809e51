"""Byte-range jobs (ordermap.pipeline.ranges and .jobs): with several jobs, a file's orders are
found without parsing them and each worker reads its own stretch; whatever comes out must be
what one job gives, byte for byte, entry for entry, error for error."""

from __future__ import annotations

import gzip
import io
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ordermap
from ordermap import stream
from ordermap.crosswalk.summary import LossSummary
from ordermap.limits import DEFAULT_LIMITS, Limits
from ordermap.pipeline import jobs, ranges
from ordermap.stream import RecordError

from .sample import dexero_page_xml


@pytest.fixture(autouse=True)
def small_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spans of a few orders, so that small files are cut into many (the finder runs in the
    parent, so the workers need not see the change)."""
    monkeypatch.setattr(ranges, "SPAN_BYTES", 1500)
    monkeypatch.setattr(ranges, "SPAN_ORDERS", 3)


@pytest.fixture(autouse=True)
def count_ranged(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every ranged run made, so that a test can say whether its input was cut or not."""
    made: list[Any] = []
    real = jobs.ranged

    def spy(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        made.append(found)
        return found

    monkeypatch.setattr(jobs, "ranged", spy)
    yield made


class Outcome:
    """What a conversion gave: its output, entries, errors and result, or the error it raised
    (with ``listen=False`` no one reads the entries, so that only their counts come back)."""

    def __init__(self, source: Any, to: str, listen: bool = True, **options: Any) -> None:
        out = io.BytesIO()
        self.entries: list[Any] = []
        self.errors: list[tuple[int, int | None, Any]] = []
        self.result: Any = None
        self.raised: Any = None
        try:
            self.result = stream.convert(
                source,
                out,
                to,
                on_entry=self.entries.append if listen else None,
                on_error=lambda e: self.errors.append((e.index, e.line, e.problems)),
                **options,
            )
        except ordermap.OrdermapError as exc:
            self.raised = (type(exc), exc.problems, getattr(exc, "index", None))
            self.raised += (getattr(exc, "line", None),)
        self.output = out.getvalue()

    def key(self) -> tuple[Any, ...]:
        return (self.output, self.entries, self.errors, self.result, self.raised)


def both(path: Path, to: str, jobs_: int = 2, **options: Any) -> tuple[Outcome, Outcome]:
    with path.open("rb") as one_file:
        one = Outcome(one_file, to, jobs=1, **options)
    with path.open("rb") as many_file:
        many = Outcome(many_file, to, jobs=jobs_, **options)
    return one, many


def same(path: Path, to: str, jobs_: int = 2, **options: Any) -> Outcome:
    one, many = both(path, to, jobs_, **options)
    assert many.raised == one.raised
    assert many.errors == one.errors
    assert many.result == one.result
    assert many.entries == one.entries
    assert many.output == one.output
    return many


def write(tmp_path: Path, data: bytes, name: str = "input") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def break_order(raw: bytes, number: int, old: bytes, new: bytes) -> bytes:
    """The page with the ``number``-th order's first ``old`` replaced by ``new``."""
    parts = raw.split(b"<order>")
    assert old in parts[number + 1]
    parts[number + 1] = parts[number + 1].replace(old, new, 1)
    return b"<order>".join(parts)


# --- pages ---------------------------------------------------------------------------------------


def test_a_page_is_cut_and_converted_as_one_job_converts_it(
    tmp_path: Path, count_ranged: list[Any]
) -> None:
    path = write(tmp_path, dexero_page_xml(20, seed=3))
    for to in ("talkdesk-json", "dexero-json", "dexero-xml"):
        same(path, to)
    assert all(found is not None for found in count_ranged)
    assert len(count_ranged[0].cut.spans) >= 5


@pytest.mark.parametrize("lines_out", [False, True])
def test_without_a_listener_only_counts_come_back_and_agree(
    tmp_path: Path, lines_out: bool, count_ranged: list[Any]
) -> None:
    raw = dexero_page_xml(20, seed=15)
    raw = break_order(raw, 6, b"<total_order>", b"<total_order>x")
    path = write(tmp_path, raw)
    for to in ("talkdesk-json", "dexero-json"):
        outcome = same(path, to, listen=False, keep_going=True, lines_out=lines_out)
        assert outcome.entries == []
        assert outcome.result.failed == 1
    lines = write(tmp_path, ndjson(15, 16), "lines.ndjson")
    same(lines, "dexero-xml", listen=False)
    assert all(found is not None for found in count_ranged)


def test_ndjson_out_and_three_jobs(tmp_path: Path, count_ranged: list[Any]) -> None:
    path = write(tmp_path, dexero_page_xml(20, seed=4))
    result = same(path, "talkdesk-json", 3, lines_out=True)
    assert result.result.orders == 20
    same(path, "dexero-json", 3, lines_out=True, mode="carry")
    assert all(found is not None for found in count_ranged)


@pytest.mark.parametrize("keep_going", [False, True])
def test_bad_orders_are_located_and_skipped_as_one_job_does(
    tmp_path: Path, keep_going: bool, count_ranged: list[Any]
) -> None:
    raw = dexero_page_xml(20, seed=5)
    raw = break_order(raw, 4, b"<total_order>", b"<total_order>x")
    raw = break_order(raw, 11, b"<id>", b"<id>x")
    raw = break_order(raw, 12, b"<total_order>", b"<total_order>\n\nx")
    outcome = same(write(tmp_path, raw), "talkdesk-json", keep_going=keep_going)
    assert count_ranged[-1] is not None
    if keep_going:
        assert [index for index, _, _ in outcome.errors] == [4, 11, 12]
    else:
        assert outcome.raised[0] is RecordError


def test_a_pretty_printed_page_with_bad_orders_keeps_its_lines(tmp_path: Path) -> None:
    page = ordermap.decode(dexero_page_xml(12, seed=6))
    raw = ordermap.encode(page, "dexero-xml", indent=2)
    raw = break_order(raw, 7, b"<total_order>", b"<total_order>x")
    path = write(tmp_path, raw)
    outcome = same(path, "dexero-json", keep_going=True)
    ((index, line, problems),) = outcome.errors
    assert index == 7
    assert line is not None and line > 7
    assert problems[0].location.line > line


def test_markup_that_lxml_does_not_write_back_keeps_a_bad_orders_lines(
    tmp_path: Path, count_ranged: list[Any]
) -> None:
    # A comment, a processing instruction and a character reference for a line break change
    # the lines of an order's bytes as lxml writes them; read from its range, the order has
    # the input's lines all the same.
    page = ordermap.decode(dexero_page_xml(12, seed=6))
    raw = ordermap.encode(page, "dexero-xml", indent=2)
    markup = b"<!-- two\nline breaks\n --><?pi and\none?><remark>a&#10;b&#10;c</remark>\n"
    raw = break_order(raw, 7, b"<total_order>", markup + b"<total_order>x")
    outcome = same(write(tmp_path, raw), "talkdesk-json", keep_going=True)
    assert count_ranged[-1] is not None
    ((index, _, problems),) = outcome.errors
    assert index == 7
    line = problems[0].location.line
    assert b"<total_order>x" in raw.splitlines()[line - 1]


def test_a_syntax_error_in_an_order_ends_the_run_as_one_job_ends_it(
    tmp_path: Path, count_ranged: list[Any]
) -> None:
    raw = dexero_page_xml(30, seed=7)
    for broken in (
        break_order(raw, 20, b"<id>", b"<id><"),
        break_order(raw, 2, b"</currency>", b"</currenc>"),
        break_order(raw, 25, b"<id>", b"<id>&nope;"),
        break_order(raw, 25, b"<id>", b"<id>\xff"),
        raw.replace(b"</orders>", b""),
    ):
        outcome = same(write(tmp_path, broken), "talkdesk-json", keep_going=True)
        assert outcome.raised is not None


def test_the_page_around_the_orders_comes_from_the_skeleton(tmp_path: Path) -> None:
    raw = dexero_page_xml(12, seed=8)
    # Pagination after the orders, an unknown member before them, line breaks everywhere.
    raw = raw.replace(b"<order>", b"\n<order>").replace(
        b"</orders>", b"<pageCount>1</pageCount>\n<extra>x</extra>\n</orders>"
    )
    raw = raw.replace(b"<orders>", b"<orders>\n  <unknown>1</unknown>\n", 1)
    same(write(tmp_path, raw), "talkdesk-json")
    same(write(tmp_path, raw), "dexero-json", mode="strict")
    broken = raw.replace(b"<pageCount>1", b"<pageCount>x")
    same(write(tmp_path, broken), "talkdesk-json", keep_going=True)


@pytest.mark.parametrize(
    "change",
    [
        # An order inside a comment, a CDATA section or a processing instruction.
        (b"</order><order>", b"</order><!-- </order><order> --><order>"),
        (b"<id>", b"<id><![CDATA[</order><order>]]>"),
        (b"<id>", b"<?pi </order><order> ?><id>"),
        # Other spellings of an order's tags.
        (b"</order><order>", b"</order ><order>"),
        (b"</order><order>", b"</order><order >"),
        (b"</order><order>", b"</order><order/><order>"),
        # An order nested in an order, text between orders, a namespace on the root.
        (b"<id>", b"<order><id>1</id></order><id>"),
        (b"</order><order>", b"</order>text<order>"),
        (b"<orders>", b'<orders xmlns:x="urn:x">'),
        (b"<orders>", b'<orders xmlns="urn:x">'),
        (b'encoding="UTF-8"', b'encoding="ISO-8859-1"'),
        (b"<orders>", b"<!DOCTYPE orders><orders>"),
        (b"<orders>", b"<orders><x><order><id>1</id></order></x>"),
    ],
)
def test_odd_layouts_are_converted_as_one_job_converts_them(
    tmp_path: Path, change: tuple[bytes, bytes]
) -> None:
    raw = dexero_page_xml(15, seed=9)
    old, new = change
    assert old in raw
    changed = raw.replace(old, new, 2 if old == b"</order><order>" else 1)
    same(write(tmp_path, changed), "talkdesk-json", keep_going=True)


def test_a_nil_order_and_a_small_byte_limit_fall_back(
    tmp_path: Path, count_ranged: list[Any]
) -> None:
    raw = dexero_page_xml(12, seed=10)
    nil = raw.replace(
        b"<orders>",
        b'<orders xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ).replace(b"</order><order>", b'</order><order xsi:nil="true"/><order>', 1)
    same(write(tmp_path, nil), "dexero-json", keep_going=True)
    assert count_ranged[-1] is None
    same(write(tmp_path, raw), "dexero-json", limits=Limits(max_bytes=100_000))
    assert count_ranged[-1] is None


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10**6),
    orders=st.integers(4, 14),
    bad=st.sets(st.integers(0, 13), max_size=3),
    spaces=st.sampled_from([b"", b"\n", b"\n  ", b"\r\n\t"]),
    to=st.sampled_from(["talkdesk-json", "dexero-json"]),
)
def test_generated_pages_with_bad_orders(
    tmp_path: Path, seed: int, orders: int, bad: set[int], spaces: bytes, to: str
) -> None:
    raw = dexero_page_xml(orders, seed=seed).replace(
        b"</order><order>", b"</order>" + spaces + b"<order>"
    )
    for number in sorted(n for n in bad if n < orders):
        raw = break_order(raw, number, b"<total_order>", b"<total_order>?")
    path = write(tmp_path, raw, f"page-{seed}.xml")
    outcome = same(path, to, keep_going=True)
    assert outcome.result.failed == len([n for n in bad if n < orders])


# --- newline-delimited JSON ----------------------------------------------------------------------


def ndjson(orders: int, seed: int) -> bytes:
    page = dexero_page_xml(orders, seed=seed)
    out = io.BytesIO()
    stream.convert(io.BytesIO(page), out, "talkdesk-json", lines_out=True)
    return out.getvalue()


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10**6),
    bad=st.sets(st.integers(0, 11), max_size=3),
    blank=st.sampled_from([b"\n", b"  \n", b"\r\n", b"\xc2\xa0\n", b"\x0b\n"]),
    to=st.sampled_from(["dexero-json", "dexero-xml", "talkdesk-json"]),
)
def test_generated_ndjson_with_bad_and_blank_lines(
    tmp_path: Path, seed: int, bad: set[int], blank: bytes, to: str
) -> None:
    lines = ndjson(12, seed).splitlines(keepends=True)
    rng = random.Random(seed)
    for number in sorted(bad):
        lines[number] = lines[number].replace(b'"id":', b'"id":"x","id":', 1)
    for _ in range(3):
        lines.insert(rng.randrange(len(lines)), blank)
    raw = b"".join(lines)
    same(write(tmp_path, raw, f"lines-{seed}.ndjson"), to, keep_going=True)
    same(write(tmp_path, raw.rstrip(b"\n"), f"lines-{seed}-open.ndjson"), to, keep_going=True)


def test_ndjson_is_cut_and_broken_text_ends_it_as_one_job(
    tmp_path: Path, count_ranged: list[Any]
) -> None:
    raw = ndjson(15, 11)
    same(write(tmp_path, raw), "dexero-json")
    assert count_ranged[-1] is not None
    lines = raw.splitlines(keepends=True)
    lines[9] = lines[9].replace(b"{", b"{\xff", 1)
    same(write(tmp_path, b"".join(lines)), "dexero-json", keep_going=True)
    lines[9] = b"{not json\n"
    same(write(tmp_path, b"".join(lines)), "dexero-json", keep_going=True)
    same(write(tmp_path, raw), "dexero-json", limits=Limits(max_bytes=2000), keep_going=True)


# --- what is not cut -----------------------------------------------------------------------------


def test_standard_input_gzip_and_json_pages_go_the_old_way(
    tmp_path: Path, count_ranged: list[Any]
) -> None:
    raw = dexero_page_xml(9, seed=12)
    one = Outcome(io.BytesIO(raw), "talkdesk-json", jobs=1)
    many = Outcome(io.BytesIO(raw), "talkdesk-json", jobs=2)
    assert many.key() == one.key()
    assert count_ranged == [None]
    compressed = same(write(tmp_path, gzip.compress(raw), "page.xml.gz"), "talkdesk-json")
    assert compressed.raised is not None  # refused as compressed, by both
    json_page = ordermap.encode(ordermap.decode(raw), "dexero-json")
    same(write(tmp_path, json_page, "page.json"), "talkdesk-json")
    assert count_ranged[-1] is None


def test_an_input_that_starts_past_the_beginning_of_its_file(tmp_path: Path) -> None:
    raw = dexero_page_xml(10, seed=13)
    path = write(tmp_path, b"JUNK" + raw)
    with path.open("rb") as file:
        file.seek(4)
        many = Outcome(file, "dexero-json", jobs=2)
    one = Outcome(io.BytesIO(raw), "dexero-json", jobs=1)
    assert many.key() == one.key()


# --- the finder on its own -----------------------------------------------------------------------


def test_the_finder_counts_every_order_once(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = dexero_page_xml(10, seed=14).replace(b"</order><order>", b"</order>\n \n<order>")
    monkeypatch.setattr(ranges, "SPAN_BYTES", len(raw) // 4)
    module = ordermap.formats.get("dexero-xml")
    cut = ranges.xml_spans(raw, 0, module, DEFAULT_LIMITS)
    assert cut is not None
    assert len(cut.spans) >= 3
    assert sum(s.count for s in cut.spans) == 10
    assert [s.index for s in cut.spans] == [
        sum(s.count for s in cut.spans[:n]) for n in range(len(cut.spans))
    ]
    for span in cut.spans:
        text = raw[span.start : span.end]
        assert text.startswith(b"<order>") and text.endswith(b"</order>")
        assert text.count(b"<order>") == span.count
        assert span.line == raw[: span.start].count(b"\n") + 1
    assert ranges.xml_spans(raw[: len(raw) // 2], 0, module, DEFAULT_LIMITS) is None


def test_the_line_finder_skips_blank_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranges, "SPAN_BYTES", 10**6)
    raw = b'{"a":1}\n\n  \n{"b":2}\n{"c":3}\n{"d":4}\n \n{"e":5}'
    cut = ranges.line_spans(raw, 0, DEFAULT_LIMITS)
    assert cut is not None
    assert [(s.index, s.count, s.line) for s in cut.spans] == [(0, 3, 1), (3, 2, 6)]
    assert raw[cut.spans[-1].start : cut.spans[-1].end] == b'{"d":4}\n \n{"e":5}'


@pytest.mark.parametrize("layout", ["page", "lines"])
@pytest.mark.parametrize("keep_going", [False, True])
def test_the_report_by_field_from_byte_range_workers_is_every_entrys(
    tmp_path: Path, count_ranged: list[Any], layout: str, keep_going: bool
) -> None:
    # Workers reading ranges send each order's entries back as the summary counts them
    # (packed with the counts of many orders); the summary must be the one a listener of
    # every entry makes.
    page = ordermap.decode(dexero_page_xml(40, seed=16))
    if layout == "page":
        raw = ordermap.encode(page, "dexero-xml")
        to = "talkdesk-json"
    else:
        talkdesk = ordermap.translate(page, "talkdesk-json").document
        raw = b"".join(
            ordermap.encode(order, "talkdesk-json", indent=None) + b"\n"
            for order in talkdesk.orders or ()
        )
        to = "dexero-json"
    if keep_going:
        raw = raw.replace(b'"id":"', b'"id":"x', 1) if layout == "lines" else raw
        raw = break_order(raw, 9, b"<id>", b"<id>x") if layout == "page" else raw
    path = write(tmp_path, raw)
    with path.open("rb") as source:
        listened = Outcome(source, to, jobs=2, keep_going=keep_going)
    expected = LossSummary()
    for entry in listened.entries:
        expected.add(entry)
    summary = LossSummary()
    with path.open("rb") as source:
        counted = Outcome(source, to, listen=False, jobs=2, keep_going=keep_going, by_field=summary)
    assert all(found is not None for found in count_ranged)  # every run was cut
    assert (counted.output, counted.errors, counted.result) == (
        listened.output,
        listened.errors,
        listened.result,
    )
    assert summary.to_json() == expected.to_json()
    assert summary.lines() == expected.lines()
    assert len(summary) > 5
    assert bool(counted.errors) == keep_going


@pytest.mark.parametrize("gone", ["removed", "unreadable"])
def test_an_input_the_workers_cannot_open_is_read_as_one_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count_ranged: list[Any], gone: str
) -> None:
    # The file is removed (or made a folder) after the run opened it and before its workers
    # open it by name: as for a file replaced under that name, the run goes on as one job
    # from its own descriptor, rather than every worker failing to start.
    path = write(tmp_path, dexero_page_xml(20, seed=21))
    with path.open("rb") as one_file:
        one = Outcome(one_file, "talkdesk-json", jobs=1)
    real = jobs.worker_pool

    def worker_pool(*args: Any) -> Any:
        path.unlink()
        if gone == "unreadable":
            path.mkdir()
        return real(*args)

    monkeypatch.setattr(jobs, "worker_pool", worker_pool)
    with path.open("rb") as many_file:
        many = Outcome(many_file, "talkdesk-json", jobs=2)
    assert count_ranged[-1] is not None and count_ranged[-1].replayed
    assert many.key() == one.key()
