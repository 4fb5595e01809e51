"""The ``ordermap`` command line: options, files, progress and exit statuses.

The work itself is done by :mod:`ordermap.stream` (convert), :mod:`ordermap.validation`
(validate, whose command is :mod:`ordermap.cli_validate`'s), :mod:`ordermap.explain` (explain
and serve, :mod:`ordermap.cli_explain`'s) and the format registry (schema), imported only by
the command that needs them, so that ``ordermap --help`` and small conversions start
quickly (``--version`` and ``--help`` import click and, of ordermap, only the package, this
module and the two command modules). Files, standard
output and the progress line are :mod:`ordermap._io`'s, imported by the commands too. The
module is longer than most because click declares each command's options, help and epilog
beside the command itself.

Exit statuses:
    0: success (a translation's loss report, if any, is on standard error).
    1: the input is not a valid document, cannot be translated, or cannot be written in the
       asked format; writing the output failed (a full disk, a read-only file system);
       ``validate``: problems were found.
    2: usage error (unknown option or format, unreadable input or policy, output same as
       input, an output folder not ours to write, a PATH that gives no file to check).
    3: ``--mode strict`` refused a translation that would lose something; nothing written.
    4: ``--keep-going`` skipped orders that could not be converted; the rest was written.
    130: interrupted (Ctrl-C); nothing written.
    129, 143: stopped by SIGHUP or SIGTERM; nothing written, the temporary file removed.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import click

from ._version import __version__

if TYPE_CHECKING:
    from .crosswalk import ReportEntry
    from .errors import OrdermapError
    from .policy import Policy
    from .stream import RecordError, StreamResult

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_SKIPPED = 4
EXIT_INTERRUPTED = 130


class _FormatChoice(click.Choice):  # type: ignore[type-arg]
    """The registered format names, read from the registry when they are needed.

    Formats can be registered after this module is imported (``ordermap.formats.register``),
    so the choices are not fixed when the options are declared.
    """

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from . import formats

        return formats.names()

    @choices.setter
    def choices(self, value: Any) -> None:
        pass  # click sets the choices it was given; the registry holds them instead


FORMAT_NAMES = _FormatChoice()


class _Failed(Exception):
    """Leave the command with an exit status (after its message was printed)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _say(message: str) -> None:
    click.echo(f"ordermap: {message}", err=True)


def _usage(message: str) -> _Failed:
    _say(f"error: {message}")
    return _Failed(EXIT_USAGE)


# --- output ----------------------------------------------------------------------------------


def _check_output(path: str, source: str, what: str) -> None:
    """Refuse, before any work, an output that cannot be written or is the input."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise _usage(f"{what} {path} is a folder")
    if not target.parent.is_dir():
        raise _usage(f"no such folder: {target.parent}")
    if not os.access(target.parent, os.W_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        if _read_only(target.parent):
            # Not a mistake in the command: the place cannot be written, as a full disk.
            _say(f"error: cannot write {path}: read-only file system; nothing written")
            raise _Failed(EXIT_INVALID)
        raise _usage(f"cannot write {path}: permission denied")
    if source == "-":
        try:
            stdin, out = os.fstat(0), os.stat(target)
        except OSError:
            return
        if (stdin.st_dev, stdin.st_ino) == (out.st_dev, out.st_ino):
            raise _usage(f"{path} is the file on standard input; write to another file")
    elif _same_file(source, path):
        raise _usage(f"{path} is the INPUT file; write to another file")


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows)
        return False


def _print_errors(source: str, error: OrdermapError) -> None:
    for problem in error.problems:
        _say(f"{source}: {problem}")


def _from_hint(path: str, given: str) -> str | None:
    """After a decoding error under ``--from given``: what the file looks like, when that is
    something else (its detected format, or at least XML or JSON), as advice."""
    from . import documents, formats
    from .errors import OrdermapError

    try:
        with open(path, "rb") as file:
            head = file.read(1 << 20)
            whole = not file.read(1)
    except OSError:
        return None
    if whole:
        try:
            found: str = documents.detect(head).format
        except OrdermapError:
            pass
        else:
            if found == given:
                return None
            return f"{path} looks like {found}: leave out --from, or give --from {found}"
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    syntax = "xml" if first == b"<" else "json" if first in (b"{", b"[") else None
    if syntax is None or syntax == formats.get(given).SYNTAX:
        return None
    return (
        f"{path} looks like {syntax.upper()}, which --from {given} does not read:"
        " leave out --from to detect its format"
    )


def _rules(policy: str | None) -> Policy:
    """The crosswalk's heuristic rules from ``--policy FILE`` (the defaults without one); a
    file that cannot be read or holds bad rules is a usage error, told."""
    from .errors import OrdermapError
    from .policy import DEFAULT_POLICY, load_policy

    try:
        return load_policy(policy) if policy else DEFAULT_POLICY
    except OSError as exc:
        raise _usage(f"cannot read {policy}: {exc.strerror or exc}") from None
    except OrdermapError as exc:
        _print_errors(policy or "", exc)
        raise _Failed(EXIT_USAGE) from None


# The options commands that translate share (convert and explain), one spelling each.
FROM_OPTION = click.option(
    "--from",
    "source",
    type=FORMAT_NAMES,
    help="Input format (default: detected from the content).",
)
MODE_OPTION = click.option(
    "--mode",
    type=click.Choice(["report", "strict", "carry"]),
    default="report",
    show_default=True,
    help="What a translation does with values that have no counterpart.",
)
POLICY_OPTION = click.option(
    "--policy", metavar="FILE", help="TOML file with the crosswalk's heuristic rules."
)


# --- the commands ---------------------------------------------------------------------------------


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Run 'ordermap COMMAND --help' for a command's options and examples.",
)
@click.version_option(__version__, prog_name="ordermap")
def cli() -> None:
    """Read, validate and translate order payloads between Talkdesk and Dexero.

    Formats: talkdesk-json, dexero-json, dexero-xml (and any registered with
    ordermap.formats.register).
    """


_CONVERT_EPILOG = """\b
Examples:
  ordermap convert examples/dexero-page.xml --to dexero-json -o page.json
  ordermap convert page.json --to dexero-xml            (to standard output)
  cat order.xml | ordermap convert - --to dexero-json -o -
  ordermap convert page.json --to talkdesk-json --mode carry -o talkdesk.json
  ordermap convert export.xml --to talkdesk-json --ndjson --jobs 0 -q \\
      --report report.json -o orders.ndjson

The input format is detected from the content unless --from is given. Pages and
newline-delimited JSON (one order per line) are converted order by order, so memory stays
small whatever the input's size. Between Talkdesk and Dexero formats the orders are
translated through the crosswalk (specs/crosswalk.md): --mode report (default) translates
what maps and lists the rest, strict refuses when anything would be lost, carry keeps what
has no counterpart in the target's extension slot so that translating back is exact.

The loss report goes to standard error one line per field with its count
(lost /orders/order/*/customer_email x 500: no Talkdesk counterpart), lost first, then the
totals; --verbose lists every value instead, --report FILE writes both as JSON. On a
terminal a progress line shows orders, orders per second, share done and time left.

OUTPUT is written through a temporary file beside it and renamed over it only when the
conversion succeeded: a failed or interrupted run leaves an existing OUTPUT untouched.

\b
Exit status: 0 converted; 1 invalid input, or not translatable or writable in FORMAT;
2 usage error; 3 refused by --mode strict; 4 --keep-going skipped some orders;
130 interrupted; 129 and 143 stopped by SIGHUP and SIGTERM.
"""


@cli.command(epilog=_CONVERT_EPILOG, no_args_is_help=True)
@click.argument("input", default="-", metavar="[INPUT|-]")
@click.option("--to", "to", required=True, type=FORMAT_NAMES, help="Output format.")
@FROM_OPTION
@click.option(
    "-o",
    "--output",
    metavar="OUTPUT",
    help="Output file; - or nothing writes standard output.",
)
@MODE_OPTION
@POLICY_OPTION
@click.option(
    "--report",
    "report_path",
    metavar="FILE",
    help="Also write the loss report, and any skipped orders, to FILE as JSON.",
)
@click.option(
    "--ndjson/--page",
    "lines_out",
    default=None,
    help="Write one order per line (JSON formats), or one page. Default: as the input is.",
)
@click.option(
    "--indent",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Spaces per level for a page or document; 0 writes compactly.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes converting orders; 0 uses every core.",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Skip an order that cannot be converted (reporting it) instead of stopping.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show orders, orders per second and time left (default: on a terminal, unless -q).",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print the loss report one line per value instead of one line per field.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the report's totals line.")
def convert(
    input: str,
    to: str,
    source: str | None,
    output: str | None,
    mode: str,
    policy: str | None,
    report_path: str | None,
    lines_out: bool | None,
    indent: int,
    jobs: int,
    keep_going: bool,
    progress: bool | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Convert an order document, page or stream to another format."""
    from . import formats, stream
    from ._io import STDOUT, ReportFile, WriteFailed, atomic, problem_json, stdout_when_done
    from ._terminal import Progress
    from .crosswalk import TranslationError
    from .crosswalk.summary import LossSummary
    from .errors import DecodeError, OrdermapError
    from .stream import StreamRefusal, WorkerLost

    name = "<stdin>" if input == "-" else input

    if output == "-":
        output = None  # standard output, as "-" is standard input
    if report_path == "-":
        raise _usage("--report needs a file name (standard output is where -o - writes)")
    if quiet and verbose:
        raise _usage("--quiet and --verbose ask for opposite things; choose one")
    if lines_out and not formats.get(to).LINES:
        raise _usage(f"--ndjson writes JSON; {to} has no one-order-per-line form")
    if output:
        _check_output(output, input, "OUTPUT")
    if report_path:
        _check_output(report_path, input, "--report")
    if output is None and sys.stdout is None:
        raise _usage("standard output is closed; use -o OUTPUT")
    if output and report_path and (output == report_path or _same_file(output, report_path)):
        raise _usage("--report and -o name the same file")
    rules = _rules(policy)
    try:
        source_file: BinaryIO = sys.stdin.buffer if input == "-" else open(input, "rb")  # noqa: SIM115
    except OSError as exc:
        raise _usage(f"cannot read {input}: {exc.strerror or exc}") from None
    show = (not quiet and sys.stderr.isatty()) if progress is None else progress
    meter = Progress(_size_of(source_file), show)
    counts = {"lost": 0, "derived": 0, "carried": 0}
    failures: list[dict[str, Any]] = []
    by_field = LossSummary()
    # The report by field is printed unless -q or --verbose, and written with --report.
    counts_fields = report_path is not None or not (quiet or verbose)

    def on_entry(entry: ReportEntry) -> None:
        counts[entry.action] += 1
        if counts_fields:
            by_field.add(entry)
        if verbose:
            meter.clear()
            click.echo(str(entry), err=True)
        if report is not None:
            report.entry(entry)

    def on_error(error: RecordError) -> None:
        meter.clear()
        for problem in error.problems:
            _say(f"{name}: order {error.index + 1}: {problem}")
        if len(failures) < 1000:
            failures.append(
                {"index": error.index, "problems": [problem_json(p) for p in error.problems]}
            )

    report: ReportFile | None = None
    wants_entries = not quiet or report_path is not None or mode == "strict"
    # Only the report by field wanted: the stream counts the entries by field itself, and
    # makes none (strict mode's refusal needs the entries it names, and their totals).
    only_fields = not (quiet or verbose) and report_path is None and mode != "strict"
    result: StreamResult | None = None
    refused: str | None = None
    try:
        # The report is kept when strict mode refuses (it says why); the output is not.
        with atomic(report_path) if report_path else _nothing() as report_handle:
            if report_handle is not None:
                report = ReportFile(report_handle, to, mode)
            try:
                with (
                    source_file,
                    atomic(output) if output else stdout_when_done() as sink,
                ):
                    result = stream.convert(
                        source_file,
                        sink,
                        to,
                        source_format=source,
                        mode=mode,  # type: ignore[arg-type]
                        policy=rules,
                        indent=indent or None,
                        lines_out=lines_out,
                        jobs=jobs or stream.default_jobs(),
                        keep_going=keep_going,
                        on_entry=on_entry if wants_entries and not only_fields else None,
                        by_field=by_field if only_fields else None,
                        on_error=on_error,
                        on_progress=meter.update,
                        spool_dir=str(Path(output).parent) if output else None,
                    )
                    # Standard output may be this terminal too: wipe the progress line before
                    # the output is copied there.
                    meter.clear()
            except StreamRefusal as exc:
                refused = exc.source_format
                if report is not None:
                    report.close({**counts, "refused": True}, failures, by_field.to_json())
            except TranslationError as exc:
                if mode != "strict" or exc.report is None:
                    raise
                refused = exc.report.source_format  # a single document: its whole report
                for entry in exc.report.entries:
                    on_entry(entry)
                if report is not None:
                    report.close({**counts, "refused": True}, failures, by_field.to_json())
            finally:
                meter.clear()
            if result is not None:
                counts.update(lost=result.lost, derived=result.derived, carried=result.carried)
                if report is not None:
                    summary = {**counts, "orders": result.orders, "failed": result.failed}
                    report.close(summary, failures, by_field.to_json())
    except OrdermapError as exc:
        index = getattr(exc, "index", None)
        _print_errors(name if index is None else f"{name}: order {index + 1}", exc)
        if source is not None and input != "-" and isinstance(exc, DecodeError):
            hint = _from_hint(input, source)
            if hint is not None:
                _say(f"hint: {hint}")
        raise _Failed(EXIT_INVALID) from None
    except WriteFailed as exc:
        left = "what reached it is incomplete" if exc.target == STDOUT else _untouched(output)
        _say(f"error: cannot write {exc.target}: {exc.reason}; {left}")
        raise _Failed(EXIT_INVALID) from None
    except WorkerLost as exc:
        _say(f"error: {exc}; {_untouched(output)}")
        raise _Failed(EXIT_INVALID) from None
    except OSError as exc:
        if exc.filename is None and exc.errno in _WRITE_ERRORS:
            import tempfile

            # The page's spool (beside OUTPUT, or in the temporary folder for standard
            # output) is written by the stream itself, so its errors come unnamed.
            where = output or f"standard output (its spool in {tempfile.gettempdir()})"
            _say(f"error: cannot write {where}: {exc.strerror or exc}; {_untouched(output)}")
        else:
            _say(f"error: {exc.filename or name}: {exc.strerror or exc}; nothing written")
        raise _Failed(EXIT_INVALID) from None
    finally:
        if input != "-":
            source_file.close()  # also when the report file failed before the input was read
    if not quiet and not verbose:
        # The report by field, printed once the conversion is over, so the progress line
        # (wiped by now) never shares the terminal with it.
        for line in by_field.lines():
            click.echo(line, err=True)
    if refused is not None or result is None:
        _summary(refused or name, to, mode, counts)
        # Say what to do about it, before the error, which stays the last line.
        lost = counts["lost"]
        listed = f"{report_path} lists" if report_path else "--report FILE lists"
        _say(
            f"{_count(lost, 'value')} would be lost: --mode carry keeps "
            f"{'it' if lost == 1 else 'them'} in {to}'s extension slot (translating back is "
            f"exact), --mode report converts without {'it' if lost == 1 else 'them'}; "
            f"{listed} every value"
        )
        _say("error: refused by --mode strict; nothing written")
        raise _Failed(EXIT_REFUSED)
    _summary(result.source_format, to, mode, counts, result.orders, result.failed)
    if result.failed:
        raise _Failed(EXIT_SKIPPED)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


# What only writing can fail with: the disk is full, the quota spent, the file system
# read-only, the file too large for it.
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def _untouched(output: str | None) -> str:
    """What a failed write leaves: nothing on standard output, an existing OUTPUT as it was."""
    if output is not None and os.path.isfile(output):
        return f"nothing written ({output} is as it was)"
    return "nothing written"


def _size_of(source: BinaryIO) -> int | None:
    """The bytes left to read in ``source`` when it is a regular file (standard input too,
    when a file is redirected to it), for the share done and the time left."""
    try:
        found = os.fstat(source.fileno())
        if not stat.S_ISREG(found.st_mode):
            return None
        return max(found.st_size - source.tell(), 0) or None
    except (OSError, ValueError):
        return None


def _summary(
    source: str,
    to: str,
    mode: str,
    counts: dict[str, int],
    orders: int | None = None,
    failed: int = 0,
) -> None:
    if not any(counts.values()) and not failed:
        return
    done = "" if orders is None else _count(orders, "order")
    if failed:
        done += f", {failed} skipped"
    line = (
        f"{source} -> {to} ({mode}): {counts['lost']} lost, {counts['derived']} derived, "
        f"{counts['carried']} carried"
    )
    click.echo(f"{line}{'; ' + done if done else ''}", err=True)


def _count(number: int, thing: str) -> str:
    """``1 order``, ``2 orders``: a count with its noun, singular when it is one."""
    return f"{number} {thing}{'s' * (number != 1)}"


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@cli.command(epilog="\b\nExample:\n  ordermap schema dexero-xml > dexero.xsd")
@click.argument("format_", metavar="FORMAT", type=FORMAT_NAMES)
def schema(format_: str) -> None:
    """Print a format's JSON Schema (JSON formats) or XSD (dexero-xml), as specs/ holds it."""
    from . import formats

    click.echo(formats.get(format_).schema_text(), nl=False)


def _register() -> None:
    # ``validate``, ``explain`` and ``serve`` have modules of their own (cli_validate,
    # cli_explain), which import only click and this module at start-up.
    from .cli_explain import explain, serve
    from .cli_validate import validate

    for command in (validate, explain, serve):
        cli.add_command(command)


_register()


class _Stopped(BaseException):
    """SIGTERM or SIGHUP, raised where the program is, so that it unwinds as from Ctrl-C: the
    temporary output is removed and an existing output is left as it was."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _raise_stopped(number: int, frame: object) -> None:
    raise _Stopped(number)


@contextmanager
def _stopping() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`_Stopped` while the command runs, where they have their
    default action (which ends the process at once, leaving the temporary file behind) and
    this is the main thread; the handlers before are put back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = [
        number
        for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None))
        if number is not None and signal.getsignal(number) is signal.SIG_DFL
    ]
    previous = {number: signal.signal(number, _raise_stopped) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    try:
        with _stopping():
            cli.main(
                args=list(argv) if argv is not None else None,
                prog_name="ordermap",
                standalone_mode=False,
            )
    except _Stopped as exc:
        name = signal.Signals(exc.number).name
        _say(f"stopped by {name}; nothing written (the temporary file is removed)")
        return 128 + exc.number
    except _Failed as exc:
        return exc.status
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        return EXIT_USAGE
    except click.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:  # click's own handling of a closed pipe
        return exc.code if isinstance(exc.code, int) else EXIT_INVALID
    except (click.Abort, KeyboardInterrupt):
        _say("interrupted; nothing written")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``); stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return EXIT_OK
