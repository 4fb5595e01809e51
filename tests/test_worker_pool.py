"""The worker pool when a worker dies halfway through sending its result: the torn message
must neither hang the run nor its ending (each case runs in a process of its own, with a
deadline, so that a hang fails the test instead of the suite)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A task that writes the start of a result message (a length, then less than it says) into
# the pool's result pipe, as a worker killed in the middle of sending one leaves it.
TORN = """
import gc, multiprocessing.queues, os, struct, sys, time
from ordermap.pipeline import pool as P

def torn(then):
    for found in gc.get_objects():
        if type(found) is multiprocessing.queues.SimpleQueue:
            os.write(found._writer.fileno(), struct.pack("!i", 1_000_000) + b"part of it")
    if then == "exit":
        os._exit(9)
    time.sleep(120)

def idle():
    return 1
"""


def _run(body: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    source = TORN + textwrap.dedent(body)
    try:
        return subprocess.run(
            [sys.executable, "-c", source], env=env, capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:  # pragma: no cover - the defect itself
        pytest.fail("the pool hung on a torn result message")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_a_worker_that_dies_while_sending_is_reported_not_waited_for() -> None:
    # The other worker lives on, holding a write end of the pipe: without a look at the
    # workers, the pool's thread would wait for the rest of the message for ever, and the
    # run with it. The error says how the worker ended.
    done = _run(
        """
        try:
            with P.worker_pool(2) as pool:
                pool.submit(idle).result()
                P.outcome(pool, pool.submit(torn, "exit"))
        except P.WorkerLost as exc:
            print("WorkerLost", exc)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["WorkerLost a worker process ended abruptly, with status 9"]
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_ending_a_run_early_does_not_wait_for_a_torn_message() -> None:
    # The run stops for another reason (a failed order, a signal) while a worker is in the
    # middle of a message: end() kills the workers, and the pool's thread must not wait on.
    done = _run(
        """
        try:
            with P.worker_pool(2) as pool:
                pool.submit(torn, "sleep")
                time.sleep(1.0)
                raise LookupError("the run stops")
        except LookupError as exc:
            print("stopped:", exc)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["stopped: the run stops"]
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_worker_keeps_none_of_the_parents_signal_handlers() -> None:
    # The command line raises SIGTERM and SIGHUP in its own way; a forked worker that kept
    # that handler would raise the parent's exception when the signal reached it alone (a
    # traceback when idle, or a run that says it was stopped when one worker was).
    done = _run(
        """
        import signal

        def handler(number, frame):
            raise LookupError(number)

        def handlers():
            numbers = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
            return [getattr(signal.getsignal(n), "name", "a handler") for n in numbers]

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGHUP, handler)
        with P.worker_pool(2) as pool:
            print(*pool.submit(handlers).result())
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["SIG_DFL", "SIG_DFL", "SIG_IGN"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")
def test_workers_are_the_runs_children_whatever_the_default_start_method() -> None:
    # Python 3.14 starts processes through a fork server by default on Linux: a worker's
    # parent would be that server, which neither the worker's start (it took the server for a
    # run already gone) nor its dying with the run (the server outlives a killed run) allow.
    done = _run(
        """
        import multiprocessing
        multiprocessing.set_start_method("forkserver")
        if __name__ == "__main__":
            with P.worker_pool(2) as pool:
                # Functions of modules, not of this script (which a fork server cannot import).
                print(P.outcome(pool, pool.submit(os.getppid)) == os.getpid())
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]


@pytest.mark.parametrize("alive", [True, False])
def test_a_worker_whose_parent_is_not_the_run_starts_only_while_the_run_lives(
    alive: bool,
) -> None:
    # Through a fork server (elsewhere than on Linux) the worker's parent is the server.
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        if not alive:
            helper.kill()
            helper.wait()
        done = _run(f"P._start_worker({helper.pid}, print, ('set up',))")
    finally:
        helper.kill()
        helper.wait()
    assert (done.returncode, done.stdout) == ((0, "set up\n") if alive else (1, ""))
