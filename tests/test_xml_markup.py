"""Comments, processing instructions and CDATA in Dexero XML are markup, not data.

PRODUCT.md ("Validation") has a reader accept them anywhere inside a well-formed document,
join the text around them and write none of them back. The properties below put them
between any two tokens of a generated valid document and check that the document reads as
the one without them, read whole and streamed order by order, and that the lines of the
problems found after them are still the input's lines.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ordermap
from ordermap import stream
from ordermap.formats import dexero_xml
from ordermap.limits import DEFAULT_LIMITS
from ordermap.pipeline import readers
from ordermap.pipeline import record as pipeline_record
from ordermap.pipeline.xml_reader import XmlPageReader
from ordermap.validation import validate

from .strategies import raw_dexero_xml

# The tokens of a document the generator writes: a CDATA section, a tag (the declaration
# included), a character or entity reference, or one character of text; CR LF is one line
# break (XML reads it as LF), which markup between the two would make two.
_TOKEN = re.compile(r"<!\[CDATA\[.*?\]\]>|<[^>]*>|&[^;]*;|\r\n|[^<&]", re.DOTALL)
_ELEMENT_START = re.compile(r"<[A-Za-z_]")

# What may be put between two tokens anywhere in a document, and what only inside the root
# element (a CDATA section is character data, which the prolog and the end may not hold).
_MISC = ["<!---->", "<!-- a note -->", "<!--\nover\ntwo lines\n-->", "<?pi?>", "<?pi x=1 ?>",
         "<?xml-stylesheet href='x.xsl'?>", "<?pi\n?>"]  # fmt: skip
_CONTENT = [*_MISC, "<![CDATA[]]>"]


def _tokens(text: str) -> list[str]:
    tokens = _TOKEN.findall(text)
    assert "".join(tokens) == text
    return tokens


@st.composite
def _marked_up(draw: st.DrawFn, text: str, *, one_line: bool = False) -> str:
    """``text`` with comments, instructions and CDATA sections put between its tokens, and
    some of its text characters written as CDATA sections instead."""
    tokens = _tokens(text)
    # Where the root element starts and ends: before and after it only comments and
    # instructions may come, and nothing before the declaration.
    first = next(i for i, token in enumerate(tokens) if _ELEMENT_START.match(token))
    last = max(i for i, token in enumerate(tokens) if token[:2] == "</" or token[-2:] == "/>")
    start = 1 if tokens[0].startswith("<?xml") else 0
    misc, content = ([item for item in kind if "\n" not in item or not one_line]
                     for kind in (_MISC, _CONTENT))  # fmt: skip
    out: list[str] = []
    for index, token in enumerate(tokens):
        inside = first < index <= last
        if index >= start and draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(content if inside else misc)))
        if inside and len(token) == 1 and token not in "\r\n]" and draw(st.integers(0, 5)) == 0:
            token = f"<![CDATA[{token}]]>"  # the same character, written as a CDATA section
        out.append(token)
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(misc)))
    return "".join(out)


def _same_format(data: bytes, indent: int | None) -> bytes:
    return ordermap.encode(ordermap.decode(data, "dexero-xml"), "dexero-xml", indent=indent)


@given(data=st.data())
def test_markup_between_any_two_tokens_reads_as_the_document_without_it(
    data: st.DataObject,
) -> None:
    original = data.draw(raw_dexero_xml(contiguous=data.draw(st.booleans())), label="document")
    marked = data.draw(_marked_up(original), label="marked up")
    indent = data.draw(st.sampled_from([None, 2]), label="indent")
    expected = _same_format(original.encode(), indent)
    assert _same_format(marked.encode(), indent) == expected
    # Written back, the document holds none of them.
    assert b"<!--" not in expected and b"<![CDATA[" not in expected
    assert expected.count(b"<?") == 1  # the declaration, which is not an instruction


def _streamed(data: bytes, chunk: int) -> bytes:
    """A page converted to itself by :func:`ordermap.stream.convert` through the streaming
    reader, read ``chunk`` bytes at a time.

    ``reader_for`` reads a page whose prolog holds markup whole; here the streaming reader
    reads every page, so that it meets markup in every position too.
    """

    def streaming_reader(file: Any, format: Any, limits: Any, **_: Any) -> XmlPageReader:
        return XmlPageReader(file, file.read(chunk), limits, dexero_xml)

    out = io.BytesIO()
    with (
        mock.patch.object(pipeline_record, "CHUNK", chunk),
        mock.patch.object(readers, "reader_for", streaming_reader),
    ):
        result = stream.convert(io.BytesIO(data), out, "dexero-xml", indent=2)
    assert result.layout == "page"
    return out.getvalue()


@given(data=st.data())
def test_a_streamed_page_with_markup_reads_as_the_whole_page_without_it(
    data: st.DataObject,
) -> None:
    original = data.draw(raw_dexero_xml("page"), label="page")
    marked = data.draw(_marked_up(original), label="marked up").encode()
    chunk = data.draw(st.sampled_from([1, 7, 64, 1 << 16]), label="chunk")
    expected = _same_format(original.encode(), 2)
    assert _streamed(marked, chunk) == expected
    # And as stream.convert picks its reader (the whole page when its prolog holds markup).
    out = io.BytesIO()
    stream.convert(io.BytesIO(marked), out, "dexero-xml", indent=2)
    assert out.getvalue() == expected


@given(data=st.data())
def test_one_line_markup_changes_no_problem(data: st.DataObject) -> None:
    # A document that breaks a rule (a value that does not read) and has unknown elements:
    # markup on the same lines leaves every problem as it was, code, path and line.
    original = data.draw(raw_dexero_xml("page"), label="page")
    broken = original.replace("</orders>", "<pageCount>x</pageCount></orders>")
    marked = data.draw(_marked_up(broken, one_line=True), label="marked up")

    def problems(text: str) -> list[tuple[Any, ...]]:
        found = validate(text.encode(), "dexero-xml").problems
        return [(p.code, p.severity, p.location.path, p.location.line) for p in found]

    assert problems(marked) == problems(broken)


PAGE = """<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment
     over two lines -->
<?xml-stylesheet href="x.xsl"?>
<orders>
  <!-- another
  -->
  <order>
    <id>1</id>
  </order>
  <?pi
  ?>
  <order>
    <id>x</id>
  </order>
</orders>
"""


@pytest.mark.parametrize("chunk", [1, 5, 1 << 16])
def test_lines_count_the_lines_of_a_comment(chunk: int) -> None:
    expected = ("wrong-type", "/orders/order[2]/id", 14)
    found = validate(PAGE.encode(), "dexero-xml").problems
    assert [(p.code, p.location.path, p.location.line) for p in found] == [expected]
    # Streamed: stream.convert reads a page with markup before its root whole, so the
    # streaming reader is driven directly here.
    with pytest.raises(stream.RecordError) as raised:
        _streamed(PAGE.encode(), chunk)
    (problem,) = raised.value.problems
    assert (problem.code, problem.location.path, problem.location.line) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ab<!--x-->cd", "abcd"),
        ("<![CDATA[<b>]]>", "<b>"),
        ("a<?pi x?>b", "ab"),
        ("<![CDATA[a]]><!--x--><![CDATA[b]]>", "ab"),
        ("<![CDATA[]]>", ""),
        ("<!--x-->", ""),
        (" <!--x--> ", "  "),
        ("<![CDATA[&amp;]]>&amp;", "&amp;&"),
    ],
)
def test_the_text_around_markup_is_joined(text: str, value: str) -> None:
    data = f"<order><customer_comment>{text}</customer_comment></order>".encode()
    order = ordermap.decode(data)
    assert isinstance(order, ordermap.DexeroOrder)
    assert order.customer_comment == value


def test_markup_in_a_nil_element_leaves_it_nil() -> None:
    xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    data = f'<order {xsi}><id xsi:nil="true"><!--x--><?p?></id></order>'.encode()
    order = ordermap.decode(data)
    assert isinstance(order, ordermap.DexeroOrder)
    assert order.id is None
    assert b'xsi:nil="true"' in ordermap.encode(order, "dexero-xml")


def test_text_split_by_markup_beside_elements_is_still_mixed_content() -> None:
    with pytest.raises(ordermap.ValidationError) as raised:
        ordermap.decode(b"<order>te<!--x-->xt<id>1</id></order>")
    assert raised.value.problems[0].code == "mixed-content"


def test_a_stylesheet_instruction_loads_nothing_and_is_not_written_back(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xsl"
    secret.write_text("TOP-SECRET")
    data = (
        f'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="file://{secret}"?>'
        "<order><id>1</id></order>"
    ).encode()
    assert validate(data).ok
    out = io.BytesIO()
    stream.convert(io.BytesIO(data), out, "dexero-xml")
    assert b"TOP-SECRET" not in out.getvalue() and b"stylesheet" not in out.getvalue()


# --- "<!DOCTYPE" as text: only the prolog can hold a DOCTYPE ---------------------------------

_ORDER = "<order><id>1</id><customer_comment>{}</customer_comment></order>"


@pytest.mark.parametrize(
    "data",
    [
        _ORDER.format("<![CDATA[<!DOCTYPE html>]]>"),
        _ORDER.format("<!-- <!DOCTYPE x [<!ENTITY a 'b'>]> -->"),
        _ORDER.format("<?pi <!DOCTYPE x> ?>"),
        "<!-- <!DOCTYPE x> -->" + _ORDER.format("a"),
        "<?pi <!DOCTYPE x>?>" + _ORDER.format("a"),
        _ORDER.format("a") + "<!-- <!DOCTYPE x> -->",
    ],
)
def test_doctype_as_text_in_markup_is_not_a_doctype(data: str) -> None:
    order = ordermap.decode(data.encode())
    assert isinstance(order, ordermap.DexeroOrder)
    page = f"<orders>{data}</orders>".encode()
    expected = _same_format(page, 2)
    for chunk in (1, 4, 1 << 16):
        assert _streamed(page, chunk) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE order><order/>",
        b"<!-- x --><?p?>\n <!DOCTYPE order><order/>",
        b'<?xml version="1.0"?><!--<order>--><!DOCTYPE order [<!ENTITY a "b">]><order>&a;</order>',
        "<!-- x --><!DOCTYPE order><order/>".encode("utf-16"),
    ],
)
def test_a_doctype_after_markup_in_the_prolog_is_refused(data: bytes) -> None:
    with pytest.raises(ordermap.DecodeError) as raised:
        ordermap.decode(data)
    assert raised.value.problems[0].code == "doctype"


@pytest.mark.parametrize("chunk", [1, 3, 9, 1 << 16])
def test_a_streamed_doctype_split_across_reads_is_refused(chunk: int) -> None:
    data = b'<?xml version="1.0"?><!-- x --><!DOCTYPE orders [<!ENTITY a "b">]><orders/>'
    with pytest.raises(ordermap.DecodeError) as raised:
        _streamed(data, chunk)
    assert raised.value.problems[0].code == "doctype"


def test_a_doctype_past_the_root_start_is_not_well_formed() -> None:
    # libxml2 reads no DTD there: it stops at the "<!" it cannot read as markup.
    with pytest.raises(ordermap.DecodeError) as raised:
        ordermap.decode(b'<order><!DOCTYPE order [<!ENTITY a "b">]><id>1</id></order>')
    assert raised.value.problems[0].code == "xml-syntax"


@pytest.mark.parametrize(
    "prolog",
    [
        b"<!-- exported by the store -->\n",
        b'<?xml-stylesheet href="orders.xsl"?>\n<!--a--><!--b-->\n',
        b"\n<?pi with > inside ?>\n",
    ],
)
def test_a_page_with_markup_before_its_root_is_read_order_by_order(prolog: bytes) -> None:
    # A page whose root follows comments or instructions is streamed, not read whole, and
    # converts as the page without them.
    page = b"<orders><order><id>1</id></order><order><id>2</id></order></orders>\n"
    plain = b'<?xml version="1.0" encoding="UTF-8"?>\n' + page
    marked = b'<?xml version="1.0" encoding="UTF-8"?>\n' + prolog + page
    chosen = readers.reader_for(io.BytesIO(marked), None, DEFAULT_LIMITS)
    assert isinstance(chosen, XmlPageReader)
    outputs = []
    for data in (plain, marked):
        out = io.BytesIO()
        stream.convert(io.BytesIO(data), out, "dexero-json")
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
