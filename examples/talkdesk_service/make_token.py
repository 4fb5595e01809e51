"""Make a local signing key and the bearer tokens the example service takes, for trying it out.

``key`` writes an RSA private key (PEM) and the JWKS document with its public half, which
the service's configuration names; ``token`` signs an RS256 token for an account with it.
The defaults match ``demo.toml`` beside this file.

Run it (from the ``examples`` folder)::

    python -m talkdesk_service.make_token key --out talkdesk_service/demo-keys
    python -m talkdesk_service.make_token token --key talkdesk_service/demo-keys/private.pem \\
        --account acme

In production the tokens come from Talkdesk's issuer and the JWKS document from its keys;
this script only stands in for that issuer.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ordermap.endpoint import SCOPE

__all__ = ["main", "make_key", "make_token"]

KID = "demo-key-1"
ISSUER = "https://issuer.demo.invalid"
AUDIENCE = "ordermap-demo"


def make_key(out: Path, kid: str = KID) -> tuple[Path, Path]:
    """Write ``private.pem`` and ``jwks.json`` into ``out``; returns their paths."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    out.mkdir(parents=True, exist_ok=True)
    private = out / "private.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private.chmod(0o600)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    document = {"keys": [{**jwk, "kid": kid, "use": "sig", "alg": "RS256"}]}
    jwks = out / "jwks.json"
    jwks.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return private, jwks


def make_token(
    private_pem: bytes,
    account: str,
    *,
    scope: str = SCOPE,
    minutes: float = 60,
    kid: str = KID,
    issuer: str = ISSUER,
    audience: str = AUDIENCE,
    account_claim: str = "account_id",
) -> str:
    """An RS256 token for ``account`` with ``scope``, valid for ``minutes`` from now."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": f"demo-user@{account}",
        account_claim: account,
        "scope": scope,
        "iat": now,
        "nbf": now,
        "exp": now + int(minutes * 60),
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    key = commands.add_parser("key", help="write private.pem and jwks.json")
    key.add_argument("--out", type=Path, required=True, help="the folder to write them into")
    key.add_argument("--kid", default=KID)
    token = commands.add_parser("token", help="print a bearer token")
    token.add_argument("--key", type=Path, required=True, help="the private.pem written by key")
    token.add_argument("--account", required=True)
    token.add_argument("--scope", default=SCOPE, help=f"space-separated (default {SCOPE})")
    token.add_argument("--minutes", type=float, default=60, help="how long it is valid")
    token.add_argument("--kid", default=KID)
    token.add_argument("--issuer", default=ISSUER)
    token.add_argument("--audience", default=AUDIENCE)
    token.add_argument("--account-claim", default="account_id")
    args = parser.parse_args(argv)
    if args.command == "key":
        private, jwks = make_key(args.out, args.kid)
        print(f"wrote {private} (keep it private) and {jwks}")
        return
    print(
        make_token(
            args.key.read_bytes(),
            args.account,
            scope=args.scope,
            minutes=args.minutes,
            kid=args.kid,
            issuer=args.issuer,
            audience=args.audience,
            account_claim=args.account_claim,
        )
    )


if __name__ == "__main__":
    main()
