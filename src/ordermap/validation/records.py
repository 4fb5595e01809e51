"""Checking records: a whole document, one order of a streamed page, one line of
newline-delimited JSON, a streamed page's own members."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from .. import documents, formats
from ..errors import DecodeError, Location, OrdermapError, Problem, ValidationError
from ..model import Document
from ..pipeline.record import Record
from ..places import TOP, Place
from .tally import Tally, at_place
from .walk import Found, lone_surrogates, raw_warnings, walk


def check_whole(
    data: bytes | str,
    module: formats.FormatModule,
    parsed: Any,
    kind: str | None,
    tally: Tally,
    place: Place = TOP,
) -> tuple[str | None, str | None, Document | None]:
    """A whole parsed document (found at ``place``): its problems go to ``tally``, each
    located by line and column in the input too (read again, only when there are problems:
    JSON along their pointers, XML for their elements' start tags).

    Returns the format and kind it was read as, where known, and the document when it
    decodes.
    """
    mark = tally.mark()
    found = _check_whole(data, module, parsed, kind, tally, place)
    if module.SYNTAX == "json":
        tally.place_json(mark, data, place)
    elif place == TOP:  # XML: a whole document's own text
        tally.place_xml(mark, data)
    return found


def _check_whole(
    data: bytes | str,
    module: formats.FormatModule,
    parsed: Any,
    kind: str | None,
    tally: Tally,
    place: Place,
) -> tuple[str | None, str | None, Document | None]:
    level, limits = tally.level, tally.limits
    try:
        document = module.decode_parsed(parsed, kind, limits, place)
    except ValidationError as error:
        if error.format not in formats.FORMATS:
            tally.add(error.problems, error.omitted)
            return None, None, None
        return check_broken(data, formats.get(str(error.format)), parsed, error, tally, place)
    except DecodeError as error:
        tally.add(error.problems, error.omitted)
        return (error.format if error.format in formats.FORMATS else None), None, None
    locate = at_place(place, module.locator(parsed))
    tally.add(
        (),
        0,
        itertools.chain(
            lone_surrogates(data, module, level, limits, place),
            walk(document, [], module.SYNTAX == "xml"),
        ),
        locate,
    )
    return module.FORMAT, documents.kind_of(document), document


def check_broken(
    data: bytes | str | None,
    module: formats.FormatModule,
    parsed: Any,
    error: ValidationError,
    tally: Tally,
    place: Place,
    surrogates: Iterable[Problem] | None = None,
    orders: int | None = None,
) -> tuple[str, str | None, None]:
    """A document that broke its format's rules: its errors, then the warnings its tree holds
    (``surrogates``: its lone-surrogate warnings, when ``data`` is not its text; ``orders``:
    how many orders a streamed page held, when ``parsed`` is the page without them)."""
    errors = [p for p in error.problems if p.code != "too-many-problems"]
    try:
        read = module.content(parsed)
    except OrdermapError:
        read = None
    locate = at_place(place, module.locator(parsed))
    if surrogates is None:
        assert data is not None
        surrogates = lone_surrogates(data, module, tally.level, tally.limits, place)
    if read is None:
        tally.add(errors, error.omitted, surrogates)
        return module.FORMAT, None, None
    tree, kind = read
    members = raw_warnings(tree, module.KINDS[kind], module, locate, errors, orders)
    tally.add(errors, error.omitted, itertools.chain(surrogates, members), locate)
    return module.FORMAT, kind, None


def told_format(error: DecodeError, format: str | None) -> str | None:
    """The format to name for input that could not be parsed: the one that said so, unless it
    found the input breaking its rules before there was a document."""
    if isinstance(error, ValidationError) or error.format not in formats.FORMATS:
        return format
    return error.format


def check_order(module: formats.FormatModule, record: Record, tally: Tally) -> None:
    """One order of a streamed page, checked at its place (JSON problems located in the
    order's text, as :func:`check_whole` locates a document's)."""
    mark = tally.mark()
    _check_order(module, record, tally)
    if type(record.payload) is str:
        tally.place_json(mark, record.payload, record.place)


def _check_order(module: formats.FormatModule, record: Record, tally: Tally) -> None:
    payload, place, limits = record.payload, record.place, tally.limits
    surrogates: Iterable[Problem | Found] = ()
    if type(payload) is str:  # JSON text (an XML order is an element)
        surrogates = lone_surrogates(payload, module, tally.level, limits, place)
    try:
        order = module.decode_order(payload, limits, place)
    except ValidationError as error:
        errors = [p for p in error.problems if p.code != "too-many-problems"]
        try:
            tree = module.order_tree(payload, limits, place)
        except OrdermapError:
            tally.add(errors, error.omitted, surrogates)
            return
        locate = module.order_locator(payload, place)
        members = raw_warnings(tree, module.KINDS["order"], module, locate, errors)
        tally.add(errors, error.omitted, itertools.chain(surrogates, members), locate)
        return
    except DecodeError as error:
        tally.add(error.problems, error.omitted)
        return
    walked: Iterable[Problem | Found] = walk(order, [], module.SYNTAX == "xml")
    found: Iterator[Problem | Found] = itertools.chain(surrogates, walked)
    tally.add((), 0, found, module.order_locator(payload, place))


def check_line(record: Record, format: str | None, tally: Tally) -> str | None:
    """One line of newline-delimited JSON: a whole document at its place, which must be an
    order. Returns the format it was read as."""
    payload, place = record.payload, record.place
    try:
        module, parsed, kind = documents.parse_as(payload, format, tally.limits, place)
    except DecodeError as error:
        tally.add(error.problems, error.omitted)
        return None
    kind = kind or module.classify(parsed)
    if kind not in (None, "order"):
        where = Location(pointer=place.point())
        tally.add([Problem("not-an-order", "each line must hold one order", where)])
        return module.FORMAT
    return check_whole(payload, module, parsed, kind, tally, place)[0]


def check_page(reader: Any, tally: Tally, orders: int) -> None:
    """A streamed page's own members (its orders stand as a placeholder; ``orders`` says how
    many went past, for the pagination rules). A JSON page's problems are located in the
    input through the reader, which knows where each part of the page's text came from."""
    mark = tally.mark()
    _check_page(reader, tally, orders)
    text = reader.page_text()
    if text is not None:
        tally.place_json(mark, text, where=reader.page_position)


def _check_page(reader: Any, tally: Tally, orders: int) -> None:
    module = reader.module
    failed: ValidationError | None = None
    try:
        page = reader.skeleton()
    except ValidationError as error:
        failed = error
    parsed = reader.page_parsed()
    text = reader.page_text()
    found = () if text is None else lone_surrogates(text, module, tally.level, tally.limits)
    # The page's text is not the input's: its pointers hold, its lines and columns do not
    # (check_page finds the input's from the pointers).
    surrogates = [
        attrs.evolve(each, location=Location(pointer=each.location.pointer)) for each in found
    ]
    if failed is not None:
        check_broken(None, module, parsed, failed, tally, TOP, surrogates, orders)
        return
    members = walk(page.with_orders(()), [], module.SYNTAX == "xml", orders)
    tally.add((), 0, itertools.chain(surrogates, members), module.locator(parsed))
