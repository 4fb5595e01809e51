"""One Dexero store per account, read from a TOML file, with credentials from the environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ordermap.endpoint import AuthError, ConfigError, Gate, Store, load_config

from .auth_keys import AUDIENCE, ISSUER, KID, ec_key, jwks, public_pem, rsa_key, token

SECRET = "s3cr3t-value-never-shown"
ENVIRON = {"ACME_KEY": SECRET, "GLOBEX_KEY": "another-secret"}

GOOD = f"""
[auth]
jwks = "keys/jwks.json"
algorithms = ["RS256"]
issuer = "{ISSUER}"
audience = "{AUDIENCE}"
leeway = 10

[accounts.acme]
url = "https://acme.dexero.test/service/rest/2/merchant/catalog"
headers = {{ X-Dexero-Key = {{ env = "ACME_KEY" }} }}

[accounts."globex:eu"]
url = "http://127.0.0.1:8002/"
format = "dexero-json"
headers = {{ Authorization = {{ env = "GLOBEX_KEY" }}, X-Tenant = {{ env = "GLOBEX_KEY" }} }}

[accounts.initech]
url = "http://127.0.0.1:8003"
"""


def write(folder: Path, text: str) -> Path:
    keys = folder / "keys"
    keys.mkdir(exist_ok=True)
    (keys / "jwks.json").write_text(json.dumps(jwks((rsa_key(), KID))))
    (keys / "ec.pem").write_bytes(public_pem(ec_key()))
    path = folder / "endpoint.toml"
    path.write_text(text)
    return path


def test_a_config_file_gives_each_account_its_store(tmp_path: Path) -> None:
    door = load_config(write(tmp_path, GOOD), environ=ENVIRON)
    assert isinstance(door, Gate)
    assert sorted(door.stores) == ["acme", "globex:eu", "initech"]
    acme = door.stores["acme"]
    assert acme.orders_url == "https://acme.dexero.test/service/rest/2/merchant/catalog/orders.xml"
    assert (acme.format, acme.media_type) == ("dexero-xml", "application/xml")
    assert acme.headers == (("X-Dexero-Key", SECRET),)
    globex = door.stores["globex:eu"]
    assert globex.orders_url == "http://127.0.0.1:8002/orders.json"
    assert globex.header_names == ("Authorization", "X-Tenant")
    assert door.stores["initech"].headers == ()
    assert door.verifier.leeway == 10 and door.verifier.issuer == ISSUER
    admission = door.admit(f"Bearer {token('globex:eu')}")
    assert admission.caller.account == "globex:eu" and admission.store is globex
    with pytest.raises(AuthError) as caught:
        door.admit(f"Bearer {token('umbrella')}")
    assert caught.value.status == 403


def test_header_values_are_in_no_repr(tmp_path: Path) -> None:
    door = load_config(write(tmp_path, GOOD), environ=ENVIRON)
    for text in (repr(door), str(door), repr(door.stores["acme"]), repr(dict(door.stores))):
        assert SECRET not in text and "another-secret" not in text


def test_pem_keys_may_be_given_instead(tmp_path: Path) -> None:
    text = '[auth]\npublic_keys = ["keys/ec.pem"]\nalgorithms = ["ES256"]\n[accounts.acme]\nurl = "http://127.0.0.1:1"\n'
    door = load_config(write(tmp_path, text), environ={})
    good = token(key=ec_key(), algorithm="ES256", kid=None)
    assert door.admit(f"Bearer {good}").caller.account == "acme"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[auth\n", "not a TOML file"),
        ("[accounts.acme]\nurl = 'http://x.test'\n", "auth must be a table"),
        ("[auth]\njwks = 'keys/jwks.json'\nkeys = 1\n", "unknown keys: keys"),
        ("[auth]\n", "either jwks"),
        ("[auth]\njwks = 'keys/jwks.json'\npublic_keys = ['keys/ec.pem']\n", "either jwks"),
        ("[auth]\njwks = 'keys/missing.json'\n", "cannot read"),
        ("[auth]\njwks = 'endpoint.toml'\n", "not a JSON document"),
        ("[auth]\npublic_keys = 'keys/ec.pem'\n", "list of PEM files"),
        ("[auth]\njwks = 'keys/jwks.json'\nalgorithms = 'RS256'\n", "must be a list"),
        ("[auth]\njwks = 'keys/jwks.json'\nalgorithms = ['none']\n", "not taken"),
        ("[auth]\njwks = 'keys/jwks.json'\nalgorithms = ['HS256']\n", "not taken"),
        ("[auth]\njwks = 'keys/jwks.json'\nleeway = 'soon'\n", "leeway"),
        ("[auth]\njwks = 'keys/jwks.json'\naudience = ['a', 'b']\n", "audience"),
        ("[auth]\npublic_keys = ['keys/ec.pem']\n", "no key fits"),
        ("[auth]\njwks = 'keys/jwks.json'\n[extra]\n", "unknown keys: extra"),
        (
            "[auth]\njwks = 'keys/jwks.json'\n[accounts]\nacme = 'http://x.test'\n",
            "must be a table",
        ),
        ("[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\n", "url must be"),
        (
            "[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\nurl = 'ftp://x.test'\n",
            "http or https",
        ),
        (
            "[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\nurl = 'http://u:p@x.test'\n",
            "credentials",
        ),
        (
            "[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\nurl = 'http://x.test/?a=1'\n",
            "no query",
        ),
        (
            "[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\nurl = 'http://x.test'\nformat = 'xml'\n",
            "format must be one of dexero-xml, dexero-json",
        ),
        (
            "[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\nurl = 'http://x.test'\nstore = 1\n",
            "unknown keys: store",
        ),
        (
            "[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\nurl = 'http://x.test'\nheaders = { 'Bad Name' = { env = 'ACME_KEY' } }\n",
            "not a header name",
        ),
        (
            "[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\nurl = 'http://x.test'\nheaders = { X = { env = 'NOT_SET' } }\n",
            "NOT_SET is not set",
        ),
        (
            "[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\nurl = 'http://x.test'\nheaders = { X = { env = '1-bad' } }\n",
            "not an environment variable name",
        ),
        (
            "[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\nurl = 'http://x.test'\nheaders = { X = { env = 'BROKEN' } }\n",
            "line break",
        ),
    ],
)
def test_a_bad_config_is_refused_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(write(tmp_path, text), environ={**ENVIRON, "BROKEN": "a\r\nInjected: 1"})
    assert "endpoint.toml" in str(caught.value)
    assert "Injected" not in str(caught.value)


def test_a_secret_written_in_the_file_is_refused_without_being_echoed(tmp_path: Path) -> None:
    text = f"[auth]\njwks = 'keys/jwks.json'\n[accounts.acme]\nurl = 'http://x.test'\nheaders = {{ Authorization = 'Bearer {SECRET}' }}\n"
    with pytest.raises(ConfigError, match="must name an environment variable") as caught:
        load_config(write(tmp_path, text), environ={})
    assert SECRET not in str(caught.value)
    assert 'accounts."acme".headers.Authorization' in str(caught.value)


def test_stores_made_in_code_are_checked() -> None:
    with pytest.raises(ValueError):
        Store(url="http://x.test", headers=(("X", "a\nb"),))
    with pytest.raises(ValueError):
        Store(url="http://x.test", format="talkdesk-json")
    with pytest.raises(ValueError):
        Store(url="not a url")
