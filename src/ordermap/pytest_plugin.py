"""pytest plugin: payload fixture files become test items, and a helper asserts validity.

Enable it by listing glob patterns (relative to the rootdir) in the ``ordermap_payloads``
ini option::

    [tool.pytest.ini_options]
    ordermap_payloads = ["tests/payloads/**/*.json", "tests/payloads/**/*.xml"]
    ordermap_strict = true      # optional: warnings fail too

Each matching file is collected as one test that fails with its problems (``**/`` also
matches no folder at all, as in a shell glob: ``tests/payloads/**/*.json`` takes
``tests/payloads/a.json`` too). Patterns that together match no file stop the session with
a usage error, since checking nothing is no pass: a renamed folder or a mistyped pattern
would otherwise leave CI green. Files are named relative to the rootdir. In test code,
:func:`assert_valid_payload` (or the ``ordermap_assert_valid`` fixture) checks a payload.

pytest loads the plugin in every session where ordermap is installed, so validation (and
with it the formats and lxml) is imported only when a payload is checked.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .errors import Problem
    from .validation import Validation

__all__ = ["PayloadInvalid", "assert_valid_payload"]


class PayloadInvalid(AssertionError):
    """A payload checked by :func:`assert_valid_payload` has problems."""


def _describe(result: Validation, source: str) -> str:
    lines = [f"{source}: {len(result.errors)} error(s), {len(result.warnings)} warning(s)"]
    lines.extend(f"  {_spot(source, problem)}{_line(problem)}" for problem in result.problems)
    return "\n".join(lines)


def _spot(source: str, problem: Problem) -> str:
    """``FILE:LINE:COLUMN: `` for a problem with a line, which editors and CI logs link to
    the place (as ``ordermap validate`` prints it); nothing for one without."""
    where = problem.location
    if where.line is None:
        return ""
    return f"{source}:{where.line}:{where.column or 1}: "


def _line(problem: Problem) -> str:
    """A problem as the failure shows it: its severity, JSON Pointer or element path,
    message, offending input and code (the line and column are in :func:`_spot`)."""
    where = problem.location
    at = where.pointer if where.pointer is not None else where.path
    shown = f" (got {problem.input})" if problem.input is not None else ""
    place = f"{at or '/'}: " if at is not None else ""
    return f"{problem.severity.value} {place}{problem.message}{shown} [{problem.code}]"


def assert_valid_payload(
    data: bytes | str, format: str | None = None, *, strict: bool = False
) -> Validation:
    """Assert that a payload is valid; returns the :class:`~ordermap.validation.Validation`.

    Raises:
        PayloadInvalid: With every problem, one per line.
    """
    # A failing check is the caller's assertion: pytest shows the caller's line, not this one.
    __tracebackhide__ = True
    from .validation import validate

    result = validate(data, format, strict=strict)
    if not result.ok:
        raise PayloadInvalid(_describe(result, "payload"))
    return result


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "ordermap_payloads",
        type="linelist",
        help="glob patterns of payload fixture files that ordermap validates as tests",
        default=[],
    )
    parser.addini(
        "ordermap_strict", type="bool", help="ordermap: warnings fail payload tests", default=False
    )


def _matches(relative: str, patterns: Sequence[str]) -> bool:
    """Whether a rootdir-relative POSIX path matches one of the patterns (``fnmatch``, with
    ``**/`` also standing for no folder)."""
    return any(
        fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.replace("**/", ""))
        for pattern in patterns
    )


def _any_match(root: Path, patterns: Sequence[str]) -> bool:
    """Whether some file under ``root`` matches, searching only below each pattern's fixed
    folder (``tests/payloads`` of ``tests/payloads/**/*.json``) and stopping at the first."""
    for pattern in patterns:
        fixed = re.split(r"[*?\[]", pattern, maxsplit=1)[0]
        base = root / fixed[: fixed.rfind("/") + 1] if "/" in fixed else root
        for folder, subfolders, names in os.walk(base):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            for name in names:
                relative = (Path(folder) / name).relative_to(root).as_posix()
                if _matches(relative, [pattern]):
                    return True
    return False


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    patterns: list[str] = config.getini("ordermap_payloads")
    if patterns and not _any_match(config.rootpath, patterns):
        listed = ", ".join(patterns)
        raise pytest.UsageError(
            f"ordermap_payloads matches no file under {config.rootpath} ({listed}); "
            "fix the patterns, or remove the option to check no payload files"
        )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    config = parent.config
    patterns: list[str] = config.getini("ordermap_payloads")
    if not patterns:
        return None
    try:
        relative = file_path.relative_to(config.rootpath).as_posix()
    except ValueError:
        return None
    if _matches(relative, patterns):
        payload: PayloadFile = PayloadFile.from_parent(parent, path=file_path)
        return payload
    return None


class PayloadFile(pytest.File):
    """A payload fixture file: one test item."""

    def collect(self) -> list[pytest.Item]:
        return [PayloadItem.from_parent(self, name="ordermap-validate")]


class PayloadItem(pytest.Item):
    """Validates one payload file."""

    def runtest(self) -> None:
        __tracebackhide__ = True  # the plugin's frames say nothing about the payload
        from .validation import validate_file

        strict = bool(self.config.getini("ordermap_strict"))
        with self.path.open("rb") as source:  # order by order: a large fixture is no burden
            result = validate_file(source, strict=strict)
        if not result.ok:
            raise PayloadInvalid(_describe(result, self.relative_name()))

    def relative_name(self) -> str:
        """The file's name relative to the rootdir (POSIX separators), as CI logs show paths
        of the checkout; a file outside the rootdir keeps its own path."""
        try:
            return self.path.relative_to(self.config.rootpath).as_posix()
        except ValueError:
            return str(self.path)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The problems alone for an invalid payload; anything else (an unreadable file) as
        pytest shows it, without the plugin's own frames (``runtest`` hides itself)."""
        if isinstance(excinfo.value, PayloadInvalid):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"ordermap payload {self.relative_name()}"


@pytest.fixture
def ordermap_assert_valid() -> Callable[..., Validation]:
    """The :func:`assert_valid_payload` helper, as a fixture."""
    return assert_valid_payload
