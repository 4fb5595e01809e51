"""The typed library (issue #11, point 5): documents that know their format, ``validate`` and
``convert`` at the top level, ``Literal`` names with ``decode``'s overloads, readable
signatures, ``TypeError`` for arguments of the wrong type, and README examples that run as
written and pass ``mypy --strict``."""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import attrs
import pytest

import ordermap
from ordermap import formats
from ordermap.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(ordermap.__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PAGE_XML = (ROOT / "examples" / "dexero-page.xml").read_bytes()

# --- a document knows its format ----------------------------------------------------------------

DEXERO_AND_TALKDESK = sorted(
    path
    for folder in ("dexero-json", "dexero-xml", "talkdesk-json")
    for path in (FIXTURES / folder).iterdir()
    if "error-body" not in path.name
)


@pytest.mark.parametrize("path", DEXERO_AND_TALKDESK, ids=lambda path: path.name)
@pytest.mark.parametrize("mode", ["report", "carry"])
def test_translate_without_source_format_is_translate_told_it(path: Path, mode: str) -> None:
    data = path.read_bytes()
    document = ordermap.decode(data)
    told = path.parent.name
    assert ordermap.format_of(document) == told
    to = "talkdesk-json" if told.startswith("dexero") else "dexero-xml"
    try:
        known = ordermap.translate(document, to, mode=mode)  # type: ignore[arg-type]
    except ordermap.TranslationError as refused:
        with pytest.raises(ordermap.TranslationError) as caught:
            ordermap.translate(document, to, mode=mode, source_format=told)  # type: ignore[arg-type]
        assert caught.value.problems == refused.problems
        return
    given = ordermap.translate(document, to, mode=mode, source_format=told)  # type: ignore[arg-type]
    assert known.report == given.report
    assert known.report.source_format == told
    assert ordermap.encode(known.document, to) == ordermap.encode(given.document, to)


def test_the_readme_page_is_labelled_as_xml_and_measured_as_xml() -> None:
    page = ordermap.decode(PAGE_XML)
    report = ordermap.translate(page, "talkdesk-json").report
    assert report.render().startswith("dexero-xml -> talkdesk-json (report):")


def test_a_translated_document_knows_the_format_it_was_made_for() -> None:
    page = ordermap.decode(PAGE_XML)
    carried = ordermap.translate(page, "talkdesk-json", mode="carry")
    assert ordermap.format_of(carried.document) == "talkdesk-json"
    back = ordermap.translate(carried.document, "dexero-xml", mode="carry")
    assert back.report.source_format == "talkdesk-json"
    assert ordermap.format_of(back.document) == "dexero-xml"
    assert ordermap.encode(back.document, "dexero-xml", indent=2) == PAGE_XML


def test_a_document_made_or_changed_in_code_has_no_format_and_a_told_one_wins() -> None:
    page = ordermap.decode(PAGE_XML)
    assert ordermap.format_of(attrs.evolve(page, uri="x")) is None
    assert ordermap.format_of(page.with_orders(())) is None
    made = ordermap.DexeroOrder(id=1, reference_number="R1")
    assert ordermap.format_of(made) is None
    assert ordermap.translate(made, "talkdesk-json").report.source_format == "dexero-json"
    told = ordermap.translate(page, "talkdesk-json", source_format="dexero-json")
    assert told.report.source_format == "dexero-json"
    # Equal documents read from two formats keep a format each.
    as_json = ordermap.decode(ordermap.encode(page, "dexero-json"))
    assert ordermap.format_of(as_json) == "dexero-json"
    assert ordermap.format_of(page) == "dexero-xml"


def test_a_forgotten_document_takes_its_format_with_it() -> None:
    from ordermap import provenance

    before = len(provenance._READ_AS)
    for _ in range(50):
        ordermap.decode(PAGE_XML)
    assert len(provenance._READ_AS) <= before + 1


# --- validate and convert at the top level ----------------------------------------------------


def test_validate_at_the_top_level_is_validations() -> None:
    from ordermap import validation

    data = (FIXTURES / "dexero-json" / "order-unknown-members.json").read_bytes()
    assert ordermap.validate(data) == validation.validate(data)
    assert ordermap.validate(data, format="dexero-json", strict=True) == validation.validate(
        data, "dexero-json", strict=True
    )
    assert isinstance(ordermap.validate(b"{"), ordermap.Validation)


@pytest.mark.parametrize(
    ("path", "to", "args"),
    [
        ("examples/dexero-page.xml", "talkdesk-json", []),
        ("examples/dexero-page.xml", "talkdesk-json", ["--mode", "carry"]),
        ("examples/dexero-page.xml", "dexero-json", ["--indent", "0"]),
        # The seed's ids have no place in a Dexero long: carry mode keeps them (rule 5).
        ("tests/fixtures/talkdesk-json/seed-page.json", "dexero-xml", ["--mode", "carry"]),
        (
            "tests/fixtures/talkdesk-json/seed-page.json",
            "dexero-json",
            ["--mode", "carry", "--ndjson"],
        ),
        ("tests/fixtures/dexero-json/order-tolerant.json", "talkdesk-json", []),
    ],
)
def test_convert_writes_what_the_command_line_writes(
    path: str, to: str, args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (ROOT / path).read_bytes()
    out, report = tmp_path / "out", tmp_path / "report.json"
    command = ["convert", str(ROOT / path), "--to", to, "-o", str(out), "-q"]
    assert main([*command, "--report", str(report), *args]) == 0
    capsys.readouterr()
    mode = args[1] if args[:1] == ["--mode"] else "report"
    indent = int(args[1]) if args[:1] == ["--indent"] else 2
    converted = ordermap.convert(
        data,
        to,
        mode=mode,
        indent=indent,
        ndjson=True if "--ndjson" in args else None,  # type: ignore[arg-type]
    )
    assert converted.output == out.read_bytes()
    written = json.loads(report.read_text())
    assert json.loads(converted.report.to_json())["entries"] == written["entries"]
    assert converted.report.mode == mode and converted.report.target_format == to


def test_convert_gives_translates_report_for_a_whole_document() -> None:
    converted = ordermap.convert(PAGE_XML, "talkdesk-json")
    translated = ordermap.translate(ordermap.decode(PAGE_XML), "talkdesk-json")
    assert converted.report == translated.report
    assert converted.output == ordermap.encode(translated.document, "talkdesk-json", indent=2)
    assert converted.orders == 2 and converted.skipped == ()
    same = ordermap.convert(PAGE_XML, "dexero-json")
    assert same.report.entries == () and same.report.source_format == "dexero-xml"


def test_convert_in_strict_mode_raises_with_the_whole_report() -> None:
    with pytest.raises(ordermap.TranslationError) as caught:
        ordermap.convert(PAGE_XML, "talkdesk-json", mode="strict")
    assert caught.value.report is not None
    assert caught.value.report.has_loss
    assert {p.code for p in caught.value.problems} == {"would-lose"}
    lines = b'{"order": {"id": 1, "reference_number": "A", "company": "x"}}\n'
    with pytest.raises(ordermap.TranslationError) as caught:
        ordermap.convert(lines, "talkdesk-json", mode="strict")
    assert caught.value.report is not None
    assert caught.value.report.source_format == "dexero-json"


def test_convert_keeps_going_past_an_order_it_cannot_convert() -> None:
    lines = b'{"order": {"id": 1, "reference_number": "A"}}\n{"order": {"id": "x"}}\n'
    with pytest.raises(ordermap.stream.RecordError):
        ordermap.convert(lines, "talkdesk-json")
    converted = ordermap.convert(lines, "talkdesk-json", keep_going=True)
    assert converted.orders == 1
    assert [error.index for error in converted.skipped] == [1]
    assert converted.output.count(b"\n") == 1


# --- names, signatures and argument types ---------------------------------------------------


def test_the_literal_names_are_the_registrys_and_the_crosswalks() -> None:
    assert sorted(typing.get_args(ordermap.FormatName)) == sorted(formats.FORMATS)
    families = {name: formats.get(name).FAMILY for name in formats.FORMATS}
    assert set(typing.get_args(ordermap.DexeroFormat)) == {
        name for name, family in families.items() if family == "dexero"
    }
    assert set(typing.get_args(ordermap.TalkdeskFormat)) == {
        name for name, family in families.items() if family == "talkdesk"
    }
    assert typing.get_args(ordermap.Mode) == ("report", "strict", "carry")
    assert set(typing.get_args(ordermap.Kind)) == {
        kind for name in formats.FORMATS for kind in formats.get(name).KINDS
    }


@pytest.mark.parametrize(
    "verb", ["translate", "decode", "encode", "validate", "convert", "detect", "format_of"]
)
def test_signatures_read_as_written(verb: str) -> None:
    signature = inspect.signature(getattr(ordermap, verb))
    shown = str(signature)
    assert "Policy(" not in shown and "mappingproxy" not in shown, shown
    for parameter in signature.parameters.values():
        assert len(repr(parameter.default)) < 90, parameter  # Limits(...) at most
    assert getattr(ordermap, verb).__doc__


def test_help_of_translate_names_its_arguments() -> None:
    shown = str(inspect.signature(ordermap.translate))
    assert shown == (
        "(document: 'Document', to: 'FormatName', *, mode: 'Mode' = 'report', "
        "policy: 'Policy | None' = None, source_format: 'str | None' = None) -> 'Translation'"
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ordermap.decode(Path("page.xml")), r"data must be .*not PosixPath; read the file"),
        (lambda: ordermap.decode(None), r"data must be the document as bytes or str, not NoneType"),
        (lambda: ordermap.decode(PAGE_XML, 3), r"format must be a format name .* not int"),
        (lambda: ordermap.decode(PAGE_XML, kind=1), r"kind must be .* not int"),
        (lambda: ordermap.decode(PAGE_XML, limits=100), r"limits must be an ordermap.Limits"),
        (lambda: ordermap.detect(42), r"data must be .* not int"),
        (lambda: ordermap.encode(PAGE_XML, "dexero-json"), r"document must be .* not bytes"),
        (lambda: ordermap.encode(ordermap.DexeroOrder(), 1), r"format must be a format name"),
        (lambda: ordermap.encode(ordermap.DexeroOrder(), "dexero-json", indent="2"), "indent"),
        (lambda: ordermap.translate(PAGE_XML, "talkdesk-json"), r"document must be .* not bytes"),
        (lambda: ordermap.translate(ordermap.DexeroOrder(), None), r"to must be a format name"),
        (lambda: ordermap.translate(ordermap.DexeroOrder(id=1), "talkdesk-json", mode=2), "mode"),
        (
            lambda: ordermap.translate(ordermap.DexeroOrder(id=1), "talkdesk-json", policy={}),
            r"policy must be an ordermap.Policy or None, not dict",
        ),
        (lambda: ordermap.validate(Path("x.json")), r"data must be .* read the file first"),
        (lambda: ordermap.convert(PAGE_XML.decode(), "dexero-json"), r"encode the text first"),
        (lambda: ordermap.convert(PAGE_XML, b"dexero-json"), r"to must be a format name"),
    ],
)
def test_an_argument_of_the_wrong_type_is_a_type_error_saying_what_was_expected(
    call: typing.Callable[[], object], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        call()


def test_what_was_accepted_still_is() -> None:
    text = PAGE_XML.decode()
    for data in (PAGE_XML, bytearray(PAGE_XML), memoryview(PAGE_XML), text):
        assert isinstance(ordermap.decode(data), ordermap.DexeroOrderPage)  # type: ignore[arg-type]
        assert ordermap.validate(data).ok  # type: ignore[arg-type]
    with pytest.raises(ordermap.DecodeError, match="neither JSON"):
        ordermap.decode("text")
    with pytest.raises(ValueError, match="unknown kind 'pages'; expected one of page, order"):
        ordermap.decode(PAGE_XML, "dexero-xml", kind="pages")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match=r"unknown kind 'error'; expected one of page, order$"):
        ordermap.decode(PAGE_XML, "dexero-xml", kind="error")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="unknown kind 'pages'; expected one of page, order, er"):
        ordermap.decode(PAGE_XML, kind="pages")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        ordermap.decode(PAGE_XML, "xml")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="unknown mode"):
        ordermap.translate(ordermap.decode(PAGE_XML), "talkdesk-json", mode="lossy")  # type: ignore[arg-type]
    assert ordermap.convert(bytearray(PAGE_XML), "dexero-json").orders == 2


# --- the README's examples, and what type checkers make of the overloads ---------------------

README_BLOCKS = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)

TYPING_CASES = """\
import ordermap

data = b"<orders/>"
page = ordermap.decode(data, "dexero-xml", kind="page")
reveal_type(page)  # R: ordermap.model.dexero.DexeroOrderPage
reveal_type(ordermap.decode(data, "dexero-xml"))  # R: ordermap.model.dexero.DexeroOrderPage | ordermap.model.dexero.DexeroOrder
reveal_type(ordermap.decode(data, "dexero-json", kind="order"))  # R: ordermap.model.dexero.DexeroOrder
reveal_type(ordermap.decode(data, "talkdesk-json", kind="page"))  # R: ordermap.model.talkdesk.TalkdeskOrderPage
reveal_type(ordermap.decode(data, "talkdesk-json", kind="error"))  # R: ordermap.model.talkdesk.TalkdeskErrorBody
reveal_type(ordermap.decode(data, kind="order"))  # R: ordermap.model.dexero.DexeroOrder | ordermap.model.talkdesk.TalkdeskOrder
reveal_type(ordermap.detect(data).format)  # R: Literal['talkdesk-json'] | Literal['dexero-json'] | Literal['dexero-xml']
reveal_type(ordermap.format_of(page))  # R: Literal['talkdesk-json'] | Literal['dexero-json'] | Literal['dexero-xml'] | None
reveal_type(ordermap.convert(data, "talkdesk-json").output)  # R: bytes
ordermap.decode(data, "dexero-xlm")  # E: call-overload
ordermap.decode(data, "dexero-xml", kind="pages")  # E: call-overload
ordermap.encode(page, "dexero-jsn")  # E: arg-type
ordermap.translate(page, "talkdesk")  # E: arg-type
ordermap.translate(page, "talkdesk-json", mode="lossy")  # E: arg-type
ordermap.validate(data, format="xml")  # E: arg-type
ordermap.convert(data, "json")  # E: arg-type
ordermap.convert(data, "dexero-json", mode="carri")  # E: arg-type
"""


def _readme_script() -> str:
    blocks = README_BLOCKS.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 4, "the README's python examples went missing"
    # The blocks continue one another (the translation uses the page the first one read).
    return "\n".join(blocks)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the README's examples as one script, beside a copy of ``examples/``."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", folder / "examples")
    (folder / "readme_examples.py").write_text(_readme_script(), encoding="utf-8")
    (folder / "typing_cases.py").write_text(TYPING_CASES, encoding="utf-8")
    return folder


def _env() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(SOURCE), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    env.pop("MYPYPATH", None)
    if SOURCE == ROOT / "src":
        # A checkout's sources: mypy reads them from there. An installed ordermap (CI installs
        # it into site-packages, which mypy refuses on MYPYPATH) is found as any package is.
        env["MYPYPATH"] = str(SOURCE)
    return env


def test_the_readme_examples_run_as_written(examples: Path) -> None:
    done = subprocess.run(
        [sys.executable, "readme_examples.py"],
        cwd=examples,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "dexero-xml -> talkdesk-json (report)" in done.stdout
    assert (examples / "talkdesk.json").read_bytes() == ordermap.convert(
        PAGE_XML, "talkdesk-json", mode="carry"
    ).output


@pytest.fixture(scope="module")
def mypy_output(examples: Path) -> dict[str, list[str]]:
    """``mypy --strict`` on the README's script and the typing cases, its lines by file.

    mypy is in the ``test`` extra, so CI has it; without it these tests are skipped. Imports
    are followed silently, as for an installed package: ordermap's own code is checked by the
    lint job, and here only what a user's code makes of its types counts.
    """
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install '.[test]' installs it)")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--no-error-summary",
            "--show-error-codes",
            "--hide-error-context",
            "--no-pretty",
            "--cache-dir",
            str(examples / ".mypy_cache"),
            "readme_examples.py",
            "typing_cases.py",
        ],
        cwd=examples,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr or done.stdout
    lines: dict[str, list[str]] = {"readme_examples.py": [], "typing_cases.py": []}
    for line in done.stdout.splitlines():
        name = line.split(":", 1)[0]
        lines.setdefault(name, []).append(line)
    return lines


def test_the_readme_examples_pass_mypy_strict(mypy_output: dict[str, list[str]]) -> None:
    assert mypy_output["readme_examples.py"] == []


def test_type_checkers_see_the_overloads_and_refuse_wrong_names(
    mypy_output: dict[str, list[str]],
) -> None:
    expected: dict[int, tuple[str, str]] = {}
    for number, line in enumerate(TYPING_CASES.splitlines(), start=1):
        if "# R: " in line:
            expected[number] = ("note", f'Revealed type is "{line.split("# R: ")[1]}"')
        elif "# E: " in line:
            expected[number] = ("error", f"[{line.split('# E: ')[1]}]")
    found: dict[int, tuple[str, str]] = {}
    for line in mypy_output["typing_cases.py"]:
        _, number, severity, message = line.split(":", 3)
        if severity.strip() == "note" and not message.strip().startswith("Revealed"):
            continue  # the list of overloads that goes with an error
        found[int(number)] = (severity.strip(), message.strip())
    assert sorted(found) == sorted(expected)
    for number, (severity, message) in expected.items():
        assert found[number][0] == severity, (number, found[number])
        if severity == "note":
            assert found[number][1] == message
        else:
            assert found[number][1].endswith(message), found[number]
