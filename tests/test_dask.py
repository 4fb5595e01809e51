"""ordermap.dask on a local ``distributed`` cluster: the output and report of ``ordermap convert``.

The cluster (two worker processes, one thread each) is started once for the module; the
cases that check how inputs are cut and how a range's failures are placed run on dask's
synchronous scheduler in this process, where hundreds of tiny partitions cost nothing.

The dask extra is installed by ``.ci/run``; without it these tests are skipped, except in CI.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

if not os.environ.get("CI"):
    pytest.importorskip("dask.bag")
    pytest.importorskip("distributed")

import dask
from distributed import Client, LocalCluster

import ordermap
from ordermap import _bag, formats, stream
from ordermap import dask as odask
from ordermap.cli import main
from ordermap.crosswalk.summary import LossSummary
from ordermap.limits import DEFAULT_LIMITS
from ordermap.pipeline import ranges

from .sample import dexero_page_xml

FORMATS = ("dexero-xml", "dexero-json", "talkdesk-json")
LINES = ("dexero-json", "talkdesk-json")


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def _converted(data: bytes, to: str, **options: Any) -> bytes:
    out = io.BytesIO()
    stream.convert(io.BytesIO(data), out, to, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Pages in each format and newline-delimited shards, with a bad order in one shard."""
    folder = tmp_path_factory.mktemp("inputs")
    xml = dexero_page_xml(60, seed=3)
    found = {"dexero-xml": folder / "page.xml"}
    found["dexero-xml"].write_bytes(xml)
    for name in LINES:
        found[name] = folder / f"page-{name}.json"
        found[name].write_bytes(_converted(xml, name))
    for number, name in enumerate(LINES):
        lines = _converted(dexero_page_xml(40, seed=number), name, lines_out=True)
        found[f"shard-{number}"] = folder / f"shard-{number}.ndjson"
        found[f"shard-{number}"].write_bytes(lines)
    bad = _converted(dexero_page_xml(30, seed=9), "talkdesk-json", lines_out=True).split(b"\n")
    bad[7:7] = [b"", b'{"order": {"id": 1}}', b"  "]
    found["bad"] = folder / "bad.ndjson"
    found["bad"].write_bytes(b"\n".join(bad))
    return found


def _cli(tmp_path: Path, source: Path, to: str, *options: str) -> tuple[int, bytes, Any]:
    """``ordermap convert``'s exit status, output and ``--report`` file for ``source``."""
    output, report = tmp_path / "cli.out", tmp_path / "cli-report.json"
    output.unlink(missing_ok=True)
    report.unlink(missing_ok=True)
    argv = ["convert", str(source), "--to", to, "-o", str(output), "--report", str(report)]
    status = main([*argv, "-q", *options])
    data = output.read_bytes() if output.exists() else b""
    # A failed run keeps no report (and no output), as a refused one keeps no output.
    found = json.loads(report.read_text(encoding="utf-8")) if report.exists() else None
    return status, data, found


def _shares(conversion: odask.Conversion, outputs: list[bytes]) -> dict[str, bytes]:
    """Each input's output: its partitions' shares joined in order."""
    joined: dict[str, bytes] = {}
    for part, data in zip(conversion.parts, outputs, strict=True):
        joined[part.source] = joined.get(part.source, b"") + data
    return joined


def _summary(report: odask.BagReport) -> dict[str, int]:
    return report.to_json()["summary"]  # type: ignore[no-any-return]


# --- on the cluster ----------------------------------------------------------------------------


@pytest.mark.parametrize("to", FORMATS)
def test_pages_in_every_format_convert_as_the_command_line_does(
    client: Client, inputs: dict[str, Path], tmp_path: Path, to: str
) -> None:
    pages = [inputs[name] for name in FORMATS]
    conversion = odask.convert_bag([str(page) for page in pages], to, blocksize=1 << 10)
    # JSON pages are never cut; the dexero-xml page is cut into ranges of its orders.
    whole = [part.source for part in conversion.parts if part.end is None]
    assert whole == [str(inputs[name]) for name in LINES]
    assert len(conversion.parts) > 3 + 10
    outputs, report = dask.compute(conversion.output, conversion.report)
    joined = _shares(conversion, outputs)
    totals = dict.fromkeys(("lost", "derived", "carried", "orders", "failed"), 0)
    for page in pages:
        status, data, cli_report = _cli(tmp_path, page, to)
        assert status == 0
        assert joined[str(page)] == data
        for name, value in cli_report["summary"].items():
            totals[name] += value
    assert _summary(report) == totals
    # The report by field is the one a single run over the three pages would count.
    expected = LossSummary()
    for page in pages:
        stream.convert(io.BytesIO(page.read_bytes()), io.BytesIO(), to, on_entry=expected.add)
    assert report.by_field.to_json() == expected.to_json()


@pytest.mark.parametrize("to", [*LINES, "dexero-xml"])
def test_shards_cut_in_ranges_write_what_the_command_line_writes(
    client: Client, inputs: dict[str, Path], tmp_path: Path, to: str
) -> None:
    shards = [inputs["shard-0"], inputs["shard-1"], inputs["bad"]]
    conversion = odask.convert_bag(
        [str(shard) for shard in shards], to, keep_going=True, blocksize=4096
    )
    # One order per line stays lines, cut in ranges; XML has no such form: a page per shard.
    assert (len(conversion.parts) > 6) is (to != "dexero-xml")
    target = tmp_path / "out"
    report = odask.write(conversion, str(target))
    totals = dict.fromkeys(("lost", "derived", "carried", "orders", "failed"), 0)
    failures = []
    for shard in shards:
        status, data, cli_report = _cli(tmp_path, shard, to, "--keep-going")
        assert status == (4 if shard == inputs["bad"] else 0)
        suffix = ".xml" if to == "dexero-xml" else ".ndjson"
        assert (target / f"{shard.stem}{suffix}").read_bytes() == data
        for name, value in cli_report["summary"].items():
            totals[name] += value
        failures += [(str(shard), failure) for failure in cli_report["failures"]]
    assert _summary(report) == totals
    assert [(f.source, {"index": f.index, "problems": f.to_json()["problems"]}) for f in
            report.failures] == failures  # fmt: skip
    assert report.failures[0].line == 9  # the bad order's line in its shard


def test_one_shard_reports_by_field_as_the_command_line(
    client: Client, inputs: dict[str, Path], tmp_path: Path
) -> None:
    conversion = odask.convert_bag(str(inputs["bad"]), "dexero-json", keep_going=True,
                                   blocksize=2048)  # fmt: skip
    outputs, report = dask.compute(conversion.output, conversion.report)
    status, data, cli_report = _cli(tmp_path, inputs["bad"], "dexero-json", "--keep-going")
    assert status == 4
    assert b"".join(outputs) == data
    assert report.by_field.to_json() == cli_report["by_field"]
    assert _summary(report) == cli_report["summary"]
    assert report.lines() == _summed(cli_report).lines()


def _summed(cli_report: Any) -> LossSummary:
    summary = LossSummary()
    for entry in cli_report["entries"]:
        summary.add(_Entry(entry))
    return summary


class _Entry:
    """A report entry read back from ``--report``'s file (what LossSummary reads of one)."""

    def __init__(self, found: dict[str, Any]) -> None:
        self.action, self.source = found["action"], found["source"]
        self.target, self.reason = found.get("target"), found["reason"]


def test_a_bad_order_without_keep_going_writes_nothing_and_names_its_place(
    client: Client, inputs: dict[str, Path], tmp_path: Path
) -> None:
    conversion = odask.convert_bag(str(inputs["bad"]), "dexero-json", blocksize=1024)
    target = tmp_path / "out"
    with pytest.raises(odask.ConversionFailed) as caught:
        odask.write(conversion, str(target))
    assert not target.exists()
    status, _, _ = _cli(tmp_path, inputs["bad"], "dexero-json")
    assert status == 1
    try:
        stream.convert(io.BytesIO(inputs["bad"].read_bytes()), io.BytesIO(), "dexero-json")
    except stream.RecordError as error:
        expected = error
    failure = caught.value.failure
    assert (failure.source, failure.index, failure.line) == (
        str(inputs["bad"]), expected.index, expected.line
    )  # fmt: skip
    assert failure.problems == expected.problems
    assert str(caught.value).startswith(f"{inputs['bad']}: order {expected.index + 1}: ")


def test_strict_mode_refuses_and_writes_nothing(
    client: Client, inputs: dict[str, Path], tmp_path: Path
) -> None:
    sources = [inputs["shard-0"], inputs["dexero-xml"]]
    conversion = odask.convert_bag([str(source) for source in sources], "talkdesk-json",
                                   mode="strict", blocksize=4096)  # fmt: skip
    with pytest.raises(odask.ConversionFailed) as caught:
        odask.write(conversion, str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()
    refused = [str(source) for source in sources
               if _cli(tmp_path, source, "talkdesk-json", "--mode", "strict")[0] == 3]  # fmt: skip
    assert refused
    assert [failure.source for failure in caught.value.report.refused] == refused
    codes = {problem.code for problem in caught.value.failure.problems}
    assert codes <= {"would-lose", "too-many-problems"}


def test_write_joins_lines_or_writes_a_file_per_partition(
    client: Client, inputs: dict[str, Path], tmp_path: Path
) -> None:
    shards = [str(inputs["shard-0"]), str(inputs["shard-1"])]
    conversion = odask.convert_bag(shards, "talkdesk-json", blocksize=8192)
    joined = tmp_path / "all.ndjson"
    odask.write(conversion, str(joined), split="none")
    expected = b"".join(_cli(tmp_path, Path(shard), "talkdesk-json")[1] for shard in shards)
    assert joined.read_bytes() == expected
    parts = tmp_path / "parts"
    odask.write(conversion, str(parts), split="partition")
    names = sorted(path.name for path in parts.iterdir())
    assert names == [f"part-{n:05d}.ndjson" for n in range(len(conversion.parts))]
    assert b"".join((parts / name).read_bytes() for name in names) == expected
    pages = odask.convert_bag(shards, "dexero-xml")
    with pytest.raises(ValueError, match="only as lines"):
        odask.write(pages, str(tmp_path / "pages.xml"), split="none")


def test_a_glob_and_a_file_url_are_inputs(client: Client, inputs: dict[str, Path]) -> None:
    folder = inputs["shard-0"].parent
    conversion = odask.convert_bag(f"file://{folder}/shard-*.ndjson", "dexero-json")
    assert [part.source for part in conversion.parts] == [
        str(inputs["shard-0"]), str(inputs["shard-1"])
    ]  # fmt: skip
    with pytest.raises(FileNotFoundError):
        odask.convert_bag(str(folder / "none-*.ndjson"), "dexero-json")


# --- one large dexero-xml export, cut into ranges of its orders -------------------------------

EXPORT_ORDERS = 36


def _export(orders: int = EXPORT_ORDERS, seed: int = 21) -> bytes:
    """A dexero-xml export: one order per line, and a member of the page after its orders
    (so that the page around the orders has something to report)."""
    raw = dexero_page_xml(orders, seed=seed).replace(b"</order><order>", b"</order>\n  <order>")
    return raw.replace(b"</orders>", b"\n  <extra>x</extra>\n</orders>")


def _broken(
    raw: bytes, number: int, old: bytes = b"<total_order>", new: bytes = b"<total_order>x"
) -> bytes:
    """The export with the ``number``-th order's first ``old`` replaced by ``new``."""
    pieces = raw.split(b"<order>")
    assert old in pieces[number + 1]
    pieces[number + 1] = pieces[number + 1].replace(old, new, 1)
    return b"<order>".join(pieces)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "export.xml"
    path.write_bytes(_export())
    return path


def _blocksize(path: Path, parts: int = 3) -> int:
    return path.stat().st_size // parts + 1


@pytest.fixture
def small_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spans of a few orders, so that a range of a small export holds several (the finder
    runs in this process, so the workers need not see the change)."""
    monkeypatch.setattr(ranges, "SPAN_BYTES", 2500)


def _orders_of(part: odask.Part) -> range:
    return range(part.spans[0].index, part.spans[-1].index + part.spans[-1].count)


_CASES = [
    ("talkdesk-json", ()),
    ("talkdesk-json", ("--ndjson",)),
    ("dexero-json", ()),
    ("talkdesk-json", ("--mode", "carry", "--indent", "0")),
    ("dexero-xml", ()),
]


@pytest.mark.parametrize(("to", "flags"), _CASES)
@pytest.mark.usefixtures("small_spans")
def test_an_export_cut_in_ranges_writes_what_the_command_line_writes(
    client: Client, export: Path, tmp_path: Path, to: str, flags: tuple[str, ...]
) -> None:
    options: dict[str, Any] = {"lines_out": True} if "--ndjson" in flags else {}
    if "--mode" in flags:
        options.update(mode="carry", indent=None)
    conversion = odask.convert_bag(str(export), to, blocksize=_blocksize(export), **options)
    assert len(conversion.parts) >= 3
    assert all(len(part.spans) > 1 for part in conversion.parts)
    assert [n for part in conversion.parts for n in _orders_of(part)] == list(range(EXPORT_ORDERS))
    target = tmp_path / "out"
    report = odask.write(conversion, str(target))
    status, data, cli_report = _cli(tmp_path, export, to, *flags)
    assert status == 0
    suffix = ".ndjson" if "--ndjson" in flags else (".xml" if to == "dexero-xml" else ".json")
    assert (target / f"export{suffix}").read_bytes() == data
    assert _summary(report) == cli_report["summary"]
    assert report.by_field.to_json() == cli_report["by_field"]
    assert report.lines() == _summed(cli_report).lines()


def test_strict_mode_refuses_an_export_with_the_command_lines_report(
    client: Client, export: Path, tmp_path: Path
) -> None:
    for to, flags in (("talkdesk-json", ()), ("dexero-json", ("--ndjson",))):
        # To dexero-json, only the page's own members are lost (one order per line).
        conversion = odask.convert_bag(str(export), to, mode="strict", blocksize=_blocksize(export),
                                       lines_out=bool(flags))  # fmt: skip
        with pytest.raises(odask.ConversionFailed) as caught:
            odask.write(conversion, str(tmp_path / "out"))
        assert not (tmp_path / "out").exists()
        status, data, cli_report = _cli(tmp_path, export, to, "--mode", "strict", *flags)
        assert (status, data) == (3, b"")
        report = caught.value.report
        assert [failure.source for failure in report.refused] == [str(export)]
        expected = {name: cli_report["summary"][name] for name in ("lost", "derived", "carried")}
        assert {name: _summary(report)[name] for name in expected} == expected
        assert report.by_field.to_json() == cli_report["by_field"]
    # Nothing lost from dexero-xml to dexero-json pages: strict mode writes them.
    conversion = odask.convert_bag(str(export), "dexero-json", mode="strict",
                                   blocksize=_blocksize(export))  # fmt: skip
    odask.write(conversion, str(tmp_path / "kept"))
    assert (tmp_path / "kept" / "export.json").read_bytes() == _cli(
        tmp_path, export, "dexero-json", "--mode", "strict"
    )[1]  # fmt: skip


def _refusal_of_one_run(path: Path, to: str, **options: Any) -> list[Any]:
    with path.open("rb") as source, pytest.raises(stream.StreamRefusal) as caught:
        stream.convert(source, io.BytesIO(), to, mode="strict", **options)
    return list(caught.value.problems)


def _lines_losing_in_later_ranges() -> bytes:
    lines = [b'{"id": "%d", "order_number": "R%d"}' % (i, i) for i in range(400)]
    for i in (30, 120, 121, 350, 390):  # unknown members: lost to Dexero
        lines[i] = b'{"id": "%d", "order_number": "R%d", "surprise": 1, "more": 2}' % (i, i)
    lines[200:200] = [b"", b"   "]  # blank lines are no orders
    return b"\n".join(lines) + b"\n"


@pytest.mark.usefixtures("small_spans")
@pytest.mark.parametrize("max_problems", [100, 3])
def test_a_strict_refusal_names_what_one_run_names(
    client: Client, export: Path, tmp_path: Path, max_problems: int
) -> None:
    # The values that would be lost, at their places in the whole input (a range's own
    # indexes are not), the first max_problems of them, then how many more.
    limits = attrs.evolve(DEFAULT_LIMITS, max_problems=max_problems)
    lines = tmp_path / "lines.ndjson"
    lines.write_bytes(_lines_losing_in_later_ranges())
    for path, to, options in (
        (lines, "dexero-json", {}),
        (export, "talkdesk-json", {}),
        (export, "dexero-json", {"lines_out": True}),  # only the page's own members
    ):
        conversion = odask.convert_bag(str(path), to, mode="strict", blocksize=_blocksize(path),
                                       limits=limits, **options)  # fmt: skip
        assert len(conversion.parts) > 1
        with pytest.raises(odask.ConversionFailed) as caught:
            odask.write(conversion, str(tmp_path / "out"))
        (refused,) = caught.value.report.refused
        assert list(refused.problems) == _refusal_of_one_run(path, to, limits=limits, **options)


@pytest.mark.usefixtures("small_spans")
def test_a_bad_order_in_the_middle_range_is_placed_and_skipped_as_the_command_line_does(
    client: Client, tmp_path: Path
) -> None:
    raw = _export()
    path = tmp_path / "bad.xml"
    path.write_bytes(_broken(raw, EXPORT_ORDERS // 2))
    conversion = odask.convert_bag(str(path), "talkdesk-json", keep_going=True,
                                   blocksize=_blocksize(path))  # fmt: skip
    assert len(conversion.parts) == 3
    assert EXPORT_ORDERS // 2 in _orders_of(conversion.parts[1])
    target = tmp_path / "out"
    report = odask.write(conversion, str(target))
    status, data, cli_report = _cli(tmp_path, path, "talkdesk-json", "--keep-going")
    assert status == 4
    assert (target / "bad.json").read_bytes() == data
    assert _summary(report) == cli_report["summary"]
    assert (report.orders, report.failed) == (EXPORT_ORDERS - 1, 1)
    assert report.by_field.to_json() == cli_report["by_field"]
    errors: list[stream.RecordError] = []
    stream.convert(io.BytesIO(path.read_bytes()), io.BytesIO(), "talkdesk-json", keep_going=True,
                   on_error=errors.append)  # fmt: skip
    ((error,),) = [errors]
    assert [(f.index, f.line, f.problems) for f in report.failures] == [
        (error.index, error.line, error.problems)
    ]
    assert (error.index, error.line) == (EXPORT_ORDERS // 2, EXPORT_ORDERS // 2 + 2)
    assert [f.to_json() for f in report.failures] == [
        {"source": str(path), "line": error.line, **failure} for failure in cli_report["failures"]
    ]
    # Without keep_going, nothing is written and the failure names the order.
    stopped = odask.convert_bag(str(path), "talkdesk-json", blocksize=_blocksize(path))
    with pytest.raises(odask.ConversionFailed) as caught:
        odask.write(stopped, str(tmp_path / "none"))
    assert not (tmp_path / "none").exists()
    failure = caught.value.failure
    assert (failure.index, failure.line, failure.problems) == (
        error.index, error.line, error.problems
    )  # fmt: skip
    assert str(caught.value).startswith(f"{path}: order {error.index + 1}: ")


# --- cutting and placing, on the synchronous scheduler -----------------------------------------

_ODD_LINES = (b"", b"   ", b"[1]", b'"text"', b"not json", b'{"order": 7}', b"{", b"\t{}")


def _faulty_lines(seed: int) -> bytes:
    rng = random.Random(seed)
    good = _converted(dexero_page_xml(25, seed=seed), "talkdesk-json", lines_out=True)
    lines = good.split(b"\n")[:-1]
    for _ in range(8):
        lines.insert(rng.randrange(1, len(lines) + 1), rng.choice(_ODD_LINES))
    return b"\n".join(lines) + (b"\n" if rng.random() < 0.5 else b"")


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("blocksize", [1, 300, 2500])
def test_ranges_of_faulty_lines_fail_where_the_whole_input_does(
    tmp_path: Path, seed: int, blocksize: int
) -> None:
    path = tmp_path / "faulty.ndjson"
    data = _faulty_lines(seed)
    path.write_bytes(data)
    errors: list[stream.RecordError] = []
    summary = LossSummary()
    expected = io.BytesIO()
    result = stream.convert(io.BytesIO(data), expected, "dexero-json", keep_going=True,
                            on_error=errors.append, on_entry=summary.add)  # fmt: skip
    conversion = odask.convert_bag(str(path), "dexero-json", keep_going=True,
                                   blocksize=blocksize)  # fmt: skip
    outputs, report = dask.compute(conversion.output, conversion.report, scheduler="sync")
    assert b"".join(outputs) == expected.getvalue()
    for part in conversion.parts[1:]:
        assert data[part.start - 1 : part.start] == b"\n"
        assert data[part.start : part.end].lstrip()[:1] == b"{"
    assert [(f.index, f.line, f.problems) for f in report.failures] == [
        (e.index, e.line, e.problems) for e in errors
    ]
    assert (report.orders, report.failed, report.lost, report.derived) == (
        result.orders, result.failed, result.lost, result.derived
    )  # fmt: skip
    assert report.by_field.to_json() == summary.to_json()


def test_cuts_skip_lines_that_do_not_open_an_object(tmp_path: Path) -> None:
    path = tmp_path / "lines.ndjson"
    path.write_bytes(b'{"a": 1}\n\n  \n[2]\n  {"b": 2}\nnope\n{"c": 3}')
    files = _bag.open_files(str(path), {})
    # Not at 9 (blank lines, then a line that is not an object), nor at 28 ("nope").
    assert _bag._cuts(files[0], path.stat().st_size, 1) == [17, 33]
    assert _bag._cuts(files[0], path.stat().st_size, 20) == [33]


def test_a_json_page_stays_whole_and_ndjson_to_a_page_too(inputs: dict[str, Path]) -> None:
    for name in (*LINES, "shard-0"):
        conversion = odask.convert_bag(str(inputs[name]), "dexero-xml", blocksize=256)
        assert [part.end for part in conversion.parts] == [None]
    # (A dexero-xml page is cut, whatever the target: see the tests of exports below.)
    cut = odask.convert_bag(str(inputs["dexero-xml"]), "dexero-xml", blocksize=256)
    assert len(cut.parts) > 1
    as_page = odask.convert_bag(str(inputs["shard-0"]), "dexero-json", blocksize=256,
                                lines_out=False)  # fmt: skip
    assert len(as_page.parts) == 1
    with pytest.raises(ValueError, match="newline-delimited"):
        odask.convert_bag(str(inputs["shard-0"]), "dexero-xml", lines_out=True)


@pytest.mark.parametrize("name", ["bad", "export"])
def test_output_and_report_computed_together_convert_each_partition_once(
    inputs: dict[str, Path], export: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    converted: list[odask.Part] = []

    def counting(part: odask.Part, job: Any) -> odask.PartResult:
        converted.append(part)
        return _bag.convert_part(part, job)

    monkeypatch.setattr(odask, "_convert_part", counting)
    source = export if name == "export" else inputs[name]
    conversion = odask.convert_bag(str(source), "dexero-json", keep_going=True,
                                   blocksize=2048)  # fmt: skip
    assert len(conversion.parts) > 3
    dask.compute(conversion.output, conversion.report, scheduler="sync")
    assert sorted(converted, key=lambda part: part.number) == list(conversion.parts)
    converted.clear()
    dask.compute(conversion.output, scheduler="sync")  # a cut page's frame too
    assert sorted(converted, key=lambda part: part.number) == list(conversion.parts)


def test_an_input_that_cannot_be_read_fails_the_conversion_with_its_problems(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(inputs["dexero-xml"].read_bytes()[:-40])
    conversion = odask.convert_bag([str(inputs["shard-0"]), str(broken)], "dexero-json",
                                   keep_going=True)  # fmt: skip
    report = dask.compute(conversion.report, scheduler="sync")[0]
    with pytest.raises(ordermap.DecodeError) as expected:
        stream.convert(io.BytesIO(broken.read_bytes()), io.BytesIO(), "dexero-json")
    assert [(f.source, f.index, f.problems) for f in report.failures] == [
        (str(broken), None, expected.value.problems)
    ]
    with pytest.raises(odask.ConversionFailed, match=f"^{broken}: "):
        odask.check(report, keep_going=True)


# --- exports, on the synchronous scheduler -----------------------------------------------------


def _as_one_job(path: Path, to: str, blocksize: int = 1500, **options: Any) -> odask.Conversion:
    """Convert ``path`` in ranges and check output, counts, failures and the report by field
    against one job's ``stream.convert`` of the whole input; the conversion, for more checks."""
    data = path.read_bytes()
    errors: list[stream.RecordError] = []
    summary = LossSummary()
    expected = io.BytesIO()
    result: Any = None
    raised: Any = None
    try:
        result = stream.convert(io.BytesIO(data), expected, to, on_error=errors.append,
                                on_entry=summary.add, **options)  # fmt: skip
    except stream.RecordError as error:
        raised = (error.index, error.line, error.problems)
    except ordermap.OrdermapError as error:
        raised = (None, None, tuple(error.problems))
    conversion = odask.convert_bag(str(path), to, blocksize=blocksize, **options)
    outputs, report = dask.compute(conversion.output, conversion.report, scheduler="sync")
    located = [(f.index, f.line, f.problems) for f in report.failures]
    if raised is None:
        assert b"".join(outputs) == expected.getvalue()
        assert located == [(e.index, e.line, e.problems) for e in errors]
        assert (report.orders, report.failed, report.lost, report.derived, report.carried) == (
            result.orders, result.failed, result.lost, result.derived, result.carried
        )  # fmt: skip
        assert report.by_field.to_json() == summary.to_json()
    else:
        assert located[-1] == raised
        with pytest.raises(odask.ConversionFailed):
            odask.check(report, options.get("keep_going", False))
    return conversion


@pytest.mark.parametrize(
    "change",
    [
        (b"<orders>", b'<orders xmlns:x="urn:x">'),
        (b'encoding="UTF-8"', b'encoding="ISO-8859-1"'),
        (b"<orders>", b"<!DOCTYPE orders><orders>"),
        (b"</orders>", b"<order >x</order></orders>"),
        (b"</order>\n  <extra>", b"</order>\n<order/>\n  <extra>"),
    ],
)
def test_an_export_of_another_layout_stays_one_partition(
    tmp_path: Path, change: tuple[bytes, bytes]
) -> None:
    path = tmp_path / "odd.xml"
    raw = _export(12)
    assert change[0] in raw
    path.write_bytes(raw.replace(*change, 1))
    conversion = _as_one_job(path, "talkdesk-json", keep_going=True)
    assert [part.end for part in conversion.parts] == [None]


def test_a_compressed_or_small_export_stays_one_partition(tmp_path: Path) -> None:
    raw = _export(12)
    path = tmp_path / "export.xml.gz"
    path.write_bytes(gzip.compress(raw))
    conversion = odask.convert_bag(str(path), "talkdesk-json", blocksize=1500)
    assert [part.end for part in conversion.parts] == [None]
    plain = tmp_path / "export.xml"
    plain.write_bytes(raw)
    assert len(odask.convert_bag(str(plain), "talkdesk-json", blocksize=len(raw)).parts) == 1
    assert len(odask.convert_bag(str(plain), "talkdesk-json").parts) == 1


@pytest.mark.parametrize(
    "change",
    [
        # What the finder does not look at: an order in a comment, a CDATA section, a
        # processing instruction; other spellings of an order's tags; a broken order.
        (b"</order>\n  <order>", b"</order><!-- </order>\n  <order> -->\n  <order>"),
        (b"<id>", b"<id><![CDATA[</order>\n  <order>]]>"),
        (b"<id>", b"<?pi </order>\n  <order> ?><id>"),
        (b"</order>\n  <order>", b"</order >\n  <order>"),
        (b"</order>\n  <order>", b"</order>text\n  <order>"),
        (b"<id>", b"<id><"),
        (b"</currency>", b"</currenc>"),
        (b"<id>", b"<id>&nope;"),
        (b"<id>", b"<id>\xff"),
        # An order among the page's own members, before the first range.
        (b"<totalResults>", b"<order><id>1</id></order><totalResults>"),
    ],
)
@pytest.mark.parametrize("keep_going", [False, True])
def test_a_range_not_what_the_finder_saw_converts_the_export_whole(
    tmp_path: Path, change: tuple[bytes, bytes], keep_going: bool
) -> None:
    raw = _broken(_export(14), 1)  # a bad order before the change
    blocksize = 6000  # about three orders a range
    spans = ranges.xml_spans(raw, 0, formats.get("dexero-xml"), DEFAULT_LIMITS, blocksize)
    assert spans is not None
    # Right after the first order of the second range, where the finder does not look (a
    # range ends at the first order end past its size), or where it can be.
    at = spans.spans[1].start
    old, new = change
    changed = (
        raw[:at] + raw[at:].replace(old, new, 1) if old in raw[at:] else raw.replace(old, new, 1)
    )
    assert new in changed
    path = tmp_path / "odd.xml"
    path.write_bytes(changed)
    conversion = _as_one_job(path, "dexero-json", blocksize=blocksize, keep_going=keep_going)
    assert len(conversion.parts) > 3  # cut: the ranges find out


@pytest.mark.parametrize("to", ["talkdesk-json", "dexero-json", "dexero-xml"])
@pytest.mark.parametrize(
    "bad",
    [
        {0, 1, 2, 3},  # the first ranges write nothing
        set(range(11)),  # one order written: a bare object in a page of one
        set(range(12)),  # nothing written: an empty page
        {4, 5, 11},
    ],
)
def test_ranges_that_write_nothing_are_put_together_as_one_job_writes_the_page(
    tmp_path: Path, to: str, bad: set[int]
) -> None:
    raw = _export(12)
    for number in bad:
        raw = _broken(raw, number)
    path = tmp_path / "export.xml"
    path.write_bytes(raw)
    for indent in (2, None):
        conversion = _as_one_job(path, to, keep_going=True, indent=indent)
        assert len(conversion.parts) > 6


def test_a_bad_order_past_the_lines_libxml2_holds_is_located_as_one_job_locates_it(
    tmp_path: Path,
) -> None:
    raw = _export(12)
    pieces = raw.split(b"</order>\n  <order>")
    pieces[6] = pieces[6] + b"\n" * 70_000  # the orders after it start past line 70,000
    raw = _broken(b"</order>\n  <order>".join(pieces), 9)
    path = tmp_path / "long.xml"
    path.write_bytes(raw)
    conversion = _as_one_job(path, "talkdesk-json", keep_going=True)
    assert len(conversion.parts) > 6
    report = dask.compute(conversion.report, scheduler="sync")[0]
    ((failure,),) = [report.failures]
    assert failure.index == 9
    assert failure.line is not None and failure.line > 65_535


def test_an_export_behind_a_url_is_cut_from_a_copy(tmp_path: Path) -> None:
    import fsspec

    raw = _broken(_export(12), 8)
    path = tmp_path / "export.xml"
    path.write_bytes(raw)
    with fsspec.open("memory://exports/export.xml", "wb") as handle:
        handle.write(raw)
    try:
        url = odask.convert_bag("memory://exports/export.xml", "dexero-json", keep_going=True,
                                blocksize=1500)  # fmt: skip
        local = _as_one_job(path, "dexero-json", keep_going=True)
        assert [attrs.evolve(part, source="") for part in url.parts] == [
            attrs.evolve(part, source="") for part in local.parts
        ]
        outputs, report = dask.compute(url.output, url.report, scheduler="sync")
        assert outputs == dask.compute(local.output, scheduler="sync")[0]
        # The input's name is fsspec's for its URL.
        assert [(f.source, f.index) for f in report.failures] == [(url.parts[0].source, 8)]
        assert url.parts[0].source.startswith("memory://")
    finally:
        fsspec.filesystem("memory").rm("/exports", recursive=True)
