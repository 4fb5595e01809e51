"""``-`` everywhere, newline-delimited JSON by line, and checking nothing as an error: in
``ordermap convert``, ``ordermap validate`` and the pytest plugin."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ordermap.cli import main
from ordermap.limits import Limits
from ordermap.validation import validate_file

pytest_plugins = ["pytester"]

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "dexero-page.xml"


def run(argv: list[str], stdin: bytes | None = None) -> tuple[int, bytes, str]:
    """``ordermap ARGV`` through :func:`ordermap.cli.main`, in click's test isolation."""
    with CliRunner().isolation(input=stdin) as (out, err, _):
        status = main(argv)
        return status, out.getvalue(), err.getvalue().decode()


# --- convert -o - ----------------------------------------------------------------------------


def test_dash_output_is_standard_output_and_no_file_named_dash(tmp_path: Path) -> None:
    argv = ["convert", str(EXAMPLE), "--to", "dexero-json", "-o", "-", "-q"]
    result = subprocess.run(
        [sys.executable, "-m", "ordermap", *argv],
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["orders"]["totalResults"] == 2
    assert list(tmp_path.iterdir()) == []
    # The same bytes as without -o.
    assert run(["convert", str(EXAMPLE), "--to", "dexero-json", "-o", "-"])[1] == result.stdout


def test_dash_in_and_out(tmp_path: Path) -> None:
    status, out, _ = run(["convert", "-", "--to", "dexero-json", "-o", "-"], EXAMPLE.read_bytes())
    assert status == 0 and json.loads(out)["orders"]["totalResults"] == 2


def test_the_report_needs_a_file_name() -> None:
    status, out, err = run(["convert", str(EXAMPLE), "--to", "talkdesk-json", "--report", "-"])
    assert (status, out) == (2, b"")
    assert "--report needs a file name" in err


# --- validate - -----------------------------------------------------------------------------------


def test_validate_dash_reads_standard_input() -> None:
    status, out, _ = run(["validate", "-"], EXAMPLE.read_bytes())
    assert status == 0
    assert out.decode().splitlines() == ["1 file checked: 1 passed, 0 failed, 0 problems"]
    status, out, _ = run(["validate", "-"], b'{"order": {"id": "x"}}')
    assert status == 1 and out.decode().startswith("-:1:18: error wrong-type ")


class _Endless(io.RawIOBase):
    """A standard input that never ends, counting what was read of it."""

    def __init__(self, head: bytes) -> None:
        self.head = head
        self.read_so_far = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        chunk = (self.head + b" " * size)[:size] if self.read_so_far == 0 else b"a" * size
        buffer[:size] = chunk
        self.read_so_far += size
        return size


@pytest.mark.parametrize(
    "head",
    [b'{"order": {"id": 1, "note": "', b'{"orders": {"order": [{"id": 1, "x": "'],
    ids=["document", "page"],
)
def test_the_size_limit_applies_as_standard_input_is_read(head: bytes) -> None:
    # What ``ordermap validate -`` does with its standard input (sys.stdin.buffer): the limit
    # stops the reading, of a document read whole as of one order of a page.
    source = _Endless(head)
    result = validate_file(io.BufferedReader(source), limits=Limits(max_bytes=100_000))
    assert [problem.code for problem in result.errors] == ["too-large"]
    assert source.read_so_far < 1_000_000


def test_standard_input_is_named_once() -> None:
    status, _, err = run(["validate", "-", "-"], b"{}")
    assert status == 2 and "- (standard input) is named more than once" in err


# --- validate: newline-delimited JSON by line ----------------------------------------------------

LINES = (
    b'{"order": {"id": 1}}\n'
    b"\n"
    b'{"order": {"id": "x"}}\n'
    b'{"order": {"id": 2, "channel": "web"}}\n'
    b'{"orders": {"order": []}}\n'
)


def test_ndjson_problems_are_located_by_line(tmp_path: Path) -> None:
    (tmp_path / "orders.ndjson").write_bytes(LINES)
    status, out, _ = run(["validate", str(tmp_path)])
    assert status == 1
    name = tmp_path / "orders.ndjson"
    # The blank line counts: the lines are the file's.
    assert out.decode().splitlines() == [
        f"{name}:3:18: error wrong-type expected a long (a JSON integer) (got 'x') at /1/order/id",
        f"{name}:5:1: error not-an-order each line must hold one order at /3",
        f"{name}:4:21: warning unknown-field unknown member 'channel' (kept as it is) at "
        "/2/order/channel",
        "1 file checked: 0 passed, 1 failed, 3 problems",
    ]
    status, out, _ = run(["validate", "--output", "json", "-"], LINES)
    (checked,) = json.loads(out)["files"]
    assert [(p["code"], p["line"], p["pointer"]) for p in checked["problems"]] == [
        ("wrong-type", 3, "/1/order/id"),
        ("not-an-order", 5, "/3"),
        ("unknown-field", 4, "/2/order/channel"),
    ]


def test_a_file_named_ndjson_is_read_by_line_even_of_one_line(tmp_path: Path) -> None:
    # One line alone does not tell newline-delimited JSON from a document; the name does.
    path = tmp_path / "one.ndjson"
    path.write_bytes(b'{"orders": {"order": []}}\n')
    status, out, _ = run(["validate", str(path)])
    assert status == 1
    assert f"{path}:1:1: error not-an-order each line must hold one order at /0" in out.decode()
    status, _, _ = run(["validate", str(path.rename(tmp_path / "one.json"))])
    assert status == 0  # the same text, named as a document: a page


# --- validating nothing ---------------------------------------------------------------------------


def test_an_empty_folder_among_others_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "page.xml").write_bytes(EXAMPLE.read_bytes())
    assert run(["validate", str(tmp_path / "full")])[0] == 0
    status, out, err = run(["validate", str(tmp_path / "full"), str(tmp_path / "empty")])
    assert (status, out) == (2, b"")
    assert f"no payload files (*.json, *.ndjson, *.xml) in {tmp_path / 'empty'}" in err


def test_a_glob_the_shell_could_not_expand_is_an_error(tmp_path: Path) -> None:
    # A shell passes a glob that matches nothing as it is.
    status, _, err = run(["validate", str(tmp_path / "*.json")])
    assert status == 2 and f"no file matches {tmp_path / '*.json'}" in err


# --- the pytest plugin -----------------------------------------------------------------------------


def test_plugin_patterns_that_match_no_file_are_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nordermap_payloads =\n    payloads/*.json\n    payloads/*.xml\n")
    (pytester.mkdir("payloads") / "notes.txt").write_text("not a payload")
    pytester.makepyfile("def test_other():\n    pass\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*ordermap_payloads matches no file under * (payloads/*.json, payloads/*.xml)*"]
    )


def test_plugin_patterns_that_match_one_file_run(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nordermap_payloads =\n    payloads/**/*.json\n    payloads/*.xml\n")
    folder = pytester.mkdir("payloads")
    (folder / "top.json").write_bytes(b'{"order": {"id": 1}}')  # ** stands for no folder too
    (folder / "deep").mkdir()
    (folder / "deep" / "bad.json").write_bytes(b'{"order": {"id": "x"}}')
    (folder / ".hidden").mkdir()
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*top.json::ordermap-validate PASSED*"])
