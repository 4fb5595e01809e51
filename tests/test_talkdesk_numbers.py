"""Talkdesk amounts as the seed allows them: any JSON number (issue #10, deliverable 5).

Exponent forms and ``-0`` are read and written back as they came. Bound for Dexero, a value
whose plain form fits ``decimal(20,2)`` is written plainly and reported as derived; one that
does not fit is an error outside carry mode (lossless rule 5); carry mode brings the original
text back. A value whose plain form would be enormous is refused where it is read.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ordermap
from ordermap.cli import main
from ordermap.lexical import PLAIN_LIMIT, plain_length

from .strategies import json_number_texts

DEXERO_FORMATS = ["dexero-json", "dexero-xml"]
# decimal(20,2) written plainly, checked here on its own terms.
_FITS = re.compile(r"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,2})?\Z")
_NUMBER_TEXTS = st.one_of(
    json_number_texts(),
    st.sampled_from(["1e3", "1E3", "1e+3", "1.05E1", "105e-1", "-0", "-0.0", "0e5", "1e-2"]),
)


def _order(amount: str) -> bytes:
    return (
        b'{"id":"1","order_number":"A","price_summary":{"original_total_amount":'
        b'{"value":10.5,"currency":"EUR"},"shipping_amount":{"value":'
        + amount.encode()
        + b',"currency":"EUR"}}}'
    )


@given(_NUMBER_TEXTS)
def test_any_json_number_comes_back_as_it_was_written(text: str) -> None:
    data = _order(text)
    document = ordermap.decode(data, "talkdesk-json")
    assert ordermap.encode(document, "talkdesk-json", indent=None) == data


@given(_NUMBER_TEXTS, st.sampled_from(DEXERO_FORMATS))
def test_bound_for_dexero_the_plain_form_is_written_or_refused(text: str, to: str) -> None:
    document = ordermap.decode(_order(text), "talkdesk-json")
    plain = format(Decimal(text), "f")
    if not _FITS.match(plain):
        with pytest.raises(ordermap.TranslationError) as caught:
            ordermap.translate(document, to)
        assert [(p.code, p.location.pointer) for p in caught.value.problems] == [
            ("cannot-hold", "/price_summary/shipping_amount/value")
        ]
        return
    result = ordermap.translate(document, to)
    written = ordermap.decode(ordermap.encode(result.document, to), to)
    assert isinstance(written, ordermap.DexeroOrder)
    assert format(written.total_shipping, "f") == plain
    derived = [
        (e.source, e.target, e.reason) for e in result.report.entries if e.action == "derived"
    ]
    expected = (
        [("/price_summary/shipping_amount/value", "/order/total_shipping", "the amount in plain notation")]
        if plain != text
        else []
    )  # fmt: skip
    assert derived == expected
    assert not result.report.lost


@given(_NUMBER_TEXTS, st.sampled_from(DEXERO_FORMATS))
def test_carry_mode_brings_the_original_text_back(text: str, to: str) -> None:
    data = _order(text)
    there = ordermap.translate(ordermap.decode(data, "talkdesk-json"), to, mode="carry")
    middle = ordermap.decode(ordermap.encode(there.document, to), to)
    back = ordermap.translate(middle, "talkdesk-json", mode="carry", source_format=to)
    assert ordermap.encode(back.document, "talkdesk-json", indent=None) == data


def test_an_exponent_amount_converts_on_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "order.json"
    source.write_bytes(_order("1.2E1"))
    output = tmp_path / "order.xml"
    assert main(["convert", str(source), "--to", "dexero-xml", "-o", str(output)]) == 0
    assert b"<total_shipping>12</total_shipping>" in output.read_bytes()


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_the_plain_length_is_the_length_of_the_plain_text(number: Decimal) -> None:
    if abs(number.as_tuple().exponent) > 10_000:  # type: ignore[arg-type]
        return  # too long to write out here; the arithmetic is the same
    assert plain_length(number) == len(format(number, "f"))


@pytest.mark.parametrize("text", ["1e4301", "1e99999", "1e999999999999999999999999", "1e-4300"])
def test_an_amount_too_long_written_plainly_is_refused_at_the_number(text: str) -> None:
    with pytest.raises(ordermap.DecodeError) as caught:
        ordermap.decode(_order(text), "talkdesk-json")
    problem = caught.value.problems[0]
    assert (problem.code, problem.location.pointer) == (
        "number-too-long",
        "/price_summary/shipping_amount/value",
    )
    assert f"{PLAIN_LIMIT:,}" in problem.message
