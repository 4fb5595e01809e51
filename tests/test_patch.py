"""Diffs and patches of document trees: exact restoration, value-level differences."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordermap.crosswalk.patch import ABSENT, KEYS, MISSING, apply, diff
from ordermap.values import JsonNumber

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from([Decimal("10.5"), Decimal("10.50"), JsonNumber("1e5")]),
    st.sampled_from(["", "a", "10.5", "true"]),
)
keys = st.sampled_from(["a", "b", "c", "d"])
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
objects = st.dictionaries(keys, trees, max_size=4)


def exact(value: Any) -> Any:
    if isinstance(value, dict):
        return ("{}", [(k, exact(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("[]", [exact(v) for v in value])
    return (type(value).__name__, str(value))


@given(source=objects, back=objects)
def test_applying_the_patch_gives_the_source_exactly(
    source: dict[str, Any], back: dict[str, Any]
) -> None:
    patch, _ = diff(source, back)
    assert exact(apply(back, patch)) == exact(source)


@given(source=objects)
def test_nothing_differs_from_itself(source: dict[str, Any]) -> None:
    assert diff(source, source) == ({}, [])


def test_value_differences_ignore_spelling_order_and_null() -> None:
    source = {"a": "10.50", "b": None, "c": {"x": 1, "y": 2}}
    back = {"c": {"y": 2, "x": 1}, "a": Decimal("10.50")}
    patch, differences = diff(source, back)
    assert differences == []
    assert patch == {"a": "10.50", "b": None, "c": {KEYS: ["x", "y"]}, KEYS: ["a", "b", "c"]}


def test_value_differences_name_lost_changed_and_added_members() -> None:
    source = {"a": Decimal("10.50"), "b": "x", "c": {"d": [1, 2]}}
    back = {"a": Decimal("10.5"), "c": {"d": [1]}, "e": "derived"}
    _, differences = diff(source, back)
    assert differences == [
        (["a"], Decimal("10.50")),
        (["b"], "x"),
        (["c", "d"], [1, 2]),
        (["e"], MISSING),
    ]


@pytest.mark.parametrize("patch", [[], {ABSENT: "a"}, {KEYS: [1]}])
def test_a_malformed_patch_is_refused(patch: Any) -> None:
    with pytest.raises(ValueError):
        apply({"a": 1}, patch)
