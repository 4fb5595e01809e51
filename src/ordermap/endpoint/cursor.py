"""ordermap's own paging cursor: opaque to clients, checked strictly when it comes back.

A cursor is the URL-safe base64 (RFC 4648 section 5, without padding) of compact JSON,
``{"v":1,"offset":40}`` or ``{"v":1,"offset":40,"order_by":"purchase_datetime:desc"}``:
the version, the 0-based offset of the page's first order in the Dexero list, and the order
the list was sorted in when the cursor was issued. A :class:`CursorCodec` with a ``key``
appends ``.`` and a truncated HMAC-SHA256 of the payload, so that only cursors it issued are
accepted. A codec bound to an account (:meth:`CursorCodec.for_account`) adds an ``account``
member, a tag derived from the account id, and refuses a cursor whose tag is another's or
absent: a cursor handed out to one account is not a cursor for another.

Decoding accepts exactly what encoding writes: the text is length-capped before anything is
decoded, and whatever decodes to a different canonical form (padding, spaces, key order,
duplicate members, ``1.0`` for ``1``) is refused. Every refusal is a :class:`QueryError`
naming ``cursor``; no other exception escapes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from typing import Any

import attrs

from ._params import QueryError, _problem
from .ordering import OrderBy, parse_order_by

__all__ = ["CURSOR", "CURSOR_VERSION", "DEFAULT_CURSORS", "MAX_OFFSET", "Cursor", "CursorCodec"]

CURSOR = "cursor"
"""The name of the Talkdesk query parameter that carries a cursor."""
CURSOR_VERSION = 1
MAX_OFFSET = 2**63 - 1
"""The largest offset a cursor holds: Dexero's ``long``."""

_TOKEN = re.compile(r"[A-Za-z0-9_-]+\Z", re.ASCII)
_MAC_BYTES = 16
_ACCOUNT_TAG_BYTES = 12
# Without a service key the account tag is still a keyed digest, under this fixed key, so that
# it does not spell the account id out; it is not a secret (anyone can compute it).
_UNSIGNED_TAG_KEY = b"ordermap cursor account tag"
_MEMBERS = frozenset({"v", "offset", "order_by", "account"})


def _offset(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not int or not 0 <= value <= MAX_OFFSET:
        raise ValueError(f"a cursor's offset is an integer from 0 to {MAX_OFFSET}: {value!r}")


@attrs.frozen
class Cursor:
    """Where the next page starts.

    Attributes:
        offset: The 0-based position of the page's first order in Dexero's list.
        order_by: The order the list was sorted in when the cursor was issued; a cursor is
            only valid with the same ``order_by`` (``None``: Dexero's default order).
    """

    offset: int = attrs.field(validator=_offset)
    order_by: OrderBy | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(OrderBy))
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def _refused(message: str, text: str, code: str = "bad-cursor") -> QueryError:
    return QueryError([_problem(code, CURSOR, message, text)])


@attrs.frozen
class CursorCodec:
    """Writes and reads cursors.

    Attributes:
        key: A secret for signing cursors (HMAC-SHA256, truncated to 128 bits); ``None``
            issues unsigned cursors. A codec with a key refuses unsigned cursors, and the
            other way round.
        max_length: The longest cursor text read; longer ones are refused unread.
        account: The account the cursors are issued to, or ``None`` for cursors bound to no
            account. Give it with :meth:`for_account`.
    """

    key: bytes | None = attrs.field(default=None, repr=False)
    max_length: int = attrs.field(default=256, validator=attrs.validators.ge(64))
    account: str | None = attrs.field(
        default=None, repr=False, validator=attrs.validators.optional(attrs.validators.min_len(1))
    )

    def for_account(self, account: str) -> CursorCodec:
        """The same codec, issuing cursors bound to ``account`` and accepting only those.

        Raises:
            ValueError: The account id is empty.
        """
        return attrs.evolve(self, account=account)

    def _account_tag(self) -> str | None:
        if self.account is None:
            return None
        key = _UNSIGNED_TAG_KEY if self.key is None else self.key
        # The prefix keeps this digest apart from the payload MACs made with the same key.
        message = b"account\0" + self.account.encode("utf-8", "surrogatepass")
        return _b64(hmac.new(key, message, hashlib.sha256).digest()[:_ACCOUNT_TAG_BYTES])

    def _mac(self, payload: str) -> str:
        assert self.key is not None
        digest = hmac.new(self.key, payload.encode("ascii"), hashlib.sha256).digest()
        return _b64(digest[:_MAC_BYTES])

    def encode(self, cursor: Cursor) -> str:
        """The cursor's text, as it goes into a ``next`` link."""
        content: dict[str, Any] = {"v": CURSOR_VERSION, "offset": cursor.offset}
        if cursor.order_by is not None:
            content["order_by"] = str(cursor.order_by)
        tag = self._account_tag()
        if tag is not None:
            content["account"] = tag
        payload = _b64(json.dumps(content, separators=(",", ":")).encode("ascii"))
        return payload if self.key is None else f"{payload}.{self._mac(payload)}"

    def decode(self, text: str) -> Cursor:
        """Read a cursor this codec issued.

        Raises:
            QueryError: Naming ``cursor``: the text is too long, not URL-safe base64, not
                signed by this codec's key, not a cursor's JSON, of an unknown version,
                issued to another account (or to none, for a codec bound to one), or not in
                the form this codec writes.
        """
        if len(text) > self.max_length:
            raise _refused(
                f"the cursor is longer than {self.max_length} characters", text, "too-large"
            )
        payload, dot, mac = text.partition(".")
        if _TOKEN.match(payload) is None or (dot and _TOKEN.match(mac) is None):
            raise _refused("the cursor is not one this service issued (not URL-safe base64)", text)
        if self.key is not None:
            if not dot or not hmac.compare_digest(mac, self._mac(payload)):
                raise _refused("the cursor is not one this service issued (bad signature)", text)
        elif dot:
            raise _refused("the cursor is signed, but this service does not sign cursors", text)
        try:
            content = json.loads(_unb64(payload).decode("ascii"))
        except (binascii.Error, ValueError, RecursionError):
            # binascii.Error, UnicodeDecodeError and JSONDecodeError are all ValueErrors.
            raise _refused("the cursor is not one this service issued (not JSON)", text) from None
        cursor = self._read(content, text)
        self._check_account(content, text)
        if self.encode(cursor) != text:
            raise _refused("the cursor is not in the form this service writes", text)
        return cursor

    def _check_account(self, content: dict[str, Any], text: str) -> None:
        tag = content.get("account")
        expected = self._account_tag()
        if expected is None:
            if tag is not None:
                raise _refused("the cursor was issued to an account; this one takes none", text)
        elif type(tag) is not str or not hmac.compare_digest(
            # Bytes, because compare_digest refuses text that is not ASCII.
            tag.encode("utf-8", "surrogatepass"),
            expected.encode("ascii"),
        ):
            raise _refused("the cursor was not issued to this account", text)

    def _read(self, content: Any, text: str) -> Cursor:
        if type(content) is not dict or not set(content) <= _MEMBERS:
            raise _refused("the cursor is not one this service issued (unknown content)", text)
        version = content.get("v")
        if type(version) is not int or version != CURSOR_VERSION:
            raise _refused(f"the cursor's version is not {CURSOR_VERSION}", text)
        offset = content.get("offset")
        if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
            raise _refused(f"the cursor's offset is not an integer from 0 to {MAX_OFFSET}", text)
        order_by = content.get("order_by")
        if order_by is None:
            return Cursor(offset)
        if type(order_by) is not str:
            raise _refused("the cursor's order is not text", text)
        try:
            return Cursor(offset, parse_order_by(order_by))
        except ValueError as error:
            raise _refused(f"the cursor's order is not valid: {error}", text) from None


DEFAULT_CURSORS = CursorCodec()
"""Unsigned cursors with the default length cap."""
