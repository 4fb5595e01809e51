"""Validate a payload: every problem in one pass, errors and warnings, each with its place.

:func:`validate` reads a document like :func:`ordermap.decode` but never raises for a bad
payload: it returns a :class:`Validation` holding every :class:`~ordermap.errors.Problem`
found (up to the limit's cap). Besides the format's errors it reports two warnings, which
do not stop a document:

- ``unknown-field``: a member the format does not define (it is kept and written back);
- ``unlisted-value``: a value outside an open enum's documented list (kept verbatim).

``strict=True`` makes warnings errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from attrs import frozen

from . import _api, _xml
from ._convert import field_specs, is_model
from .errors import DecodeError, Location, Problem, Severity, preview
from .formats import FORMATS
from .formats._common import capped, pointer
from .limits import DEFAULT_LIMITS, Limits
from .model import Document, TalkdeskErrorBody, TalkdeskErrorField

__all__ = ["Validation", "validate"]


@frozen
class Validation:
    """The outcome of :func:`validate`.

    Attributes:
        format: The format the payload was read as, or ``None`` when it could not be told.
        kind: ``page``, ``order`` or ``error``, where known.
        problems: Every problem found, errors and warnings, in document order.
        document: The document, when it could be read.
    """

    format: str | None
    kind: str | None
    problems: tuple[Problem, ...]
    document: Document | None = None

    @property
    def ok(self) -> bool:
        """Whether the payload has no error (warnings allowed)."""
        return not self.errors

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def to_talkdesk_error(
        self, code: str = "400", message: str = "The payload is not valid"
    ) -> TalkdeskErrorBody:
        """The errors as a Talkdesk error body: one ``fields`` entry per error, named by its
        JSON Pointer (or XML element path), described by its message and code.
        """
        fields = tuple(
            TalkdeskErrorField(
                name=_place(problem.location),
                description=f"{problem.message} [{problem.code}]",
            )
            for problem in self.errors
        )
        count = len(fields)
        return TalkdeskErrorBody(
            code=code,
            message=message,
            description=f"{count} problem{'s' * (count != 1)} found",
            fields=fields,
        )


def _place(location: Location) -> str:
    where = location.pointer if location.pointer is not None else location.path
    return where or "/"


def _walk(obj: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str, str, Any]]:
    """Warnings of a model object and everything below it, as (path, code, message, value)."""
    spelling = obj.wire.spelling
    for key in obj.extra:
        yield [*path, key], "unknown-field", f"unknown member {key!r} (kept as it is)", None
    cls: type = type(obj)
    for spec in field_specs(cls):
        value = getattr(obj, spec.name)
        if value is None:
            continue
        here = [*path, spec.key]
        if spec.values and isinstance(value, str) and value not in spec.values:
            listed = ", ".join(spec.values)
            yield here, "unlisted-value", f"value not in the documented list ({listed})", value
        if spec.is_list and is_model(spec.item_type):
            single = spelling.get(spec.key) == "object" and len(value) == 1
            for index, item in enumerate(value):
                yield from _walk(item, here if single else [*here, index])
        elif is_model(spec.type):
            yield from _walk(value, here)


def _envelope(document: Document, format: str) -> list[str | int]:
    if format == "dexero-json":
        return ["orders" if type(document).__name__ == "DexeroOrderPage" else "order"]
    return []


def _locator(
    data: bytes | str, format: str, document: Document, limits: Limits
) -> Callable[[list[str | int]], Location]:
    if format == "dexero-xml":
        roots: list[Any] = []

        def locate(path: list[str | int]) -> Location:
            # Parsed again only when there is something to point at.
            if not roots:
                roots.append(_xml.parse(data, limits, format))
            return _xml.locate(roots[0], path)

        return locate
    prefix = _envelope(document, format)
    return lambda path: Location(pointer=pointer([*prefix, *path]))


def validate(
    data: bytes | str,
    format: str | None = None,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Validation:
    """Check a payload and report every problem in it.

    Args:
        data: The payload, as bytes (preferred) or text.
        format: ``talkdesk-json``, ``dexero-json`` or ``dexero-xml``; detected when omitted.
        strict: Treat warnings (unknown members, unlisted enum values) as errors.
        limits: Bounds on size, depth, number length and the number of problems.

    Returns:
        A :class:`Validation`; ``ok`` tells whether the payload passes.
    """
    try:
        document, found = _api.decode_as(data, format, limits=limits)
    except DecodeError as error:
        told = error.format if error.format in FORMATS else format
        return Validation(told, None, error.problems)
    kind = _api.kind_of(document)
    locate = _locator(data, found, document, limits)
    level = Severity.ERROR if strict else Severity.WARNING
    problems = [
        Problem(code, message, locate(path), level, None if value is None else preview(value))
        for path, code, message, value in _walk(document, [])
    ]
    return Validation(found, kind, tuple(capped(problems, limits, level)), document)
