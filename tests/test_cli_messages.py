"""Messages that say what went wrong and what to do: a failed write names the file written
and the cause (exit 1, not the usage status), a strict refusal points to --mode carry and
--report, and counts are singular when they are one."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ordermap import _io
from ordermap.cli import main

from .sample import dexero_page_xml, numeric_seed_ids

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "dexero-page.xml"
SEED = ROOT / "tests" / "fixtures" / "talkdesk-json" / "seed-page.json"


def run(argv: list[str], stdin: bytes | None = None) -> tuple[int, bytes, str]:
    """``ordermap ARGV`` through :func:`ordermap.cli.main`, in click's test isolation."""
    with CliRunner().isolation(input=stdin) as (out, err, _):
        status = main(argv)
        return status, out.getvalue(), err.getvalue().decode()


class _Full:
    """A file on a full disk (or a read-only file system): every write fails."""

    def __init__(self, code: int) -> None:
        self.code = code

    def write(self, data: bytes) -> int:
        raise OSError(self.code, os.strerror(self.code))

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None  # flush, close, fileno, seek: nothing to do


class _OsWith:
    """The ``os`` module as ``ordermap._io`` sees it, with ``fdopen`` giving a full file."""

    def __init__(self, code: int) -> None:
        self.code = code

    def fdopen(self, descriptor: int, *args: Any) -> _Full:
        os.close(descriptor)
        return _Full(self.code)

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


@pytest.mark.parametrize(
    ("code", "cause"),
    [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system")],
)
def test_a_failed_write_names_the_output_and_the_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, cause: str
) -> None:
    output = tmp_path / "out.json"
    output.write_bytes(b"previous")
    monkeypatch.setattr(_io, "os", _OsWith(code))
    status, _, err = run(["convert", str(EXAMPLE), "--to", "dexero-json", "-o", str(output)])
    assert status == 1  # not the usage status: the command was right
    assert err == (
        f"ordermap: error: cannot write {output}: {cause}; nothing written ({output} is as it "
        "was)\n"
    )
    assert str(EXAMPLE) not in err  # the input is not blamed
    assert output.read_bytes() == b"previous"
    assert [path.name for path in tmp_path.iterdir()] == ["out.json"]  # no temporary left


def test_a_failed_report_write_names_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output, report = tmp_path / "out.json", tmp_path / "report.json"
    real = os.fdopen
    opened: list[int] = []

    def fdopen(descriptor: int, *args: Any) -> Any:
        opened.append(descriptor)
        if len(opened) == 1:  # the report's temporary file is made first
            os.close(descriptor)
            return _Full(errno.ENOSPC)
        return real(descriptor, *args)

    monkeypatch.setattr(_io, "os", type("Os", (_OsWith,), {"fdopen": staticmethod(fdopen)})(0))
    argv = ["convert", str(EXAMPLE), "--to", "talkdesk-json", "-q"]
    status, _, err = run([*argv, "-o", str(output), "--report", str(report)])
    assert status == 1
    assert f"cannot write {report}: No space left on device; nothing written" in err
    assert not output.exists() and not report.exists()


class _Spools:
    """``tempfile`` as the page writer sees it, its spool on a full disk."""

    def TemporaryFile(self, *args: Any, **kwargs: Any) -> _Full:
        return _Full(errno.ENOSPC)


def test_a_full_disk_under_the_page_spool_names_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ordermap.pipeline import writer

    monkeypatch.setattr(writer, "tempfile", _Spools())
    output = tmp_path / "out.json"
    status, _, err = run(["convert", str(EXAMPLE), "--to", "dexero-json", "-o", str(output)])
    assert status == 1
    assert (
        err == f"ordermap: error: cannot write {output}: No space left on device; nothing written\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_real_full_device_as_output_and_as_standard_output() -> None:
    command = [sys.executable, "-m", "ordermap", "convert", str(EXAMPLE), "--to", "dexero-json"]
    named = subprocess.run([*command, "-o", "/dev/full"], capture_output=True, check=False)
    assert named.returncode == 1
    assert named.stderr == b"ordermap: error: cannot write /dev/full: No space left on device; " + (
        b"nothing written\n"
    )
    with open("/dev/full", "wb") as full:
        piped = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, check=False)
    assert piped.returncode == 1
    assert piped.stderr == (
        b"ordermap: error: cannot write standard output: No space left on device; what reached "
        b"it is incomplete\n"
    )


def test_a_read_only_file_system_is_told_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class ReadOnly:
        f_flag = os.ST_RDONLY

    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    monkeypatch.setattr(os, "statvfs", lambda path: ReadOnly())
    output = tmp_path / "out.json"
    status, _, err = run(["convert", str(EXAMPLE), "--to", "dexero-json", "-o", str(output)])
    assert (status, err) == (
        1,
        f"ordermap: error: cannot write {output}: read-only file system; nothing written\n",
    )
    monkeypatch.setattr(os, "statvfs", lambda path: type("Writable", (), {"f_flag": 0})())
    status, _, err = run(["convert", str(EXAMPLE), "--to", "dexero-json", "-o", str(output)])
    assert status == 2 and "permission denied" in err  # a folder of someone else's


# --- strict refusal ------------------------------------------------------------------------------


def test_a_strict_refusal_says_what_to_do(tmp_path: Path) -> None:
    # The seed with ids a Dexero long holds (its own ids are errors, not losses: rule 5).
    seed = tmp_path / "seed.json"
    seed.write_bytes(numeric_seed_ids(SEED.read_bytes()))
    argv = ["convert", str(seed), "--to", "dexero-xml", "--mode", "strict", "-q"]
    status, out, err = run(argv)
    assert (status, out) == (3, b"")
    assert err.splitlines()[-2:] == [
        "ordermap: 10 values would be lost: --mode carry keeps them in dexero-xml's extension "
        "slot (translating back is exact), --mode report converts without them; --report FILE "
        "lists every value",
        "ordermap: error: refused by --mode strict; nothing written",
    ]
    report = tmp_path / "report.json"
    status, _, err = run([*argv, "--report", str(report)])
    assert status == 3 and f"; {report} lists every value\n" in err
    # And what it says works.
    assert run([*argv[:-3], "--mode", "carry", "-q"])[0] == 0


def test_one_lost_value_is_told_in_the_singular(tmp_path: Path) -> None:
    source = tmp_path / "items.json"
    source.write_bytes(b'{"id": "5", "order_number": "A", "items_number": 3}')
    status, _, err = run(["convert", str(source), "--to", "dexero-xml", "--mode", "strict"])
    assert status == 3
    assert "ordermap: 1 value would be lost: --mode carry keeps it in dexero-xml's" in err


# --- counts ------------------------------------------------------------------------------------------


def test_counts_are_singular_when_they_are_one(tmp_path: Path) -> None:
    source = tmp_path / "order.json"
    source.write_bytes(b'{"id": "5", "order_number": "A1", "status": "ok"}')
    status, _, err = run(["convert", str(source), "--to", "dexero-json", "-q"])
    assert status == 0 and err.endswith("; 1 order\n")
    status, out, _ = run(["validate", str(source)])
    assert (status, out.decode()) == (0, "1 file checked: 1 passed, 0 failed, 0 problems\n")
    (tmp_path / "bad.json").write_bytes(b'{"order": {"id": "x"}}')
    status, out, _ = run(["validate", str(tmp_path)])
    assert status == 1 and out.decode().endswith("2 files checked: 1 passed, 1 failed, 1 problem\n")


# --- a wrong --from --------------------------------------------------------------------------------


def test_a_wrong_from_says_what_the_content_looks_like(tmp_path: Path) -> None:
    page = ROOT / "examples" / "dexero-page.xml"
    status, out, err = run(["convert", str(page), "--to", "dexero-json", "--from", "talkdesk-json"])
    assert (status, out) == (1, b"")
    assert err.splitlines()[-1] == (
        f"ordermap: hint: {page} looks like dexero-xml: leave out --from, or give --from dexero-xml"
    )
    # The right --from, or none, gives no hint.
    assert "hint:" not in run(["convert", str(page), "--to", "dexero-json", "-q"])[2]
    broken = tmp_path / "broken.xml"
    broken.write_bytes(page.read_bytes()[:-40])
    status, _, err = run(["convert", str(broken), "--to", "dexero-json", "--from", "dexero-xml"])
    assert status == 1 and "hint:" not in err


def test_a_closed_standard_output_ends_quietly_with_status_0(tmp_path: Path) -> None:
    # As `ordermap convert ... | head -c 10`: the reader goes away after a few bytes.
    page = tmp_path / "page.xml"
    page.write_bytes(dexero_page_xml(3000, seed=3))
    command = [sys.executable, "-m", "ordermap", "convert", str(page), "--to", "dexero-json"]
    command += ["-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run_ = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert run_.stdout is not None
    assert run_.stdout.read(10)
    run_.stdout.close()
    _, errors = run_.communicate(timeout=120)
    assert (run_.returncode, errors) == (0, b"")


def test_validate_with_a_wrong_from_says_what_the_file_looks_like_on_stderr() -> None:
    status, out, err = run(
        ["validate", "--from", "talkdesk-json", "--output-format", "json", str(EXAMPLE)]
    )
    assert status == 1
    assert json.loads(out)["summary"]["failed"] == 1  # standard output stays one JSON document
    assert err == (
        f"ordermap: hint: {EXAMPLE} looks like dexero-xml: leave out --from, or give --from dexero-xml\n"
    )
    assert run(["validate", "--from", "dexero-xml", str(EXAMPLE)])[2] == ""
