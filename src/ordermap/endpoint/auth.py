"""Who is asking: the request's bearer token, verified, and the account and scopes it names.

The Talkdesk seed puts its orders endpoint behind authentication with the scope
``erc-ecommerce-customers:read`` and lists 401 and 403 among its answers. A
:class:`TokenVerifier` reads ``Authorization: Bearer <JWT>`` (RFC 6750) and checks the token
with PyJWT:

- the signature, against the configured public keys (a JWKS document or PEM files), with the
  algorithm the token names only if it is one of the configured ones. Only asymmetric
  algorithms are taken, so a public key can never be used as an HMAC secret, and ``none`` is
  refused whatever the configuration;
- ``exp`` (required) and ``nbf`` (when present), with a small leeway for clock skew;
- ``aud`` and ``iss`` when an audience and an issuer are configured;
- the account id, a non-empty string in the configured claim, and the scopes, a
  space-separated string (OAuth 2) or a list of strings in the configured claim.

Anything wrong with the token is an :class:`AuthError` with status 401; a valid token without
the required scope is a 403. PyJWT (``ordermap[endpoint]``) is imported only when keys are
loaded or a token is checked, so ``import ordermap`` does not need it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..model import TalkdeskErrorBody

__all__ = [
    "ALGORITHMS",
    "DEFAULT_LEEWAY",
    "MAX_TOKEN_LENGTH",
    "SCOPE",
    "AuthError",
    "Caller",
    "TokenVerifier",
    "VerificationKey",
]

SCOPE = "erc-ecommerce-customers:read"
"""The scope the seed names for the orders endpoint."""
ALGORITHMS = (
    *("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"),
    *("ES256", "ES384", "ES512", "EdDSA"),
)
"""The algorithms a verifier can be configured with: the asymmetric ones JWS defines."""
DEFAULT_LEEWAY = 30.0
"""Seconds of clock skew allowed on ``exp`` and ``nbf``."""
MAX_LEEWAY = 300.0
MAX_TOKEN_LENGTH = 8192
"""The longest token read; a longer one is refused before it is decoded."""

# A key's family (the JWK "kty") for each algorithm prefix.
_FAMILIES = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}
# RFC 6750's b64token: the syntax of a bearer token.
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*\Z", re.ASCII)
# What may stand between quotes in WWW-Authenticate: printable ASCII but '"' and '\\'.
_QUOTABLE = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]+\Z", re.ASCII)


def _family(algorithm: str) -> str:
    return _FAMILIES[algorithm[:2]]


class AuthError(Exception):
    """A request that does not pass: 401 (who is asking is not known) or 403 (not allowed).

    Attributes:
        status: 401 or 403.
        error: RFC 6750's error code: ``invalid_token``, ``insufficient_scope``, or ``None``
            when the request carries no bearer token at all (or for an account without store).
        description: Why, in words; it never quotes the token or any secret.
        realm: The realm named in ``WWW-Authenticate``.
        scope: The scope the endpoint needs, named in ``WWW-Authenticate``.
    """

    def __init__(
        self,
        status: int,
        description: str,
        *,
        error: str | None = None,
        realm: str = "orders",
        scope: str = SCOPE,
    ) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.error = error
        self.description = description
        self.realm = realm
        self.scope = scope

    @property
    def www_authenticate(self) -> str:
        """The ``WWW-Authenticate`` header's value (RFC 6750 section 3)."""
        parts = [f'realm="{self.realm}"']
        if self.error is not None:
            parts.append(f'error="{self.error}"')
            parts.append(f'error_description="{self.description}"')
        if self.error != "invalid_token":
            parts.append(f'scope="{self.scope}"')
        return "Bearer " + ", ".join(parts)

    @property
    def headers(self) -> dict[str, str]:
        """The response headers the error goes with: ``WWW-Authenticate``."""
        return {"WWW-Authenticate": self.www_authenticate}

    def to_talkdesk_error(self) -> TalkdeskErrorBody:
        """The Talkdesk error body: ``code`` the status, ``message`` its reason phrase."""
        message = "Unauthorized" if self.status == 401 else "Forbidden"
        return TalkdeskErrorBody(
            code=str(self.status), message=message, description=self.description
        )


@attrs.frozen
class Caller:
    """Who a verified token says is asking.

    Attributes:
        account: The account id, from the verifier's account claim.
        scopes: The token's scopes, in its order.
        subject: The ``sub`` claim, when it is a string.
        claims: Every claim of the token.
    """

    account: str
    scopes: tuple[str, ...] = ()
    subject: str | None = None
    claims: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)


@attrs.frozen
class VerificationKey:
    """A public key a token's signature may be checked against.

    Attributes:
        key: The key, as the ``cryptography`` package holds it.
        family: ``RSA``, ``EC`` or ``OKP`` (the JWK ``kty``).
        kid: The key id, matched against a token's ``kid`` header.
        algorithm: The one algorithm this key takes (a JWK's ``alg``), or ``None`` for any
            configured algorithm of its family.
    """

    key: Any = attrs.field(repr=False)
    family: str = attrs.field(validator=attrs.validators.in_(("RSA", "EC", "OKP")))
    kid: str | None = None
    algorithm: str | None = None


def _pem_key(data: bytes | str) -> VerificationKey:
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    raw = data.encode("ascii") if isinstance(data, str) else data
    try:
        key = load_pem_public_key(raw)
    except ValueError:
        message = "not a PEM public key (a private key or a certificate is not taken)"
        raise ValueError(message) from None
    if isinstance(key, rsa.RSAPublicKey):
        return VerificationKey(key, "RSA")
    if isinstance(key, ec.EllipticCurvePublicKey):
        return VerificationKey(key, "EC")
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        return VerificationKey(key, "OKP")
    raise ValueError(f"a {type(key).__name__} cannot verify a JWT")


def _jwk_key(jwk: Any, index: int) -> VerificationKey | None:
    import jwt

    where = f"key {index} of the JWKS document"
    if not isinstance(jwk, dict):
        raise ValueError(f"{where} is not an object")
    if jwk.get("use", "sig") != "sig":
        return None
    kty = jwk.get("kty")
    if kty not in ("RSA", "EC", "OKP"):
        raise ValueError(f"{where} has kty {kty!r}; only RSA, EC and OKP public keys are taken")
    if any(member in jwk for member in ("d", "p", "q")):
        raise ValueError(f"{where} is a private key; give the public key only")
    kid = jwk.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise ValueError(f"{where} has a kid that is not a string")
    algorithm = jwk.get("alg")
    if algorithm is not None and algorithm not in ALGORITHMS:
        raise ValueError(f"{where} has alg {algorithm!r}, which is not taken")
    try:
        parsed = jwt.PyJWK(jwk)
    except jwt.PyJWTError as error:
        raise ValueError(f"{where} cannot be read: {error}") from None
    return VerificationKey(parsed.key, kty, kid, algorithm)


def _algorithms(instance: Any, attribute: Any, value: tuple[str, ...]) -> None:
    if not value:
        raise ValueError("a verifier needs at least one algorithm")
    for algorithm in value:
        if algorithm not in ALGORITHMS:
            raise ValueError(
                f"algorithm {algorithm!r} is not taken; use one of {', '.join(ALGORITHMS)}"
            )


def _name(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{attribute.name} must be a non-empty string")


def _optional_name(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        _name(instance, attribute, value)


def _leeway(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) not in (int, float) or not 0 <= value <= MAX_LEEWAY:
        raise ValueError(f"the leeway is from 0 to {MAX_LEEWAY:g} seconds")


def _quotable(instance: Any, attribute: Any, value: Any) -> None:
    # These go into the WWW-Authenticate header, between quotes.
    if not isinstance(value, str) or _QUOTABLE.match(value) is None:
        message = "must be printable ASCII, non-empty, without quotes or backslashes"
        raise ValueError(f"{attribute.name} {message}")


def _key_tuple(keys: Iterable[VerificationKey]) -> tuple[VerificationKey, ...]:
    return tuple(keys)


def _text_tuple(texts: Iterable[str]) -> tuple[str, ...]:
    # A lone string would otherwise become a tuple of its characters.
    return (texts,) if isinstance(texts, str) else tuple(texts)


def _bearer(authorization: str | Sequence[str] | None, realm: str, scope: str) -> str:
    """The token of an ``Authorization`` header (one value, or the list of them)."""
    values = [authorization] if isinstance(authorization, str) else list(authorization or ())
    if not values:
        raise AuthError(401, "the request has no bearer token", realm=realm, scope=scope)
    if len(values) > 1:
        message = "the request has more than one Authorization header"
        raise AuthError(401, message, error="invalid_token", realm=realm)
    scheme, _, token = values[0].strip().partition(" ")
    if scheme.lower() != "bearer":
        raise AuthError(401, "the request has no bearer token", realm=realm, scope=scope)
    token = token.strip(" ")
    if len(token) > MAX_TOKEN_LENGTH or _B64TOKEN.match(token) is None:
        raise AuthError(401, "the bearer token is malformed", error="invalid_token", realm=realm)
    return token


@attrs.frozen(kw_only=True)
class TokenVerifier:
    """Checks bearer tokens and says who is asking.

    Attributes:
        keys: The public keys tokens are signed with.
        algorithms: The algorithms accepted (pinned); a token naming another is refused.
        account_claim: The claim holding the account id.
        scope_claim: The claim holding the scopes.
        required_scope: The scope a caller needs.
        audience: The audience (``aud``) a token must name, or ``None`` not to check it.
        issuer: The issuer (``iss``) a token must name, or ``None`` not to check it.
        leeway: Seconds of clock skew allowed on ``exp`` and ``nbf``.
        realm: The realm named in ``WWW-Authenticate``.
    """

    keys: tuple[VerificationKey, ...] = attrs.field(
        converter=_key_tuple, validator=attrs.validators.min_len(1)
    )
    algorithms: tuple[str, ...] = attrs.field(
        default=("RS256",), converter=_text_tuple, validator=_algorithms
    )
    account_claim: str = attrs.field(default="account_id", validator=_quotable)
    scope_claim: str = attrs.field(default="scope", validator=_quotable)
    required_scope: str = attrs.field(default=SCOPE, validator=_quotable)
    audience: str | None = attrs.field(default=None, validator=_optional_name)
    issuer: str | None = attrs.field(default=None, validator=_optional_name)
    leeway: float = attrs.field(default=DEFAULT_LEEWAY, validator=_leeway)
    realm: str = attrs.field(default="orders", validator=_quotable)

    def __attrs_post_init__(self) -> None:
        # A verifier whose keys fit none of its algorithms would refuse every token: say so now.
        if not any(self.keys_for(algorithm, None) for algorithm in self.algorithms):
            raise ValueError("no key fits any of the configured algorithms")

    @classmethod
    def from_pem(cls, pems: Iterable[bytes | str], **settings: Any) -> TokenVerifier:
        """A verifier for PEM public keys (``-----BEGIN PUBLIC KEY-----``).

        Raises:
            ValueError: A key cannot be read, or a setting is not valid.
        """
        keys = []
        for index, pem in enumerate(pems):
            try:
                keys.append(_pem_key(pem))
            except ValueError as error:
                raise ValueError(f"PEM key {index}: {error}") from None
        return cls(keys=tuple(keys), **settings)

    @classmethod
    def from_jwks(cls, document: Mapping[str, Any], **settings: Any) -> TokenVerifier:
        """A verifier for the signing keys of a JWKS document (RFC 7517 section 5).

        Keys whose ``use`` is not ``sig`` are skipped; symmetric and private keys are refused.

        Raises:
            ValueError: The document or a key cannot be read, or a setting is not valid.
        """
        members = document.get("keys")
        if not isinstance(members, list):
            raise ValueError("a JWKS document is an object with a list of keys")
        keys = [key for index, jwk in enumerate(members) if (key := _jwk_key(jwk, index))]
        return cls(keys=tuple(keys), **settings)

    def _refuse(self, description: str) -> AuthError:
        return AuthError(401, description, error="invalid_token", realm=self.realm)

    def keys_for(self, algorithm: str, kid: Any = None) -> list[VerificationKey]:
        """The keys a token signed with ``algorithm`` (and naming key ``kid``) is checked against.

        A ``kid`` narrows the keys to those with that id when the keys have ids at all.
        """
        fitting = [
            key
            for key in self.keys
            if key.family == _family(algorithm) and key.algorithm in (None, algorithm)
        ]
        if kid is not None and any(key.kid is not None for key in fitting):
            return [key for key in fitting if key.kid == kid]
        return fitting

    def authenticate(self, authorization: str | Sequence[str] | None) -> Caller:
        """The caller a request's ``Authorization`` header names.

        Args:
            authorization: The header's value, the list of its values, or ``None``.

        Raises:
            AuthError: 401 for a missing, malformed or invalid token; 403 for a valid token
                without the required scope.
        """
        from ._jwt import claims_of

        token = _bearer(authorization, self.realm, self.required_scope)
        claims = claims_of(self, token)
        account = claims.get(self.account_claim)
        if not isinstance(account, str) or not account:
            raise self._refuse(f"the token has no account id (the {self.account_claim} claim)")
        scopes = claims.get(self.scope_claim, "")
        if isinstance(scopes, str):
            scopes = scopes.split()
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise self._refuse(f"the token's {self.scope_claim} claim is not a list of scopes")
        if self.required_scope not in scopes:
            raise AuthError(
                403,
                f"the token does not grant the scope {self.required_scope}",
                error="insufficient_scope",
                realm=self.realm,
                scope=self.required_scope,
            )
        subject = claims.get("sub")
        return Caller(
            account,
            tuple(scopes),
            subject if isinstance(subject, str) else None,
            claims,
        )
