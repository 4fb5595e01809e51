"""The package imports its names on first use, so that start-up pays only for what it uses.

What a bare ``import ordermap`` or ``ordermap --version`` imports is checked in a fresh
interpreter: this test process has imported most of ordermap already (the pytest plugin, the
other tests), so its own ``sys.modules`` says nothing.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

import ordermap

SOURCE = Path(ordermap.__file__).resolve().parent.parent
"""The folder this test process imports ordermap from, handed to the child processes."""

NOT_AT_IMPORT = ("lxml", "click", "ordermap.cli", "ordermap.pipeline", "ordermap.stream")


def _run(code: str) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(filter(None, [str(SOURCE), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    done = _run(f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))")
    return set(json.loads(done.stdout.splitlines()[-1]))


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(module.startswith(name + ".") for module in modules)


def test_bare_import_leaves_lxml_the_cli_and_the_pipeline_alone() -> None:
    modules = _modules_after("import ordermap")
    assert [name for name in NOT_AT_IMPORT if _loaded(modules, name)] == []
    # Nothing of the model, the formats or the crosswalk either, nor the libraries under them.
    assert [name for name in ("attrs", "cattrs", "orjson") if _loaded(modules, name)] == []
    assert sorted(name for name in modules if name.startswith("ordermap")) == [
        "ordermap",
        "ordermap._pickling",
        "ordermap._version",
    ]


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_import_click_and_the_command_line_only(argv: list[str]) -> None:
    code = (
        "import contextlib, io\n"
        "from ordermap.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main({argv!r}) == 0\n"
    )
    modules = _modules_after(code)
    heavy = ("lxml", "cattrs", "orjson", "ordermap.formats", "ordermap.crosswalk", "ordermap.model")
    assert [name for name in heavy if _loaded(modules, name)] == []
    assert "click" in modules


def test_every_public_name_has_a_home_that_holds_it() -> None:
    assert set(ordermap._HOMES) == set(ordermap.__all__) - {"__version__"}
    for name, home in ordermap._HOMES.items():
        assert getattr(ordermap, name) is getattr(import_module(f"ordermap.{home}"), name), name


def test_lazy_names_resolve_in_a_fresh_interpreter_as_in_their_homes() -> None:
    # Each name first asked for on its own, by attribute and by ``from ordermap import``.
    code = (
        "import importlib, ordermap\n"
        "for name, home in ordermap._HOMES.items():\n"
        "    assert getattr(ordermap, name) is getattr(\n"
        "        importlib.import_module('ordermap.' + home), name), name\n"
        "from ordermap import FORMATS, decode, translate\n"
        "from ordermap.formats import FORMATS as formats\n"
        "from ordermap.documents import decode as decoding\n"
        "from ordermap.crosswalk import translate as translating\n"
        "assert (FORMATS, decode, translate) == (formats, decoding, translating)\n"
        "assert list(FORMATS) == ['talkdesk-json', 'dexero-json', 'dexero-xml']\n"
    )
    _run(code)


def test_star_import_gives_every_name() -> None:
    done = _run(
        "namespace = {}\n"
        "exec('from ordermap import *', namespace)\n"
        "import ordermap\n"
        "assert set(ordermap.__all__) <= set(namespace), set(ordermap.__all__) - set(namespace)\n"
    )
    assert done.stderr == ""


def test_submodules_are_reachable_as_attributes_without_an_import() -> None:
    for name in sorted(ordermap._SUBMODULES):
        assert getattr(ordermap, name) is import_module(f"ordermap.{name}")
    _run(
        "import ordermap, sys\n"
        "assert ordermap.stream is sys.modules['ordermap.stream']\n"
        "assert ordermap.endpoint.parse_talkdesk_query is not None\n"
        "assert callable(ordermap.formats.get)\n"
    )


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        ordermap.no_such_name  # noqa: B018
    assert not hasattr(ordermap, "cli_of_another_kind")


def test_dir_lists_every_public_name_and_submodule() -> None:
    names = dir(ordermap)
    assert set(ordermap.__all__) <= set(names)
    assert set(ordermap._SUBMODULES) <= set(names)
    assert names == sorted(names)
    done = _run("import ordermap\nprint(' '.join(dir(ordermap)))")
    assert set(ordermap.__all__) <= set(done.stdout.split())


def test_type_checking_imports_agree_with_the_homes() -> None:
    """The names mypy sees (the ``TYPE_CHECKING`` imports) are those the package resolves."""
    tree = ast.parse(Path(ordermap.__file__).read_text(encoding="utf-8"))
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
    )
    names: dict[str, str] = {}
    submodules: set[str] = set()
    for statement in guarded.body:
        assert isinstance(statement, ast.ImportFrom) and statement.level == 1
        for alias in statement.names:
            if statement.module is None:
                assert alias.asname == alias.name  # an explicit re-export of a submodule
                submodules.add(alias.name)
            else:
                names[alias.asname or alias.name] = statement.module
    assert names == ordermap._HOMES
    assert submodules == ordermap._SUBMODULES


def test_a_document_pickled_here_loads_in_a_fresh_interpreter() -> None:
    # A page holds read-only mappings: their reducer must be registered by a bare import.
    data = (Path(__file__).parent.parent / "examples" / "dexero-page.xml").read_bytes()
    page = ordermap.decode(data)
    assert any(type(value).__name__ == "mappingproxy" for value in _values(page))
    blob = pickle.dumps(page).hex()
    done = _run(
        "import pickle, sys, ordermap\n"
        f"page = pickle.loads(bytes.fromhex({blob!r}))\n"
        "print(type(page).__name__, ordermap.encode(page, 'dexero-json').hex())\n"
    )
    kind, encoded = done.stdout.split()
    assert kind == "DexeroOrderPage"
    assert bytes.fromhex(encoded) == ordermap.encode(page, "dexero-json")


def _values(value: object, depth: int = 0) -> list[object]:
    """Every attribute value of a model tree, to find the read-only mappings in it."""
    found: list[object] = [value]
    if depth > 8:
        return found
    fields = getattr(type(value), "__attrs_attrs__", ())
    for field in fields:
        found.extend(_values(getattr(value, field.name), depth + 1))
    if isinstance(value, list | tuple):
        for item in value:
            found.extend(_values(item, depth + 1))
    return found


# --- the format registry: modules imported on first lookup -------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
XML_ONLY = ("lxml", "ordermap.formats.dexero_xml", "ordermap.formats.xml_read")


def test_the_registry_lists_every_format_before_importing_any() -> None:
    code = (
        "import sys\n"
        "from ordermap import formats\n"
        "assert list(formats.FORMATS) == ['talkdesk-json', 'dexero-json', 'dexero-xml']\n"
        "assert formats.names() == ('dexero-json', 'dexero-xml', 'talkdesk-json')\n"
        "assert 'dexero-xml' in formats.FORMATS and 'yaml' not in formats.FORMATS\n"
        "assert len(formats.FORMATS) == 3\n"
        "assert 'FORMATS(talkdesk-json, dexero-json, dexero-xml)' == repr(formats.FORMATS)\n"
        "assert not [m for m in sys.modules if m.startswith('ordermap.formats.')], sys.modules\n"
        "assert formats.family_format('dexero').FORMAT == 'dexero-json'\n"
        "assert 'ordermap.formats.dexero_xml' not in sys.modules\n"
        "assert formats.get('dexero-xml') is sys.modules['ordermap.formats.dexero_xml']\n"
    )
    _run(code)


def test_a_json_conversion_imports_no_xml() -> None:
    # Its id, "order456", has no place in a Dexero long: carry mode keeps it (report mode
    # refuses it, lossless rule 5).
    order = FIXTURES / "talkdesk-json" / "order-minimal.json"
    code = (
        "import contextlib, io, os\n"
        "from ordermap.cli import main\n"
        "with contextlib.redirect_stderr(io.StringIO()), open(os.devnull, 'w') as out:\n"
        "    with contextlib.redirect_stdout(out):\n"
        f"        assert main(['convert', {str(order)!r}, '--to', 'dexero-json',\n"
        f"                     '--mode', 'carry', '-o', os.devnull]) == 0\n"
        "import ordermap\n"
        f"data = open({str(order)!r}, 'rb').read()\n"
        "assert ordermap.detect(data).format == 'talkdesk-json'\n"
        "page = ordermap.translate(ordermap.decode(data), 'dexero-json', mode='carry').document\n"
        "assert ordermap.encode(page, 'dexero-json')\n"
    )
    modules = _modules_after(code)
    assert "ordermap.stream" in modules
    assert [name for name in XML_ONLY if _loaded(modules, name)] == []


def test_lazy_format_names_are_the_modules() -> None:
    from ordermap import formats
    from ordermap.pipeline import readers, xml_reader

    for name in ("talkdesk_json", "dexero_json", "dexero_xml"):
        module = import_module(f"ordermap.formats.{name}")
        assert getattr(formats, name) is module
        assert formats.get(module.FORMAT) is module is formats.FORMATS[module.FORMAT]
    assert [m.FORMAT for m in formats.formats_of_syntax("json")] == ["talkdesk-json", "dexero-json"]
    assert [m.FORMAT for m in formats.formats_of_syntax("xml")] == ["dexero-xml"]
    assert [m.FORMAT for m in formats.formats_of_family("dexero")] == ["dexero-json", "dexero-xml"]
    assert readers.XmlPageReader is xml_reader.XmlPageReader
    assert readers.Reader == (
        xml_reader.XmlPageReader
        | readers.JsonPageReader
        | readers.LinesReader
        | readers.DocumentReader
    )
    with pytest.raises(AttributeError):
        formats.yaml  # noqa: B018
    with pytest.raises(AttributeError):
        readers.YamlPageReader  # noqa: B018


def test_encode_refuses_what_formats_for_refuses() -> None:
    """``encode`` asks only the target format whether it writes a document's class."""
    from ordermap import formats

    documents = [
        ordermap.decode((FIXTURES / folder / name).read_bytes())
        for folder, name in (
            ("talkdesk-json", "order-minimal.json"),
            ("talkdesk-json", "error-body.json"),
            ("talkdesk-json", "page-exact-text.json"),
        )
    ]
    documents.append(
        ordermap.decode(
            (Path(__file__).parent.parent / "examples" / "dexero-page.xml").read_bytes()
        )
    )
    documents.append(documents[-1].orders[0])
    for document in documents:
        for name in formats.names():
            if name in ordermap.formats_for(document):
                assert ordermap.encode(document, name)
            else:
                with pytest.raises(ordermap.EncodeError) as caught:
                    ordermap.encode(document, name)
                assert caught.value.problems[0].code == "needs-translation"


def test_the_pytest_plugin_imports_validation_only_when_a_payload_is_checked() -> None:
    # pytest loads the plugin in every session of every project where ordermap is installed.
    modules = _modules_after("import ordermap.pytest_plugin")
    assert [m for m in ("lxml", "ordermap.validation") if _loaded(modules, m)] == []
    order = FIXTURES / "talkdesk-json" / "order-minimal.json"
    _run(
        "from ordermap.pytest_plugin import assert_valid_payload\n"
        f"assert assert_valid_payload(open({str(order)!r}, 'rb').read()).ok\n"
    )
