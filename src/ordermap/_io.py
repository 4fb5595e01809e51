"""The command line's input and output: files replaced only when a run succeeds, standard
output spooled until then and the loss report file (the progress line is
:mod:`ordermap._terminal`'s).

Nothing here decides what to convert or validate; :mod:`ordermap.cli` does.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from .crosswalk import ReportEntry
    from .errors import Problem

__all__ = ["ReportFile", "atomic", "problem_json", "problem_line", "stdout_when_done"]


@contextmanager
def atomic(path: str) -> Iterator[BinaryIO]:
    """A temporary file beside ``path``, renamed over it only when the block succeeds.

    ``path`` is followed through symbolic links (the link stays, its target is replaced).
    An existing file that is not a regular file (``/dev/null``, a pipe) is written directly.
    """
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        with open(target, "wb") as handle:
            yield handle
        return
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            # mkstemp makes the file private; give a new output the usual umask permissions.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def stdout_when_done() -> Iterator[BinaryIO]:
    """A spool copied to standard output only when the block succeeds (ending in a newline)."""
    with tempfile.TemporaryFile() as spool:
        yield spool
        spool.seek(0)
        last = b"\n"
        try:
            while chunk := spool.read(1 << 20):
                sys.stdout.buffer.write(chunk)
                last = chunk[-1:]
            if last != b"\n":
                sys.stdout.buffer.write(b"\n")
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            # The reader went away (``| head``): stop quietly, as other tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# --- the report file ----------------------------------------------------------------------------


class ReportFile:
    """The loss report as a JSON file, written entry by entry (and atomically)."""

    def __init__(self, handle: BinaryIO, to: str, mode: str) -> None:
        from .formats import json_write

        self._emit = json_write.emit
        self.handle = handle
        self.first = True
        handle.write(
            b'{"target_format":' + json_write.emit(to) + b',"mode":' + json_write.emit(mode)
        )
        handle.write(b',"entries":[')

    def entry(self, entry: ReportEntry) -> None:
        self.handle.write((b"\n" if self.first else b",\n") + self._emit(entry.to_json()))
        self.first = False

    def close(
        self,
        summary: dict[str, Any],
        failures: list[dict[str, Any]],
        by_field: list[dict[str, Any]],
    ) -> None:
        """End the file: the skipped orders, the entries counted by field, the totals."""
        self.handle.write(b"\n],\n" + b'"failures":' + self._emit(failures, 1))
        self.handle.write(b',\n"by_field":' + self._emit(by_field, 1))
        self.handle.write(b',\n"summary":' + self._emit(summary) + b"}\n")


def problem_line(place: str, problem: Problem) -> str:
    where = problem.location
    spot = f"{where.line}:{where.column or 1}:" if where.line else ""
    at = where.pointer if where.pointer is not None else where.path
    shown = f" (got {problem.input})" if problem.input is not None else ""
    suffix = f" at {at or '/'}" if at is not None else ""
    return (
        f"{place}:{spot} {problem.severity.value} {problem.code} {problem.message}{shown}{suffix}"
    )


def problem_json(problem: Problem) -> dict[str, object]:
    where = problem.location
    return {
        "code": problem.code,
        "severity": problem.severity.value,
        "message": problem.message,
        "pointer": where.pointer,
        "path": where.path,
        "line": where.line,
        "column": where.column,
        "input": problem.input,
    }
