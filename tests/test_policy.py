"""The mapping policy and its TOML file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ordermap import DecodeError
from ordermap.policy import DEFAULT_POLICY, load_policy


def test_defaults_follow_the_product_brief() -> None:
    assert DEFAULT_POLICY.status["treated"] == ("ON_ITS_WAY", "IN_TRANSIT")
    assert DEFAULT_POLICY.status["cancelled"] == ("UNKNOWN", "FAILURE")
    assert DEFAULT_POLICY.other_status == ("UNKNOWN", "UNKNOWN")
    assert DEFAULT_POLICY.generic_type["OUT_FOR_DELIVERY"] == "treated"
    assert DEFAULT_POLICY.shipping_types == ("SHIPPING", "LOCAL_DELIVERY", "LOCAL_PICKUP")
    assert (DEFAULT_POLICY.name_split, DEFAULT_POLICY.items_number) == (
        "first-word",
        "buy-quantity",
    )


def test_a_policy_file_overrides_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        '[status]\non_hold = ["UNKNOWN", "UNKNOWN"]\nother = ["CONFIRMED", "UNKNOWN"]\n'
        '[names]\nsplit = "last-word"\n[items]\nnumber = "lines"\n'
        '[delivery]\nnot_shippable = "LOCAL_PICKUP"\n'
    )
    policy = load_policy(path)
    assert policy.status["on_hold"] == ("UNKNOWN", "UNKNOWN")
    assert policy.status["pending"] == ("CONFIRMED", "CONFIRMED")
    assert policy.other_status == ("CONFIRMED", "UNKNOWN")
    assert (policy.name_split, policy.items_number, policy.not_shippable) == (
        "last-word",
        "lines",
        "LOCAL_PICKUP",
    )


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[colours]\nred = 1\n", "colours"),
        ('[status]\npending = ["CONFIRMED"]\n', "status.pending"),
        ('[names]\nsplit = "middle"\n', "names.split"),
        ("[items]\ncount = 1\n", "items.count"),
        ("[delivery]\nshippable = 3\n", "delivery.shippable"),
        ("not toml at all [", ""),
    ],
)
def test_an_invalid_policy_file_names_the_problem(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    with pytest.raises(DecodeError) as caught:
        load_policy(path)
    problem = caught.value.problems[0]
    assert problem.code == "bad-policy"
    assert problem.location.path == where


def test_a_missing_policy_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DecodeError, match="cannot read the policy file"):
        load_policy(tmp_path / "nope.toml")
