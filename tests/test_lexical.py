"""The lexical rules of the wire types (``ordermap.lexical``), which every format, the
crosswalk's rules and the schemas share."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordermap import lexical


@given(st.integers(-(2**70), 2**70))
def test_a_long_is_a_64_bit_integer_written_plainly(value: int) -> None:
    inside = -(2**63) <= value <= 2**63 - 1
    assert lexical.long_from_text(str(value)) == (value if inside else None)


@pytest.mark.parametrize(
    "text", ["-0", "007", "+7", "7.0", "1e3", " 7", "7 ", "", "\u0667", "99999999999999999999"]
)
def test_text_that_is_not_a_long_as_written(text: str) -> None:
    assert lexical.long_from_text(text) is None


@pytest.mark.parametrize(
    ("text", "fits"),
    [
        ("0", True),
        ("-12.5", True),
        ("10.50", True),
        ("999999999999999999.99", True),
        ("1000000000000000000", False),  # 19 integer digits
        ("1.005", False),  # three decimals
        ("1E+2", True),  # the value 100, written plainly
        ("NaN", False),
        ("Infinity", False),
    ],
)
def test_an_amount_fits_decimal_20_2_by_its_plain_text(text: str, fits: bool) -> None:
    assert lexical.amount_fits(Decimal(text)) is fits


@pytest.mark.parametrize(
    ("text", "valid"), [("", True), ("QQ==", True), ("QUI=", True), ("AAAA=", False), ("QQ", False)]
)
def test_base64_is_standard_and_padded(text: str, valid: bool) -> None:
    assert (lexical.BASE64_TEXT.match(text) is not None) is valid


def test_the_other_text_rules() -> None:
    assert lexical.BOOLEAN_TEXTS == {"true": True, "false": False}
    assert lexical.TIMESTAMP_TEXT.match("2024-02-29T10:00:00.5+01:00")
    assert not lexical.TIMESTAMP_TEXT.match("2024-02-29 10:00:00Z")
    assert lexical.DATE_TEXT.match("2024-02-29") and not lexical.DATE_TEXT.match("2024-2-29")
    assert lexical.JSON_NUMBER_TEXT.match("-1.5e+3") and not lexical.JSON_NUMBER_TEXT.match("01")
    assert lexical.in_range(2**31 - 1, lexical.INT_RANGE)
    assert not lexical.in_range(2**31, lexical.INT_RANGE)
