"""MkDocs hook: serve the machine-readable schemas beside the specification pages.

The specification pages (``docs/specs/*.md``) include ``specs/*.md`` at build time, and those
link to their sibling schema files (``talkdesk-json.schema.json``, ``dexero-xml.xsd``,
``crosswalk.json``). Adding the files from ``specs/`` to the build under ``specs/`` keeps those
links working, and checked by ``mkdocs build --strict``, without a copy or a symlink in
``docs/`` that could drift from the generated originals or be lost on a checkout without
symlinks.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

SPECS = Path(__file__).resolve().parent.parent / "specs"
SCHEMA_SUFFIXES = (".json", ".xsd")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add each schema file of ``specs/`` to the site as ``specs/<name>``."""
    for path in sorted(SPECS.iterdir()):
        if path.suffix in SCHEMA_SUFFIXES:
            files.append(File.generated(config, f"specs/{path.name}", abs_src_path=str(path)))
    return files
