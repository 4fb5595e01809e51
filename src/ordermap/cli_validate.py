"""``ordermap validate``: check payload files, folders and standard input, and report every
problem with its place, as text lines, JSON or JUnit XML.

The command line registers it (:mod:`ordermap.cli`); validation itself
(:mod:`ordermap.validation`) is imported only when the command runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import cli as _cli

if TYPE_CHECKING:
    from .validation import Validation

__all__ = ["validate"]

_VALIDATE_EPILOG = """\b
Examples:
  ordermap validate tests/fixtures
  ordermap validate --strict --output-format junit payloads/ > report.xml
  ordermap convert export.xml --to dexero-json --ndjson -o - | ordermap validate -

Folders are searched recursively for *.json, *.ndjson and *.xml files (hidden ones are
skipped); "-" reads standard input. Each file's format is detected from its content unless
--format is given. Pages and newline-delimited JSON (a *.ndjson file always) are read one
order at a time, so a file of any size is checked in the memory of one order; a problem in
a line of newline-delimited JSON is located on that line. A PATH that gives no file to
check (an empty folder, a glob that matched nothing) is an error.
Each problem is a line FILE:LINE:COLUMN: SEVERITY CODE MESSAGE (where its offending token
or start tag begins; COLUMN counts characters; a JSON Pointer or element path follows the
message), then a summary line.
Problem codes: specs/problems.md.

--only-payloads skips files that hold well-formed JSON or XML of no order format (a
package.json, a pom.xml) and counts them; the pre-commit hook passes it, and
--require-payloads (the default) makes such files fail again.

\b
Exit status: 0 every file passes; 1 problems found; 2 usage error.
"""


@click.command(epilog=_VALIDATE_EPILOG, no_args_is_help=True)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--from",
    "--format",
    "format_",
    type=_cli.FORMAT_NAMES,
    help="Read every file as FORMAT (default: detected per file); --format is the old name.",
)
@click.option("--strict", is_flag=True, help="Treat warnings (unknown members, values) as errors.")
@click.option(
    "--output-format",
    "--output",
    "output",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
    help="Text lines, a JSON document, or JUnit XML (--output is the old name).",
)
@click.option(
    "--only-payloads/--require-payloads",
    default=False,
    help="Skip (and count) JSON or XML files that are no order payload, or fail on them "
    "(the default).",
)
def validate(
    paths: tuple[str, ...], format_: str | None, strict: bool, output: str, only_payloads: bool
) -> None:
    """Check payload files and folders, reporting every problem with its place."""
    from ._io import problem_json, problem_line
    from .validation import validate_file

    results = []
    skipped: list[Path] = []
    files = _payload_files(paths)
    for path in files:
        # Each file is read order by order (a page, NDJSON), so memory holds one order; a
        # file named *.ndjson is newline-delimited JSON whatever its first lines look like.
        lines = True if path.suffix.lower() == ".ndjson" else None
        try:
            if str(path) == "-":
                result = validate_file(sys.stdin.buffer, format_, strict=strict)
            else:
                with path.open("rb") as source:
                    result = validate_file(source, format_, strict=strict, lines=lines)
        except OSError as exc:
            raise _cli._usage(f"cannot read {path}: {exc.strerror or exc}") from None
        if only_payloads and _not_a_payload(result):
            skipped.append(path)
            continue
        results.append((path, result))
    hints = [
        hint
        for path, result in results
        if format_ is not None and not result.ok and str(path) != "-"
        if (hint := _cli._from_hint(str(path), format_)) is not None
    ]
    failed = sum(not result.ok for _, result in results)
    problems = sum(len(result.problems) for _, result in results)
    out = sys.stdout.buffer
    if output == "json":
        from .formats import json_write

        summary = {"files": len(results), "failed": failed, "problems": problems}
        if only_payloads:
            summary["skipped"] = len(skipped)
        document: dict[str, object] = {
            "files": [
                {
                    "path": str(path),
                    "format": result.format,
                    "kind": result.kind,
                    "ok": result.ok,
                    "problems": [problem_json(p) for p in result.problems],
                }
                for path, result in results
            ],
            "summary": summary,
        }
        if only_payloads:
            document["skipped"] = [str(path) for path in skipped]
        out.write(json_write.emit(document, 2) + b"\n")
    elif output == "junit":
        out.write(_junit(results, skipped))
    else:
        for path, result in results:
            for problem in result.problems:
                click.echo(problem_line(str(path), problem))
        passed = len(results) - failed
        line = (
            f"{_cli._count(len(results), 'file')} checked: {passed} passed, {failed} failed, "
            f"{_cli._count(problems, 'problem')}"
        )
        if skipped:
            things = "file that is not an order payload"
            if len(skipped) != 1:
                things = "files that are not order payloads"
            line += f"; skipped {len(skipped)} {things}"
        click.echo(line)
    out.flush()
    for hint in hints:  # on standard error: the output above stays machine-readable
        _cli._say(f"hint: {hint}")
    if failed:
        raise _cli._Failed(_cli.EXIT_INVALID)


_PAYLOADS = (".json", ".ndjson", ".xml")


def _payload_files(paths: Sequence[str]) -> list[Path]:
    """The files to check, folders searched; a path that gives none is a usage error.

    Checking nothing must not pass: a folder emptied by mistake, or a shell glob that
    matched no file (the shell then passes the pattern itself), would otherwise look like
    a clean result in CI.
    """
    files: list[Path] = []
    if list(paths).count("-") > 1:
        raise _cli._usage("- (standard input) is named more than once")
    for name in paths:
        path = Path(name)
        if name == "-":
            files.append(path)  # standard input
        elif path.is_dir():
            found = sorted(
                each
                for each in path.rglob("*")
                if each.is_file()
                and each.suffix.lower() in _PAYLOADS
                and not any(part.startswith(".") for part in each.relative_to(path).parts)
            )
            if not found:
                raise _cli._usage(f"no payload files (*.json, *.ndjson, *.xml) in {name}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif any(char in name for char in "*?["):
            raise _cli._usage(f"no file matches {name}")
        else:
            raise _cli._usage(f"no such file or folder: {name}")
    return files


# What a file that is no order payload gets: well-formed JSON or XML that no format knows
# (``unknown-document``), or text that is neither (``unknown-format``).
_NOT_PAYLOADS = frozenset({"unknown-document", "unknown-format"})


def _not_a_payload(result: Validation) -> bool:
    """Whether ``validate --only-payloads`` skips a file: its only problem says that no
    format knows its content. A payload broken part way (a syntax error, a wrong type) is
    still a payload, and still fails."""
    return len(result.problems) == 1 and result.problems[0].code in _NOT_PAYLOADS


def _junit(results: list[tuple[Path, Validation]], skipped: Sequence[Path] = ()) -> bytes:
    from xml.etree import ElementTree

    from ._io import problem_line

    failed = sum(not result.ok for _, result in results)
    suite = ElementTree.Element(
        "testsuite",
        name="ordermap validate",
        tests=str(len(results) + len(skipped)),
        failures=str(failed),
        errors="0",
        skipped=str(len(skipped)),
    )
    for path, result in results:
        case = ElementTree.SubElement(
            suite, "testcase", classname="ordermap.validate", name=str(path)
        )
        if not result.ok:
            failure = ElementTree.SubElement(
                case, "failure", message=f"{len(result.errors)} error(s)", type="ordermap"
            )
            failure.text = "\n".join(problem_line(str(path), p) for p in result.problems)
        elif result.warnings:
            out = ElementTree.SubElement(case, "system-out")
            out.text = "\n".join(problem_line(str(path), p) for p in result.warnings)
    for path in skipped:
        case = ElementTree.SubElement(
            suite, "testcase", classname="ordermap.validate", name=str(path)
        )
        ElementTree.SubElement(case, "skipped", message="not an order payload")
    suites = ElementTree.Element("testsuites")
    suites.append(suite)
    text: bytes = ElementTree.tostring(suites, encoding="utf-8", xml_declaration=True)
    return text + b"\n"
