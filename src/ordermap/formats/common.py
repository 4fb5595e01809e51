"""Pieces the format modules share: turning faults into problems, scalar rules, members."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ..binding import LIMITS, Fault, Members, Path, fail, fault_paths, inline, odd_values, shortcut
from ..errors import (
    EncodeError,
    Location,
    Problem,
    Severity,
    ValidationError,
    preview,
)
from ..errors import pointer as pointer  # re-exported: the format modules use it from here
from ..lexical import AMOUNT_TEXT, BASE64_TEXT, INT_RANGE, INTEGER_TEXT, LONG_RANGE, in_range
from ..limits import Limits
from ..places import Place
from ..values import CalendarDate, Timestamp
from .json_write import HOLE, emit_around


def capped(
    problems: list[Problem],
    limits: Limits,
    severity: Severity = Severity.ERROR,
    total: int | None = None,
) -> list[Problem]:
    """Keep at most ``limits.max_problems`` problems, saying how many were left out.

    ``total`` is how many problems there are when ``problems`` holds only the first of them
    (so that only those needed to be located).
    """
    count = len(problems) if total is None else total
    if count <= limits.max_problems:
        return problems
    kept = problems[: limits.max_problems]
    note = f"{count - len(kept)} more problems not shown"
    kept.append(Problem("too-many-problems", note, kept[-1].location, severity))
    return kept


def fault_problems(
    fault: Fault, locate: Callable[[Path], Location], limits: Limits
) -> list[Problem]:
    """Turn a fault into problems, locating each path with ``locate``.

    Only the problems kept under ``limits.max_problems`` are located: locating an XML element
    walks its siblings, which for thousands of problems would cost more than the whole read.
    """
    found = fault_paths(fault)
    problems = [
        Problem(code, message, locate(path), input=None if value is None else preview(value))
        for path, code, message, value in found[: limits.max_problems]
    ]
    return capped(problems, limits, total=len(found))


def json_locator(prefix: Path) -> Callable[[Path], Location]:
    return lambda path: Location(pointer=pointer([*prefix, *path]))


def structure(
    converter: Any,
    raw: Any,
    cls: type,
    format: str,
    locate: Callable[[Path], Location],
    limits: Limits,
) -> Any:
    """Structure ``raw`` as ``cls``, raising :class:`ValidationError` with every problem found."""
    token = LIMITS.set(limits)
    try:
        return converter.structure(raw, cls)
    except Fault as fault:
        problems = fault_problems(fault, locate, limits)
        omitted = len(fault.items) - limits.max_problems
        raise ValidationError(problems, format=format, omitted=max(omitted, 0)) from None
    finally:
        LIMITS.reset(token)


def encode_error(fault: Fault, format: str, locate: Callable[[Path], Location]) -> EncodeError:
    """Turn a fault met while writing into an :class:`EncodeError`."""
    problems = [
        Problem(code, message, locate(path), input=None if value is None else preview(value))
        for path, code, message, value in fault_paths(fault)
    ]
    return EncodeError(problems, format=format)


def unstructure(
    converter: Any, document: Any, format: str, locate: Callable[[Path], Location]
) -> Any:
    """Unstructure a document, raising :class:`EncodeError` with every problem found."""
    try:
        return converter.unstructure(document)
    except Fault as fault:
        raise encode_error(fault, format, locate) from None


def unstructure_plain(
    converter: Any, document: Any, format: str, locate: Callable[[Path], Location]
) -> tuple[Any, bool]:
    """Unstructure a document as :func:`unstructure` does, and tell whether its free-form
    values were all plain (so that ``json_write.emit(plain=True)`` may write it with orjson)."""
    before = odd_values()
    members = unstructure(converter, document, format, locate)
    return members, odd_values() == before


# --- a page written around its orders --------------------------------------------------------


def with_hole(members: Members, path: Sequence[str], expand: bool) -> Members:
    """A page's members with its orders, at ``path``, replaced by one :data:`HOLE`.

    With ``expand`` (XML) the orders are repeated members: the first becomes the hole and
    the others go, so a page written around a stream of orders holds them together.
    """
    key, rest = path[0], path[1:]
    out = Members()
    placed = False
    for name, value in members:
        if name != key:
            out.append((name, value))
        elif rest:
            out.append((name, with_hole(value, rest, expand)))
        elif not expand:
            # A list of orders, or a bare object for one (Dexero's spelling of one order).
            out.append((name, [HOLE] if type(value) is list else HOLE))
        elif not placed:
            out.append((name, HOLE))
            placed = True
    return out


def json_page_frame(
    members: Members, page_orders: Sequence[str], indent: int | None
) -> tuple[bytes, bytes, int]:
    """The JSON text before and after a page's orders, and how deep they sit."""
    return emit_around(with_hole(members, page_orders, False), indent)


# --- scalar rules shared by the Dexero formats ----------------------------------------------


def check_range(value: int, bounds: tuple[int, int], what: str) -> int:
    if not in_range(value, bounds):
        fail("out-of-range", f"{what} out of range ({bounds[0]} to {bounds[1]})", value)
    return value


def integer_from_text(text: str, bounds: tuple[int, int], what: str) -> int:
    if INTEGER_TEXT.match(text) is None or text == "-0" or len(text) > 24:
        fail("wrong-type", f"expected {what} written as a plain integer", text)
    return check_range(int(text), bounds, what)


def amount_from_text(text: str) -> Decimal:
    if AMOUNT_TEXT.match(text) is None:
        fail(
            "bad-amount",
            "expected a decimal(20,2): plain digits, at most 18 before and 2 after the point",
            text,
        )
    return Decimal(text)


def amount_text(value: Any) -> str:
    """The wire text of an amount being written, checked against decimal(20,2)."""
    if type(value) is not Decimal:
        fail("wrong-type", f"expected a Decimal amount, got {type(value).__name__}", value)
    text = format(value, "f") if value.is_finite() else str(value)
    if AMOUNT_TEXT.match(text) is None:
        fail("bad-amount", "amount does not fit decimal(20,2)", text)
    return text


def check_base64(text: str) -> str:
    if BASE64_TEXT.match(text) is None:
        fail("bad-base64", "not valid base64 (standard alphabet, padded, no line breaks)", text)
    return text


base64_shortcut = shortcut(
    "type(raw) is str and _BASE64_MATCH(raw) is not None",
    kinds=(str,),
    _BASE64_MATCH=BASE64_TEXT.match,
)
"""Marks a base64 structure hook with the common case of :func:`check_base64` on a string."""


def long_out(value: Any) -> int:
    if type(value) is not int:
        fail("wrong-type", f"expected an int, got {type(value).__name__}", value)
    return check_range(value, LONG_RANGE, "long")


def int32_out(value: Any) -> int:
    if type(value) is not int:
        fail("wrong-type", f"expected an int, got {type(value).__name__}", value)
    return check_range(value, INT_RANGE, "int")


# How compiled writers (ordermap.binding) check these values in place.
LONG_CHECK = f"type(v) is _int and {LONG_RANGE[0]} <= v <= {LONG_RANGE[1]}"
INT_CHECK = f"type(v) is _int and {INT_RANGE[0]} <= v <= {INT_RANGE[1]}"
AMOUNT_CHECK = "type(v) is _Decimal and _amount_text(_t := format(v, 'f')) is not None"
BASE64_CHECK = "type(v) is _str and _base64_text(v) is not None"
INLINE_NAMES: dict[str, Any] = {
    "_bool": bool,
    "_int": int,
    "_str": str,
    "_Decimal": Decimal,
    "_amount_text": AMOUNT_TEXT.match,
    "_base64_text": BASE64_TEXT.match,
    "_int_repr": int.__repr__,
}
inline(long_out, LONG_CHECK, **INLINE_NAMES)
inline(int32_out, INT_CHECK, **INLINE_NAMES)
inline(amount_text, AMOUNT_CHECK, "_t", **INLINE_NAMES)


# --- scalar rules shared by the JSON formats -----------------------------------------------


@shortcut("type(raw) is str", kinds=(str,))
def strict_string(value: Any, _: Any) -> str:
    if type(value) is not str:
        fail("wrong-type", "expected a string", value)
    return value


@shortcut("raw is True or raw is False", kinds=(bool,))
def strict_boolean(value: Any, _: Any) -> bool:
    if type(value) is not bool:
        fail("wrong-type", "expected true or false", value)
    return value


def typed_out(kind: type, what: str) -> Callable[[Any], Any]:
    """An unstructure hook that passes a value of exactly ``kind`` through."""

    def check(value: Any) -> Any:
        if type(value) is not kind:
            fail("wrong-type", f"expected {what}, got {type(value).__name__}", value)
        return value

    alias = f"_exact_{kind.__module__}_{kind.__qualname__}".replace(".", "_")
    return inline(check, f"type(v) is {alias}", "v", **{alias: kind})


def _reason(exc: ValueError) -> str:
    # The value classes end their messages with the offending text, which problems show apart.
    return str(exc).rsplit(": ", 1)[0]


def timestamp_from_text(text: str) -> Timestamp:
    try:
        return Timestamp(text)
    except ValueError as exc:
        fail(
            "bad-timestamp",
            _reason(exc) + " (YYYY-MM-DDTHH:MM:SS[.fraction] and Z or +HH:MM)",
            text,
        )


def timestamp_from_string(value: Any, _: Any) -> Timestamp:
    if type(value) is not str:
        fail("wrong-type", "expected an RFC 3339 timestamp string", value)
    return timestamp_from_text(value)


def date_or_timestamp_from_text(text: str) -> Timestamp | CalendarDate:
    if "T" in text or "t" in text:
        return timestamp_from_text(text)
    try:
        return CalendarDate(text)
    except ValueError as exc:
        fail("bad-date", _reason(exc) + " (a date YYYY-MM-DD or an RFC 3339 date-time)", text)


def timestamp_out(value: Any) -> str:
    if type(value) is not Timestamp:
        fail("wrong-type", f"expected a Timestamp, got {type(value).__name__}", value)
    return value.text


def date_or_timestamp_out(value: Any) -> str:
    if type(value) is not Timestamp and type(value) is not CalendarDate:
        fail(
            "wrong-type", f"expected a Timestamp or CalendarDate, got {type(value).__name__}", value
        )
    return value.text


inline(timestamp_out, "type(v) is _Timestamp", "v.text", _Timestamp=Timestamp)
inline(
    date_or_timestamp_out,
    "type(v) is _Timestamp or type(v) is _CalendarDate",
    "v.text",
    _Timestamp=Timestamp,
    _CalendarDate=CalendarDate,
)


def null_order(format: str, place: Place) -> ValidationError:
    """The error for a streamed page's order that is ``null``, as a whole page names it."""
    where = Location(pointer=place.point())
    return ValidationError([Problem("null-item", "a list item is null", where)], format=format)
