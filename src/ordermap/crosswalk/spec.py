"""The crosswalk table as files in ``specs/``: ``crosswalk.json`` and the table in ``crosswalk.md``.

Both come from :data:`ordermap.crosswalk.table.CROSSWALK`, row for row and in its order, so the
specification follows the code when a row changes:

- ``crosswalk.json`` is a JSON array of ``{"talkdesk", "dexero", "rule", "note"}`` objects
  (``null`` where a side has no field), indented by two spaces, with a final newline;
- ``crosswalk.md`` is written by hand except for the markdown table between
  :data:`CROSSWALK_BEGIN` and :data:`CROSSWALK_END`.

``python -m ordermap.crosswalk.spec --write specs`` rewrites the JSON file and the table.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .table import CROSSWALK, Row

__all__ = [
    "CROSSWALK_BEGIN",
    "CROSSWALK_DOCUMENT",
    "CROSSWALK_END",
    "CROSSWALK_JSON",
    "crosswalk_json",
    "crosswalk_table",
    "replace_crosswalk_block",
    "write_all",
]

CROSSWALK_JSON = "crosswalk.json"
"""The machine-readable table's file name in ``specs/``."""

CROSSWALK_DOCUMENT = "crosswalk.md"
"""The specification's file name in ``specs/``."""

CROSSWALK_BEGIN = "<!-- crosswalk:begin -->"
CROSSWALK_END = "<!-- crosswalk:end -->"

_NONE = "none"
"""A table cell for a side without a field, as PRODUCT.md's crosswalk writes it."""


def _record(row: Row) -> dict[str, Any]:
    return {"talkdesk": row.talkdesk, "dexero": row.dexero, "rule": row.rule, "note": row.note}


def crosswalk_json(rows: Sequence[Row] = CROSSWALK) -> str:
    """The exact text of ``specs/crosswalk.json``: one object per row, in table order."""
    records = [_record(row) for row in rows]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    # A pipe would end the cell and a newline the row; neither may break the table.
    return text.replace("|", "\\|").replace("\n", " ")


def _path(path: str | None) -> str:
    return _NONE if path is None else f"`{_cell(path)}`"


def crosswalk_table(rows: Sequence[Row] = CROSSWALK) -> str:
    """The crosswalk as a markdown table: Talkdesk field, Dexero field, rule, note."""
    lines = ["| Talkdesk | Dexero | rule | note |", "|---|---|---|---|"]
    for row in rows:
        cells = [_path(row.talkdesk), _path(row.dexero), f"`{row.rule}`", _cell(row.note)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def replace_crosswalk_block(text: str, rows: Sequence[Row] = CROSSWALK) -> str:
    """``text`` with the part between the crosswalk markers replaced by :func:`crosswalk_table`.

    Raises:
        ValueError: When the markers are missing or out of order.
    """
    start = text.find(CROSSWALK_BEGIN)
    end = text.find(CROSSWALK_END)
    if start < 0 or end < start:
        raise ValueError(f"expected {CROSSWALK_BEGIN} ... {CROSSWALK_END} in {CROSSWALK_DOCUMENT}")
    head = text[: start + len(CROSSWALK_BEGIN)]
    return head + "\n\n" + crosswalk_table(rows) + "\n" + text[end:]


def write_all(folder: str | Path) -> list[Path]:
    """Write ``crosswalk.json`` into ``folder`` and refresh the table in its ``crosswalk.md``.

    The document is updated only when it exists; its text outside the markers is left as it is.

    Returns:
        The paths written.

    Raises:
        ValueError: When ``crosswalk.md`` exists without the markers.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CROSSWALK_JSON
    path.write_text(crosswalk_json(), encoding="utf-8", newline="\n")
    written = [path]
    document = folder / CROSSWALK_DOCUMENT
    if document.exists():
        text = document.read_text(encoding="utf-8")
        document.write_text(replace_crosswalk_block(text), encoding="utf-8", newline="\n")
        written.append(document)
    return written


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ordermap.crosswalk.spec",
        description="Print or write the crosswalk table of specs/.",
    )
    parser.add_argument(
        "form", nargs="?", choices=("json", "table"), help="print the JSON or the markdown table"
    )
    parser.add_argument("--write", metavar="FOLDER", help="write crosswalk.json and the table")
    args = parser.parse_args(argv)
    if args.write:
        for path in write_all(args.write):
            print(path)
    elif args.form == "json":
        print(crosswalk_json(), end="")
    elif args.form == "table":
        print(crosswalk_table(), end="")
    else:
        parser.error("give json, table or --write FOLDER")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
