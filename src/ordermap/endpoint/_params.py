"""Query strings in and out, and the problems a parameter can have.

A query string is split on ``&``; each part is ``name=value`` (a part without ``=`` has an
empty value); names and values are percent-decoded as UTF-8 with ``+`` read as a space, the
way HTML forms and Starlette read them. Empty parts (``a=1&&b=2``) are skipped. Rendering
percent-encodes everything but letters, digits, ``-._~`` and, in values, ``:`` (so that
``order_by=purchase_datetime:desc`` reads as the seed writes it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote, unquote_plus

from ..errors import Location, Problem, ValidationError, preview
from ..model import TalkdeskErrorBody, TalkdeskErrorField

__all__ = [
    "MAX_PARAMETERS",
    "MAX_QUERY_LENGTH",
    "MAX_VALUE_LENGTH",
    "QUERY",
    "Pairs",
    "QueryError",
    "Split",
    "has_surrogate",
    "join_query",
    "parse_integer",
    "split_query",
]

MAX_QUERY_LENGTH = 8192
"""The longest query string read, in characters (or bytes, when given bytes)."""
MAX_PARAMETERS = 64
"""The most parameters a query string may have."""
MAX_VALUE_LENGTH = 1024
"""The longest free-text parameter value, in characters."""
QUERY = "query"
"""The name a problem with the whole query string (not one parameter) is filed under."""

Pairs = tuple[tuple[str, str], ...]

_DIGITS = re.compile(r"-?[0-9]+\Z", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _problem(code: str, parameter: str, message: str, value: str | None = None) -> Problem:
    """A problem with one parameter; its location's ``path`` is the parameter's name."""
    return Problem(
        code, message, Location(path=parameter), input=None if value is None else preview(value)
    )


class QueryError(ValidationError):
    """A request's query string breaks the endpoint's rules.

    Every problem's ``location.path`` is the name of the parameter at fault (``query`` for the
    query string as a whole), so the error renders as a Talkdesk error body naming it.
    """

    @property
    def parameters(self) -> tuple[str, ...]:
        """The names of the parameters at fault, in the order of the problems, each once."""
        names = (problem.location.path or QUERY for problem in self.problems)
        return tuple(dict.fromkeys(names))

    def to_talkdesk_error(
        self, code: str = "400", message: str = "The request is not valid"
    ) -> TalkdeskErrorBody:
        """The problems as a Talkdesk error body: one ``fields`` entry per problem, named by
        its parameter and described by its message and code.
        """
        fields = tuple(
            TalkdeskErrorField(
                name=problem.location.path or QUERY,
                description=f"{problem.message} [{problem.code}]",
            )
            for problem in self.problems
        )
        count = len(fields)
        return TalkdeskErrorBody(
            code=code,
            message=message,
            description=f"{count} problem{'s' * (count != 1)} in the query string",
            fields=fields,
        )


def has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate, which no URL can carry."""
    return _SURROGATE.search(text) is not None


def _decode_part(part: str) -> str:
    text = unquote_plus(part, encoding="utf-8", errors="strict")
    if has_surrogate(text):
        raise UnicodeError("a lone surrogate")
    return text


class Split:
    """A query string taken apart: its parameters in order, and what was wrong with it."""

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []
        self.problems: list[Problem] = []

    def single(self, known: Sequence[str]) -> tuple[dict[str, str], Pairs]:
        """The known parameters (name to value) and the rest, in order.

        A known parameter given twice, or given with an empty value, is a problem and is left
        out of the result.
        """
        counts: dict[str, int] = {}
        for name, _ in self.pairs:
            counts[name] = counts.get(name, 0) + 1
        values: dict[str, str] = {}
        extra: list[tuple[str, str]] = []
        reported: set[str] = set()
        for name, value in self.pairs:
            if name not in known:
                extra.append((name, value))
            elif counts[name] > 1:
                if name not in reported:
                    reported.add(name)
                    message = f"{name} is given {counts[name]} times; give it once"
                    self.problems.append(_problem("repeated", name, message))
            elif not value:
                self.problems.append(_problem("empty", name, f"{name} has no value", value))
            else:
                values[name] = value
        return values, tuple(extra)


def split_query(query: str | bytes) -> Split:
    """Split a raw query string (without the ``?``) into decoded parameters."""
    split = Split()
    if len(query) > MAX_QUERY_LENGTH:
        message = f"the query string is longer than {MAX_QUERY_LENGTH} characters"
        split.problems.append(_problem("too-large", QUERY, message))
        return split
    if isinstance(query, bytes):
        try:
            query = query.decode("utf-8")
        except UnicodeDecodeError:
            message = "the query string is not UTF-8; percent-encode its bytes"
            split.problems.append(_problem("encoding", QUERY, message))
            return split
    for part in query.split("&"):
        if not part:
            continue
        if len(split.pairs) == MAX_PARAMETERS:
            message = f"the query string has more than {MAX_PARAMETERS} parameters"
            split.problems.append(_problem("too-large", QUERY, message))
            break
        raw_name, _, raw_value = part.partition("=")
        try:
            name = _decode_part(raw_name)
        except UnicodeError:
            message = "a parameter name is not percent-encoded UTF-8"
            split.problems.append(_problem("encoding", QUERY, message, raw_name))
            continue
        if not name:
            message = "a parameter has no name"
            split.problems.append(_problem("bad-parameter", QUERY, message, part))
            continue
        try:
            value = _decode_part(raw_value)
        except UnicodeError:
            message = f"the value of {name} is not percent-encoded UTF-8"
            split.problems.append(_problem("encoding", name, message, raw_value))
            continue
        split.pairs.append((name, value))
    return split


def parse_integer(problems: list[Problem], name: str, text: str, low: int, high: int) -> int | None:
    """A decimal integer in ``[low, high]``, or ``None`` with a problem added.

    Only the ASCII digits (and a leading ``-`` where ``low`` is negative) are accepted: no
    ``+``, spaces, underscores or other scripts' digits, all of which ``int()`` would take.
    The text's length is checked before it is converted, so a huge number costs nothing.
    """
    signed = low < 0
    if _DIGITS.match(text) is None or (text.startswith("-") and not signed):
        kind = "an integer" if signed else "a whole number"
        message = f"{name} must be {kind} written with the digits 0-9"
        problems.append(_problem("wrong-type", name, message, text))
        return None
    digits = text.lstrip("-").lstrip("0") or "0"
    # Leading zeros are cut before int(), which refuses strings over 4,300 digits.
    if len(digits) <= len(str(max(abs(low), abs(high)))):
        value = -int(digits) if text.startswith("-") else int(digits)
        if low <= value <= high:
            return value
    message = f"{name} must be between {low} and {high}"
    problems.append(_problem("out-of-range", name, message, text))
    return None


def join_query(pairs: Iterable[tuple[str, str]]) -> str:
    """A query string (without the ``?``) for ``pairs``, percent-encoded as UTF-8."""
    return "&".join(f"{quote(name, safe='')}={quote(value, safe=':')}" for name, value in pairs)
