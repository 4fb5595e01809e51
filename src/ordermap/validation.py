"""Validate a payload: every problem in one pass, errors and warnings, each with its place.

:func:`validate` reads a document like :func:`ordermap.decode` but never raises for a bad
payload: it returns a :class:`Validation` holding every :class:`~ordermap.errors.Problem`
found (up to the limit's cap). Besides the format's errors it reports three warnings, which
do not stop a document:

- ``unknown-field``: a member the format does not define (it is kept and written back);
- ``unlisted-value``: a value outside an open enum's documented list (kept verbatim);
- ``lone-surrogate``: JSON text holding an unpaired ``\\ud800``-``\\udfff`` escape, which is
  no Unicode character (it is kept, and written back escaped, but most consumers choke).

Warnings are reported for documents with errors too. Errors come first, then warnings, each
in document order (lone surrogates, found while reading the text, before the members), so
that the cap never hides an error behind a warning. ``strict=True`` makes warnings errors.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from attrs import frozen

from . import documents, formats
from .binding import FieldSpec, field_specs, is_model, paused_gc
from .errors import (
    DecodeError,
    Location,
    OrdermapError,
    Problem,
    Severity,
    ValidationError,
    preview,
)
from .formats import json_findings, json_read
from .formats.common import capped
from .limits import DEFAULT_LIMITS, Limits
from .model import Document, TalkdeskErrorBody, TalkdeskErrorField
from .values import scalar_text

__all__ = ["Validation", "validate"]

Path = list[str | int]
_Warning = tuple[Path, str, str, Any]  # (path, code, message, offending value)


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


@functools.cache
def _fields(cls: type) -> dict[str, FieldSpec]:
    return {spec.key: spec for spec in field_specs(cls)}


def _unknown(path: Path, key: str) -> _Warning:
    return [*path, key], "unknown-field", f"unknown member {preview(key)} (kept as it is)", None


def _unlisted(here: Path, spec: FieldSpec, value: Any) -> Iterator[_Warning]:
    if spec.values and isinstance(value, str) and value not in spec.values:
        listed = ", ".join(spec.values)
        yield here, "unlisted-value", f"value not in the documented list ({listed})", value


def _walk(obj: Any, path: Path, xml: bool) -> Iterator[_Warning]:
    """Warnings of a model object and everything below it, in the order its members came.

    Paths name a list's item by its index unless the list came as one bare object (Dexero
    JSON) or one element (XML), as the errors of the same places do.
    """
    cls: type = type(obj)
    fields = _fields(cls)
    extra = obj.extra
    spelling = obj.wire.spelling
    for key in dict.fromkeys((*obj.wire.keys, *fields, *extra)):
        if key in extra:
            yield _unknown(path, key)
            continue
        spec = fields.get(key)
        value = None if spec is None else getattr(obj, spec.name)
        if spec is None or value is None:
            continue
        here = [*path, key]
        yield from _unlisted(here, spec, value)
        if spec.is_list and is_model(spec.item_type):
            single = len(value) == 1 and (xml or spelling.get(key) == "object")
            for index, item in enumerate(value):
                yield from _walk(item, here if single else [*here, index], xml)
        elif is_model(spec.type):
            yield from _walk(value, here, xml)


def _walk_raw(raw: Any, cls: type, path: Path, bare_items: bool) -> Iterator[_Warning]:
    """The warnings :func:`_walk` gives, read from a parsed tree that did not make a document.

    Parts shaped wrong for ``cls`` are skipped: their errors are reported already.
    ``bare_items`` says whether the format lets a list field hold its one item bare.
    """
    if not isinstance(raw, dict):
        return
    fields = _fields(cls)
    for key, value in raw.items():
        spec = fields.get(key)
        if spec is None:
            yield _unknown(path, key)
            continue
        if value is None:
            continue
        here = [*path, key]
        yield from _unlisted(here, spec, scalar_text(value))
        item = spec.item_type if spec.is_list else spec.type
        if not is_model(item):
            continue
        if not spec.is_list:
            yield from _walk_raw(value, item, here, bare_items)
        elif type(value) is list:
            for index, each in enumerate(value):
                yield from _walk_raw(each, item, [*here, index], bare_items)
        elif bare_items:  # one element, or Dexero's bare object
            yield from _walk_raw(value, item, here, bare_items)


def _surrogates(
    data: bytes | str, module: formats.FormatModule, level: Severity, limits: Limits
) -> Iterator[Problem]:
    """Lone-surrogate warnings of a JSON text (read again when it may hold one)."""
    if module.SYNTAX != "json" or not json_findings.has_lone_surrogate_escape(data):
        return
    for found in json_findings.findings(json_read.to_text(data, module.FORMAT), limits):
        if found.code == "lone-surrogate":
            yield Problem(found.code, found.message, found.problem().location, level)


def _problems(
    errors: list[Problem],
    omitted: int,
    warnings: Iterable[Problem | _Warning],
    locate: Callable[[Path], Location],
    level: Severity,
    limits: Limits,
) -> tuple[Problem, ...]:
    """Errors, then warnings, capped; only the warnings kept are located."""
    kept = list(errors)
    total = len(errors) + omitted
    for warning in warnings:
        total += 1
        if len(kept) >= limits.max_problems:
            continue
        if isinstance(warning, Problem):
            kept.append(warning)
        else:
            path, code, message, value = warning
            shown = None if value is None else preview(value)
            kept.append(Problem(code, message, locate(path), level, shown))
    note = Severity.ERROR if errors else level
    return tuple(capped(kept, limits, note, total=total))


def _invalid(
    data: bytes | str,
    module: formats.FormatModule,
    parsed: Any,
    error: ValidationError,
    level: Severity,
    limits: Limits,
) -> Validation:
    """The outcome for a document that broke its format's rules: its errors, then the
    warnings its tree holds."""
    errors = [p for p in error.problems if p.code != "too-many-problems"]
    try:
        read = module.content(parsed)
    except OrdermapError:
        read = None
    locate = module.locator(parsed)
    if read is None:
        kind = None
        warnings: Iterator[Problem | _Warning] = _surrogates(data, module, level, limits)
    else:
        tree, kind = read
        cls = module.KINDS[kind]
        # A member whose value is refused (too deep, say) is an error, not also a warning.
        taken = {
            p.location.pointer if p.location.pointer is not None else p.location.path
            for p in errors
        }
        members = (
            warning
            for warning in _walk_raw(tree, cls, [], module.BARE_ITEMS)
            if module.spot(parsed, warning[0]) not in taken
        )
        warnings = itertools.chain(_surrogates(data, module, level, limits), members)
    return Validation(
        module.FORMAT, kind, _problems(errors, error.omitted, warnings, locate, level, limits)
    )


@paused_gc()
def validate(
    data: bytes | str,
    format: str | None = None,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Validation:
    """Check a payload and report every problem in it.

    The payload is parsed once; the document, its errors and its warnings all come from that
    parsed form.

    Args:
        data: The payload, as bytes (preferred) or text.
        format: A registered format name; detected when omitted.
        strict: Treat warnings (unknown members, unlisted enum values, lone surrogates) as
            errors.
        limits: Bounds on size, depth, number length and the number of problems.

    Returns:
        A :class:`Validation`; ``ok`` tells whether the payload passes.
    """
    level = Severity.ERROR if strict else Severity.WARNING
    parsed: Any = None
    try:
        module, parsed, kind = documents.parse_as(data, format, limits)
        document = module.decode_parsed(parsed, kind, limits)
    except ValidationError as error:
        if error.format in formats.FORMATS and parsed is not None:
            parsed_module = formats.get(str(error.format))
            return _invalid(data, parsed_module, parsed, error, level, limits)
        return Validation(format, None, error.problems)
    except DecodeError as error:
        told = error.format if error.format in formats.FORMATS else format
        return Validation(told, None, error.problems)
    warnings: Iterator[Problem | _Warning] = itertools.chain(
        _surrogates(data, module, level, limits), _walk(document, [], module.SYNTAX == "xml")
    )
    found = _problems([], 0, warnings, module.locator(parsed), level, limits)
    return Validation(module.FORMAT, documents.kind_of(document), found, document)
