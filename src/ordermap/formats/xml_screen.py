"""What the XML reader refuses before it parses: compressed input, UTF-32, encodings Python
does not know, text that is not in its encoding, empty input, and a DOCTYPE.

No DTD may reach libxml2, so the DOCTYPE is looked for in the bytes, in the document's own
encoding (UTF-8, UTF-16, or what its declaration names, UTF-7 included), where XML allows one:
after the declaration, comments and processing instructions that may come first. Past the
root element's start, "<!DOCTYPE" is text in a comment or a CDATA section, and anywhere else a
syntax error, for which libxml2 reads nothing. The streaming reader
(:mod:`ordermap.pipeline.xml_reader`) uses the same two looks, chunk by chunk.
"""

from __future__ import annotations

import codecs
import re

from ..errors import DecodeError, Location, Problem
from ..places import TOP, Place
from .json_read import line_col

_GZIP = b"\x1f\x8b"
_DOCTYPE = b"<!DOCTYPE"
# A DOCTYPE's start in UTF-16 (either byte order). Each is looked for with bytes.find, which
# scans a page many times faster than a regular expression of the two.
_UTF16_DOCTYPES = (b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E", b"\x00<\x00!\x00D\x00O\x00C")
# What XML lets come before a DOCTYPE (its prolog, XML 1.0 section 2.8): a byte order mark,
# the declaration, comments, processing instructions and blanks. A DOCTYPE is read only
# there: past the root element's start, "<!DOCTYPE" is a syntax error to libxml2, or text in
# a comment or a CDATA section. Each part ends at the first end it could have, as libxml2
# ends it, so no DOCTYPE libxml2 would read is skipped. One blank at a time, so that a long
# run of them cannot make the match backtrack.
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:[ \t\r\n]|<!--.*?-->|<\?.*?\?>)*", re.DOTALL)
# What may follow the part of a prolog read so far: a DOCTYPE, or the rest of the prolog.
_MAY_FOLLOW = (_DOCTYPE, b"<!--", b"<?")
_PROLOG_TEXT = re.compile(r"\ufeff?(?:[ \t\r\n]|<!--.*?-->|<\?.*?\?>)*", re.DOTALL)
_UTF32 = (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\x00<", b"<\x00\x00\x00")
_UTF16 = ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
          (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))  # fmt: skip
_UTF16_STARTS = tuple(start for start, _ in _UTF16)
_DECLARED = re.compile(
    rb"<\?xml[ \t\r\n][^>]*?encoding[ \t\r\n]*=[ \t\r\n]*[\"']([A-Za-z][A-Za-z0-9._\-]*)[\"']"
)
_BLANK = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*\Z")
# Encodings in which a DOCTYPE is the bytes "<!DOCTYPE"; others are decoded to look for it.
_BYTE_SCREENED = frozenset({"utf-8", "ascii"})


def refuse(
    code: str,
    message: str,
    format: str,
    line: int | None = None,
    column: int | None = None,
    place: Place = TOP,
) -> DecodeError:
    """The error for a problem of the text itself, at a line and column of the text at
    ``place`` (so located in the whole input of a stream)."""
    line, column = place.position(line, column)
    return DecodeError([Problem(code, message, Location(line=line, column=column))], format=format)


def _encoding(data: bytes) -> str:
    """The name of the encoding a document is in: from its byte order mark or first bytes, or
    what its XML declaration says (UTF-8 when nothing says otherwise)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"  # the byte order mark wins over the declaration, as in libxml2
    for start, name in _UTF16:
        if data.startswith(start):
            return name
    declared = _DECLARED.match(data)
    return declared.group(1).decode("ascii") if declared else "utf-8"


def screen(data: bytes, format: str, place: Place) -> None:
    """Refuse, before parsing, what must not reach the parser: empty input, UTF-32 or an
    encoding Python does not know, text that is not in its encoding, and a DOCTYPE."""
    if data.startswith(_GZIP):
        raise refuse(
            "compressed", "input is gzip-compressed; decompress it first", format, 1, 1, place=place
        )
    if data.startswith(_UTF32):
        raise refuse(
            "encoding", "input is UTF-32; dexero-xml must be UTF-8", format, 1, 1, place=place
        )
    name = _encoding(data)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise refuse(
            "encoding", f"unknown character encoding {name!r}", format, 1, 1, place=place
        ) from None
    doctype = "a DOCTYPE is not allowed (no DTDs, no entities)"
    if codec in _BYTE_SCREENED:
        if _BLANK.match(data):
            raise refuse("empty", "input is empty", format, 1, 1, place=place)
    else:
        # UTF-16, or another encoding (UTF-7 can spell "<!DOCTYPE" without those bytes).
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            line, column = line_col(data, exc.start)
            raise refuse(
                "encoding", f"bytes that are not valid {name}", format, line, column, place=place
            ) from None
        if not text.lstrip("\ufeff").strip(" \t\r\n"):
            raise refuse("empty", "input is empty", format, 1, 1, place=place)
        prolog = _PROLOG_TEXT.match(text)
        offset = prolog.end() if prolog else 0
        if text.startswith("<!DOCTYPE", offset):
            raise refuse("doctype", doctype, format, *line_col(text, offset), place=place)
    # The bytes too, whatever the document says it is in: read as UTF-8, and in UTF-16
    # unless the document is in UTF-16 (whose decoded text was looked at above).
    found = prolog_doctype(data)
    if found is None or found < 0:
        found = -1 if data.startswith(_UTF16_STARTS) else utf16_doctype(data)
    if found >= 0:
        raise refuse("doctype", doctype, format, *line_col(data, found), place=place)


def prolog_doctype(data: bytes) -> int | None:
    """Where a DOCTYPE (in UTF-8) starts after the prolog at the start of ``data``: its
    offset, -1 when the prolog ends without one, or ``None`` when ``data`` ends before that
    is known (in the prolog, or in what may be the start of a DOCTYPE, a comment or an
    instruction), as a stream's first bytes may."""
    prolog = _PROLOG.match(data)
    end = prolog.end() if prolog else 0
    rest = data[end : end + len(_DOCTYPE)]
    if rest == _DOCTYPE:
        return end
    for start in _MAY_FOLLOW:
        if start.startswith(rest) or rest.startswith(start):
            return None  # cut off in the prolog, or in what may be more of it
    return -1


def utf16_doctype(data: bytes) -> int:
    """Where the first DOCTYPE spelled in UTF-16 starts anywhere in ``data``, or -1.

    Text in UTF-8 or another 8-bit encoding holds no NUL byte, so these are looked for
    everywhere in a document that is not in UTF-16, in case the parser reads it as UTF-16.
    """
    found = [
        offset for offset in (data.find(spelling) for spelling in _UTF16_DOCTYPES) if offset >= 0
    ]
    return min(found) if found else -1
