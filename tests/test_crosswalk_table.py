"""The crosswalk table covers every field of the model, on both sides."""

from __future__ import annotations

import typing

import pytest

from ordermap import crosswalk
from ordermap.binding import field_specs, is_model
from ordermap.model import DexeroOrderPage, TalkdeskErrorBody, TalkdeskOrderPage


def _paths(cls: type, base: str) -> typing.Iterator[str]:
    for spec in field_specs(cls):
        path = f"{base}.{spec.key}"
        yield path
        inner = spec.item_type if spec.is_list else spec.type
        if is_model(inner):
            yield from _paths(inner, path)


def model_paths() -> dict[str, set[str]]:
    talkdesk = {"page", "order", "error"}
    talkdesk |= set(_paths(TalkdeskOrderPage, "page"))
    talkdesk = {
        p.replace("page._embedded.orders.", "order.")
        if p.startswith("page._embedded.orders.")
        else p
        for p in talkdesk
    }
    talkdesk |= set(_paths(TalkdeskErrorBody, "error"))
    dexero = {"page", "order"} | {
        p.replace("page.order.", "order.") if p.startswith("page.order.") else p
        for p in _paths(DexeroOrderPage, "page")
    }
    return {"talkdesk": talkdesk, "dexero": dexero}


@pytest.mark.parametrize("side", ["talkdesk", "dexero"])
def test_every_model_field_has_a_row(side: str) -> None:
    named = {getattr(row, side) for row in crosswalk.CROSSWALK} - {None}
    missing = model_paths()[side] - named
    assert missing == set(), f"fields with no crosswalk row: {sorted(missing)}"


@pytest.mark.parametrize("side", ["talkdesk", "dexero"])
def test_every_row_names_a_real_field(side: str) -> None:
    named = {getattr(row, side) for row in crosswalk.CROSSWALK} - {None}
    assert named - model_paths()[side] == set()


def test_one_side_rows_have_no_counterpart_and_others_have_both_or_a_container() -> None:
    for row in crosswalk.CROSSWALK:
        if row.rule == "talkdesk-only":
            assert row.talkdesk is not None and row.dexero is None, row
        elif row.rule == "dexero-only":
            assert row.dexero is not None and row.talkdesk is None, row
        elif row.rule == "derived":
            assert row.talkdesk is not None and row.dexero is not None, row


def test_the_guard_notices_a_missing_row(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = tuple(r for r in crosswalk.CROSSWALK if r.dexero != "order.ip_address")
    monkeypatch.setattr(crosswalk, "CROSSWALK", rows)
    named = {row.dexero for row in crosswalk.CROSSWALK} - {None}
    assert model_paths()["dexero"] - named == {"order.ip_address"}
