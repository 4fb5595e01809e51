"""Every problem code the source can raise is documented in specs/problems.md, and only those."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
CODE = re.compile(r"[a-z]+(?:-[a-z0-9]+)*\Z")
# Functions whose first argument is a problem code.
RAISERS = {"fail", "Problem", "_refuse", "_problem", "refuse", "_Refused", "_found"}


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "ordermap").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                args = node.args[1:] if name == "fault" else node.args
                first = args[0] if (name in RAISERS or name == "fault") and args else None
                code = first.value if isinstance(first, ast.Constant) else None
                if isinstance(code, str) and CODE.match(code):
                    found.add(code)
            # Fault items and warning tuples: [path, "code", "message", value].
            if (
                isinstance(node, ast.List | ast.Tuple)
                and len(node.elts) >= 3
                and not isinstance(node.elts[0], ast.Constant)  # a path, not a list of names
            ):
                second = node.elts[1]
                text = second.value if isinstance(second, ast.Constant) else None
                if isinstance(text, str) and CODE.match(text) and "-" in text:
                    found.add(text)
    return found


def documented_codes() -> set[str]:
    text = (ROOT / "specs" / "problems.md").read_text()
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.MULTILINE))


def test_every_raised_code_is_documented() -> None:
    assert codes_in_source() - documented_codes() == set()


def test_every_documented_code_is_raised_somewhere() -> None:
    assert documented_codes() - codes_in_source() == set()
