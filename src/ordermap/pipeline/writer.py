"""Writing a page around its orders: encoded orders are spooled as they come, and the target
format writes the page's head and tail from the page itself at the end."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from .. import documents, formats
from ..crosswalk import ReportEntry
from ..errors import EncodeError, Problem, pointer
from ..formats import json_read
from ..limits import DEFAULT_LIMITS
from ..model import OrderPage
from .work import Done, Work


class PageWriter:
    """Spools encoded orders, then writes the page around them.

    Orders are spooled as a list of two or more writes them (one level deeper than a bare
    object). At the end the target format writes the page's head and tail from the page
    itself (its envelope, with a hole where the orders go), so the result is what the
    format's encoder writes for the whole page.
    """

    def __init__(self, work: Work, spool_dir: str | None, spool: BinaryIO | None = None) -> None:
        self.work = work
        if spool is None:  # ordermap.dask gives a range's spool (in memory)
            spool = tempfile.TemporaryFile(dir=spool_dir)  # noqa: SIM115 - closed by close()
        self.spool: BinaryIO = spool
        self.count = 0
        self.uses_nil = False
        self.format = formats.get(work.to)
        self.separator = self.format.order_separator(work.indent)

    def add(self, done: Done) -> None:
        assert done.piece is not None
        if self.count:
            self.spool.write(self.separator)
        self.spool.write(done.piece)
        self.uses_nil = self.uses_nil or done.uses_nil
        self.count += 1

    def finish(self, build: Callable[[Sequence[Any]], Any], output: BinaryIO) -> None:
        work = self.work
        if not self.count:
            output.write(empty_page(work, build))
            return
        head, tail, outdent = page_frame(work, build, self.count, self.uses_nil)
        if outdent:
            self.spool.seek(0)
            piece = outdented(self.spool.read(), work.indent)
            self.spool.seek(0)
            self.spool.truncate()
            self.spool.write(piece)
        output.write(head)
        self.spool.seek(0)
        shutil.copyfileobj(self.spool, output)
        output.write(tail)

    def close(self) -> None:
        self.spool.close()


def empty_page(work: Work, build: Callable[[Sequence[Any]], Any]) -> bytes:
    """A page with no orders, written whole."""
    return documents.encode(build(()), work.to, indent=work.indent)


def page_frame(
    work: Work, build: Callable[[Sequence[Any]], Any], count: int, uses_nil: bool
) -> tuple[bytes, bytes, bool]:
    """What a page of ``count`` (one or more) spooled orders writes before and after them, and
    whether its one order is to be written :func:`outdented`."""
    target = formats.get(work.to)
    head, tail, level = target.page_frame(build, count, indent=work.indent, orders_use_nil=uses_nil)
    if level == target.ORDER_LEVEL:
        return head, tail, False
    # One order spelled as a bare object: one level less deep than in a list.
    if count != 1 or level != target.ORDER_LEVEL - 1:
        raise writer_error("the page's orders are not written as the spool holds them")
    return head, tail, True


def outdented(piece: bytes, indent: int | None) -> bytes:
    """A spooled order one level less deep. JSON text holds no raw line breaks inside
    strings, so outdenting each line is safe."""
    return piece.replace(b"\n" + b" " * indent, b"\n") if indent else piece


def page_end(
    skeleton: Any,
    work: Work,
    written: int,
    entry: Callable[[ReportEntry], None],
    *,
    paged: bool,
) -> Callable[[Sequence[Any]], Any] | None:
    """What a conversion makes of a page's skeleton once its ``written`` orders are: a
    function that makes the target page around orders (``paged``), and the page-level report
    entries, told to ``entry``. Without ``paged`` (one order per line) the page's own
    members are lost; ``None`` then."""
    if not paged:
        if skeleton is not None:
            for found in page_members_lost(skeleton, work.source_format):
                entry(found)
        return None
    if skeleton is None:
        page_class: type[OrderPage] = formats.get(work.to).KINDS["page"]
        return page_class.of
    if work.translator is not None:
        build, page_entries = work.translator.frame(skeleton, written)
        for found in page_entries:
            entry(found)
        return build
    # With no orders the skeleton is the page as read (its list null, empty or absent).
    return lambda orders: skeleton.with_orders(orders) if orders else skeleton


def writer_error(message: str) -> EncodeError:
    return EncodeError([Problem("internal", f"ordermap cannot stream this page: {message}")])


def page_members_lost(page: Any, format: str) -> list[ReportEntry]:
    """Entries for a page's own members, which a stream of orders cannot hold.

    They are named in the family's JSON form: each member beside the path to the order list,
    deepest first (Talkdesk's ``_embedded`` members, then the page's own).
    """
    reference = formats.family_format(formats.get(format).FAMILY)
    tree = json_read.parse(
        documents.encode(page.with_orders(()), reference.FORMAT), DEFAULT_LIMITS, "json"
    )
    path = reference.PAGE_ORDERS
    levels = []
    holder = tree
    for depth, key in enumerate(path):
        if not isinstance(holder, dict):
            break
        levels.append((pointer(path[:depth]), key, holder))
        holder = holder.get(key)
    entries = [
        (f"{prefix}/{escape(member)}", value)
        for prefix, skip, members in reversed(levels)
        for member, value in members.items()
        if member != skip
    ]
    reason = "newline-delimited JSON holds orders only, not the page around them"
    return [ReportEntry("lost", where, None, value, reason) for where, value in entries]


def escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
