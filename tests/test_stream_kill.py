"""Killing a conversion with several jobs: an existing output stays as it was, no temporary file
stays beside it, and no worker process is left behind (SIGINT and SIGTERM, ranged input and
standard input)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .sample import dexero_page_xml

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


_OOM = " (the system sends it when it runs out of memory)"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def big_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page that takes a few seconds to convert, so that it is still running when killed."""
    path = tmp_path_factory.mktemp("kill") / "page.xml"
    path.write_bytes(dexero_page_xml(15_000, seed=1))
    return path


def _killed(
    command: list[str],
    page: Path,
    stdin: bool,
    env: dict[str, str],
    number: int,
    *,
    to_worker: bool = False,
) -> tuple[subprocess.Popen[bytes], list[int], bytes]:
    """Start the conversion, send ``number`` once its workers run (to the run, or to one of
    its workers), and wait for it."""
    with page.open("rb") as source:
        run = subprocess.Popen(
            command,
            stdin=source if stdin else subprocess.DEVNULL,
            env=env,
            stderr=subprocess.PIPE,
            # A shell's background job ignores SIGINT, and so would its children.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        workers: list[int] = []
        deadline = time.monotonic() + 60
        while len(workers) < 2 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = _children(run.pid)
        assert len(workers) >= 2, "the workers never started"
        if to_worker:
            # A worker is seen as soon as it is forked, before it has set its own handlers
            # up (a SIGHUP then would be the parent's): it is given a moment to start.
            time.sleep(0.2)
            os.kill(workers[0], number)
        else:
            run.send_signal(number)
        _, errors = run.communicate(timeout=60)
    return run, workers, errors


def _left_as_before(folder: Path, output: Path, workers: list[int]) -> None:
    """The output as it was, no temporary file beside it, and no worker left running."""
    assert output.read_bytes() == b"before\n"
    assert [p.name for p in folder.iterdir()] == [output.name]
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("stdin", [False, True])
def test_a_killed_run_leaves_the_output_and_no_worker(
    tmp_path: Path, big_page: Path, number: int, stdin: bool
) -> None:
    output = tmp_path / "out.ndjson"
    output.write_bytes(b"before\n")
    command = [sys.executable, "-m", "ordermap", "convert", "-" if stdin else str(big_page)]
    command += ["--to", "talkdesk-json", "--ndjson", "-q", "--jobs", "2", "-o", str(output)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    # On a loaded machine the workers may be seen so late that the run ends before the signal
    # lands (status 0, the output written): then the run is tried again, at most three times.
    for _ in range(3):
        output.write_bytes(b"before\n")
        run, workers, errors = _killed(command, big_page, stdin, env, number)
        if run.returncode != 0:
            break
    assert run.returncode != 0
    assert b"Traceback" not in errors, errors.decode()
    _left_as_before(tmp_path, output, workers)


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_remove_the_temporary_file_and_say_so(
    tmp_path: Path, big_page: Path, number: int
) -> None:
    # One job: no worker pool, so the command line's own handlers do it (issue #11.4).
    output = tmp_path / "out.json"
    command = [sys.executable, "-m", "ordermap", "convert", str(big_page)]
    command += ["--to", "talkdesk-json", "-q", "-o", str(output)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for _ in range(3):
        output.write_bytes(b"before\n")
        run = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while run.poll() is None and time.monotonic() < deadline:
            if [p for p in tmp_path.iterdir() if p.name != "out.json"]:
                break  # the temporary output is there: the conversion runs
            time.sleep(0.02)
        run.send_signal(number)
        _, errors = run.communicate(timeout=60)
        if run.returncode != 0:
            break
    assert run.returncode == 128 + number
    name = signal.Signals(number).name
    assert errors.decode().endswith(
        f"ordermap: stopped by {name}; nothing written (the temporary file is removed)\n"
    )
    assert output.read_bytes() == b"before\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.parametrize(("number", "why"), [(signal.SIGKILL, _OOM), (signal.SIGHUP, "")])
@pytest.mark.parametrize("stdin", [False, True])
def test_a_worker_killed_in_the_middle_is_named_and_nothing_is_written(
    tmp_path: Path, big_page: Path, stdin: bool, number: int, why: str
) -> None:
    # As the system's out-of-memory killer would end one: the run stops with a message that
    # says how the worker ended, status 1, the output as it was and no worker left. A SIGHUP
    # that reaches a worker alone ends that worker, not the run as if the run had had it.
    output = tmp_path / "out.ndjson"
    command = [sys.executable, "-m", "ordermap", "convert", "-" if stdin else str(big_page)]
    command += ["--to", "talkdesk-json", "--ndjson", "-q", "--jobs", "2", "-o", str(output)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for _ in range(3):
        output.write_bytes(b"before\n")
        run, workers, errors = _killed(command, big_page, stdin, env, number, to_worker=True)
        if run.returncode != 0:
            break
    assert run.returncode == 1, errors.decode()
    assert b"Traceback" not in errors, errors.decode()
    assert errors.decode().splitlines()[-1] == (
        f"ordermap: error: a worker process was killed by {signal.Signals(number).name}{why};"
        f" nothing written ({output} is as it was)"
    )
    _left_as_before(tmp_path, output, workers)
