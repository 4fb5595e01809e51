"""The mapping policy: the heuristic crosswalk rules, with PRODUCT.md's defaults.

A policy is a frozen attrs object; :func:`load_policy` reads one from a TOML file whose
tables override the defaults they name::

    [status]
    pending = ["CONFIRMED", "CONFIRMED"]     # Dexero status -> [generic_type, detailed_type]
    on_hold = ["UNKNOWN", "UNKNOWN"]
    other = ["UNKNOWN", "UNKNOWN"]           # any status not listed

    [generic_type]                            # Talkdesk generic_type -> Dexero status
    CONFIRMED = "pending"

    [delivery]
    shippable = "SHIPPING"                    # delivery_type for is_shippable = true
    not_shippable = "UNKNOWN"                 # ... and for false
    shipping_types = ["SHIPPING", "LOCAL_DELIVERY", "LOCAL_PICKUP"]   # give is_shippable = true

    [names]
    split = "first-word"                      # or "last-word"

    [items]
    number = "buy-quantity"                   # or "lines", or "none"
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from attrs import field, frozen

from .errors import DecodeError, Location, Problem

__all__ = ["DEFAULT_POLICY", "Policy", "load_policy"]

NameSplit = Literal["first-word", "last-word"]
ItemsNumber = Literal["buy-quantity", "lines", "none"]


def _frozen_map(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@frozen(kw_only=True)
class Policy:
    """How the heuristic rules of the crosswalk behave.

    Attributes:
        status: Dexero ``status`` to Talkdesk ``(generic_type, detailed_type)``.
        other_status: The pair for a Dexero status not in ``status``.
        generic_type: Talkdesk ``generic_type`` to Dexero ``status``, used when the Talkdesk
            order has no ``status`` of its own.
        shippable: ``delivery_type`` derived from ``is_shippable = true``.
        not_shippable: ``delivery_type`` derived from ``is_shippable = false``.
        shipping_types: ``delivery_type`` values that give ``is_shippable = true``; UNKNOWN
            and anything else give no ``is_shippable``.
        name_split: How a Dexero ``name`` splits: the first word is the first name
            (``first-word``), or the last word is the last name (``last-word``).
        items_number: ``items_number`` from the order lines: the sum of ``quantity`` over
            ``buy`` lines (``buy-quantity``), the number of lines (``lines``), or nothing.
    """

    status: Mapping[str, tuple[str, str]] = field(
        converter=_frozen_map,
        factory=lambda: {
            "pending": ("CONFIRMED", "CONFIRMED"),
            "treated": ("ON_ITS_WAY", "IN_TRANSIT"),
            "completed": ("DELIVERED", "DELIVERED"),
            "cancelled": ("UNKNOWN", "FAILURE"),
        },
    )
    other_status: tuple[str, str] = ("UNKNOWN", "UNKNOWN")
    generic_type: Mapping[str, str] = field(
        converter=_frozen_map,
        factory=lambda: {
            "CONFIRMED": "pending",
            "ON_ITS_WAY": "treated",
            "OUT_FOR_DELIVERY": "treated",
            "DELIVERED": "completed",
        },
    )
    shippable: str = "SHIPPING"
    not_shippable: str = "UNKNOWN"
    shipping_types: tuple[str, ...] = ("SHIPPING", "LOCAL_DELIVERY", "LOCAL_PICKUP")
    name_split: NameSplit = "first-word"
    items_number: ItemsNumber = "buy-quantity"


DEFAULT_POLICY = Policy()


def _policy_error(path: str, where: str, message: str) -> DecodeError:
    return DecodeError(
        [Problem("bad-policy", message, Location(path=where))], format=f"policy {path}"
    )


def _strings(value: Any, where: str, path: str, count: int | None = None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _policy_error(path, where, "expected a list of strings")
    if count is not None and len(value) != count:
        raise _policy_error(path, where, f"expected exactly {count} strings")
    return tuple(value)


def _choice(value: Any, where: str, path: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _policy_error(path, where, f"expected one of {', '.join(choices)}")
    return str(value)


def _text(value: Any, where: str, path: str) -> str:
    if not isinstance(value, str):
        raise _policy_error(path, where, "expected a string")
    return value


def load_policy(path: str | Path) -> Policy:
    """Read a mapping policy from a TOML file (see the module docstring for its tables).

    Raises:
        DecodeError: The file cannot be read, is not TOML, or has an unknown table or key or
            a value of the wrong kind; the problem names the table and key.
    """
    import tomllib  # here: only a policy file needs the TOML parser, not the default policy

    name = str(path)
    try:
        data = tomllib.loads(Path(path).read_bytes().decode("utf-8"))
    except OSError as exc:
        raise _policy_error(
            name, "", f"cannot read the policy file: {exc.strerror or exc}"
        ) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _policy_error(name, "", f"not a TOML file: {exc}") from None
    known = {"status", "generic_type", "delivery", "names", "items"}
    for table in data:
        if table not in known or not isinstance(data[table], dict):
            raise _policy_error(
                name, table, f"unknown policy table; expected {', '.join(sorted(known))}"
            )
    options: dict[str, Any] = {}
    status = dict(DEFAULT_POLICY.status)
    for key, value in data.get("status", {}).items():
        generic, detailed = _strings(value, f"status.{key}", name, 2)
        pair = (generic, detailed)
        if key == "other":
            options["other_status"] = pair
        else:
            status[key] = pair
    options["status"] = status
    generic_types = dict(DEFAULT_POLICY.generic_type)
    for key, value in data.get("generic_type", {}).items():
        generic_types[key] = _text(value, f"generic_type.{key}", name)
    options["generic_type"] = generic_types
    for key, value in data.get("delivery", {}).items():
        where = f"delivery.{key}"
        if key in ("shippable", "not_shippable"):
            options[key] = _text(value, where, name)
        elif key == "shipping_types":
            options[key] = _strings(value, where, name)
        else:
            raise _policy_error(
                name, where, "unknown key; expected shippable, not_shippable, shipping_types"
            )
    for key, value in data.get("names", {}).items():
        if key != "split":
            raise _policy_error(name, f"names.{key}", "unknown key; expected split")
        options["name_split"] = _choice(value, "names.split", name, ("first-word", "last-word"))
    for key, value in data.get("items", {}).items():
        if key != "number":
            raise _policy_error(name, f"items.{key}", "unknown key; expected number")
        options["items_number"] = _choice(
            value, "items.number", name, ("buy-quantity", "lines", "none")
        )
    return Policy(**options)
