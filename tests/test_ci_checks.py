"""Fixture checks that fit CI: the pytest plugin's failures and the pre-commit hook."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from ordermap.cli import main

pytest_plugins = ["pytester"]

ROOT = Path(__file__).parent.parent
EXAMPLE = (ROOT / "examples" / "dexero-page.xml").read_bytes()
BAD = b'{"order": {\n  "id": "1001"\n}}'


def test_a_failing_payload_shows_no_plugin_frames_and_a_relative_path(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\nordermap_payloads = payloads/**/*.json\n")
    (pytester.mkdir("payloads") / "deep").mkdir()
    (pytester.path / "payloads" / "deep" / "bad.json").write_bytes(BAD)
    for style in ("auto", "long", "short"):
        result = pytester.runpytest_subprocess(f"--tb={style}")
        result.assert_outcomes(failed=1)
        out = result.stdout.str()
        result.stdout.fnmatch_lines(
            [
                "payloads/deep/bad.json: 1 error(s), 0 warning(s)",
                "  payloads/deep/bad.json:2:9: error /order/id: expected a long*[[]wrong-type[]]",
            ]
        )
        assert "pytest_plugin.py" not in out and "def runtest" not in out
        assert str(pytester.path) + "/payloads" not in out


def test_the_helper_hides_its_frame(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from ordermap.pytest_plugin import assert_valid_payload

        def test_invalid():
            assert_valid_payload(b'{"order": {"id": "x"}}')
        """
    )
    result = pytester.runpytest_subprocess("--tb=long")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert 'assert_valid_payload(b\'{"order"' in out  # the caller's line is shown
    assert "pytest_plugin.py" not in out and "result = validate(data" not in out
    result.stdout.fnmatch_lines(["*payload:1:18: error /order/id: expected a long*"])


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder of what a repository holds: payloads, and JSON and XML that are none."""
    (tmp_path / "page.xml").write_bytes(EXAMPLE)
    (tmp_path / "package.json").write_bytes(b'{"name": "shop", "version": "1.0.0"}')
    (tmp_path / "pom.xml").write_bytes(b"<project><modelVersion>4.0.0</modelVersion></project>")
    (tmp_path / "list.json").write_bytes(b"[1, 2]")
    return tmp_path


def test_only_payloads_skips_and_counts_files_no_format_knows(
    mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--only-payloads", str(mixed)]) == 0
    out = capsys.readouterr().out
    assert (
        out
        == "1 file checked: 1 passed, 0 failed, 0 problems; skipped 3 files that are not order payloads\n"
    )
    assert main(["validate", "--only-payloads", str(mixed / "pom.xml")]) == 0
    assert capsys.readouterr().out.endswith("; skipped 1 file that is not an order payload\n")


def test_require_payloads_is_the_default_and_restores_failing(
    mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(mixed)]) == 1
    assert "unknown-document" in capsys.readouterr().out
    assert main(["validate", "--only-payloads", "--require-payloads", str(mixed)]) == 1
    assert "3 failed" in capsys.readouterr().out


def test_only_payloads_still_fails_a_broken_payload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.json").write_bytes(BAD)
    (tmp_path / "cut.json").write_bytes(b'{"order": {"id": 1')
    assert main(["validate", "--only-payloads", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "wrong-type" in out and "json-syntax" in out and "skipped" not in out


def test_only_payloads_in_the_json_and_junit_outputs(
    mixed: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["validate", "--only-payloads", "--output", "json", str(mixed)]) == 0
    report = json.loads(capsysbinary.readouterr().out)
    assert report["summary"] == {"files": 1, "failed": 0, "problems": 0, "skipped": 3}
    assert sorted(Path(p).name for p in report["skipped"]) == [
        "list.json",
        "package.json",
        "pom.xml",
    ]
    assert main(["validate", "--only-payloads", "--output", "junit", str(mixed)]) == 0
    suite = ElementTree.fromstring(capsysbinary.readouterr().out).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("skipped"), suite.get("failures")) == ("4", "3", "0")
    assert len(suite.findall("testcase/skipped")) == 3


def test_the_pre_commit_hook_skips_files_that_are_no_payloads() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "ordermap validate"
    assert hook["args"] == ["--only-payloads"]
    assert "ndjson" in hook["files"]


def test_the_readme_names_a_rev_that_exists() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("- **pre-commit**") :].split("\n## ", 1)[0]
    # No release is tagged yet: the rev a user can give is a commit, and the README says so.
    assert "rev: <a full commit SHA of it>" in section
    assert "<a tag>" not in section
    assert "git ls-remote" in section and "pre-commit autoupdate" in section
    assert "--only-payloads" in section and "--require-payloads" in section
