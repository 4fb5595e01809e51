"""Hostile XML: refused with a clear error, with no file or network access."""

from __future__ import annotations

import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

import ordermap
from ordermap import DecodeError
from ordermap.formats import xml_read

EXAMPLE = (Path(__file__).parent.parent / "examples" / "dexero-page.xml").read_bytes()


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = b'<!ENTITY secret "leaked">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET")
    return path


def hostile_documents(url: str, secret: Path) -> dict[str, bytes]:
    return {
        "internal entity": b'<!DOCTYPE order [<!ENTITY a "b">]><order><name>&a;</name></order>',
        "billion laughs": (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            b"<order><name>&lol3;</name></order>"
        ),
        "external file entity": (
            f'<!DOCTYPE order [<!ENTITY s SYSTEM "file://{secret}">]><order><name>&s;</name></order>'
        ).encode(),
        "external http entity": (
            f'<!DOCTYPE order [<!ENTITY s SYSTEM "{url}/entity">]><order><name>&s;</name></order>'
        ).encode(),
        "external dtd": f'<!DOCTYPE order SYSTEM "{url}/dtd"><order/>'.encode(),
        "parameter entity": (
            f'<!DOCTYPE order [<!ENTITY % p SYSTEM "{url}/param"> %p;]><order/>'
        ).encode(),
        "utf-16 doctype": '<!DOCTYPE order [<!ENTITY a "b">]><order>&a;</order>'.encode("utf-16"),
        # UTF-7 spells "<!DOCTYPE" without those bytes; libxml2 reads UTF-7.
        "utf-7 external entity": (
            '<?xml version="1.0" encoding="UTF-7"?>'
            f"+ADw-+ACE-DOCTYPE order +AFs-+ADw-+ACE-ENTITY s SYSTEM +ACI-{url}/utf7+ACI-+AD4-+AF0-+AD4-"
            "+ADw-order+AD4-+ACY-s+ADs-+ADw-/order+AD4-"
        ).encode("ascii"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "internal entity",
        "billion laughs",
        "external file entity",
        "external http entity",
        "external dtd",
        "parameter entity",
        "utf-16 doctype",
        "utf-7 external entity",
    ],
)
def test_doctype_and_entities_are_refused_without_access(
    name: str, server: tuple[str, list[str]], secret_file: Path
) -> None:
    url, requests = server
    data = hostile_documents(url, secret_file)[name]
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(data)
    assert caught.value.problems[0].code == "doctype"
    assert "TOP-SECRET" not in str(caught.value)
    assert requests == []


def test_the_parser_itself_loads_nothing_even_past_the_doctype_check(
    server: tuple[str, list[str]], secret_file: Path
) -> None:
    # Defence in depth: hand lxml the hostile documents directly, with our parser settings.
    url, requests = server
    for name, data in hostile_documents(url, secret_file).items():
        try:
            root = etree.fromstring(data, xml_read._parser())
        except etree.XMLSyntaxError:
            continue
        text = etree.tostring(root)
        assert b"TOP-SECRET" not in text, name
        assert b"leaked" not in text, name
        assert b"lollollol" not in text, name
    assert requests == []


def test_gzip_input_is_refused_and_not_inflated() -> None:
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(gzip.compress(EXAMPLE))
    assert caught.value.problems[0].code == "compressed"
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(gzip.compress(EXAMPLE), "dexero-xml")
    assert caught.value.problems[0].code == "compressed"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (
            b'<order xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd"/></order>',
            "namespace",
        ),
        (b'<order xmlns="urn:x"><id>1</id></order>', "namespace"),
        (b'<order><id kind="long">1</id></order>', "attribute"),
        (b"<order>text<id>1</id></order>", "mixed-content"),
        (
            b'<order xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><id xsi:nil="true">1</id></order>',
            "nil-with-content",
        ),
    ],
)
def test_constructs_outside_the_layout_are_refused(data: bytes, code: str) -> None:
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(data)
    assert caught.value.problems[0].code == code


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml-stylesheet href="http://example.invalid/x.xsl"?><order/>',
        b"<order><?evil x?></order>",
    ],
)
def test_processing_instructions_are_markup_not_data(data: bytes) -> None:
    # Once refused; PRODUCT.md now has them read past like comments (nothing acts on them).
    order = ordermap.decode(data)
    assert isinstance(order, ordermap.DexeroOrder)
    assert ordermap.encode(order, "dexero-xml") == ordermap.encode(
        ordermap.DexeroOrder(), "dexero-xml"
    )


def test_comments_and_cdata_are_plain_text() -> None:
    order = ordermap.decode(b"<order><!-- note --><name><![CDATA[a < b]]></name></order>")
    assert isinstance(order, ordermap.DexeroOrder)
    assert order.extra == {"name": "a < b"}


def test_carriage_returns_survive_xml() -> None:
    order = ordermap.DexeroOrder(customer_comment="line one\r\nline two\r")
    data = ordermap.encode(order, "dexero-xml")
    back = ordermap.decode(data)
    assert isinstance(back, ordermap.DexeroOrder)
    assert back.customer_comment == "line one\r\nline two\r"


def test_a_doctype_is_refused_at_its_line_and_column() -> None:
    data = b'<?xml version="1.0"?>\n<!-- c -->\n  <!DOCTYPE order SYSTEM "x.dtd">\n<order/>'
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(data)
    problem = caught.value.problems[0]
    assert (problem.code, problem.location.line, problem.location.column) == ("doctype", 3, 3)
    utf16 = data.decode().replace('"1.0"', '"1.0" encoding="UTF-16"').encode("utf-16")
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(utf16, "dexero-xml")
    problem = caught.value.problems[0]
    assert (problem.code, problem.location.line, problem.location.column) == ("doctype", 3, 3)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("<order><id>1</id></order>".encode("utf-32"), "encoding"),
        ("<order><id>1</id></order>".encode("utf-32-be"), "encoding"),
        (b'<?xml version="1.0" encoding="x-unknown"?><order/>', "encoding"),
        (b'<?xml version="1.0" encoding="UTF-8"?><order><name>caf\xe9</name></order>', "encoding"),
        (b"\xef\xbb\xbf \r\n", "empty"),
        ("  ".encode("utf-16"), "empty"),
    ],
)
def test_encodings_xml_readers_need_not_read_are_refused(data: bytes, code: str) -> None:
    with pytest.raises(DecodeError) as caught:
        ordermap.decode(data, "dexero-xml")
    problem = caught.value.problems[0]
    assert (problem.code, problem.location.line is not None) == (code, True)


def test_xml_in_utf16_or_a_declared_single_byte_encoding_is_read() -> None:
    text = '<?xml version="1.0" encoding="{}"?><order><customer_comment>café</customer_comment></order>'
    for name, codec in (("UTF-16", "utf-16"), ("ISO-8859-1", "latin-1")):
        order = ordermap.decode(text.format(name).encode(codec))
        assert isinstance(order, ordermap.DexeroOrder)
        assert order.customer_comment == "café"


def test_a_page_of_ten_thousand_bad_orders_lists_the_first_hundred_and_counts_the_rest() -> None:
    # Only the problems listed are located: locating one walks the page's children.
    data = b"<orders>" + b"<order><id>x</id></order>" * 10_000 + b"</orders>"
    with pytest.raises(ordermap.ValidationError) as caught:
        ordermap.decode(data)
    problems = caught.value.problems
    assert len(problems) == 101 and problems[-1].message == "9900 more problems not shown"
    assert problems[99].location.path == "/orders/order[100]/id"
