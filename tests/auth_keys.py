"""Locally made signing keys and tokens for the endpoint's authentication tests (no network).

The keys are made once per test session: an RSA key pair (RS256, the default algorithm), a
second RSA pair the service does not know (for wrong-signature tokens) and an EC P-256 pair.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ordermap.endpoint import SCOPE, Gate, Store, TokenVerifier

KID = "test-key-1"
ISSUER = "https://issuer.test"
AUDIENCE = "ordermap-tests"


@functools.cache
def rsa_key(name: str = "service") -> rsa.RSAPrivateKey:
    """A 2048-bit RSA private key, one per ``name``."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def ec_key(name: str = "service") -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(key: Any) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def jwks(*keys: tuple[Any, str]) -> dict[str, Any]:
    """A JWKS document with the public halves of ``(private key, kid)`` pairs."""
    entries = []
    for key, kid in keys:
        algorithm = jwt.algorithms.RSAAlgorithm if isinstance(key, rsa.RSAPrivateKey) else None
        if algorithm is None:
            entry = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
        else:
            entry = json.loads(algorithm.to_jwk(key.public_key()))
        entries.append({**entry, "kid": kid, "use": "sig"})
    return {"keys": entries}


def claims(account: str = "acme", **changes: Any) -> dict[str, Any]:
    """The claims of a good token for ``account``; a change of ``None`` drops the claim."""
    now = int(time.time())
    content = {
        "sub": f"user@{account}",
        "account_id": account,
        "scope": f"openid {SCOPE}",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    content.update(changes)
    return {name: value for name, value in content.items() if value is not None}


def token(
    account: str = "acme",
    *,
    key: Any = None,
    algorithm: str = "RS256",
    kid: str | None = KID,
    **changes: Any,
) -> str:
    """A token signed with the service's RSA key (or ``key``) for ``account``."""
    headers = {} if kid is None else {"kid": kid}
    return jwt.encode(
        claims(account, **changes), key or rsa_key(), algorithm=algorithm, headers=headers
    )


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def forged(header: dict[str, Any], payload: dict[str, Any], secret: bytes | None = None) -> str:
    """A token written by hand: unsigned when ``secret`` is ``None``, else HMAC-SHA256."""
    signing_input = (
        b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    ).encode()
    if secret is None:
        return signing_input.decode() + "."
    mac = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return signing_input.decode() + "." + b64(mac)


def verifier(**settings: Any) -> TokenVerifier:
    """A verifier for the service's RSA key, by JWKS, with the tests' issuer and audience."""
    options = {"issuer": ISSUER, "audience": AUDIENCE, **settings}
    return TokenVerifier.from_jwks(jwks((rsa_key(), KID)), **options)


def gate(stores: dict[str, Store], **settings: Any) -> Gate:
    return Gate(verifier=verifier(**settings), stores=stores)


def bearer(account: str = "acme", **changes: Any) -> dict[str, str]:
    """The ``Authorization`` header of a good token for ``account``."""
    return {"Authorization": f"Bearer {token(account, **changes)}"}
