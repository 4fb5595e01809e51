"""The public surface: exports, value types, limits."""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path

import pytest

import ordermap
from ordermap import DecodeError, Limits, Timestamp


def _isort_style(name: str) -> tuple[int, str]:
    # Constants, then classes, then functions and the rest, as ruff's RUF022 sorts them.
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_complete() -> None:
    names = ordermap.__all__
    assert names == sorted(names, key=_isort_style)
    for name in names:  # The package imports its names on first use: resolve them all first.
        getattr(ordermap, name)
    public = {
        name
        for name, value in vars(ordermap).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert set(names) - {"__version__"} == public


def test_version_is_exported() -> None:
    assert ordermap.__version__.count(".") >= 2


def test_timestamp_keeps_text_and_gives_the_instant() -> None:
    stamp = Timestamp("2021-10-23T13:16:50.078+01:00")
    assert str(stamp) == "2021-10-23T13:16:50.078+01:00"
    assert stamp.to_datetime() == dt.datetime(2021, 10, 23, 12, 16, 50, 78000, tzinfo=dt.UTC)
    assert stamp != Timestamp("2021-10-23T12:16:50.078Z")  # same instant, different text
    with pytest.raises(ValueError, match="offset out of range"):
        Timestamp("2021-10-23T13:16:50+24:00")


def test_limits_are_configurable() -> None:
    data = b'{"order": {"id": 12345678901234567890123456}}'
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(data, limits=Limits(max_number_digits=24))
    assert caught.value.problems[0].code == "number-too-long"
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(b'{"order": {}}', limits=Limits(max_bytes=5))
    assert caught.value.problems[0].code == "too-large"
    deep = b'{"order": {"x": ' + b"[" * 20 + b"]" * 20 + b"}}"
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(deep, limits=Limits(max_depth=10))
    assert caught.value.problems[0].code == "too-deep"
    assert isinstance(ordermap.decode(deep), ordermap.DexeroOrder)


def test_problem_cap() -> None:
    many = b'{"order": {"product": [' + b",".join([b'{"id": "x"}'] * 30) + b"]}}"
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(many, limits=Limits(max_problems=10))
    codes = [p.code for p in caught.value.problems]
    assert codes == ["wrong-type"] * 10 + ["too-many-problems"]
    assert caught.value.problems[-1].message == "20 more problems not shown"


def test_documents_policies_and_reports_pickle() -> None:
    import pickle

    from ordermap import DEFAULT_POLICY

    data = (Path(__file__).parent.parent / "examples" / "dexero-page.xml").read_bytes()
    page = ordermap.decode(data)
    translation = ordermap.translate(page, "talkdesk-json", mode="carry")
    for value in (page, translation.document, translation.report, DEFAULT_POLICY):
        copy = pickle.loads(pickle.dumps(value))
        assert copy == value
    again = pickle.loads(pickle.dumps(page))
    assert ordermap.encode(again, "dexero-xml", indent=2) == data
