"""Talkdesk's ``GET /erc/ecommerce/orders``, answered from a Dexero store over HTTP.

For each request the service reads and checks the Talkdesk query, asks Dexero for the same
page (``orders.xml``, Dexero's default, or ``orders.json``), reads and checks Dexero's answer
with ordermap, and answers with the Talkdesk page and its ``_links``. A bad request gets a
Talkdesk 400 error body naming the parameter; a Dexero store that cannot be reached, answers
with an error, or answers with something that is not a valid page gets a 502 body in the
same shape.

Run it (from the ``examples`` folder)::

    python -m talkdesk_service.service --dexero-url http://127.0.0.1:8001 --port 8000
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import AsyncIterator
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
    CursorCodec,
    QueryError,
    TalkdeskQuery,
    assemble_page,
    parse_talkdesk_query,
    render_dexero_query,
    translate_request,
)
from ordermap.translation import Mode

__all__ = ["TALKDESK_PATH", "Settings", "create_app", "main"]

TALKDESK_PATH = "/erc/ecommerce/orders"
# Dexero serves XML by default and JSON with the .json extension.
RESOURCES = {
    "dexero-xml": ("orders.xml", "application/xml"),
    "dexero-json": ("orders.json", "application/json"),
}
MAX_UPSTREAM_BYTES = 64 * 1024 * 1024
JSON = "application/json"

log = logging.getLogger("talkdesk_service")


@attrs.frozen(kw_only=True)
class Settings:
    """How the service reaches Dexero and writes its answers.

    Attributes:
        dexero_url: Where Dexero's ``orders.xml`` and ``orders.json`` are, such as
            ``https://ecommerce.dexero.com/service/rest/2/merchant/catalog``.
        dexero_format: ``dexero-xml`` (Dexero's default) or ``dexero-json``.
        dexero_headers: Headers sent with every Dexero request (credentials, for instance).
        public_url: The endpoint's public URL, for the ``_links``; by default the URL the
            request came to.
        timeout: Seconds to wait for Dexero.
        cursor_key: A secret to sign cursors with, or ``None`` for unsigned cursors.
        mode: The translation mode (``report``, ``strict`` or ``carry``).
    """

    dexero_url: str
    dexero_format: str = attrs.field(
        default="dexero-xml", validator=attrs.validators.in_(tuple(RESOURCES))
    )
    dexero_headers: tuple[tuple[str, str], ...] = ()
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


def _talkdesk(status: int, body: ordermap.TalkdeskErrorBody, **headers: str) -> Response:
    data = ordermap.encode(body, "talkdesk-json")
    return Response(data, status_code=status, media_type=JSON, headers=headers or None)


def _bad_gateway(message: str, description: str) -> Response:
    return _talkdesk(
        502, ordermap.TalkdeskErrorBody(code="502", message=message, description=description)
    )


async def _fetch(client: httpx.AsyncClient, url: str, media_type: str) -> bytes:
    """Dexero's answer, read up to :data:`MAX_UPSTREAM_BYTES` (after decompression)."""
    try:
        async with client.stream("GET", url, headers={"Accept": media_type}) as response:
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
    cursors = CursorCodec(key=settings.cursor_key)
    resource, media_type = RESOURCES[settings.dexero_format]
    orders_url = f"{settings.dexero_url.rstrip('/')}/{resource}"

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with httpx.AsyncClient(
            timeout=settings.timeout, headers=dict(settings.dexero_headers), transport=transport
        ) as client:
            app.state.client = client
            yield

    def answer(data: bytes, request: TalkdeskQuery, base_url: str) -> bytes:
        # Reading, translating and writing a page is CPU work: it runs in a worker thread.
        page = ordermap.decode(data, settings.dexero_format, kind="page")
        assert isinstance(page, ordermap.DexeroOrderPage)
        result = assemble_page(
            page,
            request,
            base_url,
            mode=settings.mode,
            source_format=settings.dexero_format,
            cursors=cursors,
        )
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s", result.report.render())
        return ordermap.encode(result.document, "talkdesk-json")

    async def list_orders(request: Request) -> Response:
        try:
            query = parse_talkdesk_query(request.scope["query_string"], cursors=cursors)
            fetch = translate_request(query, strict=True)
        except QueryError as error:
            return _talkdesk(400, error.to_talkdesk_error())
        rendered = render_dexero_query(fetch.query)
        url = f"{orders_url}?{rendered}" if rendered else orders_url
        try:
            data = await _fetch(request.app.state.client, url, media_type)
        except UpstreamError as error:
            log.warning("Dexero: %s (%s)", error.message, error.description)
            return _bad_gateway(error.message, error.description)
        try:
            body = await run_in_threadpool(
                answer, data, query, settings.public_url or _endpoint_url(request)
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
        return _talkdesk(error.status_code, body, **(error.headers or {}))

    async def server_error(request: Request, error: Exception) -> Response:
        body = ordermap.TalkdeskErrorBody(code="500", message="Internal server error")
        return _talkdesk(500, body)

    return Starlette(
        routes=[Route(TALKDESK_PATH, list_orders, methods=["GET"])],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )


def _header(text: str) -> tuple[str, str]:
    name, colon, value = text.partition(":")
    if not colon or not name.strip():
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {text!r}")
    return name.strip(), value.strip()


def main(argv: list[str] | None = None) -> None:
    """Run the service with uvicorn."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dexero-url", required=True, help="where orders.xml and orders.json are")
    parser.add_argument(
        "--format",
        choices=("xml", "json"),
        default="xml",
        help="ask Dexero for XML (default) or JSON",
    )
    parser.add_argument(
        "--dexero-header", type=_header, action="append", default=[], metavar="'NAME: VALUE'"
    )
    parser.add_argument("--public-url", help="the endpoint's public URL, for the _links")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    key = os.environ.get("ORDERMAP_CURSOR_KEY")
    settings = Settings(
        dexero_url=args.dexero_url,
        dexero_format=f"dexero-{args.format}",
        dexero_headers=tuple(args.dexero_header),
        public_url=args.public_url,
        cursor_key=key.encode() if key else None,
    )
    logging.basicConfig(level=logging.INFO)
    uvicorn.run(create_app(settings), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
