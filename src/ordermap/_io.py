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
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

if TYPE_CHECKING:
    from .crosswalk import ReportEntry
    from .errors import Problem

__all__ = [
    "ReportFile",
    "WriteFailed",
    "atomic",
    "problem_json",
    "problem_line",
    "stdout_when_done",
]


class WriteFailed(Exception):
    """Writing an output failed: a full disk, a read-only file system, a quota.

    An ``OSError`` raised while writing says nothing of which file it was (a ``write`` has
    no name), and the input is being read at the same time; this names the output, so
    that the command blames the right file.

    Attributes:
        target: The output, as the user named it (or ``standard output``).
        cause: The error the system gave.
    """

    def __init__(self, target: str, cause: OSError) -> None:
        super().__init__(target, cause)
        self.target = target
        self.cause = cause

    @property
    def reason(self) -> str:
        """The system's words for the cause, such as ``No space left on device``."""
        return self.cause.strerror or str(self.cause)


class _Writing:
    """A file being written whose errors are :class:`WriteFailed` naming it."""

    def __init__(self, handle: BinaryIO, target: str) -> None:
        self._handle = handle
        self._target = target

    def write(self, data: bytes) -> int:
        try:
            return self._handle.write(data)
        except OSError as exc:
            raise WriteFailed(self._target, exc) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


@contextmanager
def _naming(target: str) -> Iterator[None]:
    """Turn an ``OSError`` of the block into :class:`WriteFailed` naming ``target``."""
    try:
        yield
    except OSError as exc:
        raise WriteFailed(target, exc) from exc


@contextmanager
def atomic(path: str) -> Iterator[BinaryIO]:
    """A temporary file beside ``path``, renamed over it only when the block succeeds.

    ``path`` is followed through symbolic links (the link stays, its target is replaced).
    An existing file that is not a regular file (``/dev/null``, a pipe) is written directly.
    Failing to write it (also to make, sync or rename the temporary file) raises
    :class:`WriteFailed` naming ``path``; the block's own errors pass as they are.
    """
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        with _naming(path):
            handle = open(target, "wb")  # noqa: SIM115 - closed below, its errors named
        try:
            yield cast(BinaryIO, _Writing(handle, path))
        except BaseException:
            with suppress(OSError):  # the block's error is the one to tell
                handle.close()
            raise
        with _naming(path):
            handle.close()
        return
    with _naming(path):
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    try:
        handle = os.fdopen(descriptor, "wb")
        try:
            yield cast(BinaryIO, _Writing(handle, path))
        except BaseException:
            with suppress(OSError):  # the block's error is the one to tell
                handle.close()
            raise
        with _naming(path):
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            if target.exists():
                os.chmod(temporary, target.stat().st_mode & 0o7777)
            else:
                # mkstemp makes the file private; give a new output the usual permissions.
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


STDOUT = "standard output"


@contextmanager
def stdout_when_done() -> Iterator[BinaryIO]:
    """A spool copied to standard output only when the block succeeds (ending in a newline).

    Failing to write the spool (in the temporary folder) or standard output (a full disk
    it was redirected to) raises :class:`WriteFailed`.
    """
    spooled = f"{STDOUT} (its spool in {tempfile.gettempdir()})"
    with _naming(spooled):
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    with spool:
        yield cast(BinaryIO, _Writing(cast(BinaryIO, spool), spooled))
        spool.seek(0)
        last = b"\n"
        try:
            with _naming(STDOUT):
                while chunk := spool.read(1 << 20):
                    sys.stdout.buffer.write(chunk)
                    last = chunk[-1:]
                if last != b"\n":
                    sys.stdout.buffer.write(b"\n")
                sys.stdout.buffer.flush()
        except WriteFailed as exc:
            if not isinstance(exc.cause, BrokenPipeError):
                raise
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
