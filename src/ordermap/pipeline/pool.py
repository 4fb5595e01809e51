"""Worker processes that do not outlive their run.

:func:`worker_pool` is the one place a conversion starts worker processes. Its workers ignore
SIGINT (the parent handles it and ends them), die with the parent on Linux (so that even a
parent killed outright leaves none behind), and are ended at once when the run stops early;
while they run, a SIGTERM to the parent is raised in its main thread as ``SystemExit``, so that
the run unwinds (an atomic output is removed, the spool is closed) instead of the process
vanishing.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

_T = TypeVar("_T")

WATCH = 1.0
"""Seconds between looks at the workers while a result is awaited (see :func:`outcome`)."""

__all__ = ["Terminated", "WorkerLost", "checkpoint", "end", "outcome", "worker_pool"]

# How to raise the signal that came while worker processes ran (None: none came).
_stopped: Callable[[], BaseException] | None = None


class Terminated(SystemExit):
    """SIGTERM, raised in the main thread while worker processes run (exit status 143)."""


class WorkerLost(RuntimeError):
    """A worker process ended in the middle of a run (killed, or out of memory): what it was
    converting is lost, so the run's output is incomplete. The message says how it ended."""


def _start_worker(parent: int, setup: Callable[..., None] | None, args: tuple[Any, ...]) -> None:
    """Set up a worker process: SIGINT is the parent's to handle, and the worker dies with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Not the parent's handlers, if it was forked: the command line's raise its own exception,
    # which a worker the signal reached alone would raise as the parent's (a traceback while
    # idle, or a run that says it was stopped), where the worker is to end as a killed one.
    for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if number is not None:
            signal.signal(number, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        # PR_SET_PDEATHSIG; a libc without prctl leaves only the other safeguards.
        with suppress(AttributeError, OSError):
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    # The parent died before the line above took effect. (A worker started through a fork
    # server, Python 3.14's default on POSIX systems but macOS, has the server for parent;
    # worker_pool forks on Linux instead.)
    if os.getppid() != parent and not _alive(parent):
        os._exit(1)
    if setup is not None:
        setup(*args)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - a process of another user has that number
        return True
    return True


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """Raise SIGTERM as :class:`Terminated` (and SIGINT as ``KeyboardInterrupt``, as ever)
    while the block runs, where the signal has its default handling (which only the main
    thread may change), and remember it for :func:`checkpoint`."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    ours = {
        number: handler
        for number, default, handler in (
            (signal.SIGTERM, signal.SIG_DFL, lambda: Terminated(128 + signal.SIGTERM)),
            (signal.SIGINT, signal.default_int_handler, KeyboardInterrupt),
        )
        if signal.getsignal(number) is default
    }
    previous = {number: signal.getsignal(number) for number in ours}
    global _stopped
    _stopped = None

    def stop(number: int, frame: Any) -> None:
        global _stopped
        _stopped = ours[signal.Signals(number)]
        raise _stopped()

    def unraisable(report: Any) -> None:
        # The signal came inside a finaliser, which cannot raise: checkpoint() raises it.
        if _stopped is None or not isinstance(report.exc_value, Terminated | KeyboardInterrupt):
            hook(report)

    hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    for number in ours:
        signal.signal(number, stop)
    try:
        yield
        checkpoint()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        sys.unraisablehook = hook


def checkpoint() -> None:
    """Raise again the signal that came while worker processes ran, if one did.

    A signal handler's exception is lost when it is raised inside a finaliser (``__del__``, a
    weak reference's callback), so the loops that wait for workers look here too.
    """
    if _stopped is not None:
        raise _stopped()


@contextmanager
def worker_pool(
    jobs: int, setup: Callable[..., None] | None = None, *args: Any
) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``jobs`` worker processes, each set up by ``setup(*args)``.

    A block that ends with an exception (an order that fails, a signal, a consumer that stops
    reading a generator) ends the workers at once rather than waiting for the tasks they are
    running; a block that ends normally waits for them.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # only here: it costs start-up time
    from concurrent.futures.process import BrokenProcessPool

    # Not through a fork server on Linux (Python's default there from 3.14), but forked, as
    # before: only a worker whose parent is the run can die with it (PR_SET_PDEATHSIG), and a
    # fork server's workers outlive a run killed outright (they keep the server alive too).
    context: Any = multiprocessing.get_context()
    if sys.platform.startswith("linux") and context.get_start_method() == "forkserver":
        context = multiprocessing.get_context("fork")
    initargs = (os.getpid(), setup, args)
    pool = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=initargs
    )
    try:
        with _terminate_as_exit():
            yield pool
    except BrokenProcessPool as exc:
        # Which workers had ended before end() kills the rest (their sentinels tell, without
        # reaping them); once end() has joined them all, their exit codes are known.
        from multiprocessing.connection import wait

        workers = list((getattr(pool, "_processes", None) or {}).values())
        gone = wait([worker.sentinel for worker in workers], timeout=0)
        end(pool)
        raise _lost([worker for worker in workers if worker.sentinel in gone], exc) from None
    except BaseException:
        end(pool)
        raise
    pool.shutdown(wait=True)


def _lost(gone: list[Any], broken: BaseException) -> WorkerLost:
    """What to say of a pool broken by a worker's end, from the exit codes of the workers
    that had ended.

    The pool terminates the other workers (SIGTERM) once it sees one gone, so a code other
    than that names the one that ended first.
    """
    codes = [code for code in (worker.exitcode for worker in gone) if code]
    codes.sort(key=lambda code: code == -signal.SIGTERM)
    if not codes:
        return WorkerLost(f"a worker process ended abruptly ({broken})")
    code = codes[0]
    if code > 0:
        return WorkerLost(f"a worker process ended abruptly, with status {code}")
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    why = " (the system sends it when it runs out of memory)" if -code == signal.SIGKILL else ""
    return WorkerLost(f"a worker process was killed by {name}{why}")


def outcome(pool: ProcessPoolExecutor, future: Future[_T]) -> _T:
    """``future.result()``, or ``BrokenProcessPool`` once a worker is found gone.

    The pool notices a worker's end by itself, except one: a worker killed while it sent a
    result leaves the pool's thread waiting for the rest of that message, for as long as
    another worker lives (each holds a write end of the pipe). So the wait looks at the
    workers every :data:`WATCH` seconds; :func:`worker_pool` turns the error into
    :class:`WorkerLost`.
    """
    from concurrent.futures.process import BrokenProcessPool

    while True:
        try:
            return future.result(timeout=WATCH)
        except TimeoutError:
            workers = list((getattr(pool, "_processes", None) or {}).values())
            if any(worker.exitcode is not None for worker in workers):
                broken = "a worker process ended while its result was awaited"
                raise BrokenProcessPool(broken) from None


def end(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now, and drop the tasks it has not started."""
    # The executor has no public way to stop its workers before Python 3.14.
    workers = list((getattr(pool, "_processes", None) or {}).values())
    # SIGKILL, all at once: a worker stopped halfway through reading a task would leave the
    # others a torn message (and a traceback) if they lived on.
    for process in workers:
        process.kill()
    # A worker killed while it sent a result leaves the pool's thread waiting for the rest of a
    # torn message, for ever while this process holds a write end of the result pipe too; with
    # that end closed, the wait ends (the pipe reads as ended) once the workers are gone.
    results = getattr(pool, "_result_queue", None)
    if results is not None:
        with suppress(OSError):
            results._writer.close()
    # A signal during the pool's first task can leave its manager thread half started, which
    # shutdown() cannot join; that thread ends on its own once it finds the workers gone.
    with suppress(RuntimeError):
        pool.shutdown(wait=True, cancel_futures=True)
    for process in workers:
        process.join(5)
