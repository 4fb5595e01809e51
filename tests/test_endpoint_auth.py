"""Who is asking: bearer tokens checked against local keys, and the 401 and 403 they get."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordermap.endpoint import (
    MAX_TOKEN_LENGTH,
    SCOPE,
    AuthError,
    Caller,
    Store,
    TokenVerifier,
)

from .auth_keys import (
    ISSUER,
    KID,
    b64,
    claims,
    ec_key,
    forged,
    gate,
    jwks,
    public_pem,
    rsa_key,
    token,
    verifier,
)
from .test_endpoint_query import error_body_schema_errors

VERIFIER = verifier()


def refused(authorization: Any, status: int = 401, *, using: TokenVerifier = VERIFIER) -> AuthError:
    with pytest.raises(AuthError) as caught:
        using.authenticate(authorization)
    error = caught.value
    assert error.status == status
    body = error.to_talkdesk_error()
    assert body.code == str(status)
    assert body.message == ("Unauthorized" if status == 401 else "Forbidden")
    import ordermap

    assert error_body_schema_errors(ordermap.encode(body, "talkdesk-json")) == []
    challenge = error.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="orders"')
    if isinstance(authorization, str) and len(authorization) > 20:
        # Nothing of the token is echoed, in the body or the challenge.
        secret_part = authorization.rsplit(".", 1)[-1][-16:]
        if secret_part:
            assert secret_part not in challenge and secret_part not in (body.description or "")
    return error


def test_a_good_token_names_the_account_and_its_scopes() -> None:
    caller = VERIFIER.authenticate(f"Bearer {token('acme')}")
    assert caller == Caller("acme", ("openid", SCOPE), "user@acme")
    assert caller.claims["iss"] == ISSUER
    # The scheme is case-insensitive (RFC 7235), and the header may come as a list of one.
    assert VERIFIER.authenticate([f"bearer {token('acme')}"]).account == "acme"


def test_scopes_may_be_a_list_and_the_claims_are_configurable() -> None:
    custom = verifier(account_claim="tenant", scope_claim="scp")
    good = token(account_id=None, tenant="globex", scp=[SCOPE], scope=None)
    assert custom.authenticate(f"Bearer {good}").account == "globex"
    error = refused(f"Bearer {token()}", using=custom)
    assert error.description == "the token has no account id (the tenant claim)"


def test_no_token_gets_a_401_challenge_without_an_error_code() -> None:
    for authorization in (None, [], "Basic dXNlcjpwYXNz", "Bearer", "Bearer "):
        error = refused(authorization)
        if authorization in ("Bearer", "Bearer "):
            assert error.error == "invalid_token"
            continue
        assert error.error is None
        assert error.www_authenticate == f'Bearer realm="orders", scope="{SCOPE}"'


@pytest.mark.parametrize(
    ("authorization", "description"),
    [
        pytest.param("Bearer not a token", "the bearer token is malformed", id="spaces"),
        pytest.param('Bearer ab"c', "the bearer token is malformed", id="quote"),
        pytest.param(
            "Bearer " + "a" * (MAX_TOKEN_LENGTH + 1), "the bearer token is malformed", id="huge"
        ),
        pytest.param("Bearer abc", "the bearer token is not a JWT", id="one-part"),
        pytest.param("Bearer a.b.c", "the bearer token is not a JWT", id="not-base64-json"),
        pytest.param(
            ["Bearer a.b.c", "Bearer d.e.f"],
            "the request has more than one Authorization header",
            id="two-headers",
        ),
    ],
)
def test_a_malformed_token_gets_a_401(authorization: Any, description: str) -> None:
    error = refused(authorization)
    assert error.error == "invalid_token"
    assert error.description == description
    assert f'error_description="{description}"' in error.www_authenticate


def test_an_expired_token_gets_a_401_beyond_the_leeway_only() -> None:
    now = int(time.time())
    error = refused(f"Bearer {token(exp=now - 120)}")
    assert (error.error, error.description) == ("invalid_token", "the token has expired")
    # Within the leeway (30 s by default) a token just past its expiry still passes.
    assert VERIFIER.authenticate(f"Bearer {token(exp=now - 5)}").account == "acme"
    refused(f"Bearer {token(exp=now - 5)}", using=verifier(leeway=0))


def test_a_token_not_valid_yet_gets_a_401() -> None:
    now = int(time.time())
    error = refused(f"Bearer {token(nbf=now + 600, exp=now + 1200)}")
    assert error.description == "the token is not valid yet"
    assert VERIFIER.authenticate(f"Bearer {token(nbf=now + 5)}").account == "acme"


def test_a_token_without_expiry_gets_a_401() -> None:
    error = refused(f"Bearer {token(exp=None)}")
    assert error.description == "the token has no exp claim"


def test_a_token_signed_by_another_key_gets_a_401() -> None:
    error = refused(f"Bearer {token(key=rsa_key('stranger'))}")
    assert error.description == "the token's signature does not verify"
    # Without a kid, every key of the family is tried; the stranger's still fails.
    refused(f"Bearer {token(key=rsa_key('stranger'), kid=None)}")
    assert VERIFIER.authenticate(f"Bearer {token(kid=None)}").account == "acme"


def test_a_token_naming_an_unknown_key_gets_a_401() -> None:
    error = refused(f"Bearer {token(kid='another-key')}")
    assert error.description == "no key of this service has the token's key id"


def test_a_tampered_token_gets_a_401() -> None:
    good = token()
    header, payload, signature = good.split(".")
    other = token("globex").split(".")[1]
    refused(f"Bearer {header}.{other}.{signature}")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    refused(f"Bearer {header}.{payload}.{flipped}")


@pytest.mark.parametrize("algorithm", ["RS384", "RS512", "PS256"])
def test_a_token_in_an_algorithm_not_pinned_gets_a_401(algorithm: str) -> None:
    error = refused(f"Bearer {token(algorithm=algorithm)}")
    assert error.description == "the token is signed with an algorithm this service does not accept"
    # Pinned, the same token passes.
    assert (
        verifier(algorithms=["RS256", algorithm])
        .authenticate(f"Bearer {token(algorithm=algorithm)}")
        .account
        == "acme"
    )


def test_an_hmac_token_made_with_the_public_key_as_secret_gets_a_401() -> None:
    # The classic confusion: HS256 "signed" with the service's public key, which is public.
    attack = forged({"alg": "HS256", "typ": "JWT", "kid": KID}, claims(), public_pem(rsa_key()))
    error = refused(f"Bearer {attack}")
    assert "algorithm" in error.description
    with pytest.raises(ValueError, match="not taken"):
        verifier(algorithms=["RS256", "HS256"])


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_an_unsigned_token_gets_a_401(alg: str) -> None:
    error = refused(f"Bearer {forged({'alg': alg, 'typ': 'JWT'}, claims())}")
    assert error.description in ("the token is not signed", "the bearer token is malformed")
    with pytest.raises(ValueError, match="not taken"):
        verifier(algorithms=["none"])


def test_a_token_without_alg_gets_a_401() -> None:
    error = refused(f"Bearer {forged({'typ': 'JWT'}, claims(), b'x')}")
    assert error.description == "the token is not signed"


def test_audience_and_issuer_are_checked_when_configured() -> None:
    assert refused(f"Bearer {token(aud='someone-else')}").description == (
        "the token is not meant for this service (aud)"
    )
    assert refused(f"Bearer {token(iss='https://evil.test')}").description == (
        "the token's issuer is not accepted (iss)"
    )
    assert refused(f"Bearer {token(aud=None)}").description == "the token has no aud claim"
    assert refused(f"Bearer {token(iss=None)}").description == "the token has no iss claim"
    # Not configured, they are not checked.
    lax = TokenVerifier.from_jwks(jwks((rsa_key(), KID)))
    assert lax.authenticate(f"Bearer {token(aud='anyone', iss=None)}").account == "acme"


def test_a_token_without_an_account_gets_a_401() -> None:
    for account in (None, "", 42, ["acme"]):
        error = refused(f"Bearer {token(account_id=account)}")
        assert error.description == "the token has no account id (the account_id claim)"


def test_a_token_without_the_scope_gets_a_403() -> None:
    for scope in ("openid", "erc-ecommerce-customers:write", None, "erc-ecommerce-customers"):
        error = refused(f"Bearer {token(scope=scope)}", 403)
        assert error.error == "insufficient_scope"
        assert error.www_authenticate == (
            f'Bearer realm="orders", error="insufficient_scope", '
            f'error_description="the token does not grant the scope {SCOPE}", scope="{SCOPE}"'
        )
    refused(f"Bearer {token(scope=42)}", 401)
    refused(f"Bearer {token(scope=[SCOPE, 42])}", 401)


def test_pem_keys_and_ec_keys() -> None:
    pem = TokenVerifier.from_pem(
        [public_pem(ec_key()), public_pem(rsa_key())], algorithms=["ES256", "RS256"]
    )
    assert (
        pem.authenticate(f"Bearer {token(key=ec_key(), algorithm='ES256', kid=None)}").account
        == "acme"
    )
    assert pem.authenticate(f"Bearer {token(kid=None)}").account == "acme"
    # A kid the PEM keys do not have narrows nothing: the keys have no ids.
    assert pem.authenticate(f"Bearer {token()}").account == "acme"
    refused(f"Bearer {token(key=ec_key('stranger'), algorithm='ES256')}", using=pem)
    es_only = TokenVerifier.from_pem([public_pem(ec_key())], algorithms=["ES256"])
    refused(f"Bearer {token()}", using=es_only)


def test_bad_key_configurations_are_refused() -> None:
    with pytest.raises(ValueError, match="PEM public key"):
        TokenVerifier.from_pem([b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"])
    with pytest.raises(ValueError, match="no key fits"):
        TokenVerifier.from_pem([public_pem(ec_key())])  # RS256 by default
    with pytest.raises(ValueError, match="kty 'oct'"):
        TokenVerifier.from_jwks({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]})
    private = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key()))
    with pytest.raises(ValueError, match="private key"):
        TokenVerifier.from_jwks({"keys": [private]})
    with pytest.raises(ValueError, match="list of keys"):
        TokenVerifier.from_jwks({"keys": {}})
    encryption = {**jwks((rsa_key(), KID))["keys"][0], "use": "enc"}
    with pytest.raises(ValueError):  # the only key is skipped, leaving none
        TokenVerifier.from_jwks({"keys": [encryption]})
    with pytest.raises(ValueError, match="leeway"):
        verifier(leeway=3600)
    with pytest.raises(ValueError):
        verifier(audience="")
    assert "BEGIN" not in repr(VERIFIER)


def test_an_account_without_a_store_gets_a_403() -> None:
    door = gate({"acme": Store(url="http://127.0.0.1:9/catalog")})
    assert door.admit(f"Bearer {token('acme')}").store.url == "http://127.0.0.1:9/catalog"
    with pytest.raises(AuthError) as caught:
        door.admit(f"Bearer {token('globex')}")
    assert caught.value.status == 403
    assert caught.value.description == "no order store is configured for this account"
    # The 401 checks come first: an unknown account with a bad token is a 401.
    with pytest.raises(AuthError) as caught:
        door.admit(f"Bearer {token('globex', exp=1)}")
    assert caught.value.status == 401


@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: "Bearer " + b.hex()))
def test_any_header_is_a_caller_or_an_auth_error(text: str) -> None:
    try:
        VERIFIER.authenticate(text)
    except AuthError as error:
        assert error.status in (401, 403)


@given(
    st.dictionaries(
        st.sampled_from(["alg", "kid", "typ", "crit", "x5u", "jku"]),
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=8)
        | st.lists(st.integers(), max_size=2),
    ),
    st.dictionaries(
        st.sampled_from(["exp", "nbf", "iat", "aud", "iss", "account_id", "scope", "sub"]),
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
    ),
)
def test_any_forged_token_is_refused_cleanly(
    header: dict[str, Any], payload: dict[str, Any]
) -> None:
    for secret in (None, b"x", public_pem(rsa_key())):
        text = forged(header, payload, secret)
        with pytest.raises(AuthError) as caught:
            VERIFIER.authenticate(f"Bearer {text}")
        assert caught.value.status == 401


def test_a_huge_or_infinite_expiry_is_refused_cleanly() -> None:
    # Python's json reads these; PyJWT's int() of them would overflow or fail.
    header = b64(json.dumps({"alg": "RS256", "kid": KID}).encode())
    for exp in ("1e400", "Infinity", "NaN", "9" * 400, "-Infinity"):
        payload = b64(f'{{"account_id":"acme","exp":{exp}}}'.encode())
        refused(f"Bearer {header}.{payload}.AAAA")
        # Signed for real, the claim still cannot pass.
        signed = jwt.api_jws.encode(
            f'{{"account_id":"acme","exp":{exp}}}'.encode(), rsa_key(), "RS256", {"kid": KID}
        )
        refused(f"Bearer {signed}")


def test_importing_ordermap_does_not_import_jwt() -> None:
    code = (
        "import sys, ordermap, ordermap.endpoint\n"
        "from ordermap.endpoint import TokenVerifier, AuthError, load_config\n"
        "assert 'jwt' not in sys.modules and 'cryptography' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("setting", ["realm", "required_scope", "account_claim", "scope_claim"])
def test_settings_that_reach_the_challenge_header_cannot_break_it(setting: str) -> None:
    for value in ('a"b', "a\\b", "é", "", "line\nbreak"):
        with pytest.raises(ValueError, match=setting):
            verifier(**{setting: value})


def test_a_configured_scope_and_realm_are_named_in_every_challenge() -> None:
    custom = verifier(required_scope="orders:read", realm="shop")
    assert refused_header(custom, None) == 'Bearer realm="shop", scope="orders:read"'
    assert refused_header(custom, f"Bearer {token()}") == (
        'Bearer realm="shop", error="insufficient_scope", '
        'error_description="the token does not grant the scope orders:read", scope="orders:read"'
    )


def refused_header(using: TokenVerifier, authorization: str | None) -> str:
    with pytest.raises(AuthError) as caught:
        using.authenticate(authorization)
    return caught.value.www_authenticate
