"""Talkdesk's ``GET /erc/ecommerce/orders``, answered from a Dexero store over HTTP.

For each request the service first checks who is asking (the bearer token, its scope, and
that its account has a Dexero store: 401 or 403 otherwise), then reads and checks the
Talkdesk query, asks that account's Dexero store for the same page (``orders.xml``, Dexero's
default, or ``orders.json``), reads and checks Dexero's answer with ordermap, and answers
with the Talkdesk page and its ``_links``. A bad request gets a Talkdesk 400 error body
naming the parameter; a Dexero store that cannot be reached, answers with an error, or
answers with something that is not a valid page gets a 502 body in the same shape. Cursors
are bound to the account they were given to.

Run it (from the ``examples`` folder; ``README.md`` shows a whole run)::

    python -m talkdesk_service.service --config talkdesk_service/demo.toml --port 8000
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import attrs
import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import ordermap
from ordermap.endpoint import (
    AuthError,
    ConfigError,
    CursorCodec,
    Gate,
    QueryError,
    Store,
    TalkdeskQuery,
    assemble_page,
    load_config,
    parse_talkdesk_query,
    render_dexero_query,
    translate_request,
)
from ordermap.translation import Mode

__all__ = ["TALKDESK_PATH", "Settings", "create_app", "main"]

TALKDESK_PATH = "/erc/ecommerce/orders"
MAX_UPSTREAM_BYTES = 64 * 1024 * 1024
JSON = "application/json"

log = logging.getLogger("talkdesk_service")


@attrs.frozen(kw_only=True)
class Settings:
    """Who may ask, where each account's orders are, and how the service answers.

    Attributes:
        gate: The token verifier and each account's Dexero store
            (:func:`ordermap.endpoint.load_config` reads both from a TOML file).
        public_url: The endpoint's public URL, for the ``_links``; by default the URL the
            request came to.
        timeout: Seconds to wait for Dexero.
        cursor_key: A secret to sign cursors with, or ``None`` for unsigned cursors.
        mode: The translation mode (``report``, ``strict`` or ``carry``).
    """

    gate: Gate
    public_url: str | None = None
    timeout: float = 10.0
    cursor_key: bytes | None = attrs.field(default=None, repr=False)
    mode: Mode = "report"


class UpstreamError(Exception):
    """Dexero could not give a page: the reason for the 502 body."""

    def __init__(self, message: str, description: str) -> None:
        super().__init__(message)
        self.message = message
        self.description = description


def _talkdesk(
    status: int, body: ordermap.TalkdeskErrorBody, headers: Mapping[str, str] | None = None
) -> Response:
    data = ordermap.encode(body, "talkdesk-json")
    return Response(data, status_code=status, media_type=JSON, headers=headers)


def _bad_gateway(message: str, description: str) -> Response:
    return _talkdesk(
        502, ordermap.TalkdeskErrorBody(code="502", message=message, description=description)
    )


async def _fetch(client: httpx.AsyncClient, store: Store, url: str) -> bytes:
    """Dexero's answer, read up to :data:`MAX_UPSTREAM_BYTES` (after decompression)."""
    # The store's headers (its credentials) go with the request and nowhere else: no message
    # below names them, and UpstreamError's descriptions end up in logs and 502 bodies.
    headers = {**dict(store.headers), "Accept": store.media_type}
    try:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code != 200:
                raise UpstreamError(
                    f"The order store answered HTTP {response.status_code}",
                    f"GET {response.request.url.path} was not answered with a page",
                )
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_UPSTREAM_BYTES:
                    raise UpstreamError(
                        "The order store's answer is too large",
                        f"more than {MAX_UPSTREAM_BYTES} bytes",
                    )
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as error:
        raise UpstreamError(
            "The order store could not be reached", f"{type(error).__name__} while fetching orders"
        ) from error


def _endpoint_url(request: Request) -> str:
    url = request.url
    return f"{url.scheme}://{url.netloc}{url.path}"


def create_app(
    settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None
) -> Starlette:
    """The service as an ASGI application.

    Args:
        settings: Where Dexero is and how to answer.
        transport: An httpx transport for the Dexero client (tests use a mock one).
    """
    service_cursors = CursorCodec(key=settings.cursor_key)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=settings.timeout, transport=transport) as client:
            app.state.client = client
            yield

    def answer(
        data: bytes, store: Store, request: TalkdeskQuery, base_url: str, cursors: CursorCodec
    ) -> bytes:
        # Reading, translating and writing a page is CPU work: it runs in a worker thread.
        page = ordermap.decode(data, store.format, kind="page")
        assert isinstance(page, ordermap.DexeroOrderPage)
        result = assemble_page(
            page,
            request,
            base_url,
            mode=settings.mode,
            source_format=store.format,
            cursors=cursors,
        )
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s", result.report.render())
        return ordermap.encode(result.document, "talkdesk-json")

    async def list_orders(request: Request) -> Response:
        # Who is asking comes first: nothing about the query or the store is looked at before.
        try:
            admission = settings.gate.admit(request.headers.getlist("authorization"))
        except AuthError as error:
            log.info("refused %d: %s", error.status, error.description)
            return _talkdesk(error.status, error.to_talkdesk_error(), error.headers)
        store = admission.store
        cursors = service_cursors.for_account(admission.caller.account)
        try:
            query = parse_talkdesk_query(request.scope["query_string"], cursors=cursors)
            fetch = translate_request(query, strict=True)
        except QueryError as error:
            return _talkdesk(400, error.to_talkdesk_error())
        rendered = render_dexero_query(fetch.query)
        url = f"{store.orders_url}?{rendered}" if rendered else store.orders_url
        try:
            data = await _fetch(request.app.state.client, store, url)
        except UpstreamError as error:
            log.warning("Dexero: %s (%s)", error.message, error.description)
            return _bad_gateway(error.message, error.description)
        try:
            body = await run_in_threadpool(
                answer,
                data,
                store,
                query,
                settings.public_url or _endpoint_url(request),
                cursors,
            )
        except ordermap.OrdermapError as error:
            log.warning("Dexero page refused: %s", error)
            return _bad_gateway(
                "The order store's answer is not a page that can be served", str(error)
            )
        return Response(body, media_type=JSON)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        body = ordermap.TalkdeskErrorBody(code=str(error.status_code), message=error.detail)
        return _talkdesk(error.status_code, body, error.headers)

    async def server_error(request: Request, error: Exception) -> Response:
        body = ordermap.TalkdeskErrorBody(code="500", message="Internal server error")
        return _talkdesk(500, body)

    return Starlette(
        routes=[Route(TALKDESK_PATH, list_orders, methods=["GET"])],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )


def main(argv: list[str] | None = None) -> None:
    """Run the service with uvicorn."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--config",
        required=True,
        help="the TOML file with [auth] and [accounts] (see specs/endpoint.md)",
    )
    parser.add_argument("--public-url", help="the endpoint's public URL, for the _links")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        gate = load_config(args.config)
    except ConfigError as error:
        parser.error(str(error))
    key = os.environ.get("ORDERMAP_CURSOR_KEY")
    settings = Settings(
        gate=gate, public_url=args.public_url, cursor_key=key.encode() if key else None
    )
    logging.basicConfig(level=logging.INFO)
    for account, store in gate.stores.items():
        # The header names, never their values, which are credentials.
        names = ", ".join(store.header_names) or "no headers"
        log.info("account %s: %s (%s; %s)", account, store.url, store.format, names)
    uvicorn.run(create_app(settings), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
