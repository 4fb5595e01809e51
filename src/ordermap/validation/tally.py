"""Problems gathered one record at a time, and located where the record is."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..errors import Location, Problem, Severity, preview
from ..formats.common import capped
from ..limits import Limits
from ..places import TOP, Place
from .walk import Found, Path

Locate = Callable[[Path], Location]


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
    the errors, then the warnings, as a whole document's do. Every problem is counted; only
    those that may be shown are located.
    """

    def __init__(self, level: Severity, limits: Limits) -> None:
        self.level = level
        self.limits = limits
        self.errors: list[Problem] = []
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
            if len(self.warnings) >= cap - len(self.errors):
                continue
            if isinstance(warning, Problem):
                self.warnings.append(warning)
            else:
                assert locate is not None
                path, code, message, value = warning
                shown = None if value is None else preview(value)
                self.warnings.append(Problem(code, message, locate(path), self.level, shown))

    def problems(self) -> tuple[Problem, ...]:
        kept = self.errors + self.warnings[: self.limits.max_problems - len(self.errors)]
        note = Severity.ERROR if self.errors else self.level
        return tuple(capped(kept, self.limits, note, total=self.total))
