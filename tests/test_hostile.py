"""The hostile corpus (tests/hostile/): every file gets a clear, located ordermap answer.

Through the library (decode with and without a format, validate, encode and translate what
decodes) and through the command line in-process (``validate`` in its three outputs,
``convert`` to every format): an ordermap error with the expected code and a location,
exit status 1 (never 2, never a traceback) and an untouched output file. A child process
runs the same commands writing to real, strictly encoded pipes; another reads the whole
corpus once more and checks that no file costs more than 100 MiB of peak memory. Their
timeouts are the hang guard (speed is measured by ``benchmarks/hostile.py``, not here).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from junitparser import JUnitXml

import ordermap
from ordermap.cli import main
from ordermap.validation import validate
from ordermap.validation.values import ERRORS as VALUE_ERRORS

from .hostile import make_corpus
from .hostile.make_corpus import CASES, Case

HOSTILE = Path(__file__).parent / "hostile"
FORMATS = sorted(ordermap.FORMATS)
MODES = ("report", "strict", "carry")
PREVIOUS = b"previous content\n"


def _ids(case: Case) -> str:
    return case.name


def _located(problem: ordermap.Problem) -> bool:
    where = problem.location
    return where.line is not None or where.pointer is not None or where.path is not None


def _code_marks(case: Case) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(reason=case.gap, strict=True)] if case.gap else []


def _same(written: bytes, expected: bytes) -> bool:
    if expected.startswith(b"\x1f\x8b"):  # zlib builds may compress the same bytes differently
        return gzip.decompress(written) == gzip.decompress(expected)
    return written == expected


def test_the_corpus_is_what_the_generator_writes() -> None:
    expected = make_corpus.expected_files()
    on_disk = {path.name for path in HOSTILE.iterdir() if path.is_file()}
    assert on_disk - {"make_corpus.py", ".gitattributes"} == set(expected)
    stale = [
        name for name, data in expected.items() if not _same((HOSTILE / name).read_bytes(), data)
    ]
    assert stale == [], "run python tests/hostile/make_corpus.py"
    assert sum(len(data) for data in expected.values()) < 8 * make_corpus.MIB


@pytest.mark.parametrize(
    "case", [pytest.param(case, marks=_code_marks(case), id=case.name) for case in CASES]
)
def test_the_expected_code_is_reported(case: Case) -> None:
    result = validate(case.data)
    assert [p.code for p in result.problems[:1]] == ([case.code] if case.code else [])
    assert result.ok is case.accepted
    if case.decodes:
        ordermap.decode(case.data)  # only a value rule refuses it
    elif not case.accepted:
        with pytest.raises(ordermap.OrdermapError) as caught:
            ordermap.decode(case.data)
        assert caught.value.problems[0].code == case.code


@pytest.mark.parametrize("case", [case for case in CASES if case.format], ids=_ids)
def test_the_files_own_format_reports_the_code_too(case: Case) -> None:
    assert case.format is not None
    result = validate(case.data, case.format)
    assert [p.code for p in result.problems[:1]] == ([case.code] if case.code else [])
    assert result.format == case.format
    if case.accepted or case.decodes:
        ordermap.decode(case.data, case.format)
    else:
        with pytest.raises(ordermap.OrdermapError) as caught:
            ordermap.decode(case.data, case.format)
        assert caught.value.problems[0].code == case.code


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_every_format_answers_with_located_problems(case: Case) -> None:
    for format in (None, *FORMATS):
        try:
            document = ordermap.decode(case.data, format)
        except ordermap.OrdermapError as error:
            assert error.problems, format
            assert all(_located(p) for p in error.problems), (format, error.problems)
            decoded = False
        else:
            # Only the file's own format (or detection) reads an accepted file.
            assert (case.accepted or case.decodes) and format in (None, case.format), format
            _write_and_translate(document)
            decoded = True
        result = validate(case.data, format)
        # Validation fails for a reason of the decoder's exactly when decoding fails; the
        # value rules' errors come on top.
        errors = {p.code for p in result.problems if p.severity == "error"}
        assert bool(errors - VALUE_ERRORS) is not decoded, (format, result.problems)
        assert result.ok is (decoded and not errors), (format, result.problems)
        assert all(_located(p) for p in result.problems), (format, result.problems)
        strict = validate(case.data, format, strict=True)
        assert [p.code for p in strict.problems] == [p.code for p in result.problems]
        assert strict.ok is (decoded and not result.problems)


def _write_and_translate(document: ordermap.Document) -> None:
    """Whatever can be asked of a document read from hostile input answers cleanly."""
    for target in FORMATS:
        if target in ordermap.formats_for(document):
            try:
                written = ordermap.encode(document, target)
            except ordermap.EncodeError as error:
                assert all(_located(p) for p in error.problems)
            else:
                ordermap.decode(written, target)
            continue
        for mode in MODES:
            try:
                ordermap.translate(document, target, mode=mode)
            except ordermap.OrdermapError as error:
                assert error.problems


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_ordermap_validate_reports_it(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(HOSTILE / case.name)
    result = validate(case.data)
    assert main(["validate", path]) == (0 if case.accepted else 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and err == ""
    lines = out.splitlines()
    assert len(lines) == len(result.problems) + 1
    for line, problem in zip(lines, result.problems, strict=False):
        assert line.startswith(f"{path}:")
        assert f" {problem.severity.value} {problem.code} " in line
    failed = 0 if case.accepted else 1
    found = len(result.problems)  # counts are singular when they are one (issue 11.4)
    assert lines[-1] == (
        f"1 file checked: {1 - failed} passed, {failed} failed, {found} problem{'s' * (found != 1)}"
    )
    assert main(["validate", "--strict", path]) == (1 if result.problems else 0)
    capsys.readouterr()


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_ordermap_validate_json_and_junit_outputs_parse(
    case: Case, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = str(HOSTILE / case.name)
    status = 0 if case.accepted else 1
    assert main(["validate", "--output", "json", path]) == status
    report = json.loads(capsysbinary.readouterr().out)
    codes = [p.code for p in validate(case.data).problems]
    assert [p["code"] for p in report["files"][0]["problems"]] == codes
    assert report["summary"] == {"files": 1, "failed": status, "problems": len(codes)}
    assert main(["validate", "--output", "junit", path]) == status
    suite = ElementTree.fromstring(capsysbinary.readouterr().out).find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("1", str(status))


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_ordermap_convert_fails_cleanly_and_keeps_the_old_output(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = str(HOSTILE / case.name)
    expected = validate(case.data)
    for target in FORMATS:
        output = tmp_path / f"out-{target}"
        output.write_bytes(PREVIOUS)
        status = main(["convert", source, "--to", target, "-o", str(output)])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        # Loss report entries may come first: a page streams, order by order.
        errors = [line for line in err.splitlines() if line.startswith("ordermap: ")]
        if not (case.accepted or case.decodes):
            assert status == 1, (target, err)
            # The first problem's code is named (convert stops at the first bad order).
            assert f"[{expected.problems[0].code}]" in errors[0], (target, err)
        else:
            assert status in (0, 1), (target, err)
        if status:
            assert errors and all(line.endswith("]") for line in errors), err
            assert output.read_bytes() == PREVIOUS, target
        else:
            assert ordermap.decode(output.read_bytes(), target)
        left = {p.name for p in tmp_path.iterdir()} - {f"out-{name}" for name in FORMATS}
        assert left == set(), f"left behind by --to {target}"


_COMMAND_LINE = """
import sys
from pathlib import Path
from ordermap.cli import main

out = Path(sys.argv[1])
for name in sys.argv[2:]:
    for label, argv in (("text", ["validate", name]), ("junit", ["validate", "--output", "junit", name])):
        print(f"=== {label} {name}", flush=True)
        print(f"=== status {main(argv)}", flush=True)
    for target in ("dexero-json", "dexero-xml", "talkdesk-json"):
        print(f"=== convert {name}", flush=True)
        print(f"=== status {main(['convert', name, '--to', target, '-o', str(out)])}", flush=True)
"""


def test_the_real_command_line_prints_every_answer(tmp_path: Path) -> None:
    # In-process tests capture output through wrappers that forgive what a terminal or a
    # pipe does not: text that UTF-8 cannot encode. A child process writes to real pipes,
    # strictly encoded.
    script = tmp_path / "cli.py"
    script.write_text(_COMMAND_LINE)
    files = [str(HOSTILE / case.name) for case in CASES]
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out"), *files],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert done.returncode == 0, done.stderr.decode(errors="backslashreplace")[-3000:]
    assert b"Traceback" not in done.stderr + done.stdout
    chunks = done.stdout.split(b"=== ")[1:]
    statuses = [int(chunk.split()[1]) for chunk in chunks if chunk.startswith(b"status ")]
    assert len(statuses) == 5 * len(CASES) and set(statuses) <= {0, 1}
    reports = [chunk for chunk in chunks if chunk.startswith(b"junit ")]
    assert len(reports) == len(CASES)
    for chunk in reports:
        report = JUnitXml.fromstring(chunk.split(b"\n", 1)[1])
        assert [suite.tests for suite in report] == [1]


_MEASURE = """
import json, re, sys, time
from pathlib import Path
import ordermap
from ordermap.validation import validate

def status(field):
    text = Path("/proc/self/status").read_text()
    return int(re.search(field + r":\\s+(\\d+) kB", text).group(1)) * 1024

for name in sys.argv[1:]:
    data = Path(name).read_bytes()
    Path("/proc/self/clear_refs").write_text("5")  # peak RSS starts again from here
    before = status("VmRSS")
    print(json.dumps({"file": name, "started": True}), flush=True)
    try:
        ordermap.decode(data)
    except ordermap.OrdermapError:
        pass
    validate(data)
    print(json.dumps({"file": name, "growth": status("VmHWM") - before}), flush=True)
"""


@pytest.mark.skipif(
    not os.path.exists("/proc/self/clear_refs"), reason="peak RSS reset needs Linux /proc"
)
def test_no_file_costs_more_than_100_mib_or_hangs(tmp_path: Path) -> None:
    script = tmp_path / "measure.py"
    script.write_text(_MEASURE)
    files = [str(HOSTILE / case.name) for case in CASES]
    try:
        done = subprocess.run(
            [sys.executable, str(script), *files],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        lines = (exc.stdout or b"").decode().splitlines() if isinstance(exc.stdout, bytes) else []
        pytest.fail(f"hang guard: still reading after 120 s; last output: {lines[-1:]}")
    assert done.returncode == 0, done.stderr
    growth = {
        Path(row["file"]).name: row["growth"]
        for row in map(json.loads, done.stdout.splitlines())
        if "growth" in row
    }
    assert set(growth) == {case.name for case in CASES}
    assert {name: size for name, size in growth.items() if size > 100 * 2**20} == {}
