"""What ``ordermap convert`` shows on standard error: the loss report by field, the per-value
report with ``--verbose``, the ``--report`` file's ``by_field``, and the progress line, on a
pseudo-terminal and off one."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ordermap._terminal import Progress
from ordermap.cli import main
from ordermap.crosswalk import ReportEntry
from ordermap.crosswalk.summary import SHOWN, LossSummary, field_of

from .sample import dexero_page_xml

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "dexero-page.xml"
TOTALS = "dexero-xml -> talkdesk-json (report): 24 lost, 9 derived, 0 carried; 2 orders"


def _entry(action: str, source: str, target: str | None = None, reason: str = "r") -> ReportEntry:
    return ReportEntry(action, source, target, None, reason)  # type: ignore[arg-type]


# --- the summary by field ----------------------------------------------------------------------


def test_a_field_is_the_pointer_with_its_indexes_generalised() -> None:
    assert field_of("/orders/order/12/product/3/sku") == "/orders/order/*/product/*/sku"
    assert field_of("/_embedded/orders/0/id") == "/_embedded/orders/*/id"
    assert field_of("/7/order/id") == "/*/order/id"  # newline-delimited JSON's lines
    assert field_of("/orders/order12/x1") == "/orders/order12/x1"
    assert field_of("/a/12\n") == "/a/12\n"  # a member named "12" and a line break
    assert field_of("/a/12\n/b") == "/a/12\n/b"
    assert field_of("") == "/"
    assert field_of(None) is None


def test_lost_comes_first_then_carried_then_derived_each_by_count() -> None:
    summary = LossSummary()
    for index in range(3):
        summary.add(_entry("derived", f"/o/{index}/a", f"/t/{index}/a", "from a"))
    summary.add(_entry("carried", "/o/0/c", "/t/0/slot", "kept"))
    for index in range(2):
        summary.add(_entry("lost", f"/o/{index}/b", reason="no counterpart"))
    summary.add(_entry("lost", "/o/0/e", reason="no counterpart"))
    summary.add(_entry("lost", "/o/1/d", reason="no counterpart"))
    assert summary.lines() == [
        "lost /o/*/b x 2: no counterpart",
        # Equal counts keep the order the fields came in.
        "lost /o/*/e x 1: no counterpart",
        "lost /o/*/d x 1: no counterpart",
        "carried /o/*/c -> /t/*/slot x 1: kept",
        "derived /o/*/a -> /t/*/a x 3: from a",
    ]
    assert summary.to_json()[0] == {
        "action": "lost",
        "source": "/o/*/b",
        "target": None,
        "count": 2,
        "reason": "no counterpart",
        "other_reasons": 0,
    }


def test_a_field_with_several_reasons_names_the_most_frequent_and_bounds_the_rest() -> None:
    summary = LossSummary()
    for index in range(5):
        summary.add(_entry("lost", f"/o/{index}/total", reason="in USD, not EUR"))
    # A reason that names a value: only the first few distinct ones are told apart.
    for index in range(100):
        summary.add(_entry("lost", f"/o/{index}/total", reason=f"in C{index:02}, not EUR"))
    (line,) = summary.lines()
    assert line == "lost /o/*/total x 105: in USD, not EUR (and 100 with other reasons)"
    assert len(summary) == 1


def test_the_terminal_lists_so_many_fields_and_says_how_many_more() -> None:
    summary = LossSummary()
    for index in range(SHOWN + 2):
        summary.add(_entry("lost", f"/o/0/f{index}"))
    lines = summary.lines()
    assert len(lines) == SHOWN + 1
    assert lines[-1] == "... and 2 more fields (--verbose or --report FILE lists every value)"
    assert len(summary.to_json()) == SHOWN + 2


# --- the command, off a terminal ----------------------------------------------------------------


def run(argv: list[str], stdin: bytes | None = None) -> tuple[int, bytes, str]:
    """``ordermap ARGV`` through :func:`ordermap.cli.main` (which maps failures to exit
    statuses), in click's test isolation: standard streams that are not terminals.

    Returns the exit status, standard output and standard error.
    """
    with CliRunner().isolation(input=stdin) as (out, err, _):
        status = main(argv)
        return status, out.getvalue(), err.getvalue().decode()


def _convert(*argv: str) -> tuple[int, str]:
    status, _, err = run(["convert", str(EXAMPLE), "--to", "talkdesk-json", *argv])
    return status, err


def test_by_default_the_report_is_one_line_per_field_then_the_totals(tmp_path: Path) -> None:
    status, err = _convert("-o", str(tmp_path / "out.json"))
    assert status == 0
    lines = err.splitlines()
    assert lines[-1] == TOTALS
    assert lines[0] == (
        "lost /orders/order/*/product x 2: derived (items_number from the order lines): "
        "translating back does not give this value"
    )
    assert "lost /orders/order/*/customer_comment x 1: no Talkdesk counterpart" in lines
    assert (
        "derived /orders/order/*/status -> /_embedded/orders/*/order_extra_info/"
        "latest_status_info x 2: latest_status_info from status"
    ) in lines
    actions = [line.split()[0] for line in lines[:-1]]
    assert actions == sorted(actions, key=["lost", "carried", "derived"].index)
    # Each line counts its field's entries: together they are the totals.
    counts = [int(re.search(r" x (\d+): ", line).group(1)) for line in lines[:-1]]  # type: ignore[union-attr]
    assert sum(counts) == 24 + 9
    assert not any(" = " in line for line in lines)  # no values


def test_verbose_prints_each_value_and_quiet_only_the_totals(tmp_path: Path) -> None:
    status, err = _convert("-o", str(tmp_path / "out.json"), "--verbose")
    assert status == 0
    lines = err.splitlines()
    assert len(lines) == 24 + 9 + 1 and lines[-1] == TOTALS
    assert (
        "lost /orders/order/0/customer_comment = 'Please ring twice.': no Talkdesk counterpart"
        in lines
    )
    assert _convert("-o", str(tmp_path / "out.json"), "-q") == (0, TOTALS + "\n")
    status, err = _convert("-q", "-v")
    assert status == 2 and "--quiet and --verbose" in err


def test_the_report_file_counts_by_field_beside_its_entries(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    status, _ = _convert("-o", str(tmp_path / "out.json"), "--report", str(report), "-q")
    assert status == 0
    written = json.loads(report.read_bytes())
    assert list(written) == [
        "target_format",
        "mode",
        "entries",
        "failures",
        "by_field",
        "summary",
    ]
    assert len(written["entries"]) == sum(each["count"] for each in written["by_field"]) == 33
    assert {
        "action": "lost",
        "source": "/orders/order/*/customer_comment",
        "target": None,
        "count": 1,
        "reason": "no Talkdesk counterpart",
        "other_reasons": 0,
    } in written["by_field"]
    assert written["summary"] == {"lost": 24, "derived": 9, "carried": 0, "orders": 2, "failed": 0}


def test_a_strict_refusal_is_summed_up_by_field_too(tmp_path: Path) -> None:
    status, err = _convert("--mode", "strict", "-o", str(tmp_path / "out.json"))
    assert status == 3
    assert "lost /orders/order/*/customer_email x 1: no Talkdesk counterpart" in err.splitlines()
    assert " = " not in err


def test_progress_off_a_terminal_is_shown_only_when_asked_in_plain_lines(tmp_path: Path) -> None:
    source = tmp_path / "page.xml"
    source.write_bytes(dexero_page_xml(50, seed=4))
    argv = ["convert", str(source), "--to", "dexero-json", "-o", str(tmp_path / "o.json")]
    assert "orders/s" not in run(argv)[2]
    shown = run([*argv, "--progress"])[2]
    assert "orders/s" in shown and "elapsed" in shown
    assert "\r" not in shown and "\x1b" not in shown


# --- the progress line ---------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_tells_orders_rate_share_elapsed_and_time_left() -> None:
    meter = Progress(4 * 2**20, True, _Terminal())
    now = meter.start + 10
    assert meter.line(2_500, 2**20, now) == (
        "2,500 orders, 250 orders/s, 25% of 4.0 MiB, 0:10 elapsed, 0:30 left"
    )
    assert meter.line(1, 4 * 2**20, meter.start + 3725).endswith(
        ", 100% of 4.0 MiB, 1:02:05 elapsed"
    )
    unknown = Progress(None, True, _Terminal())
    assert unknown.line(10, 999, unknown.start + 2) == "10 orders, 5 orders/s, 0:02 elapsed"


def test_progress_on_a_terminal_is_redrawn_in_place_and_cleared() -> None:
    screen = _Terminal()
    meter = Progress(100, True, screen)
    meter.update(1, 50)
    meter.update(2, 60)  # within the same fifth of a second: not drawn again
    meter.clear()
    meter.clear()  # nothing left to clear
    drawn = screen.getvalue()
    assert drawn.startswith("\r\x1b[K1 order, ") and drawn.endswith("left\r\x1b[K")
    assert drawn.count("\r\x1b[K") == 2
    silent = _Terminal()
    Progress(100, False, silent).update(1, 50)
    assert silent.getvalue() == ""


def test_the_size_of_redirected_standard_input_is_known(tmp_path: Path) -> None:
    from ordermap.cli import _size_of

    path = tmp_path / "in.xml"
    path.write_bytes(b"x" * 1000)
    with path.open("rb") as handle:
        assert _size_of(handle) == 1000
    read, write = os.pipe()
    with os.fdopen(read, "rb") as pipe:
        os.close(write)
        assert _size_of(pipe) is None
    assert _size_of(io.BytesIO(b"abc")) is None


# --- under a pseudo-terminal ---------------------------------------------------------------------


def _under_a_terminal(argv: list[str], *, stdout_too: bool) -> tuple[int, str, bytes]:
    """Run ``ordermap`` with standard error (and standard output, if asked) on a pty.

    Returns the exit status, what the terminal received (its line endings as written), and
    standard output when it was a pipe.
    """
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ordermap", *argv],
        stdin=subprocess.DEVNULL,
        stdout=slave if stdout_too else subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    received = bytearray()
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the other side closed (Linux reports EIO)
            break
        if not chunk:
            break
        received += chunk
    if process.stdout is not None:
        out = process.stdout.read()
        process.stdout.close()
    status = process.wait(60)
    os.close(master)
    return status, received.decode().replace("\r\n", "\n"), out


def _visible(screen: str) -> list[str]:
    """The lines a person sees: each line's text after the last carriage return."""
    return [line.rsplit("\r", 1)[-1].replace("\x1b[K", "") for line in screen.split("\n")]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_progress_then_the_summary_never_on_one_line(tmp_path: Path) -> None:
    source = tmp_path / "page.xml"
    source.write_bytes(dexero_page_xml(300, seed=5))
    argv = ["convert", str(source), "--to", "talkdesk-json", "-o", str(tmp_path / "out.json")]
    status, screen, _ = _under_a_terminal(argv, stdout_too=False)
    assert status == 0, screen
    # The progress line was drawn (at once, with the first order) and wiped.
    assert "\r\x1b[K1 order, " in screen and "% of " in screen and "elapsed" in screen
    lines = _visible(screen)
    assert not any(" orders/s" in line for line in lines)
    assert "lost /orders/order/*/customer_email x 300: no Talkdesk counterpart" in lines
    assert lines[-2].startswith("dexero-xml -> talkdesk-json (report): ") and lines[-1] == ""
    # Every report line starts a line of its own: the progress line before it was wiped.
    assert any("\r\x1b[Klost /orders/order/*/" in line for line in screen.split("\n"))
    for line in lines:
        if " x 300: " in line:
            assert line.startswith(("lost ", "derived "))


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_verbose_lines_and_the_output_start_clean_lines(tmp_path: Path) -> None:
    source = tmp_path / "page.xml"
    source.write_bytes(dexero_page_xml(200, seed=6))
    argv = ["convert", str(source), "--to", "talkdesk-json", "--verbose", "-o", "-"]
    status, screen, _ = _under_a_terminal(argv, stdout_too=True)
    assert status == 0, screen[-2000:]
    lines = _visible(screen)
    assert not any(" orders/s" in line for line in lines)
    assert "lost /orders/order/199/customer_email = " in screen
    assert "{" in lines  # the page, written to the same terminal once the progress was wiped
    assert sum(line.startswith(("lost /", "derived /")) for line in lines) > 200 * 10


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_quiet_on_a_terminal_shows_no_progress(tmp_path: Path) -> None:
    argv = ["convert", str(EXAMPLE), "--to", "talkdesk-json", "-q", "-o", str(tmp_path / "o")]
    status, screen, _ = _under_a_terminal(argv, stdout_too=False)
    assert (status, screen) == (0, TOTALS + "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_explain_does_not_pour_a_page_of_html_onto_a_terminal() -> None:
    example = ROOT / "examples" / "dexero-page.xml"
    status, screen, _ = _under_a_terminal(
        ["explain", str(example), "--to", "talkdesk-json"], stdout_too=True
    )
    assert status == 2
    assert "the page is HTML, not for a terminal: give -o PAGE.html" in screen
    assert "<html" not in screen
