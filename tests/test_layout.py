"""The house's rules, checked: private modules stay in their room, modules stay short.

A module whose name starts with ``_`` belongs to the package (folder) it sits in: only
modules of that same folder import it. Everything shared between rooms is a module without
the underscore. A module over about 400 lines says why in its docstring (``LONG`` lists them).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "ordermap"

# Modules allowed past 400 lines, each with the reason its docstring gives.
LONG = {
    "cli.py": "click declares each command's options beside the command",
    "crosswalk/way_back.py": "every level's way back beside the one walk that reads them",
    "formats/dexero_json.py": "the whole format in one place",
    "formats/dexero_xml.py": "the whole format in one place",
}
MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1])


def _imports(path: Path) -> set[str]:
    """The modules ``path`` imports, as absolute names (``from . import x`` counts ``x``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _name(path) if path.name == "__init__.py" else _package(path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("ordermap")}


def _private_owner(module: str) -> str | None:
    """The package that owns ``module`` when its last part is private, else ``None``."""
    parts = module.split(".")
    for index, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:index])
    return None


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_private_modules_are_used_in_their_own_room(path: Path) -> None:
    here = _package(path) if path.name != "__init__.py" else _name(path)
    known = {_name(p) for p in _modules()}
    reached = sorted(
        module
        for module in _imports(path)
        if module in known and (owner := _private_owner(module)) is not None and owner != here
    )
    assert reached == [], f"{path.relative_to(SRC)} reaches into another room's private modules"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_modules_are_short_or_say_why(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    key = str(path.relative_to(SRC))
    if key in LONG:
        assert lines > MAX_LINES, f"{key} is short again: take it off LONG"
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert "longer than most" in docstring, f"{key}'s docstring does not say why it is long"
        return
    assert lines <= MAX_LINES, f"{key} has {lines} lines; split it or list it in LONG"
