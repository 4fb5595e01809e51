"""Fuzzing: whatever bytes arrive, ordermap answers with a document or an OrdermapError.

Runs briefly with the default profile; ``ORDERMAP_HYPOTHESIS_PROFILE=thorough`` runs it longer.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import ordermap
from ordermap.validation import validate

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*/*"))
SEEDS = [path.read_bytes() for path in FIXTURES if path.suffix in (".json", ".xml")]
TOKENS = [b'"', b"{", b"}", b"[", b"]", b"<", b">", b"</", b"/>", b"null", b"1e5", b"-0",
          b"&amp;", b"&x;", b"\\u0000", b"\\ud800", b"true", b"\xff", b"\x00", b"<!DOCTYPE a>",
          b'xsi:nil="true"', b"<![CDATA[", b"]]>", b"99999999999999999999"]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "token"]))
        if action == "cut":
            del data[at : at + draw(st.integers(1, 8))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        else:
            data[at:at] = draw(st.sampled_from(TOKENS))
    return bytes(data)


def answers_cleanly(data: bytes) -> None:
    try:
        document = ordermap.decode(data)
    except ordermap.OrdermapError as error:
        assert error.problems  # every error says what is wrong
        return
    for format in ordermap.formats_for(document):
        try:
            written = ordermap.encode(document, format)
        except ordermap.EncodeError:
            continue
        ordermap.decode(written, format)  # what ordermap writes, ordermap reads
    result = validate(data)
    assert result.format is not None


@given(st.binary(max_size=200))
def test_random_bytes_get_a_clear_answer(data: bytes) -> None:
    answers_cleanly(data)


@given(mutated())
def test_damaged_fixtures_get_a_clear_answer(data: bytes) -> None:
    answers_cleanly(data)
