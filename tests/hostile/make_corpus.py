"""Write the hostile-input corpus: one file per case, and the README that lists them.

Run ``python tests/hostile/make_corpus.py`` after changing a case; ``--check`` only compares
(``tests/test_hostile.py`` does the same). The output is deterministic: the same bytes on
every run and every machine.

Each case names the problem code :func:`ordermap.validation.validate` reports first for
the file (format detected), whether the file is *accepted* (it decodes: its problem, if
any, is a warning) and the format it is written in (``None`` when no format reads it).
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

from attrs import frozen

HERE = Path(__file__).parent
MIB = 1 << 20
NEST = 100_000  # levels of nesting
LOOPBACK = "http://127.0.0.1:9"  # the discard port: nothing listens, nothing may be asked

DEXERO_ORDER = {
    "id": 1001,
    "reference_number": "R-1001",
    "purchase_date": "2021-09-14T12:16:50Z",
    "currency": "EUR",
    "total_order": "10.50",
    "status": "pending",
}
TALKDESK_ORDER = {
    "id": "order456",
    "order_number": "#Y34DHR",
    "price_summary": {"original_total_amount": {"value": 10.5, "currency": "EUR"}},
}
DEXERO_XML_ORDER = (
    "<id>1001</id><reference_number>R-1001</reference_number>"
    "<purchase_date>2021-09-14T12:16:50Z</purchase_date><currency>EUR</currency>"
    "<total_order>10.50</total_order><status>pending</status>"
)
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@frozen
class Case:
    """One hostile file.

    Attributes:
        name: The file name, saying what the case is.
        data: The file's bytes.
        code: The code of the first problem ``validate`` reports (``None``: none at all).
        format: The format the file is written in, or ``None`` when no format reads it.
        accepted: Whether the file decodes (its problem, if any, is a warning).
        decodes: The file decodes and converts, but a value rule's error fails validation
            (an order without its id, a negative count); only for cases not ``accepted``.
        what: One line for the README.
        gap: Why ordermap does not yet report ``code`` when it detects the format itself
            (the code is right when the format is given); empty when it does.
    """

    name: str
    data: bytes
    code: str | None
    format: str | None
    what: str
    accepted: bool = False
    gap: str = ""
    decodes: bool = False


def _json(value: object) -> bytes:
    return json.dumps(value, indent=1, ensure_ascii=False).encode("utf-8") + b"\n"


def _dexero(**members: object) -> dict[str, object]:
    return {"order": {**DEXERO_ORDER, **members}}


def _talkdesk(**members: object) -> dict[str, object]:
    return {**TALKDESK_ORDER, **members}


def _xml(inner: str, root: str = "order") -> bytes:
    return f"{XML_DECLARATION}<{root}>{DEXERO_XML_ORDER}{inner}</{root}>\n".encode()


def _with(template: bytes, marker: bytes, replacement: bytes) -> bytes:
    assert template.count(marker) == 1, marker
    return template.replace(marker, replacement)


def _page(count: int) -> bytes:
    return _json({"orders": {"totalResults": count, "order": [DEXERO_ORDER] * count}})


def _cases() -> list[Case]:
    mark = "@MARK@"
    dexero_marked = _json(_dexero(customer_comment=mark))
    talkdesk_marked = _json(_talkdesk(status=mark))
    xml_marked = _xml(f"<customer_comment>{mark}</customer_comment>")

    def dexero_with(raw: bytes) -> bytes:
        return _with(dexero_marked, f'"{mark}"'.encode(), raw)

    def talkdesk_with(raw: bytes) -> bytes:
        return _with(talkdesk_marked, f'"{mark}"'.encode(), raw)

    def xml_text(raw: bytes) -> bytes:
        return _with(xml_marked, mark.encode(), raw)

    lol = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    billion = (
        f'{XML_DECLARATION}<!DOCTYPE order [<!ENTITY lol0 "lol">{lol}]>\n'
        f"<order><customer_comment>&lol9;</customer_comment></order>\n"
    )
    blob = "x" * 10_000
    quadratic = (
        f'{XML_DECLARATION}<!DOCTYPE order [<!ENTITY x "{blob}">]>\n'
        f"<order><customer_comment>{'&x;' * 200}</customer_comment></order>\n"
    )
    utf7_doctype = (
        b'<?xml version="1.0" encoding="UTF-7"?>\n'
        b"+ADw-+ACE-DOCTYPE order +AFs-+ADw-+ACE-ENTITY a SYSTEM +ACI-file:///etc/passwd+ACI-"
        b"+AD4-+AF0-+AD4-\n+ADw-order+AD4-+ACY-a+ADs-+ADw-/order+AD4-\n"
    )
    rng = random.Random(20240229)
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    page = _page(3)
    xml_page = (
        f"{XML_DECLARATION}<orders><totalResults>2</totalResults>"
        f"<order>{DEXERO_XML_ORDER}</order><order>{DEXERO_XML_ORDER}</order></orders>\n"
    ).encode()

    return [
        # --- empty, truncated, not a document ---
        Case("empty.json", b"", "empty", "dexero-json", "zero bytes"),
        Case("empty.xml", b"", "empty", "dexero-xml", "zero bytes"),
        Case("whitespace-only.json", b" \n\t\r\n ", "empty", "dexero-json", "blanks only"),
        Case("whitespace-only.xml", b"\n  \n", "empty", "dexero-xml", "blanks only"),
        Case(
            "xml-bom-whitespace-only.xml",
            b"\xef\xbb\xbf \n",
            "empty",
            "dexero-xml",
            "a UTF-8 byte order mark and blanks",
        ),
        Case(
            "json-truncated-page.json",
            page[: len(page) * 2 // 3],
            "json-syntax",
            "dexero-json",
            "a Dexero page cut off two thirds in",
        ),
        Case(
            "json-truncated-in-string.json",
            b'{"id": "order456", "order_number": "#Y3',
            "json-syntax",
            "talkdesk-json",
            "a Talkdesk order cut off inside a string",
        ),
        Case(
            "xml-truncated-page.xml",
            xml_page[: len(xml_page) * 2 // 3],
            "xml-syntax",
            "dexero-xml",
            "a Dexero XML page cut off two thirds in",
        ),
        Case(
            "json-not-a-document.json",
            b'{"unrelated": true}\n',
            "unknown-document",
            "dexero-json",
            "JSON, but neither a Talkdesk nor a Dexero document",
        ),
        Case(
            "binary-garbage.json",
            garbage,
            "unknown-format",
            None,
            "4 KiB of random bytes",
        ),
        # --- encodings ---
        Case(
            "json-invalid-utf8.json",
            dexero_with(b'"caf\xe9"'),
            "encoding",
            "dexero-json",
            "a Latin-1 byte in UTF-8 text",
        ),
        Case(
            "json-overlong-utf8.json",
            dexero_with(b'"\xc0\xaf"'),
            "encoding",
            "dexero-json",
            "an overlong UTF-8 sequence for '/'",
        ),
        Case(
            "json-utf8-encoded-surrogate.json",
            dexero_with(b'"\xed\xa0\x80"'),
            "encoding",
            "dexero-json",
            "a surrogate encoded as UTF-8 bytes (CESU-8)",
        ),
        Case(
            "xml-invalid-utf8.xml",
            xml_text(b"caf\xe9"),
            "encoding",
            "dexero-xml",
            "a Latin-1 byte in a document declared UTF-8",
        ),
        Case(
            "json-utf8-bom.json",
            b"\xef\xbb\xbf" + _json(_dexero()),
            "encoding",
            "dexero-json",
            "a UTF-8 byte order mark before JSON",
        ),
        Case(
            "json-utf16le-bom.json",
            _json(_talkdesk()).decode().encode("utf-16"),
            "encoding",
            "talkdesk-json",
            "JSON in UTF-16 with a byte order mark",
        ),
        Case(
            "json-utf16be-no-bom.json",
            _json(_talkdesk()).decode().encode("utf-16-be"),
            "encoding",
            "talkdesk-json",
            "JSON in UTF-16 big-endian, no byte order mark",
        ),
        Case(
            "json-utf32-bom.json",
            _json(_talkdesk()).decode().encode("utf-32"),
            "encoding",
            "talkdesk-json",
            "JSON in UTF-32 with a byte order mark",
        ),
        Case(
            "xml-utf8-bom.xml",
            b"\xef\xbb\xbf" + _xml(""),
            None,
            "dexero-xml",
            "XML with a UTF-8 byte order mark: allowed by XML, read",
            accepted=True,
        ),
        Case(
            "xml-utf16-bom.xml",
            _xml("").decode().replace("UTF-8", "UTF-16").encode("utf-16"),
            None,
            "dexero-xml",
            "XML in UTF-16, as every XML reader must accept: read",
            accepted=True,
        ),
        Case(
            "xml-utf32-bom.xml",
            _xml("").decode().replace("UTF-8", "UTF-32").encode("utf-32"),
            "encoding",
            "dexero-xml",
            "XML in UTF-32 (not required of XML readers, refused)",
        ),
        Case(
            "xml-unknown-encoding.xml",
            _xml("").replace(b"UTF-8", b"x-klingon"),
            "encoding",
            "dexero-xml",
            "an XML declaration naming an encoding nobody knows",
        ),
        # --- lone surrogates and control characters ---
        Case(
            "json-lone-surrogate-value.json",
            dexero_with(b'"ring \\ud800 twice"'),
            "lone-surrogate",
            "dexero-json",
            "a \\ud800 escape with no low surrogate after it (kept, warned)",
            accepted=True,
        ),
        Case(
            "json-lone-low-surrogate.json",
            talkdesk_with(b'"\\udc00"'),
            "lone-surrogate",
            "talkdesk-json",
            "a \\udc00 escape with no high surrogate before it (kept, warned)",
            accepted=True,
        ),
        Case(
            "json-lone-surrogate-key.json",
            talkdesk_with(b'{"\\udbff": "key"}').replace(b'"status"', b'"custom_fields"'),
            "lone-surrogate",
            "talkdesk-json",
            "a member name that is a lone surrogate (kept, warned)",
            accepted=True,
        ),
        Case(
            "xml-surrogate-character-reference.xml",
            xml_text(b"&#xD800;"),
            "xml-syntax",
            "dexero-xml",
            "a character reference to a surrogate, which XML forbids",
        ),
        Case(
            "json-control-character-raw.json",
            dexero_with(b'"bell\x07ring"'),
            "json-syntax",
            "dexero-json",
            "a raw control character inside a JSON string",
        ),
        Case(
            "json-nul-escaped.json",
            dexero_with(b'"nul\\u0000inside"'),
            None,
            "dexero-json",
            "an escaped NUL: valid JSON, kept; refused only when written as XML",
            accepted=True,
        ),
        Case(
            "xml-control-character-raw.xml",
            xml_text(b"bell\x07ring"),
            "xml-syntax",
            "dexero-xml",
            "a raw control character in XML text",
        ),
        Case(
            "xml-control-character-reference.xml",
            xml_text(b"bell&#7;ring"),
            "xml-syntax",
            "dexero-xml",
            "a character reference to a control character, which XML 1.0 forbids",
        ),
        Case(
            "xml-nul-byte.xml",
            xml_text(b"nul\x00inside"),
            "xml-syntax",
            "dexero-xml",
            "a NUL byte in XML text",
        ),
        # --- nesting ---
        Case(
            "json-nesting-100k-arrays.json",
            b"[" * NEST + b"]" * NEST,
            "too-deep",
            "talkdesk-json",
            "100,000 nested arrays",
        ),
        Case(
            "json-nesting-100k-objects.json",
            b'{"":' * NEST + b"0" + b"}" * NEST,
            "too-deep",
            "talkdesk-json",
            "100,000 nested objects",
        ),
        Case(
            "json-nesting-100k-in-order.json",
            _with(dexero_marked, f'"{mark}"'.encode(), b"[" * NEST + b"]" * NEST),
            "too-deep",
            "dexero-json",
            "100,000 nested arrays inside an order",
        ),
        Case(
            "json-nesting-100k-unclosed.json",
            b"[" * NEST,
            "too-deep",
            "talkdesk-json",
            "100,000 arrays opened, none closed",
        ),
        Case(
            "json-nesting-100-custom-fields.json",
            _json(_talkdesk(custom_fields={"deep": json.loads("[" * 100 + "]" * 100)})),
            "too-deep",
            "talkdesk-json",
            "custom_fields nested 100 levels (readable, but past max_depth)",
        ),
        Case(
            "xml-nesting-100k.xml",
            _xml("<deep>" + "<a>" * NEST + "</a>" * NEST + "</deep>"),
            "too-deep",
            "dexero-xml",
            "100,000 nested elements",
        ),
        Case(
            "xml-nesting-100-unknown-element.xml",
            _xml("<deep>" + "<a>" * 100 + "</a>" * 100 + "</deep>"),
            "too-deep",
            "dexero-xml",
            "an unknown element nested 100 levels (readable, but past max_depth)",
        ),
        # --- numbers ---
        Case(
            "json-integer-5000-digits.json",
            _json(_dexero(id=1)).replace(b'"id": 1,', b'"id": ' + b"9" * 5000 + b","),
            "number-too-long",
            "dexero-json",
            "an id with 5,000 digits (past Python's own 4,300-digit cap)",
        ),
        Case(
            "json-integer-100k-digits-talkdesk.json",
            talkdesk_with(b"1" * 100_000).replace(b'"status"', b'"items_number"'),
            "number-too-long",
            "talkdesk-json",
            "items_number with 100,000 digits",
        ),
        Case(
            "json-fraction-5000-digits.json",
            dexero_with(b"0." + b"3" * 5000).replace(b'"customer_comment"', b'"total_tax"'),
            "number-too-long",
            "dexero-json",
            "an amount with 5,000 fraction digits",
        ),
        Case(
            "xml-integer-5000-digits.xml",
            _xml("").replace(b"<id>1001</id>", b"<id>" + b"9" * 5000 + b"</id>"),
            "wrong-type",
            "dexero-xml",
            "an id with 5,000 digits",
        ),
        Case(
            "xml-amount-5000-digits.xml",
            _xml("").replace(b"10.50", b"1" * 5000 + b".00"),
            "bad-amount",
            "dexero-xml",
            "an amount with 5,000 integer digits",
        ),
        Case(
            "json-nan.json",
            dexero_with(b"NaN").replace(b'"customer_comment"', b'"total_tax"'),
            "not-a-number",
            "dexero-json",
            "NaN for an amount",
        ),
        Case(
            "json-infinity.json",
            dexero_with(b"Infinity").replace(b'"customer_comment"', b'"total_tax"'),
            "not-a-number",
            "dexero-json",
            "Infinity for an amount",
        ),
        Case(
            "json-negative-infinity-talkdesk.json",
            _json(_talkdesk()).replace(b"10.5", b"-Infinity"),
            "not-a-number",
            "talkdesk-json",
            "-Infinity for a Talkdesk money value",
        ),
        Case(
            "json-nan-as-string.json",
            dexero_with(b'"NaN"').replace(b'"customer_comment"', b'"total_tax"'),
            "bad-amount",
            "dexero-json",
            'the text "NaN" for an amount',
        ),
        Case(
            "xml-nan-amount.xml",
            _xml("").replace(b"10.50", b"NaN"),
            "bad-amount",
            "dexero-xml",
            "NaN for an amount",
        ),
        Case(
            "xml-infinity-amount.xml",
            _xml("").replace(b"10.50", b"-INF"),
            "bad-amount",
            "dexero-xml",
            "-INF (the XML Schema spelling) for an amount",
        ),
        Case(
            "json-exponent-amount.json",
            _json(_dexero()).replace(b'"10.50"', b"1.05e1"),
            "bad-amount",
            "dexero-json",
            "an amount in exponent form, where decimal(20,2) is expected",
        ),
        Case(
            "json-exponent-amount-as-string.json",
            _json(_dexero()).replace(b'"10.50"', b'"1E3"'),
            "bad-amount",
            "dexero-json",
            "an amount as the text 1E3",
        ),
        Case(
            "json-huge-exponent-amount.json",
            _json(_dexero()).replace(b'"10.50"', b"1e999999999999999999"),
            "bad-amount",
            "dexero-json",
            "an amount of 1e999999999999999999 (Decimal would overflow)",
        ),
        Case(
            "json-exponent-talkdesk-money.json",
            _json(_talkdesk()).replace(b"10.5", b"1.05E+1"),
            None,
            "talkdesk-json",
            "a Talkdesk money value in exponent form: read, and written back as it came",
            accepted=True,
        ),
        Case(
            "json-huge-exponent-talkdesk-money.json",
            _json(_talkdesk()).replace(b"10.5", b"1e999999999"),
            "number-too-long",
            "talkdesk-json",
            "a Talkdesk money value of 1e999999999, a billion digits written plainly",
        ),
        Case(
            "xml-exponent-amount.xml",
            _xml("").replace(b"10.50", b"1.05E1"),
            "bad-amount",
            "dexero-xml",
            "an amount in exponent form",
        ),
        Case(
            "json-many-nan.json",
            _with(dexero_marked, f'"{mark}"'.encode(), b"[" + b",".join([b"NaN"] * 10_000) + b"]"),
            "not-a-number",
            "dexero-json",
            "10,000 NaNs (each located, the list capped)",
        ),
        # --- JSON structure ---
        Case(
            "json-duplicate-key.json",
            _json(_dexero()).replace(b'"id": 1001,', b'"id": 1001, "id": 1002,'),
            "duplicate-key",
            "dexero-json",
            "an order naming id twice",
        ),
        Case(
            "json-duplicate-key-nested.json",
            _json(_talkdesk()).replace(
                b'"currency": "EUR"', b'"currency": "EUR", "currency": "USD"'
            ),
            "duplicate-key",
            "talkdesk-json",
            "a money object naming currency twice",
        ),
        Case(
            "json-duplicate-envelope.json",
            b'{"order": {"id": 1}, "order": {"id": 2}}\n',
            "duplicate-key",
            "dexero-json",
            "two order envelopes in one object",
        ),
        Case(
            "json-second-document.json",
            b'{"order": {"id": 1}} {"order": {"id": 2}}\n',
            "json-syntax",
            "dexero-json",
            "a second document after the first, on the same line",
        ),
        Case(
            "json-array-root.json",
            b'[{"order": {"id": 1}}]\n',
            "unknown-document",
            "dexero-json",
            "an array where the document's object belongs",
        ),
        Case(
            "json-array-for-order.json",
            b'{"order": [{"id": 1}]}\n',
            "wrong-type",
            "dexero-json",
            "an array where the order object belongs",
        ),
        Case(
            "json-array-for-customer.json",
            _json(_dexero(customer=[{"email": "a@example.com"}])),
            "wrong-type",
            "dexero-json",
            "an array where the customer object belongs",
        ),
        Case(
            "json-array-for-price-summary.json",
            _json(_talkdesk(price_summary=[])),
            "wrong-type",
            "talkdesk-json",
            "an array where Talkdesk's price_summary object belongs",
        ),
        Case(
            "json-many-errors.json",
            _json({"orders": {"order": [{"id": "x"}] * 5_000}}),
            "wrong-type",
            "dexero-json",
            "5,000 orders with a string id (the list capped)",
        ),
        # --- XML constructs ---
        Case(
            "xml-doctype-empty.xml",
            _xml("").replace(b"<order>", b"<!DOCTYPE order>\n<order>", 1),
            "doctype",
            "dexero-xml",
            "a DOCTYPE with nothing in it",
        ),
        Case(
            "xml-doctype-internal-entity.xml",
            f'{XML_DECLARATION}<!DOCTYPE order [<!ENTITY who "John">]>\n'
            f"<order><customer_comment>&who;</customer_comment></order>\n".encode(),
            "doctype",
            "dexero-xml",
            "an internal entity",
        ),
        Case(
            "xml-doctype-external-entity-file.xml",
            f'{XML_DECLARATION}<!DOCTYPE order [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
            f"<order><customer_comment>&secret;</customer_comment></order>\n".encode(),
            "doctype",
            "dexero-xml",
            "an external entity naming a local file",
        ),
        Case(
            "xml-doctype-external-entity-url.xml",
            f'{XML_DECLARATION}<!DOCTYPE order [<!ENTITY remote SYSTEM "{LOOPBACK}/e">]>\n'
            f"<order><customer_comment>&remote;</customer_comment></order>\n".encode(),
            "doctype",
            "dexero-xml",
            "an external entity naming a URL",
        ),
        Case(
            "xml-doctype-external-dtd.xml",
            _xml("").replace(
                b"<order>", f'<!DOCTYPE order SYSTEM "{LOOPBACK}/order.dtd">\n<order>'.encode(), 1
            ),
            "doctype",
            "dexero-xml",
            "an external DTD",
        ),
        Case(
            "xml-doctype-parameter-entity.xml",
            f'{XML_DECLARATION}<!DOCTYPE order [<!ENTITY % p SYSTEM "{LOOPBACK}/p.dtd"> %p;]>\n'
            f"<order/>\n".encode(),
            "doctype",
            "dexero-xml",
            "a parameter entity loading a remote DTD",
        ),
        Case(
            "xml-billion-laughs.xml",
            billion.encode(),
            "doctype",
            "dexero-xml",
            "nine levels of entities, ten references each (10^9 'lol's)",
        ),
        Case(
            "xml-quadratic-blowup.xml",
            quadratic.encode(),
            "doctype",
            "dexero-xml",
            "one 10 kB entity referenced 200 times",
        ),
        Case(
            "xml-doctype-after-comment.xml",
            _xml("").replace(b"<order>", b"<!-- hello -->\n<!DOCTYPE order>\n<order>", 1),
            "doctype",
            "dexero-xml",
            "a DOCTYPE after a comment",
        ),
        Case(
            "xml-doctype-utf16.xml",
            billion.replace("UTF-8", "UTF-16").encode("utf-16"),
            "doctype",
            "dexero-xml",
            "billion laughs in UTF-16",
        ),
        Case(
            "xml-doctype-utf7.xml",
            utf7_doctype,
            "doctype",
            "dexero-xml",
            "an external entity in UTF-7, where '<!DOCTYPE' is spelled +ADw-+ACE-DOCTYPE",
        ),
        Case(
            "xml-undeclared-entity.xml",
            xml_text(b"&secret;"),
            "xml-syntax",
            "dexero-xml",
            "an entity reference with no DOCTYPE",
        ),
        Case(
            "xml-xinclude-file.xml",
            _xml(
                '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                'href="file:///etc/passwd" parse="text"/>'
            ),
            "namespace",
            "dexero-xml",
            "an XInclude of a local file",
        ),
        Case(
            "xml-xinclude-url.xml",
            _xml(
                '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                f'href="{LOOPBACK}/order.xml"/>'
            ),
            "namespace",
            "dexero-xml",
            "an XInclude of a URL",
        ),
        Case(
            "xml-stylesheet-pi-file.xml",
            _xml("").replace(
                b"<order>",
                b'<?xml-stylesheet type="text/xsl" href="file:///etc/passwd"?>\n<order>',
                1,
            ),
            None,
            "dexero-xml",
            "an xml-stylesheet instruction naming a local file (markup: read past, nothing loaded)",
            accepted=True,
        ),
        Case(
            "xml-stylesheet-pi-url.xml",
            _xml("").replace(
                b"<order>", f'<?xml-stylesheet href="{LOOPBACK}/x.xsl"?>\n<order>'.encode(), 1
            ),
            None,
            "dexero-xml",
            "an xml-stylesheet instruction naming a URL (markup: read past, nothing loaded)",
            accepted=True,
        ),
        Case(
            "xml-pi-after-root.xml",
            _xml("") + b'<?xml-stylesheet href="x.xsl"?>\n',
            None,
            "dexero-xml",
            "a processing instruction after the root element (markup: read past)",
            accepted=True,
        ),
        Case(
            "xml-pi-inside-order.xml",
            _xml('<?php system("id"); ?>'),
            None,
            "dexero-xml",
            "a processing instruction inside the order (markup: read past, never run)",
            accepted=True,
        ),
        Case(
            "xml-markup-everywhere.xml",
            (
                f"{XML_DECLARATION}<!-- before -->\n<?pi before?>\n<order><!-- a --><id>10<!--\n"
                "-->01</id><?pi inside?><reference_number><![CDATA[R-]]>1001</reference_number>"
                + DEXERO_XML_ORDER.split("</reference_number>", 1)[1]
                + "<customer_comment><![CDATA[<b> & ]]></customer_comment>"
                "</order>\n<!-- after --><?pi after?>\n"
            ).encode(),
            None,
            "dexero-xml",
            "comments, instructions and CDATA before, inside and after the order: read past",
            accepted=True,
        ),
        Case(
            "xml-doctype-as-text.xml",
            _xml(
                "<customer_comment><![CDATA[<!DOCTYPE html>]]></customer_comment>"
                "<!-- <!DOCTYPE order [<!ENTITY a 'b'>]> -->"
            ),
            None,
            "dexero-xml",
            "'<!DOCTYPE' as text in a CDATA section and a comment inside the order: read",
            accepted=True,
        ),
        Case(
            "xml-doctype-inside-order.xml",
            _xml('<!DOCTYPE order [<!ENTITY a "b">]>'),
            "xml-syntax",
            "dexero-xml",
            "a DOCTYPE inside the order, where XML has none: not well-formed, nothing read",
        ),
        Case(
            "xml-second-root.xml",
            _xml("") + b"<order><id>2</id></order>\n",
            "xml-syntax",
            "dexero-xml",
            "a second root element",
        ),
        Case(
            "xml-text-after-root.xml",
            _xml("") + b"trailing text\n",
            "xml-syntax",
            "dexero-xml",
            "text after the root element",
        ),
        Case(
            "xml-many-errors.xml",
            f"{XML_DECLARATION}<orders>{'<order><id>x</id></order>' * 5_000}</orders>\n".encode(),
            "wrong-type",
            "dexero-xml",
            "5,000 orders with a non-numeric id (the list capped)",
        ),
        # --- compressed ---
        Case(
            "json-gzip.json",
            gzip.compress(page, mtime=0),
            "compressed",
            "dexero-json",
            "a gzip-compressed Dexero JSON page",
        ),
        Case(
            "xml-gzip.xml",
            gzip.compress(xml_page, mtime=0),
            "compressed",
            "dexero-xml",
            "a gzip-compressed Dexero XML page",
        ),
        Case(
            "xml-gzip-bomb.xml",
            gzip.compress(xml_page[:-10] + b" " * (16 * MIB) + xml_page[-10:], 9, mtime=0),
            "compressed",
            "dexero-xml",
            "16 MiB of XML in a 16 kB gzip file (never inflated)",
        ),
        # --- big strings ---
        Case(
            "json-1mib-string.json",
            dexero_with(b'"' + b"a" * MIB + b'"'),
            None,
            "dexero-json",
            "a 1 MiB customer_comment: valid, read",
            accepted=True,
        ),
        Case(
            "json-1mib-key.json",
            _json(_dexero()).replace(b'"id": 1001,', b'"' + b"k" * MIB + b'": 1, "id": 1001,'),
            "unknown-field",
            "dexero-json",
            "a member whose name is 1 MiB long (kept, warned as unknown)",
            accepted=True,
        ),
        Case(
            "xml-1mib-text.xml",
            xml_text(b"a" * MIB),
            None,
            "dexero-xml",
            "a 1 MiB customer_comment: valid, read",
            accepted=True,
        ),
        Case(
            "xml-64kib-element-name.xml",
            _xml(f"<{'k' * 65536}>1</{'k' * 65536}>"),
            "xml-syntax",
            "dexero-xml",
            "an element name of 64 KiB (past libxml2's 50,000; 1 MiB behaves the same)",
        ),
        # --- base64 ---
        Case(
            "json-bad-base64.json",
            _json(_dexero(order_form=[{"value": [{"fileContentBase64": "not base64!"}]}])),
            "bad-base64",
            "dexero-json",
            "fileContentBase64 with characters outside the alphabet",
        ),
        Case(
            "json-bad-base64-padding.json",
            _json(_dexero(order_form=[{"value": [{"fileContentBase64": "AAAA===="}]}])),
            "bad-base64",
            "dexero-json",
            "fileContentBase64 with padding past the end",
        ),
        Case(
            "xml-bad-base64.xml",
            _xml(
                "<order_form><value><fileContentBase64>aGVsbG8</fileContentBase64>"
                "</value></order_form>"
            ),
            "bad-base64",
            "dexero-xml",
            "fileContentBase64 missing its padding",
        ),
        # The value rules (issue #10): errors validation finds in files that decode, then
        # warnings. One file per code.
        Case(
            "json-dexero-order-without-id.json",
            _json({"order": {k: v for k, v in DEXERO_ORDER.items() if k != "id"}}),
            "missing-id",
            "dexero-json",
            "a Dexero order without its id: decodes, and validation refuses it",
            decodes=True,
        ),
        Case(
            "xml-negative-quantity.xml",
            _xml("<product><quantity>-2</quantity><type>buy</type></product>"),
            "negative-number",
            "dexero-xml",
            "an order line with a negative quantity",
            decodes=True,
        ),
        Case(
            "json-talkdesk-negative-items-number.json",
            _json(_talkdesk(items_number=-3)),
            "negative-number",
            "talkdesk-json",
            "a Talkdesk order with a negative items_number",
            decodes=True,
        ),
        Case(
            "json-megabyte-currency.json",
            _json(_dexero(currency="E" * (1 << 20))),
            "bad-currency",
            "dexero-json",
            "a currency a megabyte long",
            decodes=True,
        ),
        Case(
            "json-unknown-currency.json",
            _json(_dexero(currency="ZZZ")),
            "unknown-currency",
            "dexero-json",
            "a currency ISO 4217 does not list: a warning",
            accepted=True,
        ),
        Case(
            "xml-unknown-country.xml",
            _xml("<shipping_address><iso_country>XX</iso_country></shipping_address>"),
            "unknown-country",
            "dexero-xml",
            "a country ISO 3166-1 does not list: a warning",
            accepted=True,
        ),
        Case(
            "json-unknown-region.json",
            _json(_dexero(shipping_address={"iso_country": "PT", "iso_region": "PT-99"})),
            "unknown-region",
            "dexero-json",
            "a region ISO 3166-2 does not list: a warning",
            accepted=True,
        ),
        Case(
            "json-region-in-another-country.json",
            _json(_dexero(shipping_address={"iso_country": "PT", "iso_region": "ES-M"})),
            "region-mismatch",
            "dexero-json",
            "a region of another country than its address's: a warning",
            accepted=True,
        ),
        Case(
            "json-unknown-locale.json",
            _json(_dexero(locale="klingon")),
            "unknown-locale",
            "dexero-json",
            "a locale that is not a language code: a warning",
            accepted=True,
        ),
        Case(
            "json-bad-email.json",
            _json(_dexero(customer_email="not an email")),
            "bad-email",
            "dexero-json",
            "an email that does not parse: a warning",
            accepted=True,
        ),
        Case(
            "json-bad-ip-address.json",
            _json(_dexero(ip_address="300.1.2.3")),
            "bad-ip-address",
            "dexero-json",
            "an IP address that does not parse: a warning",
            accepted=True,
        ),
        Case(
            "json-too-many-orders-for-the-page.json",
            _json({"orders": {"itemsPerPage": 1, "order": [DEXERO_ORDER] * 2}}),
            "too-many-orders",
            "dexero-json",
            "a page holding more orders than its itemsPerPage: a warning",
            accepted=True,
        ),
        Case(
            "xml-start-past-total.xml",
            f"{XML_DECLARATION}<orders><totalResults>2</totalResults><startIndex>5</startIndex>"
            f"<order>{DEXERO_XML_ORDER}</order></orders>\n".encode(),
            "start-past-total",
            "dexero-xml",
            "a page whose startIndex is past its totalResults: a warning",
            accepted=True,
        ),
        Case(
            "json-page-count-mismatch.json",
            _json(
                {
                    "orders": {
                        "totalResults": 10,
                        "itemsPerPage": 5,
                        "pageCount": 3,
                        "order": [DEXERO_ORDER],
                    }
                }
            ),
            "page-count-mismatch",
            "dexero-json",
            "a page whose pageCount is not totalResults over itemsPerPage: a warning",
            accepted=True,
        ),
        # --- carry slot look-alikes (lossless rule 6): data, translated as such, warned ---
        Case(
            "json-carry-slot-lookalike-talkdesk-null.json",
            _json(_talkdesk(custom_fields={"dexero": None})),
            "carry-slot-lookalike",
            "talkdesk-json",
            "custom_fields.dexero null: no carry slot, so data (warned, carried by carry mode)",
            accepted=True,
        ),
        Case(
            "json-carry-slot-lookalike-dexero-unmarked.json",
            _json(
                _dexero(
                    customer={
                        "custom_field": [
                            {"identifier": "ordermap:talkdesk", "value": '{"items_number":2}'}
                        ]
                    }
                )
            ),
            "carry-slot-lookalike",
            "dexero-json",
            "an ordermap:talkdesk entry without the ordermap:slot mark (as slots were written"
            " before the mark): data, warned",
            accepted=True,
        ),
        Case(
            "xml-carry-slot-lookalike-version-2.xml",
            _xml(
                "<customer><custom_field><identifier>ordermap:talkdesk</identifier>"
                '<value>{"ordermap:slot":2}</value></custom_field></customer>'
            ),
            "carry-slot-lookalike",
            "dexero-xml",
            "an ordermap:talkdesk entry marked with a version this ordermap does not read: data,"
            " warned",
            accepted=True,
        ),
    ]


CASES = _cases()


def readme() -> str:
    """The README listing every case."""
    lines = [
        "# Hostile input corpus",
        "",
        "One file per case of hostile or broken input, written by `make_corpus.py`",
        "(`python tests/hostile/make_corpus.py`; do not edit the files by hand).",
        "`tests/test_hostile.py` reads each through the library and the command line and checks",
        "that it gets an ordermap error with the code below and a location, exit status 1, no",
        "traceback, an untouched output file, and bounded time and memory; `benchmarks/hostile.py`",
        "measures time and memory per file.",
        "",
        "*Code* is the first problem `ordermap.validation.validate` reports. *Accepted* files",
        "decode: their problem, if any, is a warning (`ordermap validate` exits 0, and 1 with",
        "`--strict`). Files that *decode* convert too, but break a value rule that validation",
        "holds as an error. Problem codes: [specs/problems.md](../../specs/problems.md); limits:",
        "[specs/limits.md](../../specs/limits.md).",
        "",
        "| file | format | code | accepted | case |",
        "|---|---|---|---|---|",
    ]
    for case in CASES:
        code = f"`{case.code}`" if case.code else "none"
        accepted = "yes" if case.accepted else "decodes" if case.decodes else ""
        what = case.what + (f" (known gap: {case.gap})" if case.gap else "")
        lines.append(f"| `{case.name}` | {case.format or 'none'} | {code} | {accepted} | {what} |")
    return "\n".join(lines) + "\n"


def expected_files() -> dict[str, bytes]:
    """Every file the corpus folder should hold, by name (this script aside)."""
    files = {case.name: case.data for case in CASES}
    files["README.md"] = readme().encode()
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, data in expected_files().items():
        path = HERE / name
        if path.exists() and path.read_bytes() == data:
            continue
        stale.append(name)
        if not check:
            path.write_bytes(data)
    if check and stale:
        print("out of date:", ", ".join(stale), file=sys.stderr)
        return 1
    total = sum(len(data) for data in expected_files().values())
    print(f"{len(CASES)} cases, {total / MIB:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
