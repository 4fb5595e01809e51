"""Problems gathered one record at a time, and located where the record is."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO

import attrs

from ..errors import Location, Problem, Severity, preview
from ..formats.common import capped
from ..limits import Limits
from ..places import TOP, Place
from .values import ERRORS
from .walk import Found, Path

Locate = Callable[[Path], Location]
Wanted = tuple[tuple[str, ...], bool]

# Problems whose offending token is a member's name, not its value.
_NAMED = frozenset({"unknown-field"})


def at_place(place: Place, locate: Locate) -> Locate:
    """``locate`` for a document found at ``place`` in a stream (a line of NDJSON)."""
    if place == TOP:
        return locate

    def located(path: Path) -> Location:
        found = locate(path)
        line, column = place.position(found.line, found.column)
        return Location(
            None if found.pointer is None else place.point() + found.pointer,
            None if found.path is None else place.element(found.path),
            line,
            column,
        )

    return located


class Tally:
    """The problems of a payload, gathered one record at a time.

    Errors and warnings are kept apart, each up to the cap, so that a warning found in an
    early order never takes the place of an error found in a later one: the result lists
    the errors, then the warnings, as a whole document's do. The value rules' errors
    (:mod:`.values`) are kept apart too, after the decoder's: a whole document's decoder
    finds its errors before any member is walked, so a streamed page, whose orders are
    decoded and walked one by one, lists them in the same order only so. Every problem is
    counted; only those that may be shown are located.
    """

    def __init__(self, level: Severity, limits: Limits) -> None:
        self.level = level
        self.limits = limits
        self.errors: list[Problem] = []
        self.ruled: list[Problem] = []
        self.warnings: list[Problem] = []
        self.total = 0

    def add(
        self,
        errors: Iterable[Problem],
        omitted: int = 0,
        warnings: Iterable[Problem | Found] = (),
        locate: Locate | None = None,
    ) -> None:
        cap = self.limits.max_problems
        for error in errors:
            if error.code == "too-many-problems":
                continue  # the decoder's note: ``omitted`` counts what it stands for
            self.total += 1
            if len(self.errors) < cap:
                self.errors.append(error)
        self.total += omitted
        for warning in warnings:
            self.total += 1
            if isinstance(warning, Problem):
                if len(self.warnings) < cap - len(self.errors) - len(self.ruled):
                    self.warnings.append(warning)
                continue
            path, code, message, value = warning
            if code in ERRORS:
                kept, level = self.ruled, Severity.ERROR
                room = cap - len(self.errors)
            else:
                kept, level = self.warnings, self.level
                room = cap - len(self.errors) - len(self.ruled)
            # Either list only loses room as problems come, so one past it now is never shown.
            if len(kept) >= room:
                continue
            assert locate is not None
            shown = None if value is None else preview(value)
            kept.append(Problem(code, message, locate(path), level, shown))

    def mark(self) -> tuple[int, int, int]:
        """How many problems each list holds now, for :meth:`on_line`."""
        return len(self.errors), len(self.ruled), len(self.warnings)

    def on_line(self, mark: tuple[int, int, int], line: int | None) -> None:
        """Give ``line`` to the problems kept since ``mark`` that name no line.

        A line of newline-delimited JSON is a document of its own, so a problem found in it
        without a line of its own (a member's type, a value rule) is still on that line.
        """
        if line is None:
            return
        for kept, start in zip((self.errors, self.ruled, self.warnings), mark, strict=True):
            for index in range(start, len(kept)):
                problem = kept[index]
                if problem.location.line is None:
                    kept[index] = attrs.evolve(
                        problem, location=attrs.evolve(problem.location, line=line)
                    )

    def place_json(
        self,
        mark: tuple[int, int, int],
        data: bytes | str,
        place: Place = TOP,
        where: Callable[[int], tuple[int, int] | None] | None = None,
    ) -> None:
        """Give a line and column to the problems kept since ``mark`` that name a JSON Pointer
        but no line, from the JSON text (``data``) of the record at ``place`` they were found in.

        The text is read again only when such problems exist, and only along their pointers
        (:func:`~ordermap.formats.json_places.positions`): a valid record costs nothing.
        ``where`` gives the input's line and column of an offset into a text that is not
        the input's own (a streamed page's, its orders taken out); ``place`` is then unused.
        """
        lists = (self.errors, self.ruled, self.warnings)
        waiting = [
            (which, index)
            for which, (kept, start) in enumerate(zip(lists, mark, strict=True))
            for index in range(start, len(kept))
            if kept[index].location.line is None and kept[index].location.pointer is not None
        ]
        if not waiting:
            return
        from ..formats.json_places import offsets, parse_pointer, positions

        prefix = tuple(str(step) for step in place.pointer)
        asked: dict[tuple[int, int], Wanted] = {}
        for which, index in waiting:
            problem = lists[which][index]
            path = parse_pointer(str(problem.location.pointer))
            if path is not None and path[: len(prefix)] == prefix:
                asked[which, index] = (path[len(prefix) :], problem.code in _NAMED)
        # The text was read once already, so its bytes are UTF-8.
        text = data if isinstance(data, str) else data.decode("utf-8")
        found: dict[Wanted, tuple[int | None, int | None] | None]
        if where is None:
            located = positions(text, asked.values())
            found = {key: place.position(*at) for key, at in located.items()}
        else:
            found = {key: where(at) for key, at in offsets(text, asked.values()).items()}
        for (which, index), wanted in asked.items():
            spot = found.get(wanted)
            if spot is None:
                continue
            line, column = spot
            problem = lists[which][index]
            lists[which][index] = attrs.evolve(
                problem, location=attrs.evolve(problem.location, line=line, column=column)
            )

    def place_xml(self, mark: tuple[int, int, int], source: bytes | str | IO[bytes]) -> None:
        """Give a column to the problems kept since ``mark`` that name an element path and
        its line but no column, from the XML ``source`` they were found in (a document's
        text, or the file of a streamed page, read from where the page starts).

        The source is read again only when such problems exist
        (:func:`~ordermap.formats.xml_places.start_tags`). A start tag found on another line
        than the problem's gets no column: a column is given only where it is sure.
        """
        lists = (self.errors, self.ruled, self.warnings)
        from ..formats.xml_places import parse_path, start_tags

        asked: dict[tuple[int, int], tuple[tuple[str, int], ...]] = {}
        for which, (kept, start) in enumerate(zip(lists, mark, strict=True)):
            for index in range(start, len(kept)):
                where = kept[index].location
                if where.path is None or where.line is None or where.column is not None:
                    continue
                steps = parse_path(where.path)
                if steps is not None:
                    asked[which, index] = steps
        if not asked:
            return
        found = start_tags(source, asked.values())
        for (which, index), steps in asked.items():
            problem = lists[which][index]
            spot = found.get(steps)
            if spot is None or spot[0] != problem.location.line:
                continue
            lists[which][index] = attrs.evolve(
                problem, location=attrs.evolve(problem.location, column=spot[1])
            )

    def problems(self) -> tuple[Problem, ...]:
        room = self.limits.max_problems - len(self.errors)
        ruled = self.ruled[:room]
        kept = self.errors + ruled + self.warnings[: room - len(ruled)]
        note = Severity.ERROR if self.errors or ruled else self.level
        return tuple(capped(kept, self.limits, note, total=self.total))
