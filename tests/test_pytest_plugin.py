"""The pytest plugin (loaded through its pytest11 entry point), run in scratch projects."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLE = (Path(__file__).parent.parent / "examples" / "dexero-page.xml").read_bytes()


def test_each_payload_file_becomes_a_test(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nordermap_payloads =\n    payloads/*.xml\n    payloads/*.json\n")
    folder = pytester.mkdir("payloads")
    (folder / "good.xml").write_bytes(EXAMPLE)
    (folder / "bad.json").write_bytes(b'{"order": {"id": "1001"}}')
    (folder / "warn.json").write_bytes(b'{"order": {"id": 1, "channel": "web"}}')
    (folder / "ignored.txt").write_text("not a payload")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        ["*bad.json: 1 error(s), 0 warning(s)*", "*error /order/id: expected a long*"]
    )


def test_strict_makes_warnings_fail(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nordermap_payloads = payloads/*.json\nordermap_strict = true\n")
    folder = pytester.mkdir("payloads")
    (folder / "warn.json").write_bytes(b'{"order": {"id": 1, "channel": "web"}}')
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)


def test_without_the_ini_option_nothing_is_collected(pytester: pytest.Pytester) -> None:
    (pytester.mkdir("payloads") / "bad.json").write_bytes(b"{}")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_the_helper_and_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from ordermap.pytest_plugin import PayloadInvalid, assert_valid_payload

        def test_valid(ordermap_assert_valid):
            assert ordermap_assert_valid(b'{"order": {"id": 1}}').ok

        def test_invalid():
            with pytest.raises(PayloadInvalid, match="/order/id"):
                assert_valid_payload(b'{"order": {"id": "x"}}')
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2)


def test_the_pre_commit_hook_runs_the_validate_command() -> None:
    hooks = (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text()
    assert "- id: ordermap-validate\n" in hooks
    assert "  entry: ordermap validate\n" in hooks
    assert "  language: python\n" in hooks
