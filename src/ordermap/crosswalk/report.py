"""The loss report: its entries, the report of a document, a translation's result and the error a
refused or impossible translation raises."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from attrs import frozen

from ..errors import (
    Location,
    OrdermapError,
    Problem,
    preview,
)
from ..formats import json_write
from ..model import (
    Document,
)

Mode = Literal["report", "strict", "carry"]
Action = Literal["lost", "derived", "carried"]
Family = Literal["talkdesk", "dexero"]


@frozen
class ReportEntry:
    """One line of a loss report.

    Attributes:
        action: ``lost`` (did not reach the target), ``derived`` (computed by a rule) or
            ``carried`` (kept in the target's extension slot).
        source: JSON Pointer of the value in the source document (its JSON form).
        target: JSON Pointer in the target document, where there is one.
        value: The value, as a JSON value (``None`` for a member the source did not have).
        reason: Why, in words.
    """

    action: Action
    source: str
    target: str | None
    value: Any
    reason: str

    def __str__(self) -> str:
        arrow = f" -> {self.target}" if self.target is not None else ""
        return f"{self.action} {self.source or '/'}{arrow} = {preview(self.value)}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "source": self.source,
            "target": self.target,
            "value": self.value,
            "reason": self.reason,
        }


@frozen
class Report:
    """What a translation lost, derived and carried."""

    source_format: str
    target_format: str
    mode: Mode
    entries: tuple[ReportEntry, ...]

    @property
    def lost(self) -> tuple[ReportEntry, ...]:
        """The entries for values that did not reach the target."""
        return tuple(entry for entry in self.entries if entry.action == "lost")

    @property
    def has_loss(self) -> bool:
        return any(entry.action == "lost" for entry in self.entries)

    def render(self) -> str:
        """The report for people: a summary line, then one line per entry."""
        counts = {action: 0 for action in ("lost", "derived", "carried")}
        for entry in self.entries:
            counts[entry.action] += 1
        head = (
            f"{self.source_format} -> {self.target_format} ({self.mode}): "
            f"{counts['lost']} lost, {counts['derived']} derived, {counts['carried']} carried"
        )
        return "\n".join([head, *(str(entry) for entry in self.entries)]) + "\n"

    def to_json(self, indent: int | None = None) -> bytes:
        """The report as UTF-8 JSON (values keep their exact number text)."""
        return json_write.emit(
            {
                "source_format": self.source_format,
                "target_format": self.target_format,
                "mode": self.mode,
                "entries": [entry.to_json() for entry in self.entries],
            },
            indent,
        )


@frozen
class Translation:
    """A translated document and its loss report."""

    document: Document
    report: Report


class TranslationError(OrdermapError):
    """A document cannot be translated: strict mode would lose something, the target requires
    a value the source lacks, or a carry slot is damaged.

    Attributes:
        report: The whole loss report, where one was made (strict refusals).
    """

    def __init__(
        self,
        problems: Sequence[Problem],
        *,
        format: str | None = None,
        report: Report | None = None,
    ) -> None:
        super().__init__(problems, format=format)
        self.report = report


def strict_refusal(report: Report) -> TranslationError:
    """Strict mode's refusal of a document: one problem per lost value, with the report."""
    return TranslationError(
        [
            Problem(
                "would-lose",
                f"{entry.reason}",
                Location(pointer=entry.source),
                input=preview(entry.value),
            )
            for entry in report.lost
        ],
        format=report.target_format,
        report=report,
    )
