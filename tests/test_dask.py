"""ordermap.dask on a local ``distributed`` cluster: the output and report of ``ordermap convert``.

The cluster (two worker processes, one thread each) is started once for the module; the
cases that check how inputs are cut and how a range's failures are placed run on dask's
synchronous scheduler in this process, where hundreds of tiny partitions cost nothing.

The dask extra is installed by ``.ci/run``; without it these tests are skipped, except in CI.
"""

from __future__ import annotations

import io
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

if not os.environ.get("CI"):
    pytest.importorskip("dask.bag")
    pytest.importorskip("distributed")

import dask
from distributed import Client, LocalCluster

import ordermap
from ordermap import _bag, stream
from ordermap import dask as odask
from ordermap._terminal import LossSummary
from ordermap.cli import main

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
    assert len(conversion.parts) == 3  # pages are never cut
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


def test_a_page_and_xml_stay_whole_and_ndjson_to_a_page_too(inputs: dict[str, Path]) -> None:
    for name in (*FORMATS, "shard-0"):
        conversion = odask.convert_bag(str(inputs[name]), "dexero-xml", blocksize=256)
        assert [part.end for part in conversion.parts] == [None]
    as_page = odask.convert_bag(str(inputs["shard-0"]), "dexero-json", blocksize=256,
                                lines_out=False)  # fmt: skip
    assert len(as_page.parts) == 1
    with pytest.raises(ValueError, match="newline-delimited"):
        odask.convert_bag(str(inputs["shard-0"]), "dexero-xml", lines_out=True)


def test_output_and_report_computed_together_convert_each_partition_once(
    inputs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    converted: list[odask.Part] = []

    def counting(part: odask.Part, job: Any) -> odask.PartResult:
        converted.append(part)
        return _bag.convert_part(part, job)

    monkeypatch.setattr(odask, "_convert_part", counting)
    conversion = odask.convert_bag(str(inputs["bad"]), "dexero-json", keep_going=True,
                                   blocksize=2048)  # fmt: skip
    dask.compute(conversion.output, conversion.report, scheduler="sync")
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
