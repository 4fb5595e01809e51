"""The ``ordermap`` command line: argument parsing, file I/O and exit statuses only.

Exit statuses:
    0: success (a translation's loss report, if any, is on standard error).
    1: the input is not a valid document, cannot be translated, or cannot be written in the
       asked format.
    2: usage error (unknown option or format, unreadable input or policy, output same as
       input).
    3: ``--mode strict`` refused a translation that would lose something; the report says what.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import _api
from ._version import __version__
from .errors import OrdermapError
from .formats import FORMATS
from .policy import DEFAULT_POLICY, load_policy
from .translation import Report, TranslationError, translate

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3

_CONVERT_EPILOG = """\
examples:
  ordermap convert examples/dexero-page.xml --to dexero-json -o page.json
  ordermap convert page.json --to dexero-xml            (writes to standard output)
  cat order.xml | ordermap convert - --to dexero-json
  ordermap convert page.json --to talkdesk-json --mode carry -o talkdesk.json

The input format is detected from the content unless --from is given. Between Talkdesk and
Dexero formats the document is translated through the crosswalk (specs/crosswalk.md) and
the loss report goes to standard error: --mode report (default) translates what maps and
lists the rest, strict refuses when anything would be lost, carry keeps what has no
counterpart in the target's extension slot so that translating back is exact.

The output is written to a temporary file beside OUTPUT and renamed over it only when the
whole conversion succeeded, so a failed run leaves an existing OUTPUT untouched.

exit status: 0 converted, 1 invalid input or not translatable or not writable in FORMAT,
2 usage error, 3 refused by --mode strict
"""


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ordermap",
        description="Read, validate and translate order payloads between Talkdesk and Dexero.",
    )
    parser.add_argument("--version", action="version", version=f"ordermap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    convert = commands.add_parser(
        "convert",
        help="convert a document to another format",
        description="Convert an order document to another format.",
        epilog=_CONVERT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    names = sorted(FORMATS)
    convert.add_argument("input", metavar="INPUT", help="input file, or - for standard input")
    convert.add_argument(
        "--to",
        required=True,
        choices=names,
        metavar="FORMAT",
        help=f"output format: {', '.join(names)}",
    )
    convert.add_argument(
        "--from",
        dest="source",
        choices=names,
        metavar="FORMAT",
        help="input format (default: detected from the content)",
    )
    convert.add_argument(
        "-o", "--output", metavar="OUTPUT", help="output file (default: standard output)"
    )
    convert.add_argument(
        "--indent",
        type=int,
        default=2,
        metavar="N",
        help="spaces per level; 0 writes compactly (default: 2)",
    )
    convert.add_argument(
        "--mode",
        choices=("report", "strict", "carry"),
        default="report",
        help="how a translation treats what has no counterpart (default: report)",
    )
    convert.add_argument(
        "--policy", metavar="FILE", help="TOML file with the crosswalk's heuristic rules"
    )
    convert.add_argument(
        "-q", "--quiet", action="store_true", help="print only the loss report's summary line"
    )
    schema = commands.add_parser(
        "schema",
        help="print a format's JSON Schema or XSD",
        description="Print the JSON Schema (JSON formats) or XSD (dexero-xml) of a format, "
        "the same text specs/ holds.",
    )
    schema.add_argument("format", choices=names, metavar="FORMAT", help=", ".join(names))
    return parser


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise _UsageError(f"cannot read {name}: {exc.strerror or exc}") from None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    target = Path(path)
    folder = target.parent
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
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


def _convert(args: argparse.Namespace) -> int:
    if args.output and args.input != "-" and _same_file(args.input, args.output):
        raise _UsageError("OUTPUT is the INPUT file; write to another file")
    if args.output and not Path(args.output).parent.is_dir():
        raise _UsageError(f"no such folder for OUTPUT: {Path(args.output).parent}")
    policy = load_policy(args.policy) if args.policy else DEFAULT_POLICY
    data = _read(args.input)
    document, source = _api.decode_as(data, args.source)
    if args.to not in _api.formats_for(document):
        translation = translate(
            document, args.to, mode=args.mode, policy=policy, source_format=source
        )
        _print_report(translation.report, args.quiet)
        document = translation.document
    output = _api.encode(document, args.to, indent=args.indent or None)
    if args.output:
        write_atomically(args.output, output)
    else:
        sys.stdout.buffer.write(output)
        if not output.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.buffer.flush()
    return EXIT_OK


def _print_report(report: Report, quiet: bool) -> None:
    if not report.entries:
        return
    text = report.render()
    if quiet:
        text = text.splitlines(keepends=True)[0]
    sys.stderr.write(text)


def _report(source: str, error: OrdermapError) -> None:
    for problem in error.problems:
        print(f"ordermap: {source}: {problem}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "schema":
        from . import _schema

        sys.stdout.write(_schema.schema_text(args.format))
        return EXIT_OK
    try:
        if args.command == "convert":
            return _convert(args)
    except _UsageError as exc:
        print(f"ordermap: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except TranslationError as exc:
        if exc.report is not None:
            _print_report(exc.report, args.quiet)
            print("ordermap: error: refused by --mode strict; nothing written", file=sys.stderr)
            return EXIT_REFUSED
        _report("<stdin>" if args.input == "-" else args.input, exc)
        return EXIT_INVALID
    except OrdermapError as exc:
        if exc.format and exc.format.startswith("policy "):
            _report(args.policy, exc)
            return EXIT_USAGE
        _report("<stdin>" if args.input == "-" else args.input, exc)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("ordermap: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_USAGE
