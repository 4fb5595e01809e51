"""Document trees, their differences and patches: how carry mode keeps a round trip exact.

A tree is a document in its JSON form as plain values (``dict`` in member order, ``list``,
scalars with their exact tokens). :func:`diff` compares a source tree with the tree that comes
back after a translation there and back, and returns:

- a **patch**: what turns the returned tree into the source again, exactly (values, tokens,
  ``null``, member order). Members hold the source value, or a nested patch where both sides
  hold an object; ``"ordermap:absent"`` lists members to remove and ``"ordermap:keys"`` the
  source's member order when it differs;
- the **differences of value**: paths whose value did not survive (tokens compared by their
  text, member order and ``null`` versus absent ignored).

:func:`apply` puts a patch onto a tree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..binding import Members
from ..lexical import plain_decimal
from ..values import JsonNumber, scalar_text

__all__ = ["ABSENT", "KEYS", "MISSING", "apply", "diff", "to_tree"]

KEYS = "ordermap:keys"
ABSENT = "ordermap:absent"


class _Missing:
    def __repr__(self) -> str:
        return "<absent>"


MISSING: Any = _Missing()
"""Stands for a member that is not there."""


# Values that to_tree() gives back as they are; checking for them inline saves a call per leaf.
_LEAVES = frozenset({str, int, bool, Decimal, JsonNumber, type(None)})
# Scalars whose exact form (see _exact) is equal exactly when the values are.
_PLAIN = frozenset({str, int, bool, type(None)})


def to_tree(value: Any) -> Any:
    """Turn unstructured output (``Members``) into plain ``dict`` trees."""
    if type(value) is Members:
        return {key: item if type(item) in _LEAVES else to_tree(item) for key, item in value}
    if isinstance(value, dict):
        return {
            key: item if type(item) in _LEAVES else to_tree(item) for key, item in value.items()
        }
    if type(value) is list or type(value) is tuple:
        return [item if type(item) in _LEAVES else to_tree(item) for item in value]
    return value


def _exact(value: Any) -> Any:
    """A comparable form that tells tokens apart (``10.5`` from ``10.50``, ``"1"`` from 1)."""
    if type(value) is dict:
        return ("{}", tuple((key, _exact(item)) for key, item in value.items()))
    if type(value) is list:
        return ("[]", tuple(_exact(item) for item in value))
    return (type(value).__name__, scalar_text(value))


def _same_exact(left: Any, right: Any) -> bool:
    """``_exact(left) == _exact(right)``, without building both forms for plain scalars."""
    kind = type(left)
    if kind is type(right) and kind in _PLAIN:
        return bool(left == right)
    return bool(_exact(left) == _exact(right))


def same_value(left: Any, right: Any) -> bool:
    """Whether two values carry the same information (tokens by text, order ignored)."""
    if type(left) is dict and type(right) is dict:
        keys = {k for k, v in left.items() if v is not None}
        if keys != {k for k, v in right.items() if v is not None}:
            return False
        return all(same_value(left[key], right[key]) for key in keys)
    if type(left) is list and type(right) is list:
        return len(left) == len(right) and all(map(same_value, left, right))
    if (
        left is None
        or right is None
        or isinstance(left, dict | list)
        or isinstance(right, dict | list)
    ):
        return left is right or (left is None and right is None)
    text = scalar_text(left)
    if text == scalar_text(right):
        return True
    # A number in exponent form and its plain form are one value (1e3 and 1000): the
    # translation rules write the plain form, and report that as derived.
    if type(left) is JsonNumber or type(right) is JsonNumber:
        plain = _plain(left)
        return plain is not None and plain == _plain(right)
    return False


def _plain(value: Any) -> str | None:
    """A number's plain text, or ``None`` for what is no number (or too long written so)."""
    kind = type(value)
    if kind is JsonNumber:
        number = plain_decimal(value.text)
        return None if number is None else format(number, "f")
    if kind is Decimal or kind is int:
        return scalar_text(value)
    return None


def diff(
    source: dict[str, Any], back: dict[str, Any], path: list[str | int] | None = None
) -> tuple[dict[str, Any], list[tuple[list[str | int], Any]]]:
    """The patch from ``back`` to ``source``, and the paths whose value did not survive.

    Each difference is ``(path, source value)``, the value being :data:`MISSING` where the
    source had no such member (the way back added one).
    """
    path = path or []
    patch: dict[str, Any] = {}
    differences: list[tuple[list[str | int], Any]] = []
    for key, value in source.items():
        if key not in back:
            patch[key] = value
            if value is not None:
                differences.append(([*path, key], value))
            continue
        other = back[key]
        if type(value) is dict and type(other) is dict:
            nested, below = diff(value, other, [*path, key])
            if nested:
                patch[key] = nested
            differences.extend(below)
        elif not _same_exact(value, other):
            patch[key] = value
            if not same_value(value, other):
                # A null the way back fills in was no value: it is derived, not lost.
                differences.append(([*path, key], MISSING if value is None else value))
    added = [key for key in back if key not in source]
    if added:
        patch[ABSENT] = added
        differences.extend(([*path, key], MISSING) for key in added if back[key] is not None)
    # apply() keeps the returned order and appends restored members; say so when that is wrong.
    if [*(k for k in back if k in source), *(k for k in source if k not in back)] != list(source):
        patch[KEYS] = list(source)
    return patch, differences


def apply(tree: dict[str, Any], patch: Any) -> dict[str, Any]:
    """Put a patch made by :func:`diff` onto a tree; a new tree is returned.

    Raises:
        ValueError: The patch is not shaped like one :func:`diff` makes.
    """
    if type(patch) is not dict:
        raise ValueError("a patch must be an object")
    result = dict(tree)
    for key, value in patch.items():
        if key in (KEYS, ABSENT):
            continue
        current = result.get(key, MISSING)
        if type(value) is dict and type(current) is dict:
            result[key] = apply(current, value)
        else:
            result[key] = value
    absent = patch.get(ABSENT, [])
    order = patch.get(KEYS)
    for names, what in ((absent, ABSENT), (order or [], KEYS)):
        if type(names) is not list or not all(type(name) is str for name in names):
            raise ValueError(f"{what} must be a list of member names")
    for key in absent:
        result.pop(key, None)
    if order is not None:
        ordered = {key: result[key] for key in order if key in result}
        ordered.update((key, value) for key, value in result.items() if key not in ordered)
        result = ordered
    return result
