"""The example service (examples/talkdesk_service) end to end, over loopback HTTP.

Both apps run under uvicorn in threads, on sockets bound here to free loopback ports before
the servers start, so a request made before a server is up waits in the listen queue
instead of failing: nothing depends on timing.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import ordermap
from ordermap import DexeroOrder, DexeroOrderPage
from ordermap.endpoint import DEFAULT_CURSORS, Cursor, OrderBy, Store

from .auth_keys import bearer, gate
from .sample import dexero_page_xml
from .serving import serving as running
from .test_endpoint_query import error_body_schema_errors, talkdesk_schema_errors

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "talkdesk_service"
PATH = "/erc/ecommerce/orders"
TOTAL = 1234


def _load_example() -> tuple[ModuleType, ModuleType]:
    """The example's two modules, imported from their folder without touching sys.path."""
    if "talkdesk_service" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "talkdesk_service", EXAMPLE / "__init__.py", submodule_search_locations=[str(EXAMPLE)]
        )
        assert spec is not None and spec.loader is not None
        package = importlib.util.module_from_spec(spec)
        sys.modules["talkdesk_service"] = package
        spec.loader.exec_module(package)
    return (
        importlib.import_module("talkdesk_service.service"),
        importlib.import_module("talkdesk_service.dexero_standin"),
    )


service, standin = _load_example()


def _sort_key(order: DexeroOrder) -> tuple[Any, ...]:
    # The stand-in's documented order: purchase instant, then id.
    assert order.purchase_date is not None and order.id is not None
    return (order.purchase_date.to_datetime(), order.id)


@pytest.fixture(scope="module")
def dexero_orders() -> tuple[DexeroOrder, ...]:
    page = ordermap.decode(dexero_page_xml(TOTAL, seed=6), "dexero-xml")
    assert isinstance(page, DexeroOrderPage) and page.orders is not None
    assert len(page.orders) == TOTAL
    return page.orders


@pytest.fixture(scope="module")
def dexero_url(dexero_orders: tuple[DexeroOrder, ...]) -> Iterator[str]:
    with running(standin.create_app(dexero_orders)) as url:
        yield url


def one_account(url: str, format: str = "dexero-xml") -> Any:
    """Settings for one account, ``acme``, whose store is at ``url``."""
    return service.Settings(gate=gate({"acme": Store(url=url, format=format)}))


@pytest.fixture(scope="module")
def xml_service(dexero_url: str) -> Iterator[str]:
    settings = one_account(dexero_url)
    with running(service.create_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def json_service(dexero_url: str) -> Iterator[str]:
    settings = one_account(dexero_url, "dexero-json")
    with running(service.create_app(settings)) as url:
        yield url


def page_through(client: httpx.Client, url: str) -> list[dict[str, Any]]:
    """Every page from ``url``, following ``next`` until it is absent."""
    pages = []
    while True:
        response = client.get(url)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        assert talkdesk_schema_errors(response.content) == []
        decoded = ordermap.decode(response.content, "talkdesk-json")
        assert isinstance(decoded, ordermap.TalkdeskOrderPage)
        body = json.loads(response.content)
        assert body["_links"]["self"]["href"] == url
        pages.append(body)
        if "next" not in body["_links"]:
            return pages
        assert len(pages) <= TOTAL, "next never ends"
        url = body["_links"]["next"]["href"]


def test_paging_through_1234_orders_gives_each_once_in_order(
    xml_service: str, dexero_orders: tuple[DexeroOrder, ...]
) -> None:
    expected = sorted(dexero_orders, key=_sort_key, reverse=True)
    with httpx.Client(timeout=60, headers=bearer()) as client:
        pages = page_through(
            client, f"{xml_service}{PATH}?limit=50&order_by=purchase_datetime:desc"
        )
    received = [order for body in pages for order in body["_embedded"]["orders"]]
    ids = [order["id"] for order in received]
    assert len(ids) == TOTAL and len(set(ids)) == TOTAL
    assert ids == [str(order.id) for order in expected]
    assert [order["order_number"] for order in received] == [
        order.reference_number for order in expected
    ]
    assert [len(body["_embedded"]["orders"]) for body in pages] == [50] * 24 + [34]
    assert "next" not in pages[-1]["_links"]
    assert all("next" in body["_links"] for body in pages[:-1])


def test_json_from_dexero_in_its_default_order(
    json_service: str, dexero_orders: tuple[DexeroOrder, ...]
) -> None:
    expected = sorted(dexero_orders, key=_sort_key)
    with httpx.Client(timeout=60, headers=bearer()) as client:
        pages = page_through(client, f"{json_service}{PATH}?limit=500")
    ids = [order["id"] for body in pages for order in body["_embedded"]["orders"]]
    assert ids == [str(order.id) for order in expected]
    assert len(pages) == math.ceil(TOTAL / 500)


def _cursor(offset: int, order_by: OrderBy | None = None) -> str:
    # A cursor of the account asking, so that each case is refused for its own reason.
    return DEFAULT_CURSORS.for_account("acme").encode(Cursor(offset, order_by))


MALFORMED = [
    ("limit=abc", "limit"),
    ("limit=0", "limit"),
    ("limit=" + "9" * 40, "limit"),
    ("limit=-5", "limit"),
    ("limit=5&limit=6", "limit"),
    ("limit=", "limit"),
    ("order_by=purchase_datetime", "order_by"),
    ("order_by=colour:asc", "order_by"),
    ("order_by=purchase_datetime:sideways", "order_by"),
    ("order_by=id:asc", "order_by"),  # valid Talkdesk, but Dexero cannot sort by it
    ("cursor=not-a-cursor!", "cursor"),
    ("cursor=" + "A" * 400, "cursor"),
    ("cursor=" + _cursor(50)[:-1], "cursor"),
    ("cursor=" + _cursor(50, OrderBy("purchase_datetime", "desc")), "cursor"),
    (
        "cursor=eyJsYXN0X2lkIjoxMjQ4MzU4NTYzODYyLCJsYXN0X3ZhbHVlIjoiMjAxOS0wNi0xNyAwMjoyMzo0Mi4wMDAwMDAifQ==",
        "cursor",
    ),
]


@pytest.mark.parametrize(("query", "parameter"), MALFORMED)
def test_a_malformed_parameter_gets_a_400_naming_it(
    xml_service: str, query: str, parameter: str
) -> None:
    response = httpx.get(f"{xml_service}{PATH}?{query}", timeout=60, headers=bearer())
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert error_body_schema_errors(response.content) == []
    body = json.loads(response.content)
    assert body["code"] == "400"
    assert [field["name"] for field in body["fields"]] == [parameter]


def test_the_standin_honours_count_offset_and_sort(
    dexero_url: str, dexero_orders: tuple[DexeroOrder, ...]
) -> None:
    expected = sorted(dexero_orders, key=_sort_key, reverse=True)[7:10]
    response = httpx.get(f"{dexero_url}/orders.json?count=3&offset=7&sort_dir=desc", timeout=60)
    page = ordermap.decode(response.content, "dexero-json")
    assert isinstance(page, DexeroOrderPage) and page.orders is not None
    assert [order.id for order in page.orders] == [order.id for order in expected]
    assert (page.total_results, page.start_index, page.items_per_page) == (TOTAL, 7, 3)
    assert page.page_count == math.ceil(TOTAL / 3)
    refused = httpx.get(f"{dexero_url}/orders?status=pending", timeout=60)
    assert refused.status_code == 400 and "status" in refused.text


# --- upstream failures and other statuses, with a mock Dexero --------------------------------


@contextmanager
def mocked(handler: Callable[[httpx.Request], httpx.Response]) -> Iterator[httpx.Client]:
    """The service, serving on loopback, with ``handler`` answering for Dexero."""
    settings = one_account("http://dexero.invalid/catalog")
    app = service.create_app(settings, transport=httpx.MockTransport(handler))
    with running(app) as url, httpx.Client(base_url=url, timeout=60, headers=bearer()) as client:
        yield client


def _raise_connect_error(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("refused", request=request)


def _dexero_page(**pagination: Any) -> bytes:
    page = DexeroOrderPage(orders=(DexeroOrder(id=1, reference_number="#1"),), **pagination)
    return ordermap.encode(page, "dexero-xml")


def _answer(status: int, content: bytes) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, content=content)


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        pytest.param(_raise_connect_error, "could not be reached", id="unreachable"),
        pytest.param(_answer(503, b"down"), "answered HTTP 503", id="http-503"),
        pytest.param(_answer(200, b"<html>oops</html>"), "not a page", id="not-dexero"),
        pytest.param(_answer(200, b'{"orders": {}}'), "not a page", id="json-not-xml"),
        pytest.param(
            _answer(200, _dexero_page(total_results=5, start_index=3, items_per_page=1)),
            "not a page",
            id="another-page",
        ),
        pytest.param(_answer(200, _dexero_page()), "not a page", id="no-pagination"),
    ],
)
def test_upstream_failures_get_a_502_body(
    handler: Callable[[httpx.Request], httpx.Response], message: str
) -> None:
    with mocked(handler) as client:
        response = client.get(PATH, params={"limit": "1"})
    assert response.status_code == 502
    assert error_body_schema_errors(response.content) == []
    body = json.loads(response.content)
    assert body["code"] == "502" and message in body["message"]


def test_the_service_asks_dexero_for_the_translated_request() -> None:
    asked: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(
            200, content=_dexero_page(total_results=1, start_index=0, items_per_page=5)
        )

    with mocked(handler) as client:
        response = client.get(f"{PATH}?limit=5&order_by=purchase_datetime:asc")
    assert response.status_code == 200
    assert [str(request.url) for request in asked] == [
        "http://dexero.invalid/catalog/orders.xml?count=5&sort_key=purchasedTimestamp&sort_dir=asc"
    ]
    assert asked[0].headers["accept"] == "application/xml"
    links = json.loads(response.content)["_links"]
    assert links == {
        "self": {"href": f"{client.base_url}{PATH}?limit=5&order_by=purchase_datetime:asc"}
    }


@pytest.mark.parametrize(
    ("method", "path", "status"), [("GET", "/nowhere", 404), ("POST", PATH, 405)]
)
def test_other_statuses_get_talkdesk_bodies(method: str, path: str, status: int) -> None:
    with mocked(lambda request: httpx.Response(500)) as client:
        response = client.request(method, path)
    assert response.status_code == status
    assert error_body_schema_errors(response.content) == []
    assert json.loads(response.content)["code"] == str(status)
