"""The report of :mod:`ordermap.dask`: the partitions' reports put together again.

Each partition of a conversion has its own report (:class:`ordermap._bag.PartResult`):
counts, the entries counted by field, and its failed orders, numbered from the partition's
own start. :func:`aggregate` adds them up in input order and moves each failed order of a
range of lines to its place in the whole input, where ``ordermap convert`` puts it: its
index, its line, and the leading index of its problems' JSON Pointers (a newline-delimited
input counts as an array of documents); a range of a page's orders is converted at its place
already (:mod:`ordermap._bag_page`). Report entries need no such care: they are counted by
field, with their indexes generalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs
from attrs import frozen

from ._bag import Failure, PartResult
from .crosswalk.summary import _REASONS, LossSummary, _Field
from .errors import Location, Problem
from .limits import DEFAULT_LIMITS

__all__ = ["BagReport", "aggregate", "merge"]

_LEADING_INDEX = re.compile(r"\A/([0-9]+)(?=/|\Z)")


@frozen
class BagReport:
    """The partitions' reports added up, as ``ordermap convert`` reports one input.

    Attributes:
        inputs: How many inputs were converted.
        orders: Orders written.
        failed: Orders skipped (``keep_going``), or that stopped their input.
        lost, derived, carried: Report entries of each kind.
        by_field: The entries counted by field and action (what the command line prints).
        failures: The failed orders and inputs with their input and position, in input order
            (at most ``max_failures`` orders; ``failed`` counts them all).
        refused: The inputs strict mode refused, each with the values that would be lost as
            its problems, as ``ordermap convert`` lists them: at their places in the input,
            the first ``max_problems`` of them, then how many more.
    """

    inputs: int
    orders: int
    failed: int
    lost: int
    derived: int
    carried: int
    by_field: LossSummary = attrs.field(eq=False)
    failures: tuple[Failure, ...] = ()
    refused: tuple[Failure, ...] = ()

    def lines(self, limit: int | None = None) -> list[str]:
        """The report by field, one line per field and action, as the terminal shows it."""
        return self.by_field.lines() if limit is None else self.by_field.lines(limit)

    def to_json(self) -> dict[str, Any]:
        """The totals, the report by field and the failures, as plain JSON values (the
        members of ``ordermap convert --report``'s file that do not list every value)."""
        counts = {"lost": self.lost, "derived": self.derived, "carried": self.carried}
        return {
            "summary": {**counts, "orders": self.orders, "failed": self.failed},
            "by_field": self.by_field.to_json(),
            "failures": [failure.to_json() for failure in self.failures],
            "refused": [failure.to_json() for failure in self.refused],
        }


# --- the report (wherever it is computed) ------------------------------------------------------


def aggregate(
    results: Iterable[PartResult],
    inputs: int,
    keep_going: bool,
    max_failures: int,
    max_problems: int = DEFAULT_LIMITS.max_problems,
) -> BagReport:
    """The partitions' reports, in input order, as one: failures moved to their places in
    their input, the counts by field merged as one run over the inputs would count them, and
    strict mode's refusal of an input cut into ranges listing what one run lists (its first
    ``max_problems`` values that would be lost, then how many more)."""
    by_field = LossSummary()
    totals = {"orders": 0, "failed": 0, "lost": 0, "derived": 0, "carried": 0}
    failures: list[Failure] = []
    refused: dict[str, _Refusal] = {}
    before: dict[str, tuple[int, int]] = {}  # an input's records and line breaks so far
    halted: set[str] = set()  # inputs a failure stopped: their later ranges were not reached
    for result in results:
        source = result.part.source
        if source in halted:
            continue
        for name, value in zip(("lost", "derived", "carried"), result.counts, strict=True):
            totals[name] += value
        merge(by_field, result.by_field)
        totals["orders"] += result.orders
        totals["failed"] += result.failed
        records, lines = before.get(source, (0, 0))
        placed = bool(result.part.spans)  # a page's range places its failures itself
        for failure in result.failures:
            # An input that cannot be read is always listed: it fails the whole conversion.
            if len(failures) < max_failures or failure.index is None:
                failures.append(failure if placed else _renumbered(failure, records, lines))
        refused.setdefault(source, _Refusal()).add(result, None if placed else records)
        if result.stopped and (not keep_going or any(f.index is None for f in result.failures)):
            halted.add(source)
        before[source] = (records + result.records, lines + result.newlines)
    return BagReport(
        inputs, **totals, by_field=by_field, failures=tuple(failures),
        refused=tuple(
            refusal.failure(source, max_problems)
            for source, refusal in refused.items()
            if refusal.refused
        ),
    )  # fmt: skip


class _Refusal:
    """Strict mode's refusal of one input, put together from its ranges' refusals: the values
    that would be lost, in input order, and how many there are."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.lost = 0
        self.parts = 0
        self.refused = False
        self.whole: tuple[Problem, ...] = ()  # the only partition's own list (as one run's)

    def add(self, result: PartResult, records: int | None) -> None:
        """A partition of the input (``records``: how many records of the input came before
        it, where its pointers count from its own start; ``None`` where they are placed)."""
        self.parts += 1
        self.lost += result.counts[0]
        self.whole = result.refusal
        self.refused = self.refused or bool(result.refusal)
        for problem in result.refusal:
            if problem.code == "would-lose":
                if records:
                    problem = attrs.evolve(problem, location=_moved(problem.location, records, 0))
                self.problems.append(problem)

    def failure(self, source: str, max_problems: int) -> Failure:
        if self.parts == 1:
            return Failure(source, None, None, self.whole)
        shown = self.problems[:max_problems]
        if self.lost > len(shown):
            more = Problem("too-many-problems", f"{self.lost - len(shown)} more would be lost")
            shown.append(more)
        return Failure(source, None, None, tuple(shown))


def _renumbered(failure: Failure, records: int, lines: int) -> Failure:
    """A range's failed order at its place in the whole input."""
    if failure.index is None or not (records or lines):
        return failure
    problems = tuple(
        attrs.evolve(problem, location=_moved(problem.location, records, lines))
        for problem in failure.problems
    )
    line = None if failure.line is None else failure.line + lines
    return Failure(failure.source, failure.index + records, line, problems)


def _moved(location: Location, records: int, lines: int) -> Location:
    # A line's problems are at /INDEX/... in the stream's JSON form, INDEX counted in the range.
    pointer = location.pointer
    if pointer is not None:
        pointer = _LEADING_INDEX.sub(lambda found: f"/{int(found[1]) + records}", pointer)
    line = None if location.line is None else location.line + lines
    return attrs.evolve(location, pointer=pointer, line=line)


def merge(into: LossSummary, other: LossSummary) -> None:
    """Add ``other``'s fields to ``into``, as if its entries had been added one by one.

    Fields keep the order they were first met in. A field keeps its first few distinct
    reasons (``crosswalk.summary`` caps them, so that a reason naming a value cannot grow without
    end); a reason that ``other`` itself dropped is not counted here even where ``into``
    knows it, which can only change the reason shown for a field with more than that many.
    The counts are exact.
    """
    fields: dict[Any, _Field] = into._fields
    for key, found in other._fields.items():
        mine = fields.get(key)
        if mine is None:
            mine = fields[key] = _Field(len(fields))
        mine.count += found.count
        for reason, count in found.reasons.items():
            if reason in mine.reasons or len(mine.reasons) < _REASONS:
                mine.reasons[reason] = mine.reasons.get(reason, 0) + count
