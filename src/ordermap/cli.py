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
from .errors import OrdermapError, Problem
from .formats import FORMATS
from .policy import DEFAULT_POLICY, load_policy
from .translation import Report, TranslationError, translate
from .validation import Validation, validate

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


_VALIDATE_EPILOG = """\
examples:
  ordermap validate tests/fixtures
  ordermap validate --strict --output junit payloads/ > report.xml

Each problem is a line FILE:LINE:COLUMN: SEVERITY CODE MESSAGE (LINE and COLUMN where
known; a JSON Pointer or element path follows the message), then a summary line.

exit status: 0 every file passes, 1 problems found, 2 usage error
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
    check = commands.add_parser(
        "validate",
        help="check payload files and folders",
        description="Check payload files (and folders, recursively: *.json and *.xml), "
        "reporting every problem with its place.",
        epilog=_VALIDATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    check.add_argument(
        "--format",
        choices=names,
        metavar="FORMAT",
        help="read every file as FORMAT (default: detected per file)",
    )
    check.add_argument(
        "--strict", action="store_true", help="treat warnings (unknown members, values) as errors"
    )
    check.add_argument(
        "--output",
        choices=("text", "json", "junit"),
        default="text",
        help="text lines (default), a JSON document, or JUnit XML",
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


def _payload_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(
                sorted(
                    found
                    for found in path.rglob("*")
                    if found.is_file()
                    and found.suffix.lower() in (".json", ".xml")
                    and not any(part.startswith(".") for part in found.relative_to(path).parts)
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            raise _UsageError(f"no such file or folder: {name}")
    return files


def _problem_line(path: Path, problem: Problem) -> str:
    where = problem.location
    place = f"{where.line}:{where.column or 1}:" if where.line else ""
    at = where.pointer if where.pointer is not None else where.path
    shown = f" (got {problem.input})" if problem.input is not None else ""
    suffix = f" at {at or '/'}" if at is not None else ""
    return (
        f"{path}:{place} {problem.severity.value} {problem.code} {problem.message}{shown}{suffix}"
    )


def _problem_json(problem: Problem) -> dict[str, object]:
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


def _junit(results: list[tuple[Path, Validation]]) -> bytes:
    from xml.etree import ElementTree

    failed = sum(not result.ok for _, result in results)
    suite = ElementTree.Element(
        "testsuite",
        name="ordermap validate",
        tests=str(len(results)),
        failures=str(failed),
        errors="0",
    )
    for path, result in results:
        case = ElementTree.SubElement(
            suite, "testcase", classname="ordermap.validate", name=str(path)
        )
        if not result.ok:
            failure = ElementTree.SubElement(
                case, "failure", message=f"{len(result.errors)} error(s)", type="ordermap"
            )
            failure.text = "\n".join(_problem_line(path, p) for p in result.problems)
        elif result.warnings:
            out = ElementTree.SubElement(case, "system-out")
            out.text = "\n".join(_problem_line(path, p) for p in result.warnings)
    suites = ElementTree.Element("testsuites")
    suites.append(suite)
    text: bytes = ElementTree.tostring(suites, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def _validate(args: argparse.Namespace) -> int:
    files = _payload_files(args.paths)
    results = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
        results.append((path, validate(data, args.format, strict=args.strict)))
    failed = sum(not result.ok for _, result in results)
    problems = sum(len(result.problems) for _, result in results)
    if args.output == "json":
        from . import _json

        document = {
            "files": [
                {
                    "path": str(path),
                    "format": result.format,
                    "kind": result.kind,
                    "ok": result.ok,
                    "problems": [_problem_json(p) for p in result.problems],
                }
                for path, result in results
            ],
            "summary": {"files": len(results), "failed": failed, "problems": problems},
        }
        sys.stdout.buffer.write(_json.emit(document, 2) + b"\n")
    elif args.output == "junit":
        sys.stdout.buffer.write(_junit(results))
    else:
        for path, result in results:
            for problem in result.problems:
                print(_problem_line(path, problem))
        passed = len(results) - failed
        print(
            f"{len(results)} files checked: {passed} passed, {failed} failed, {problems} problems"
        )
    return EXIT_INVALID if failed else EXIT_OK


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
        if args.command == "validate":
            return _validate(args)
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
        if args.command != "convert":
            raise
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
