"""The crosswalk files in specs/ are what the generator writes from ordermap.crosswalk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ordermap import crosswalk
from ordermap.crosswalk.spec import (
    CROSSWALK_BEGIN,
    CROSSWALK_END,
    crosswalk_json,
    crosswalk_table,
    replace_crosswalk_block,
    write_all,
)

SPECS = Path(__file__).resolve().parent.parent / "specs"
REGENERATE = "run: python -m ordermap.crosswalk.spec --write specs"


def test_committed_json_is_current() -> None:
    committed = (SPECS / "crosswalk.json").read_text(encoding="utf-8")
    assert committed == crosswalk_json(), REGENERATE


def test_committed_table_is_current() -> None:
    text = (SPECS / "crosswalk.md").read_text(encoding="utf-8")
    assert text.count(CROSSWALK_BEGIN) == 1 and text.count(CROSSWALK_END) == 1
    assert text == replace_crosswalk_block(text), REGENERATE
    block = text[text.index(CROSSWALK_BEGIN) + len(CROSSWALK_BEGIN) : text.index(CROSSWALK_END)]
    assert block.strip() + "\n" == crosswalk_table()


def test_json_holds_every_row_in_order() -> None:
    records = json.loads(crosswalk_json())
    assert records == [
        {"talkdesk": row.talkdesk, "dexero": row.dexero, "rule": row.rule, "note": row.note}
        for row in crosswalk.CROSSWALK
    ]
    assert crosswalk_json().endswith("}\n]\n")
    assert crosswalk_json().startswith('[\n  {\n    "talkdesk": ')


def test_table_has_one_line_per_row() -> None:
    lines = crosswalk_table().splitlines()
    assert lines[:2] == ["| Talkdesk | Dexero | rule | note |", "|---|---|---|---|"]
    assert len(lines) == 2 + len(crosswalk.CROSSWALK)
    first = crosswalk.Row("order.id", None, "talkdesk-only", "a | b")
    assert crosswalk_table([first]).splitlines()[2] == (
        "| `order.id` | none | `talkdesk-only` | a \\| b |"
    )


def test_replace_needs_the_markers() -> None:
    with pytest.raises(ValueError, match="crosswalk:begin"):
        replace_crosswalk_block("no markers here")
    with pytest.raises(ValueError):
        replace_crosswalk_block(f"{CROSSWALK_END}\n{CROSSWALK_BEGIN}\n")


def test_write_all_writes_the_json_and_refreshes_only_the_table(tmp_path: Path) -> None:
    assert write_all(tmp_path) == [tmp_path / "crosswalk.json"]
    document = tmp_path / "crosswalk.md"
    document.write_text(f"# head\n\n{CROSSWALK_BEGIN}\nstale\n{CROSSWALK_END}\n\ntail\n")
    assert write_all(tmp_path) == [tmp_path / "crosswalk.json", document]
    text = document.read_text(encoding="utf-8")
    assert text.startswith(f"# head\n\n{CROSSWALK_BEGIN}\n\n| Talkdesk |")
    assert text.endswith(f"\n{CROSSWALK_END}\n\ntail\n")
    assert "stale" not in text
    assert (tmp_path / "crosswalk.json").read_text(encoding="utf-8") == crosswalk_json()
