"""A local stand-in for Dexero's ``GET orders``, serving orders it holds in memory.

It answers ``/orders.xml`` and ``/orders`` with XML (Dexero's default) and ``/orders.json``
with JSON, honouring ``count`` (default 20, at most 500), ``offset``, ``sort_key``
(``purchasedTimestamp``, the default, or ``id``) and ``sort_dir``; orders with equal keys
are ordered by id, and an order without the key sorts first, as the seed's "empty string"
rule says. ``include_forms`` and ``include_tests`` are accepted and change nothing (the
stand-in serves every order it holds as it holds it). The filters it does not implement
(``status``, ``customer_email``, the times, ids, custom fields and attributes) are refused
with a 400, rather than ignored. Dexero documents no error body, so errors are plain text.
With ``--require-header`` it answers 401 to a request without that header and value, as a
Dexero store wanting credentials would.

Run it (from the ``examples`` folder)::

    python -m talkdesk_service.dexero_standin --orders 1234 --port 8001
    python -m talkdesk_service.dexero_standin --page dexero-page.xml --port 8001
    python -m talkdesk_service.dexero_standin --orders 40 --first-id 2000000 \\
        --require-header "X-Dexero-Key: $GLOBEX_DEXERO_KEY" --port 8002
"""

from __future__ import annotations

import argparse
import datetime as dt
import hmac
import math
import random
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

import ordermap
from ordermap import DexeroOrder, DexeroOrderPage, Timestamp
from ordermap.endpoint import DexeroQuery, QueryError, parse_dexero_query

__all__ = ["SORT_KEYS", "create_app", "main", "synthetic_orders"]

UNSUPPORTED = (
    "customer_email",
    "status",
    "earliest_time",
    "latest_time",
    "min_id",
    "max_id",
    "custom_field_identifier",
    "custom_field_value",
    "attribute_identifier",
    "attribute_value",
)


def _instant(stamp: Timestamp) -> dt.datetime:
    try:
        return stamp.to_datetime()
    except ValueError:
        # A leap second, which datetime cannot hold: it sorts with the second before it.
        return Timestamp(stamp.text[:17] + "59" + stamp.text[19:]).to_datetime()


def _by_purchase(order: DexeroOrder) -> tuple[Any, ...]:
    if order.purchase_date is None:
        return (0,)
    return (1, _instant(order.purchase_date))


def _by_id(order: DexeroOrder) -> tuple[Any, ...]:
    return (0,) if order.id is None else (1, order.id)


SORT_KEYS: dict[str, Callable[[DexeroOrder], tuple[Any, ...]]] = {
    "purchasedTimestamp": _by_purchase,
    "id": _by_id,
}


class _Store:
    """The orders, and each sorted list of them made so far."""

    def __init__(self, orders: Sequence[DexeroOrder]) -> None:
        self.orders = tuple(orders)
        self.sorted: dict[tuple[str, str], tuple[DexeroOrder, ...]] = {}

    def listing(self, sort_key: str, sort_dir: str) -> tuple[DexeroOrder, ...]:
        if (sort_key, sort_dir) not in self.sorted:
            key = SORT_KEYS[sort_key]
            ascending = sorted(self.orders, key=lambda order: (key(order), _by_id(order)))
            self.sorted[sort_key, sort_dir] = tuple(
                ascending if sort_dir == "asc" else reversed(ascending)
            )
        return self.sorted[sort_key, sort_dir]

    def page(self, query: DexeroQuery, uri: str) -> DexeroOrderPage:
        assert query.count is not None and query.offset is not None
        assert query.sort_key is not None and query.sort_dir is not None
        listing = self.listing(query.sort_key, query.sort_dir)
        total = len(listing)
        return DexeroOrderPage(
            total_results=total,
            start_index=query.offset,
            items_per_page=query.count,
            page_count=math.ceil(total / query.count),
            uri=uri,
            orders=listing[query.offset : query.offset + query.count],
        )


def create_app(
    orders: Sequence[DexeroOrder], *, required_headers: Sequence[tuple[str, str]] = ()
) -> Starlette:
    """The stand-in as an ASGI application serving ``orders``.

    Args:
        orders: The orders it holds.
        required_headers: Headers (credentials) a request must carry, name and value.
    """
    store = _Store(orders)

    def allowed(request: Request) -> bool:
        return all(
            hmac.compare_digest(request.headers.get(name, "").encode(), value.encode())
            for name, value in required_headers
        )

    def endpoint(format: str, media_type: str) -> Callable[[Request], Any]:
        async def list_orders(request: Request) -> Response:
            if not allowed(request):
                return PlainTextResponse("missing or wrong credentials", status_code=401)
            try:
                query = parse_dexero_query(request.scope["query_string"]).with_defaults()
            except QueryError as error:
                return PlainTextResponse("\n".join(map(str, error.problems)), status_code=400)
            refused = [name for name in UNSUPPORTED if getattr(query, name) is not None]
            if refused:
                message = f"the stand-in does not filter by {', '.join(refused)}"
                return PlainTextResponse(message, status_code=400)
            if query.sort_key not in SORT_KEYS:
                message = f"the stand-in sorts by {' or '.join(SORT_KEYS)} only"
                return PlainTextResponse(message, status_code=400)
            page = store.page(query, str(request.url))
            body = await run_in_threadpool(ordermap.encode, page, format)
            return Response(body, media_type=media_type)

        return list_orders

    xml = endpoint("dexero-xml", "application/xml")
    return Starlette(
        routes=[
            Route("/orders", xml, methods=["GET"]),
            Route("/orders.xml", xml, methods=["GET"]),
            Route("/orders.json", endpoint("dexero-json", "application/json"), methods=["GET"]),
        ]
    )


def synthetic_orders(count: int, seed: int = 0, first_id: int = 1_000_000) -> list[DexeroOrder]:
    """``count`` small, valid Dexero orders, with ids from ``first_id``; the same ones for the
    same arguments.
    """
    rng = random.Random(seed)
    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    orders = []
    for index in range(count):
        moment = start + dt.timedelta(seconds=rng.randrange(365 * 24 * 3600))
        orders.append(
            DexeroOrder(
                id=first_id + index,
                reference_number=f"#S{index:06d}",
                purchase_date=Timestamp(moment.strftime("%Y-%m-%dT%H:%M:%SZ")),
                currency="EUR",
                customer_email=f"customer{index}@example.com",
                total_products=Decimal(rng.randrange(100, 100_000)).scaleb(-2),
                status=rng.choice(("pending", "treated", "completed", "cancelled")),
                is_shippable=rng.random() < 0.8,
            )
        )
    return orders


def _header(text: str) -> tuple[str, str]:
    name, colon, value = text.partition(":")
    if not colon or not name.strip():
        raise argparse.ArgumentTypeError("expected 'Name: value'")
    return name.strip(), value.strip()


def main(argv: list[str] | None = None) -> None:
    """Run the stand-in with uvicorn."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--orders", type=int, default=1234, help="serve this many made-up orders")
    source.add_argument("--page", type=Path, help="serve the orders of this Dexero page file")
    parser.add_argument("--seed", type=int, default=0, help="seed for the made-up orders")
    parser.add_argument(
        "--first-id", type=int, default=1_000_000, help="the id of the first made-up order"
    )
    parser.add_argument(
        "--require-header",
        type=_header,
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="answer 401 to requests without this header (repeatable)",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    if args.page is not None:
        try:
            page = ordermap.decode(args.page.read_bytes())
        except (OSError, ordermap.OrdermapError) as error:
            parser.error(f"--page: {error}")
        if not isinstance(page, DexeroOrderPage):
            parser.error("--page takes a Dexero page, in XML or JSON")
        orders: Sequence[DexeroOrder] = page.orders or ()
    else:
        orders = synthetic_orders(args.orders, args.seed, args.first_id)
    app = create_app(orders, required_headers=args.require_header)
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
