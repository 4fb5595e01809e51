"""The ``ordermap convert`` command: conversions, atomic output, exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ordermap
from ordermap.cli import main

from .sample import dexero_page_xml, numeric_seed_ids
from .trees import json_tree, xml_tree

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "dexero-page.xml"
FIXTURES = ROOT / "tests" / "fixtures"


def test_readme_command_converts_the_bundled_example(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ordermap", "convert", str(EXAMPLE), "--to", "dexero-json"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json_tree(result.stdout) == json_tree(
        (FIXTURES / "dexero-json" / "page-example.json").read_bytes()
    )


def test_convert_to_a_file_and_back(tmp_path: Path) -> None:
    as_json = tmp_path / "page.json"
    as_xml = tmp_path / "page.xml"
    assert main(["convert", str(EXAMPLE), "--to", "dexero-json", "-o", str(as_json)]) == 0
    assert main(["convert", str(as_json), "--to", "dexero-xml", "-o", str(as_xml)]) == 0
    assert as_xml.read_bytes() == EXAMPLE.read_bytes()
    assert xml_tree(as_xml.read_bytes()) == xml_tree(EXAMPLE.read_bytes())


def test_same_format_with_from_and_compact_output(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    source = FIXTURES / "talkdesk-json" / "page-exact-text.json"
    assert (
        main(
            [
                "convert",
                str(source),
                "--from",
                "talkdesk-json",
                "--to",
                "talkdesk-json",
                "--indent",
                "0",
            ]
        )
        == 0
    )
    assert capsysbinary.readouterr().out == source.read_bytes().rstrip(b"\n") + b"\n"


def test_stdin_to_stdout() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ordermap", "convert", "-", "--to", "dexero-xml"],
        input=(FIXTURES / "dexero-json" / "page-with-uri.json").read_bytes(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert b"<totalResults>261</totalResults>" in result.stdout


def test_invalid_input_exits_1_names_the_problem_and_keeps_the_old_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"order": {"id": "1001"}}')
    output = tmp_path / "out.xml"
    output.write_bytes(b"previous content")
    assert main(["convert", str(bad), "--to", "dexero-xml", "-o", str(output)]) == 1
    assert output.read_bytes() == b"previous content"
    assert sorted(tmp_path.iterdir()) == sorted([bad, output])  # no temporary file left
    err = capsys.readouterr().err
    assert f"ordermap: {bad}: /order/id: expected a long" in err
    assert "Traceback" not in err


def test_unwritable_value_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bell.json"
    source.write_bytes(b'{"order": {"customer_comment": "ring \\u0007"}}')
    assert main(["convert", str(source), "--to", "dexero-xml"]) == 1
    assert "not-xml-text" in capsys.readouterr().err


def test_output_over_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "page.xml"
    copy.write_bytes(EXAMPLE.read_bytes())
    assert main(["convert", str(copy), "--to", "dexero-xml", "-o", str(copy)]) == 2
    assert copy.read_bytes() == EXAMPLE.read_bytes()
    assert f"{copy} is the INPUT file" in capsys.readouterr().err


def test_a_missing_input_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "missing-file.xml", "--to", "dexero-json"]) == 2
    assert capsys.readouterr().err.startswith("ordermap: error: cannot read missing-file.xml")


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(EXAMPLE), "--to", "yaml"]) == 2
    assert "Invalid value for '--to': 'yaml' is not one of" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("format", "file"),
    [
        ("talkdesk-json", "talkdesk-json.schema.json"),
        ("dexero-json", "dexero-json.schema.json"),
        ("dexero-xml", "dexero-xml.xsd"),
    ],
)
def test_schema_prints_what_specs_holds(
    format: str, file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", format]) == 0
    assert capsys.readouterr().out == (ROOT / "specs" / file).read_text(encoding="utf-8")


SEED = FIXTURES / "talkdesk-json" / "seed-page.json"


def test_translation_prints_the_loss_report_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "talkdesk.json"
    argv = ["convert", str(EXAMPLE), "--to", "talkdesk-json", "-o", str(output), "--verbose"]
    assert main(argv) == 0
    err = capsys.readouterr().err.splitlines()
    # With --verbose: one line per entry as each order is done, then the summary.
    # (Without it the report is one line per field: tests/test_cli_terminal.py.)
    assert (
        err[-1] == "dexero-xml -> talkdesk-json (report): 24 lost, 9 derived, 0 carried; 2 orders"
    )
    assert (
        "lost /orders/order/0/customer_comment = 'Please ring twice.': no Talkdesk counterpart"
        in err
    )
    assert len(err) == 1 + 24 + 9
    assert json_tree(output.read_bytes())[1][0][0] == "_embedded"


def test_quiet_prints_only_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(EXAMPLE), "--to", "talkdesk-json", "-q"]) == 0
    err = capsys.readouterr().err
    assert err == "dexero-xml -> talkdesk-json (report): 24 lost, 9 derived, 0 carried; 2 orders\n"


def test_strict_refusal_exits_3_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.xml"
    output.write_bytes(b"previous content")
    # The seed with ids a Dexero long holds: what is left has no counterpart, and is lost.
    seed = tmp_path / "seed.json"
    seed.write_bytes(numeric_seed_ids(SEED.read_bytes()))
    argv = ["convert", str(seed), "--to", "dexero-xml", "--mode", "strict", "-o", str(output)]
    assert main([*argv, "--verbose"]) == 3
    assert output.read_bytes() == b"previous content"
    err = capsys.readouterr().err
    assert "lost /_embedded/orders/0/shipping_address/id = 'address1234'" in err
    assert err.endswith("ordermap: error: refused by --mode strict; nothing written\n")


@pytest.mark.parametrize("mode", ["report", "strict"])
def test_a_value_dexero_cannot_hold_fails_the_conversion_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    output = tmp_path / "out.xml"
    output.write_bytes(b"previous content")
    argv = ["convert", str(SEED), "--to", "dexero-xml", "--mode", mode, "-o", str(output)]
    assert main(argv) == 1
    assert output.read_bytes() == b"previous content"
    err = capsys.readouterr().err
    assert "/_embedded/orders/0/id: Dexero's id cannot hold this value" in err
    assert "(got 'order456') [cannot-hold]" in err
    assert "carry mode keeps it" in err


def test_keep_going_skips_an_order_with_a_value_dexero_cannot_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "two.ndjson"
    source.write_bytes(b'{"id": "1", "order_number": "A"}\n{"id": "x2", "order_number": "B"}\n')
    output = tmp_path / "out.ndjson"
    argv = ["convert", str(source), "--to", "dexero-json", "--keep-going", "-o", str(output)]
    assert main(argv) == 4
    lines = output.read_bytes().splitlines()
    assert [json.loads(line)["order"]["reference_number"] for line in lines] == ["A"]
    err = capsys.readouterr().err
    assert "[cannot-hold]" in err and "1 skipped" in err


def test_carry_mode_round_trip_through_the_command_line(tmp_path: Path) -> None:
    middle = tmp_path / "dexero.xml"
    back = tmp_path / "back.json"
    assert (
        main(["convert", str(SEED), "--to", "dexero-xml", "--mode", "carry", "-o", str(middle)])
        == 0
    )
    assert (
        main(["convert", str(middle), "--to", "talkdesk-json", "--mode", "carry", "-o", str(back)])
        == 0
    )
    assert json_tree(back.read_bytes()) == json_tree(SEED.read_bytes())


def test_policy_file_changes_a_heuristic(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[status]\ntreated = ["OUT_FOR_DELIVERY", "OUT_FOR_DELIVERY"]\n')
    assert (
        main(["convert", str(EXAMPLE), "--to", "talkdesk-json", "--policy", str(policy), "-q"]) == 0
    )
    out = capsysbinary.readouterr().out
    assert b'"generic_type": "OUT_FOR_DELIVERY"' in out


def test_an_invalid_policy_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[names]\nsplit = "middle"\n')
    assert main(["convert", str(EXAMPLE), "--to", "talkdesk-json", "--policy", str(policy)]) == 2
    assert (
        f"ordermap: {policy}: names.split: expected one of first-word, last-word [bad-policy]"
        in capsys.readouterr().err
    )


def test_an_error_body_cannot_be_translated(capsys: pytest.CaptureFixture[str]) -> None:
    source = FIXTURES / "talkdesk-json" / "error-body.json"
    assert main(["convert", str(source), "--to", "dexero-json"]) == 1
    assert (
        "a Talkdesk error body has no Dexero counterpart [untranslatable]"
        in capsys.readouterr().err
    )


def test_text_xml_cannot_hold_is_an_error_and_carried(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bell.json"
    source.write_bytes(b'{"id": "5", "order_number": "A\\u0007B", "status": "ok"}')
    middle = tmp_path / "order.xml"
    back = tmp_path / "back.json"
    assert main(["convert", str(source), "--to", "dexero-xml", "-o", str(middle)]) == 1
    assert not middle.exists()
    assert (
        "/order_number: Dexero's reference_number cannot hold this value: XML 1.0 cannot hold"
        " the character U+0007; carry mode keeps it in the carry slot (got 'A\\x07B')"
        in capsys.readouterr().err
    )
    assert (
        main(["convert", str(source), "--to", "dexero-xml", "--mode", "carry", "-o", str(middle)])
        == 0
    )
    assert (
        main(
            [
                "convert",
                str(middle),
                "--to",
                "talkdesk-json",
                "--mode",
                "carry",
                "-o",
                str(back),
                "--indent",
                "0",
            ]
        )
        == 0
    )
    assert json_tree(back.read_bytes()) == json_tree(source.read_bytes())


def test_validate_reports_each_problem_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "payloads"
    (folder / "nested").mkdir(parents=True)
    (folder / "good.xml").write_bytes(EXAMPLE.read_bytes())
    (folder / "nested" / "bad.xml").write_bytes(
        b"<order>\n  <id>x</id>\n  <is_test>0</is_test>\n</order>\n"
    )
    (folder / "nested" / "warn.json").write_bytes(b'{"order": {"id": 1, "channel": "web"}}')
    (folder / "notes.txt").write_text("not a payload")
    assert main(["validate", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    bad = folder / "nested" / "bad.xml"
    assert lines == [
        f"{bad}:2:3: error wrong-type expected a long written as a plain integer (got 'x') at /order/id",
        f"{bad}:3:3: error wrong-type expected true or false (got '0') at /order/is_test",
        f"{folder / 'nested' / 'warn.json'}:1:21: warning unknown-field unknown member 'channel' (kept as it is) at /order/channel",
        "3 files checked: 2 passed, 1 failed, 3 problems",
    ]
    assert main(["validate", "--strict", str(folder / "nested" / "warn.json")]) == 1


def test_validate_json_and_junit_outputs(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    import json
    from xml.etree import ElementTree

    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"order": {"id": "1001"}}')
    assert main(["validate", "--output", "json", str(bad), str(EXAMPLE)]) == 1
    report = json.loads(capsysbinary.readouterr().out)
    assert report["summary"] == {"files": 2, "failed": 1, "problems": 1}
    assert report["files"][0]["problems"][0]["pointer"] == "/order/id"
    assert main(["validate", "--output", "junit", str(bad), str(EXAMPLE)]) == 1
    suite = ElementTree.fromstring(capsysbinary.readouterr().out).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = suite.findall("testcase")
    assert [case.find("failure") is not None for case in cases] == [True, False]


def test_validate_a_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no-such-folder"]) == 2
    assert "no such file or folder: no-such-folder" in capsys.readouterr().err


def test_validate_reads_standard_input_and_ndjson_order_by_order(tmp_path: Path) -> None:
    orders = [{"order": {"id": n}} for n in range(3)]
    orders[1]["order"]["id"] = "seven"
    lines = b"".join(json.dumps(order).encode() + b"\n" for order in orders)
    (tmp_path / "orders.ndjson").write_bytes(lines)
    found = _run("validate", "--output", "json", str(tmp_path))
    piped = _run("validate", "--output", "json", "-", stdin=lines)
    assert found.returncode == piped.returncode == 1, (found.stderr, piped.stderr)
    for result, name in ((found, str(tmp_path / "orders.ndjson")), (piped, "-")):
        (checked,) = json.loads(result.stdout)["files"]
        assert (checked["path"], checked["format"], checked["ok"]) == (name, "dexero-json", False)
        # The second line's id, named in the stream's JSON form (the lines as an array).
        assert [(p["code"], p["pointer"]) for p in checked["problems"]] == [
            ("wrong-type", "/1/order/id")
        ]


def test_validate_of_nothing_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not a payload")
    assert main(["validate", str(tmp_path)]) == 2
    assert "no payload files" in capsys.readouterr().err


# --- streaming, reports, jobs ------------------------------------------------------------------


def _run(*argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "ordermap", *argv], input=stdin, capture_output=True, check=False
    )


def test_input_defaults_to_stdin_and_compact_output_ends_in_a_newline(tmp_path: Path) -> None:
    result = _run("convert", "--to", "dexero-json", "--indent", "0", stdin=EXAMPLE.read_bytes())
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(b"}\n") and result.stdout.count(b"\n") == 1
    assert json_tree(result.stdout) == json_tree(
        (FIXTURES / "dexero-json" / "page-example.json").read_bytes()
    )


def test_ndjson_out_and_report_file(tmp_path: Path) -> None:
    output, report = tmp_path / "orders.ndjson", tmp_path / "report.json"
    argv = ["convert", str(EXAMPLE), "--to", "talkdesk-json", "--ndjson", "-q"]
    assert main([*argv, "-o", str(output), "--report", str(report)]) == 0
    lines = output.read_bytes().splitlines()
    assert len(lines) == 2
    source = ordermap.decode(EXAMPLE.read_bytes()).orders
    assert [ordermap.decode(line).order_number for line in lines] == [
        order.reference_number for order in source
    ]
    written = json.loads(report.read_bytes())
    assert written["summary"] == {"lost": 24, "derived": 9, "carried": 0, "orders": 2, "failed": 0}
    assert len(written["entries"]) == 24 + 9
    assert {
        "action": "lost",
        "source": "/orders/totalResults",
        "target": None,
        "value": 2,
        "reason": "newline-delimited JSON holds orders only, not the page around them",
    } in written["entries"]


def test_strict_refusal_keeps_the_report_but_not_the_output(tmp_path: Path) -> None:
    output, report = tmp_path / "out.json", tmp_path / "report.json"
    output.write_bytes(b"previous")
    argv = ["convert", str(EXAMPLE), "--to", "talkdesk-json", "--mode", "strict", "-q"]
    assert main([*argv, "-o", str(output), "--report", str(report)]) == 3
    assert output.read_bytes() == b"previous"
    written = json.loads(report.read_bytes())
    assert written["summary"]["refused"] is True
    assert (
        written["summary"]["lost"]
        == len([e for e in written["entries"] if e["action"] == "lost"])
        == 24
    )


def test_jobs_keep_going_and_exit_4(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "page.xml"
    text = dexero_page_xml(40, seed=1).decode()
    parts = text.split("<order>")
    parts[5] = parts[5].replace("<total_order>", "<total_order>x", 1)
    source.write_text("<order>".join(parts))
    output = tmp_path / "out.json"
    argv = ["convert", str(source), "--to", "dexero-json", "-o", str(output), "-q", "--jobs", "2"]
    assert main(argv) == 1
    assert not output.exists()
    err = capsys.readouterr().err
    assert "order 5: /orders/order[5]/total_order line 2: " in err and "[bad-amount]" in err
    assert main([*argv, "--keep-going"]) == 4
    assert len(ordermap.decode(output.read_bytes()).orders) == 39
    assert capsys.readouterr().err.rstrip().endswith("; 39 orders, 1 skipped")


def test_progress_is_shown_when_asked(tmp_path: Path) -> None:
    source = tmp_path / "page.xml"
    source.write_bytes(dexero_page_xml(400, seed=2))
    result = _run(
        "convert", str(source), "--to", "dexero-json", "-o", str(tmp_path / "o.json"), "--progress"
    )
    assert result.returncode == 0, result.stderr
    assert b"orders/s" in result.stderr
    quiet = _run("convert", str(source), "--to", "dexero-json", "-o", str(tmp_path / "o.json"))
    assert b"orders/s" not in quiet.stderr  # not a terminal: silent


def test_killing_a_conversion_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    source = tmp_path / "export.xml"
    source.write_bytes(dexero_page_xml(3000, seed=4))
    output = tmp_path / "out.ndjson"
    output.write_bytes(b"the previous output\n")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ordermap",
            "convert",
            str(source),
            "--to",
            "talkdesk-json",
            "--ndjson",
            "-q",
            "-o",
            str(output),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Wait until the conversion is writing its temporary file, then kill it half way.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            temporary = [p for p in tmp_path.iterdir() if p.name.startswith(".out.ndjson.")]
            if temporary and temporary[0].stat().st_size > 0:
                break
            time.sleep(0.01)
        else:
            pytest.fail("the conversion never started writing")
        process.kill()
    finally:
        process.wait()
    assert process.returncode != 0
    assert output.read_bytes() == b"the previous output\n"


def test_outputs_that_are_not_plain_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    argv = ["convert", str(EXAMPLE), "--to", "dexero-json"]
    assert main([*argv, "-o", str(link)]) == 0
    assert link.is_symlink() and ordermap.decode(real.read_bytes()).orders
    assert main([*argv, "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main([*argv, "-o", os.devnull]) == 0
    assert Path(os.devnull).exists() and not Path(os.devnull).is_file()


def test_the_file_on_stdin_is_not_overwritten(tmp_path: Path) -> None:
    same = tmp_path / "same.xml"
    same.write_bytes(EXAMPLE.read_bytes())
    with same.open("rb") as stdin:
        result = subprocess.run(
            [sys.executable, "-m", "ordermap", "convert", "--to", "talkdesk-json", "-o", str(same)],
            stdin=stdin,
            capture_output=True,
            check=False,
        )
    assert result.returncode == 2
    assert b"is the file on standard input" in result.stderr
    assert same.read_bytes() == EXAMPLE.read_bytes()


def test_validate_takes_the_flag_names_convert_uses_and_keeps_its_old_ones(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    # --from is the input's format in both commands; validate's --format and --output stay
    # as aliases of --from and --output-format.
    outputs = []
    for names in (["--from", "--output-format"], ["--format", "--output"]):
        argv = ["validate", names[0], "dexero-xml", names[1], "json", str(EXAMPLE)]
        assert main(argv) == 0
        outputs.append(capsysbinary.readouterr().out)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["files"][0]["format"] == "dexero-xml"
