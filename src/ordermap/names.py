"""The names the public verbs take, as ``Literal`` types (the translation modes,
``ordermap.Mode``, live with the crosswalk), and the checks that turn an argument
of the wrong type into a :class:`TypeError` saying what was expected.

The checks are for the entry points a person calls (:func:`ordermap.decode`,
:func:`ordermap.translate` and the like), not for the engine's inner calls: an order of a
stream is not asked again what type its bytes are. Without them a path given for the bytes
fails deep inside a reader with "object is not subscriptable".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from .limits import Limits

if TYPE_CHECKING:
    from .policy import Policy

__all__ = [
    "DexeroFormat",
    "FormatName",
    "Kind",
    "TalkdeskFormat",
    "expect",
    "expect_data",
    "expect_kind",
    "expect_limits",
    "expect_mode",
    "expect_name",
    "expect_policy",
]

FormatName = Literal["talkdesk-json", "dexero-json", "dexero-xml"]
"""The name of a built-in format. A format registered at run time
(:func:`ordermap.formats.register`) works everywhere a name is taken, but type checkers know
only these three: name another with ``typing.cast``."""
DexeroFormat = Literal["dexero-json", "dexero-xml"]
"""The formats of Dexero's vocabulary."""
TalkdeskFormat = Literal["talkdesk-json"]
"""The formats of Talkdesk's vocabulary."""
Kind = Literal["page", "order", "error"]
"""What a document is: an order page, a single order or an error body (Talkdesk only)."""


def expect(name: str, value: Any, types: tuple[type, ...], wanted: str) -> Any:
    """``value`` when it is one of ``types``, else a :class:`TypeError` that names the
    argument, what was wanted and what came. A ``memoryview`` is made ``bytes``."""
    if isinstance(value, types):
        return bytes(value) if type(value) is memoryview else value
    hint = ""
    if hasattr(value, "read_bytes"):
        hint = "; read the file first (path.read_bytes())"
    elif hasattr(value, "read"):
        hint = "; read the file first (file.read())"
    elif isinstance(value, str) and bytes in types:
        hint = "; encode the text first (text.encode())"
    raise TypeError(f"{name} must be {wanted}, not {type(value).__name__}{hint}")


def expect_data(data: Any) -> bytes | str:
    """A document as the verbs take it: bytes (a ``bytearray`` or ``memoryview`` will do), or
    text."""
    document: bytes | str = expect(
        "data", data, (bytes, bytearray, memoryview, str), "the document as bytes or str"
    )
    return document


def expect_name(name: str, value: Any, *, optional: bool = False) -> None:
    """A :class:`TypeError` unless ``value`` can be a format name (a ``str``, or ``None``
    when ``optional``); an unknown name is left to the registry's :class:`ValueError`."""
    if isinstance(value, str) or (optional and value is None):
        return
    raise TypeError(
        f"{name} must be a format name (talkdesk-json, dexero-json or dexero-xml"
        f"{' or None' if optional else ''}), not {type(value).__name__}"
    )


def expect_kind(kind: Any) -> None:
    """A :class:`TypeError` unless ``kind`` is a ``str`` or ``None``."""
    if kind is not None and not isinstance(kind, str):
        raise TypeError(f"kind must be page, order, error or None, not {type(kind).__name__}")


def expect_mode(mode: Any) -> None:
    """A :class:`TypeError` unless ``mode`` is a ``str``; an unknown one is a ValueError."""
    if not isinstance(mode, str):
        raise TypeError(f"mode must be report, strict or carry, not {type(mode).__name__}")


def expect_limits(limits: Any) -> None:
    """A :class:`TypeError` unless ``limits`` is a :class:`~ordermap.Limits`."""
    if not isinstance(limits, Limits):
        raise TypeError(f"limits must be an ordermap.Limits, not {type(limits).__name__}")


def expect_policy(policy: Any) -> Policy:
    """``policy``, or the default rules for ``None``; a :class:`TypeError` for anything but a
    :class:`~ordermap.Policy`."""
    from .policy import DEFAULT_POLICY, Policy

    if policy is None:
        return DEFAULT_POLICY
    if not isinstance(policy, Policy):
        raise TypeError(f"policy must be an ordermap.Policy or None, not {type(policy).__name__}")
    return policy
