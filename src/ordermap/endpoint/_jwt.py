"""The one place PyJWT is called: a token's claims, once its header, signature and times pass.

Kept apart from :mod:`.auth` so that PyJWT is imported only when a token is checked. Every
failure becomes an :class:`~.auth.AuthError` (401) whose description says what is wrong in
this module's own words: nothing of the token, nor PyJWT's messages, is echoed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .auth import AuthError

if TYPE_CHECKING:
    from .auth import TokenVerifier

__all__ = ["claims_of"]

# What PyJWT (and the json module under it) raise on a token it cannot read at all: a JSON
# number too large for int() is an OverflowError, a deeply nested claim a RecursionError.
_UNREADABLE = (ValueError, TypeError, OverflowError, RecursionError)


def claims_of(verifier: TokenVerifier, token: str) -> dict[str, Any]:
    """The claims of ``token`` once it passes ``verifier``'s checks.

    Raises:
        AuthError: 401, ``invalid_token``.
    """
    import jwt

    def refuse(description: str) -> AuthError:
        return AuthError(401, description, error="invalid_token", realm=verifier.realm)

    try:
        header = jwt.get_unverified_header(token)
    except (jwt.PyJWTError, *_UNREADABLE):
        raise refuse("the bearer token is not a JWT") from None
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm.lower() == "none":
        raise refuse("the token is not signed")
    if algorithm not in verifier.algorithms:
        raise refuse("the token is signed with an algorithm this service does not accept")
    kid = header.get("kid")
    keys = verifier.keys_for(algorithm, kid)
    if not keys:
        raise refuse("no key of this service has the token's key id")
    for key in keys:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=verifier.audience,
                issuer=verifier.issuer,
                leeway=verifier.leeway,
                # Without a configured audience, aud is not checked (PyJWT would refuse any).
                options={"require": ["exp"], "verify_aud": verifier.audience is not None},
            )
        except (jwt.InvalidSignatureError, jwt.InvalidKeyError):
            # PyJWT checks the signature before the claims: another key may still verify it.
            continue
        except jwt.ExpiredSignatureError:
            raise refuse("the token has expired") from None
        except jwt.ImmatureSignatureError:
            raise refuse("the token is not valid yet") from None
        except jwt.InvalidAudienceError:
            raise refuse("the token is not meant for this service (aud)") from None
        except jwt.InvalidIssuerError:
            raise refuse("the token's issuer is not accepted (iss)") from None
        except jwt.MissingRequiredClaimError as error:
            raise refuse(f"the token has no {error.claim} claim") from None
        except (jwt.PyJWTError, *_UNREADABLE):
            raise refuse("the token is not valid") from None
        return claims
    raise refuse("the token's signature does not verify")
