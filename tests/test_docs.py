"""The documentation site: it builds with warnings as errors, and holds what it promises.

The site is ``mkdocs.yml`` and ``docs/``: its pages include the README's sections and the
files of ``specs/`` at build time, and mkdocstrings writes the API reference from the
docstrings. Building it is the only check that catches a broken link in a spec, a README
heading the site includes that was renamed, or a docstring griffe cannot read, so the build
runs here, strictly, whenever the ``docs`` extra is installed (CI installs it).
"""

from __future__ import annotations

import html
import importlib.util
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ordermap

ROOT = Path(__file__).parent.parent
SPECS = ROOT / "specs"

# The specification pages the site promises, each a page of its own under specs/.
SPEC_PAGES = (
    "talkdesk-json",
    "dexero-json",
    "dexero-xml",
    "crosswalk",
    "cli",
    "problems",
    "limits",
    "endpoint",
    "engine",
    "explain",
)

# The public names the API reference documents; each must have its own entry there.
API_NAMES = (
    "ordermap.decode",
    "ordermap.encode",
    "ordermap.detect",
    "ordermap.translate",
    "ordermap.validate",
    "ordermap.convert",
    "ordermap.stream",
    "ordermap.stream.convert",
    "ordermap.endpoint",
    "ordermap.Report",
    "ordermap.Problem",
    "ordermap.Limits",
    "ordermap.Policy",
    "ordermap.model.DexeroOrderPage",
    "ordermap.model.DexeroOrder",
    "ordermap.model.TalkdeskOrderPage",
    "ordermap.model.TalkdeskOrder",
)

# The modules the docs extra installs: MkDocs, the Material theme, mkdocstrings with its
# Python handler, and the plugin that includes the README and the specs.
_DOCS_MODULES = (
    "mkdocs",
    "material",
    "mkdocstrings",
    "mkdocstrings_handlers",
    "mkdocs_include_markdown_plugin",
)
_MISSING = [name for name in _DOCS_MODULES if importlib.util.find_spec(name) is None]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the site once for this module, strictly, into a temporary folder."""
    if _MISSING:
        pytest.skip(
            f"the documentation tools are not installed ({', '.join(_MISSING)} missing); "
            "python -m pip install -e '.[docs]' builds and checks the site"
        )
    out = tmp_path_factory.mktemp("site")
    # Material for MkDocs prints a banner about its successor on every build; it is not a
    # warning of ours, and silencing it keeps a failure's output down to the real cause.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(ROOT / "mkdocs.yml"),
            "--site-dir",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    return out


def _text(page: Path) -> str:
    """The visible text of an HTML page, tags removed and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", SPEC_PAGES)
def test_each_spec_is_a_page_with_its_text(site: Path, name: str) -> None:
    page = site / "specs" / name / "index.html"
    assert page.is_file(), f"no page for specs/{name}.md"
    spec = (SPECS / f"{name}.md").read_text(encoding="utf-8")
    text = _text(page)
    # The whole spec is there, not its first lines: each of its headings is on the page.
    headings = re.findall(r"^#{1,6} (.+)$", spec, re.MULTILINE)
    assert headings, f"specs/{name}.md has no heading"
    for heading in headings:
        assert heading.replace("`", "") in text, f"{heading!r} is missing from the page"


@pytest.mark.parametrize(
    "name", sorted(p.name for p in SPECS.iterdir() if p.suffix in (".json", ".xsd"))
)
def test_the_schemas_the_specs_link_are_served_beside_them(site: Path, name: str) -> None:
    assert (site / "specs" / name).read_bytes() == (SPECS / name).read_bytes()


def test_the_index_is_the_readme_getting_started(site: Path) -> None:
    text = _text(site / "index.html")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in re.findall(r"```console\n(python -m pip install [^\n]+)\n```", readme):
        assert command in text
    assert 'ordermap.translate(page, "talkdesk-json")' in text
    assert "mkdocs serve" in text


def test_the_api_page_documents_each_public_name(site: Path) -> None:
    page = (site / "api" / "index.html").read_text(encoding="utf-8")
    for name in API_NAMES:
        assert f'id="{name}"' in page, f"the API page has no entry for {name}"


def _entry(page: str, name: str) -> str:
    """The visible text of one object's entry on the API page, up to the next entry."""
    start = page.index(f'id="{name}"')
    following = re.search(r'id="ordermap\.', page[start + 1 :])
    end = start + 1 + following.start() if following else len(page)
    return html.unescape(re.sub(r"<[^>]+>", "", page[start:end]))


def test_the_api_page_shows_translate_with_its_signature(site: Path) -> None:
    entry = _entry((site / "api" / "index.html").read_text(encoding="utf-8"), "ordermap.translate")
    parameters = inspect.signature(ordermap.translate).parameters
    # The rendered signature names every parameter in order, with its annotation; it is on
    # one line or on several, as a formatter (ruff or black, when installed) left it.
    signature = re.search(r"translate\((.*?)\)\s*->\s*Translation", entry, re.DOTALL)
    assert signature is not None, entry[:500]
    rendered = [part.split(":")[0].strip() for part in signature.group(1).split(",")]
    assert [part for part in rendered if part not in ("", "*")] == list(parameters)
    assert re.search(r"mode: Mode = [\"']report[\"']", signature.group(1)), signature.group(1)
    assert "Translate a Talkdesk document" in entry


def test_the_api_page_shows_no_sphinx_role_and_links_the_ones_it_can(site: Path) -> None:
    page = (site / "api" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    leftover = re.findall(r":(?:class|func|data|meth|attr|mod|exc|obj|const):`?", text)
    assert not leftover, f"{len(leftover)} Sphinx roles are shown as text"
    # decode's docstring says :class:`~ordermap.DexeroOrderPage`: a link to the class's entry.
    decode = page[page.index('id="ordermap.decode"') : page.index('id="ordermap.encode"')]
    assert re.search(
        r'href="#ordermap\.model\.DexeroOrderPage"[^>]*><code>DexeroOrderPage<', decode
    )


def _roles_extension() -> Any:
    """docs/griffe_roles.py, loaded from its file as mkdocstrings loads it."""
    pytest.importorskip("griffe", reason="griffe comes with the docs extra (mkdocstrings)")
    spec = importlib.util.spec_from_file_location("griffe_roles", ROOT / "docs" / "griffe_roles.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_roles_become_references_outside_code_only() -> None:
    roles = _roles_extension()
    import griffe

    code = (
        '"""Doc."""\n'
        "from .other import Imported\n"
        "class Local:\n"
        '    """A class."""\n'
        "    def method(self) -> None: ...\n"
        "def helper() -> None: ...\n"
    )
    package = griffe.visit("pkg", filepath=Path("pkg/__init__.py"), code=code)
    local = package["Local"]
    docstring = "\n".join(
        [
            "See :func:`helper`, :meth:`method`, :class:`~pkg.Local` and :class:`Imported`.",
            "Also :mod:`.other`, :class:`TypeError` and :py:func:`pkg.helper`.",
            ">>> x = ':func:`helper`'",
            "```python",
            ":func:`helper`",
            "```",
        ]
    )
    lines = roles.rewrite(docstring, local).splitlines()

    def ref(identifier: str, shown: str) -> str:
        return f'<autoref identifier="{identifier}" optional><code>{shown}</code></autoref>'

    assert lines[0] == (
        f"See {ref('pkg.helper', 'helper')}, {ref('pkg.Local.method', 'method')}, "
        f"{ref('pkg.Local', 'Local')} and {ref('pkg.other.Imported', 'Imported')}."
    )
    assert lines[1] == (
        f"Also {ref('pkg.other', '.other')}, {ref('TypeError', 'TypeError')} and "
        f"{ref('pkg.helper', 'pkg.helper')}."
    )
    assert lines[2:] == docstring.splitlines()[2:]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_documented_shell_completion_prints_a_script(shell: str) -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert f"_ORDERMAP_COMPLETE={shell}_source ordermap" in index
    result = subprocess.run(
        [sys.executable, "-m", "ordermap"],
        env={**os.environ, "_ORDERMAP_COMPLETE": f"{shell}_source"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "_ORDERMAP_COMPLETE" in result.stdout
