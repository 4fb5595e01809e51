"""The schemas in specs/ are as tight as their languages allow (issue #10, item 7).

Every generated document the decoder reads passes its format's schema (save the unknown
members XSD 1.0 cannot allow), and each sample below, which the decoder refuses, fails the
schema too. What the schemas still let through is listed in ``test_schemas.DOCUMENTED_GAPS``
and in each format's spec.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ordermap
from ordermap.lexical import INT_RANGE, LONG_RANGE, integer_from_text
from ordermap.schema.kinds import integer_pattern

from .strategies import json_documents, raw_dexero_json, raw_dexero_xml, raw_talkdesk_json
from .test_schemas import expect_valid, schema_errors

GENERATED = {
    "dexero-xml": raw_dexero_xml(contiguous=False).map(str.encode),
    "dexero-json": json_documents(raw_dexero_json()),
    "talkdesk-json": json_documents(raw_talkdesk_json()),
}


@pytest.mark.parametrize("format", sorted(GENERATED))
@given(data=st.data())
def test_generated_documents_the_decoder_reads_pass_the_schema(
    format: str, data: st.DataObject
) -> None:
    raw = data.draw(GENERATED[format], label="document")
    try:
        document = ordermap.decode(raw, format)
    except ordermap.OrdermapError:
        return  # the generators make some documents the decoder refuses (a duplicate key)
    errors = schema_errors(format, raw)
    if expect_valid(format, document):
        assert errors == [], raw
    else:
        assert errors, "the XSD accepted unknown elements"


_RANGES = {"long": LONG_RANGE, "int": INT_RANGE}


@pytest.mark.parametrize("kind", sorted(_RANGES))
@given(data=st.data())
def test_the_integer_patterns_take_what_the_lexical_rule_takes(
    kind: str, data: st.DataObject
) -> None:
    low, high = _RANGES[kind]
    pattern = re.compile(f"({integer_pattern(low, high)})\\Z")
    near = st.sampled_from([low, high, 0]).flatmap(
        lambda edge: st.integers(edge - 1000, edge + 1000)
    )
    number = data.draw(st.one_of(st.integers(2 * low, 2 * high), near), label="number")
    text = data.draw(
        st.sampled_from(["{}", " {}", "{} ", "+{}", "0{}", "{}.0", "-{}"]), label="spelling"
    ).format(number)
    expected = integer_from_text(text, (low, high)) is not None
    assert bool(pattern.match(text)) is expected, text


_XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
_XML = f"<order {_XSI}>%s</order>"
_DX = '{"order":{%s}}'
_TD = '{"id":"1","order_number":"n",%s}'

# Samples the decoder refuses that the schemas used to accept, and now refuse too.
# fmt: off
REFUSED = [
    pytest.param("dexero-xml", _XML % "<id> 5 </id>", id="xml-long-with-blanks"),
    pytest.param("dexero-xml", _XML % "<id>5\n</id>", id="xml-long-with-line-feed"),
    pytest.param("dexero-xml", _XML % "<product><quantity>\t2</quantity></product>", id="xml-int-with-tab"),
    pytest.param("dexero-xml", _XML % "<total_order> 10.50</total_order>", id="xml-amount-with-blank"),
    pytest.param("dexero-xml", _XML % "<is_test>true </is_test>", id="xml-boolean-with-blank"),
    pytest.param("dexero-xml", _XML % "<is_test>1</is_test>", id="xml-boolean-as-one"),
    pytest.param("dexero-xml", _XML % "<id>9223372036854775808</id>", id="xml-long-past-its-range"),
    pytest.param("dexero-xml", _XML % "<id>-9223372036854775809</id>", id="xml-long-below-its-range"),
    pytest.param("dexero-xml", _XML % "<product><quantity>-2147483649</quantity></product>", id="xml-int-below-its-range"),
    pytest.param("dexero-json", _DX % '"total_order":"10.50\\n"', id="dx-amount-string-with-final-line-feed"),
    pytest.param("dexero-json", _DX % '"purchase_date":"2021-09-14T12:16:50Z\\n"', id="dx-timestamp-with-final-line-feed"),
    pytest.param("dexero-json", _DX % '"order_form":{"value":{"fileContentBase64":"aGk=\\n"}}', id="dx-base64-with-final-line-feed"),
    pytest.param("talkdesk-json", _TD % '"purchase_datetime":"2021-09-14T12:16:50Z\\n"', id="td-timestamp-with-final-line-feed"),
]
# fmt: on


@pytest.mark.parametrize(("format", "data"), REFUSED)
def test_what_the_decoder_refuses_the_schema_refuses(format: str, data: str) -> None:
    with pytest.raises(ordermap.OrdermapError):
        ordermap.decode(data.encode("utf-8"), format)
    assert schema_errors(format, data) != []


# The same values without what makes them wrong, so that the samples above fail for it.
# fmt: off
ACCEPTED = [
    pytest.param("dexero-xml", _XML % "<id>5</id><total_order>10.50</total_order><is_test>true</is_test>", id="xml"),
    pytest.param("dexero-xml", _XML % "<id>-9223372036854775808</id><product><quantity>-2147483648</quantity></product>", id="xml-range-ends"),
    pytest.param("dexero-json", _DX % '"total_order":"10.50","purchase_date":"2021-09-14T12:16:50Z"', id="dx"),
    pytest.param("talkdesk-json", _TD % '"purchase_datetime":"2021-09-14T12:16:50Z"', id="td"),
]
# fmt: on


@pytest.mark.parametrize(("format", "data"), ACCEPTED)
def test_the_same_values_written_plainly_pass_both(format: str, data: str) -> None:
    ordermap.decode(data.encode("utf-8"), format)
    assert schema_errors(format, data) == []
