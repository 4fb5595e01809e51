"""The example service with two accounts, each on its own Dexero stand-in, over loopback HTTP.

Tokens are made with locally generated keys (``auth_keys``); nothing leaves the machine.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

import ordermap
from ordermap import DexeroOrder, DexeroOrderPage
from ordermap.endpoint import SCOPE, Store

from .auth_keys import b64, bearer, claims, ec_key, forged, gate, rsa_key
from .sample import dexero_page_xml
from .test_endpoint_query import error_body_schema_errors
from .test_example_service import PATH, running, service, standin

ACME_KEY = "acme-dexero-credential"
GLOBEX_KEY = "globex-dexero-credential"
CURSOR_KEY = b"the service's cursor key"


@pytest.fixture(scope="module")
def acme_orders() -> tuple[DexeroOrder, ...]:
    page = ordermap.decode(dexero_page_xml(321, seed=11), "dexero-xml")
    assert isinstance(page, DexeroOrderPage) and page.orders is not None
    return page.orders


@pytest.fixture(scope="module")
def globex_orders() -> list[DexeroOrder]:
    return standin.synthetic_orders(137, seed=3, first_id=5_000_000)


@pytest.fixture(scope="module")
def two_accounts(
    acme_orders: tuple[DexeroOrder, ...], globex_orders: list[DexeroOrder]
) -> Iterator[str]:
    """The service's URL; acme's store speaks XML, globex's JSON, each wants its own key."""
    acme_app = standin.create_app(acme_orders, required_headers=[("X-Dexero-Key", ACME_KEY)])
    globex_app = standin.create_app(globex_orders, required_headers=[("X-Dexero-Key", GLOBEX_KEY)])
    with running(acme_app) as acme_url, running(globex_app) as globex_url:
        stores = {
            "acme": Store(url=acme_url, headers=(("X-Dexero-Key", ACME_KEY),)),
            "globex": Store(
                url=globex_url, format="dexero-json", headers=(("X-Dexero-Key", GLOBEX_KEY),)
            ),
        }
        settings = service.Settings(gate=gate(stores), cursor_key=CURSOR_KEY)
        with running(service.create_app(settings)) as url:
            yield url


def page_through(client: httpx.Client, url: str, account: str) -> list[dict[str, Any]]:
    orders: list[dict[str, Any]] = []
    for _ in range(1000):
        response = client.get(url, headers=bearer(account))
        assert response.status_code == 200, response.text
        body = json.loads(response.content)
        orders += body["_embedded"]["orders"]
        if "next" not in body["_links"]:
            return orders
        url = body["_links"]["next"]["href"]
    raise AssertionError("next never ends")


def test_two_accounts_page_through_their_own_stores_only(
    two_accounts: str,
    acme_orders: tuple[DexeroOrder, ...],
    globex_orders: list[DexeroOrder],
) -> None:
    acme_ids = {str(order.id) for order in acme_orders}
    globex_ids = {str(order.id) for order in globex_orders}
    assert not acme_ids & globex_ids
    query = f"{two_accounts}{PATH}?limit=40&order_by=purchase_datetime:desc"
    with httpx.Client(timeout=60) as client:
        acme = page_through(client, query, "acme")
        globex = page_through(client, query, "globex")
        # The same request with no query at all: Dexero's default page size and order.
        globex_default = page_through(client, f"{two_accounts}{PATH}", "globex")
    assert [order["id"] for order in acme] == [
        str(order.id)
        for order in sorted(
            acme_orders,
            key=lambda o: (o.purchase_date.to_datetime(), o.id),  # type: ignore[union-attr]
            reverse=True,
        )
    ]
    assert len(acme) == len(acme_ids) and {order["id"] for order in acme} == acme_ids
    assert len(globex) == len(globex_ids) and {order["id"] for order in globex} == globex_ids
    assert {order["id"] for order in globex_default} == globex_ids


def test_a_cursor_moved_to_another_account_is_refused(two_accounts: str) -> None:
    with httpx.Client(timeout=60) as client:
        first = client.get(f"{two_accounts}{PATH}?limit=5", headers=bearer("acme"))
        assert first.status_code == 200
        next_url = json.loads(first.content)["_links"]["next"]["href"]
        assert client.get(next_url, headers=bearer("acme")).status_code == 200
        moved = client.get(next_url, headers=bearer("globex"))
    assert moved.status_code == 400
    assert error_body_schema_errors(moved.content) == []
    body = json.loads(moved.content)
    assert [field["name"] for field in body["fields"]] == ["cursor"]
    assert "[bad-cursor]" in body["fields"][0]["description"]
    assert "not issued to this account" in body["fields"][0]["description"]


def _bad_tokens() -> dict[str, dict[str, str]]:
    now = int(time.time())
    return {
        "missing": {},
        "not-bearer": {"Authorization": "Basic YWNtZTpwYXNzd29yZA=="},
        "malformed": {"Authorization": "Bearer not.a.token"},
        "garbage": {"Authorization": "Bearer %%%"},
        "expired": bearer(exp=now - 3600, iat=now - 7200, nbf=now - 7200),
        "future": bearer(nbf=now + 3600, exp=now + 7200),
        "wrong-signature": bearer(key=rsa_key("stranger")),
        "wrong-algorithm": bearer(key=ec_key(), algorithm="ES256"),
        "hmac-confusion": {
            "Authorization": "Bearer "
            + forged({"alg": "HS256", "kid": "test-key-1"}, claims(), b"guess")
        },
        "none": {"Authorization": "Bearer " + forged({"alg": "none"}, claims())},
        "wrong-audience": bearer(aud="someone-else"),
        "no-account": bearer(account_id=None),
    }


UNAUTHORIZED = list(_bad_tokens())


@contextmanager
def counting_upstream() -> Iterator[tuple[httpx.Client, list[httpx.Request]]]:
    """The service, with a mock Dexero that counts what reaches it."""
    asked: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        page = DexeroOrderPage(
            total_results=1,
            start_index=0,
            items_per_page=20,
            orders=(DexeroOrder(id=1, reference_number="#1"),),
        )
        return httpx.Response(200, content=ordermap.encode(page, "dexero-xml"))

    settings = service.Settings(
        gate=gate({"acme": Store(url="http://dexero.invalid/acme", headers=(("X-Key", ACME_KEY),))})
    )
    app = service.create_app(settings, transport=httpx.MockTransport(handler))
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client, asked


@pytest.mark.parametrize("case", UNAUTHORIZED)
def test_a_missing_or_bad_token_gets_a_401_and_never_reaches_dexero(case: str) -> None:
    with counting_upstream() as (client, asked):
        response = client.get(f"{PATH}?limit=5", headers=_bad_tokens()[case])
        # Even a request that is also malformed is refused for its token first.
        malformed = client.get(f"{PATH}?limit=abc", headers=_bad_tokens()[case])
    assert asked == []
    for answer in (response, malformed):
        assert answer.status_code == 401
        assert answer.headers["content-type"] == "application/json"
        assert answer.headers["www-authenticate"].startswith('Bearer realm="orders"')
        assert error_body_schema_errors(answer.content) == []
        body = json.loads(answer.content)
        assert (body["code"], body["message"]) == ("401", "Unauthorized")
    if case in ("missing", "not-bearer"):
        assert "error=" not in response.headers["www-authenticate"]
    else:
        assert 'error="invalid_token"' in response.headers["www-authenticate"]


@pytest.mark.parametrize(
    ("headers", "challenge"),
    [
        pytest.param(bearer(scope="openid profile"), "insufficient_scope", id="missing-scope"),
        pytest.param(bearer("umbrella"), None, id="unknown-account"),
    ],
)
def test_a_missing_scope_or_an_unknown_account_gets_a_403(
    headers: dict[str, str], challenge: str | None
) -> None:
    with counting_upstream() as (client, asked):
        response = client.get(f"{PATH}?limit=5", headers=headers)
    assert asked == []
    assert response.status_code == 403
    assert error_body_schema_errors(response.content) == []
    body = json.loads(response.content)
    assert (body["code"], body["message"]) == ("403", "Forbidden")
    www = response.headers["www-authenticate"]
    assert f'scope="{SCOPE}"' in www
    assert (f'error="{challenge}"' in www) if challenge else ("error=" not in www)


def test_a_good_token_reaches_dexero_with_the_accounts_credentials() -> None:
    with counting_upstream() as (client, asked):
        response = client.get(f"{PATH}?limit=5", headers=bearer("acme"))
    assert response.status_code == 200
    assert [request.headers["x-key"] for request in asked] == [ACME_KEY]
    assert "authorization" not in asked[0].headers  # the caller's token is not passed on


def test_credentials_are_not_in_logs_or_error_bodies(caplog: pytest.LogCaptureFixture) -> None:
    sent: list[str] = []

    def failing(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers["x-key"])
        raise httpx.ConnectError(f"refused with {request.headers}", request=request)

    settings = service.Settings(
        gate=gate({"acme": Store(url="http://dexero.invalid/acme", headers=(("X-Key", ACME_KEY),))})
    )
    app = service.create_app(settings, transport=httpx.MockTransport(failing))
    caplog.set_level(logging.DEBUG)
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        response = client.get(PATH, headers=bearer("acme"))
        refused = client.get(PATH, headers=bearer("umbrella"))
    assert response.status_code == 502 and refused.status_code == 403
    assert sent == [ACME_KEY]
    for text in (response.text, refused.text, caplog.text):
        assert ACME_KEY not in text


def test_a_bounded_mixed_load_gets_no_5xx(two_accounts: str) -> None:
    rng = random.Random(14)
    bad = _bad_tokens()
    with httpx.Client(timeout=60) as client:
        start = client.get(f"{two_accounts}{PATH}?limit=7", headers=bearer("acme"))
        acme_next = json.loads(start.content)["_links"]["next"]["href"]
    cases: list[tuple[str, dict[str, str], int]] = []
    for _ in range(240):
        kind = rng.randrange(7)
        account = rng.choice(("acme", "globex"))
        if kind == 0:
            limit = rng.randint(1, 60)
            cases.append((f"{PATH}?limit={limit}", bearer(account), 200))
        elif kind == 1:
            cases.append((f"{PATH}?limit=5", bad[rng.choice(UNAUTHORIZED)], 401))
        elif kind == 2:
            cases.append((f"{PATH}?limit=5", bearer(account, scope="openid"), 403))
        elif kind == 3:
            cases.append((f"{PATH}?limit=5", bearer("umbrella"), 403))
        elif kind == 4:
            query = rng.choice(("limit=0", "order_by=id:asc", "cursor=x", "limit=1&limit=2"))
            cases.append((f"{PATH}?{query}", bearer(account), 400))
        elif kind == 5:
            expected = 200 if account == "acme" else 400
            cases.append((acme_next.removeprefix(two_accounts), bearer(account), expected))
        else:
            raw = b64(bytes(rng.randrange(256) for _ in range(rng.randint(0, 60))))
            cases.append((f"{PATH}?limit=3", {"Authorization": f"Bearer {raw}"}, 401))

    def call(case: tuple[str, dict[str, str], int]) -> tuple[int, int]:
        path, headers, expected = case
        with httpx.Client(base_url=two_accounts, timeout=120) as client:
            return client.get(path, headers=headers).status_code, expected

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(call, cases))
    statuses = [status for status, _ in results]
    assert all(status < 500 for status in statuses), statuses
    assert [status for status, _ in results] == [expected for _, expected in results]
    assert {200, 400, 401, 403} <= set(statuses)


def test_the_standin_refuses_requests_without_its_credentials(
    acme_orders: tuple[DexeroOrder, ...],
) -> None:
    app = standin.create_app(acme_orders[:3], required_headers=[("X-Dexero-Key", ACME_KEY)])
    with running(app) as url:
        assert httpx.get(f"{url}/orders.xml", timeout=60).status_code == 401
        wrong = httpx.get(f"{url}/orders.xml", headers={"X-Dexero-Key": "guess"}, timeout=60)
        assert wrong.status_code == 401
        good = httpx.get(f"{url}/orders.xml", headers={"X-Dexero-Key": ACME_KEY}, timeout=60)
        assert good.status_code == 200


def test_the_readmes_key_token_and_demo_config_fit_together(tmp_path: Any) -> None:
    import importlib
    import shutil

    from ordermap.endpoint import AuthError, load_config

    from .test_example_service import EXAMPLE

    make_token = importlib.import_module("talkdesk_service.make_token")
    shutil.copy(EXAMPLE / "demo.toml", tmp_path / "demo.toml")
    private, _ = make_token.make_key(tmp_path / "demo-keys")
    environ = {"ACME_DEXERO_KEY": "a", "GLOBEX_DEXERO_KEY": "b"}
    door = load_config(tmp_path / "demo.toml", environ=environ)
    assert sorted(door.stores) == ["acme", "globex"]
    for account in ("acme", "globex"):
        text = make_token.make_token(private.read_bytes(), account)
        admission = door.admit(f"Bearer {text}")
        assert admission.caller.account == account
        assert admission.store.headers == (
            ("X-Dexero-Key", environ[f"{account.upper()}_DEXERO_KEY"]),
        )
    with pytest.raises(AuthError, match="no order store"):
        door.admit(f"Bearer {make_token.make_token(private.read_bytes(), 'umbrella')}")
    with pytest.raises(AuthError, match="scope"):
        door.admit(f"Bearer {make_token.make_token(private.read_bytes(), 'acme', scope='openid')}")
