"""``ordermap validate`` over a folder of 1,000 payload files, in one process.

The folder is built here from templates whose problems are known by construction: clean
documents of every kind of the three formats, documents with a known number of warnings, and
invalid ones with a known number of problems (errors, and warnings beside them). The text,
JSON and JUnit outputs must agree with those numbers exactly.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from attrs import frozen
from junitparser import JUnitXml

from ordermap.cli import main

FILES = 1_000
XML = '<?xml version="1.0" encoding="UTF-8"?>\n'


@frozen
class Template:
    """A payload file made from a number ``n``, with what ``ordermap validate`` must find."""

    suffix: str
    make: Callable[[int], str]
    errors: int = 0
    warnings: int = 0


CLEAN = [
    Template(".json", lambda n: f'{{"id": "o{n}", "order_number": "#{n}"}}'),
    Template(
        ".json",
        lambda n: f'{{"_embedded": {{"orders": [{{"id": "o{n}", "order_number": "#{n}"}}]}}}}',
    ),
    Template(".json", lambda n: '{"code": "404", "message": "no such order"}'),
    Template(".json", lambda n: f'{{"order": {{"id": {n}, "total_order": "1.50"}}}}'),
    Template(".json", lambda n: f'{{"orders": {{"totalResults": 1, "order": [{{"id": {n}}}]}}}}'),
    Template(".xml", lambda n: f"{XML}<order><id>{n}</id><total_order>2.00</total_order></order>"),
    Template(
        ".xml",
        lambda n: (
            f"{XML}<orders><totalResults>1</totalResults><order><id>{n}</id></order></orders>"
        ),
    ),
]
WARNED = [
    Template(".json", lambda n: f'{{"order": {{"id": {n}, "channel": "web"}}}}', warnings=1),
    Template(
        ".json",
        lambda n: f'{{"id": "o{n}", "order_number": "#{n}", "delivery_type": "DRONE"}}',
        warnings=1,
    ),
    Template(
        ".xml",
        lambda n: (
            f"{XML}<order><id>{n}</id><status>lost</status><gift_wrap>true</gift_wrap></order>"
        ),
        warnings=2,
    ),
]
INVALID = [
    Template(".json", lambda n: f'{{"order": {{"id": {n}, "id": {n}}}}}', errors=1),
    Template(".json", lambda n: f'{{"order": {{"id": "{n}", "is_test": 0}}}}', errors=2),
    Template(".json", lambda n: f'{{"id": {n}, "order_number": "#{n}"}}', errors=1),
    Template(".json", lambda n: '{"orders": {"totalResults": NaN}}', errors=1),
    Template(".xml", lambda n: f"{XML}<order><id>{n}</id>", errors=1),
    Template(
        ".xml",
        lambda n: f"{XML}<order><id>x{n}</id><is_test>0</is_test><channel>web</channel></order>",
        errors=2,
        warnings=1,
    ),
    Template(".xml", lambda n: f'{XML}<!DOCTYPE order [<!ENTITY a "{n}">]><order/>', errors=1),
]


@frozen
class Folder:
    root: Path
    failed: list[Path]  # invalid files
    warned: list[Path]  # valid files with warnings
    problems: int  # every problem of every file
    warnings: int  # of which warnings


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Folder:
    root = tmp_path_factory.mktemp("payloads")
    rng = random.Random(4)
    kinds = [INVALID] * 37 + [WARNED] * 63 + [CLEAN] * (FILES - 100)
    rng.shuffle(kinds)
    failed: list[Path] = []
    warned: list[Path] = []
    problems = warnings = 0
    for number, templates in enumerate(kinds):
        template = templates[number % len(templates)]
        path = root / f"batch-{number % 10}" / f"payload-{number:04d}{template.suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_text(template.make(number), encoding="utf-8")
        problems += template.errors + template.warnings
        warnings += template.warnings
        if template.errors:
            failed.append(path)
        elif template.warnings:
            warned.append(path)
    # Neither of these is a payload file: not *.json or *.xml, or hidden.
    (root / "notes.txt").write_text("not a payload")
    (root / ".cache").mkdir()
    (root / ".cache" / "stale.json").write_text("{")
    return Folder(root, sorted(failed), sorted(warned), problems, warnings)


def test_the_text_output_has_one_line_per_problem_and_a_correct_summary(
    folder: Folder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(folder.root)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    *lines, summary = out.splitlines()
    passed = FILES - len(folder.failed)
    assert summary == (
        f"{FILES} files checked: {passed} passed, {len(folder.failed)} failed, "
        f"{folder.problems} problems"
    )
    assert len(lines) == folder.problems
    named = {line.split(":", 1)[0] for line in lines}
    assert named == {str(path) for path in folder.failed + folder.warned}
    assert sum(" warning " in line for line in lines) == folder.warnings
    xml_lines = [line for line in lines if ".xml:" in line]
    # Every XML problem has its line and column, in the form editors jump to.
    assert all(line.split(":")[1].isdigit() and line.split(":")[2].isdigit() for line in xml_lines)


def test_strict_fails_the_files_with_warnings_too(
    folder: Folder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--strict", str(folder.root)]) == 1
    summary = capsys.readouterr().out.splitlines()[-1]
    failed = len(folder.failed) + len(folder.warned)
    assert summary == (
        f"{FILES} files checked: {FILES - failed} passed, {failed} failed, "
        f"{folder.problems} problems"
    )


def test_the_json_output_agrees(folder: Folder, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["validate", "--output", "json", str(folder.root)]) == 1
    report = json.loads(capsysbinary.readouterr().out)
    assert report["summary"] == {
        "files": FILES,
        "failed": len(folder.failed),
        "problems": folder.problems,
    }
    files = report["files"]
    assert len(files) == FILES
    assert sorted(Path(f["path"]) for f in files if not f["ok"]) == folder.failed
    assert sum(len(f["problems"]) for f in files) == folder.problems
    assert sum(p["severity"] == "warning" for f in files for p in f["problems"]) == folder.warnings
    assert {f["format"] for f in files if f["ok"]} == {"talkdesk-json", "dexero-json", "dexero-xml"}


def test_the_junit_output_is_accepted_by_a_junit_parser(
    folder: Folder, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["validate", "--output", "junit", str(folder.root)]) == 1
    report = JUnitXml.fromstring(capsysbinary.readouterr().out)
    (suite,) = list(report)
    assert (suite.tests, suite.failures, suite.errors) == (FILES, len(folder.failed), 0)
    cases = list(suite)
    assert len(cases) == FILES
    assert sorted(Path(case.name) for case in cases if not case.is_passed) == folder.failed
    assert all(case.is_failure for case in cases if not case.is_passed)
