"""One Dexero store per Talkdesk account, and the gate a request passes before any store is asked.

A :class:`Gate` holds a :class:`~.auth.TokenVerifier` and the accounts' :class:`Store`
entries. :meth:`Gate.admit` takes a request's ``Authorization`` header and gives the caller
and its store, or an :class:`~.auth.AuthError`: 401 for a missing or bad token, 403 for a
token without the scope or an account that has no store. Nothing about the store is known
to the caller before it passes.

:func:`load_config` reads both from a TOML file (``specs/endpoint.md`` has the format). The
values of the headers sent to a store (its credentials) are never in the file: the file names
environment variables, read when the file is loaded; a header's value appears in no ``repr``,
log line or error message of this module.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import attrs

from .auth import AuthError, Caller, TokenVerifier

__all__ = ["FORMATS", "Admission", "ConfigError", "Gate", "Store", "load_config"]

FORMATS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "dexero-xml": ("orders.xml", "application/xml"),
        "dexero-json": ("orders.json", "application/json"),
    }
)
"""Dexero format to the resource that serves it and its media type (XML is Dexero's default)."""

# RFC 9110's token: the syntax of a header name.
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z", re.ASCII)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z", re.ASCII)
_AUTH_KEYS = frozenset(
    {
        "jwks",
        "public_keys",
        "algorithms",
        "account_claim",
        "scope_claim",
        "required_scope",
        "audience",
        "issuer",
        "leeway",
        "realm",
    }
)
_ACCOUNT_KEYS = frozenset({"url", "format", "headers"})


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the file and the key at fault."""


def _url(instance: Any, attribute: Any, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("a store's url is an http or https URL")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("a store's url has no query, fragment or credentials (use headers)")


def _headers(instance: Any, attribute: Any, value: tuple[tuple[str, str], ...]) -> None:
    for name, text in value:
        if _HEADER_NAME.match(name) is None:
            raise ValueError(f"{name!r} is not a header name")
        if any(character in text for character in "\r\n\0"):
            raise ValueError(f"the value of header {name} holds a line break or NUL")


@attrs.frozen(kw_only=True)
class Store:
    """Where an account's orders are, and how to ask for them.

    Attributes:
        url: The folder holding Dexero's ``orders.xml`` and ``orders.json``, such as
            ``https://ecommerce.dexero.com/service/rest/2/merchant/catalog``.
        format: ``dexero-xml`` (Dexero's default) or ``dexero-json``.
        headers: Headers sent with every request to the store (its credentials); left out
            of ``repr``.
    """

    url: str = attrs.field(validator=_url)
    format: str = attrs.field(default="dexero-xml", validator=attrs.validators.in_(FORMATS))
    headers: tuple[tuple[str, str], ...] = attrs.field(default=(), repr=False, validator=_headers)

    @property
    def header_names(self) -> tuple[str, ...]:
        """The names of the headers sent, which may be shown where their values may not."""
        return tuple(name for name, _ in self.headers)

    @property
    def orders_url(self) -> str:
        """The URL of the store's ``GET orders`` in its format, without a query."""
        return f"{self.url.rstrip('/')}/{FORMATS[self.format][0]}"

    @property
    def media_type(self) -> str:
        """The media type to ask the store for."""
        return FORMATS[self.format][1]


@attrs.frozen
class Admission:
    """A request that passed the gate: who asks, and the store that holds its orders."""

    caller: Caller
    store: Store


def _stores(value: Mapping[str, Store]) -> Mapping[str, Store]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Gate:
    """Authentication and the account-to-store map, checked before anything else.

    Attributes:
        verifier: Checks the bearer token.
        stores: Account id to its store.
    """

    verifier: TokenVerifier
    stores: Mapping[str, Store] = attrs.field(converter=_stores)

    def admit(self, authorization: str | Sequence[str] | None) -> Admission:
        """The caller and store for a request's ``Authorization`` header.

        Raises:
            AuthError: 401 for a missing or bad token, 403 for a token without the scope or
                an account without a store.
        """
        caller = self.verifier.authenticate(authorization)
        store = self.stores.get(caller.account)
        if store is None:
            raise AuthError(
                403,
                "no order store is configured for this account",
                realm=self.verifier.realm,
                scope=self.verifier.required_scope,
            )
        return Admission(caller, store)


# --- the configuration file ------------------------------------------------------------------


def _table(value: Any, where: str, allowed: frozenset[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    if allowed is not None and (unknown := sorted(set(value) - allowed)):
        raise ConfigError(f"{where} has unknown keys: {', '.join(unknown)}")
    return value


def _read(path: Path, where: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{where}: cannot read {path}: {error.strerror}") from None


def _verifier(auth: dict[str, Any], folder: Path, name: str) -> TokenVerifier:
    settings = {key: auth[key] for key in auth if key not in ("jwks", "public_keys")}
    if "algorithms" in settings and not isinstance(settings["algorithms"], list):
        raise ConfigError(f"{name}: auth.algorithms must be a list")
    if ("jwks" in auth) == ("public_keys" in auth):
        raise ConfigError(f"{name}: auth needs either jwks (a file) or public_keys (PEM files)")
    try:
        if "jwks" in auth:
            jwks = _read(folder / str(auth["jwks"]), f"{name}: auth.jwks")
            try:
                document = json.loads(jwks)
            except ValueError:
                raise ConfigError(f"{name}: auth.jwks is not a JSON document") from None
            if not isinstance(document, dict):
                raise ConfigError(f"{name}: auth.jwks is not a JWKS document")
            return TokenVerifier.from_jwks(document, **settings)
        files = auth["public_keys"]
        if not isinstance(files, list) or not files:
            raise ConfigError(f"{name}: auth.public_keys must be a list of PEM files")
        pems = [_read(folder / str(file), f"{name}: auth.public_keys") for file in files]
        return TokenVerifier.from_pem(pems, **settings)
    except (TypeError, ValueError) as error:
        if isinstance(error, ConfigError):
            raise
        raise ConfigError(f"{name}: auth: {error}") from None


def _header_value(value: Any, where: str, environ: Mapping[str, str]) -> str:
    # The message never holds the value: a secret typed into the file must not reach a log.
    if not isinstance(value, dict) or set(value) != {"env"} or not isinstance(value["env"], str):
        raise ConfigError(
            f'{where} must name an environment variable: {{ env = "NAME" }} '
            "(header values are not written in the file)"
        )
    variable = value["env"]
    if _ENV_NAME.match(variable) is None:
        raise ConfigError(f"{where}: {variable!r} is not an environment variable name")
    if variable not in environ:
        raise ConfigError(f"{where}: the environment variable {variable} is not set")
    return environ[variable]


def _store(account: str, entry: Any, name: str, environ: Mapping[str, str]) -> Store:
    where = f"{name}: accounts.{json.dumps(account)}"
    table = _table(entry, where, _ACCOUNT_KEYS)
    if not isinstance(table.get("url"), str):
        raise ConfigError(f"{where}.url must be the URL of the folder holding orders.xml")
    headers = _table(table.get("headers", {}), f"{where}.headers")
    pairs = tuple(
        (header, _header_value(value, f"{where}.headers.{header}", environ))
        for header, value in headers.items()
    )
    format = table.get("format", "dexero-xml")
    if format not in FORMATS:
        raise ConfigError(f"{where}.format must be one of {', '.join(FORMATS)}")
    try:
        return Store(url=table["url"], format=format, headers=pairs)
    except ValueError as error:
        # Store's own messages name a header, never its value.
        raise ConfigError(f"{where}: {error}") from None


def load_config(path: str | os.PathLike[str], *, environ: Mapping[str, str] | None = None) -> Gate:
    """The gate a TOML configuration file describes: its ``[auth]`` and its ``[accounts]``.

    Args:
        path: The file. Key files it names are read relative to its folder.
        environ: Where header values are read (``os.environ`` by default).

    Raises:
        ConfigError: The file cannot be read or breaks a rule; the message names the key.
    """
    file = Path(path)
    name = str(file)
    try:
        document = tomllib.loads(_read(file, name).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{name}: not a TOML file: {error}") from None
    _table(document, name, frozenset({"auth", "accounts"}))
    auth = _table(document.get("auth"), f"{name}: auth", _AUTH_KEYS)
    accounts = _table(document.get("accounts", {}), f"{name}: accounts")
    environ = os.environ if environ is None else environ
    stores = {account: _store(account, entry, name, environ) for account, entry in accounts.items()}
    return Gate(verifier=_verifier(auth, file.parent, name), stores=stores)
