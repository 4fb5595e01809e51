"""The explain page on a local server: a Starlette application (the ``serve`` extra).

``GET /`` is the page with a form; the form posts the payload as the request body to
``POST /explain?to=FORMAT&mode=MODE[&from=FORMAT]``, which answers JSON: the page's data
(``{"ok": true, "data": ...}``), or why not (``{"ok": false, "title": ..., "problems":
[...]}``) with status 422 (the payload cannot be read or translated), 413 (larger than the
limits' ``max_bytes``, refused before it is read whole) or 400 (a wrong parameter). The
application keeps nothing between requests, writes no file and connects nowhere; bound to
loopback it answers only requests addressed to this machine by name, which keeps other web
pages from reaching it through a rebound DNS name.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from .. import formats
from ..errors import OrdermapError
from ..formats import json_write
from ..limits import DEFAULT_LIMITS, Limits
from . import explain
from .html import page
from .problems import problem_rows

if TYPE_CHECKING:
    from ..crosswalk import Mode
    from ..names import FormatName

__all__ = ["create_app", "is_loopback"]

_MODES = ("report", "strict", "carry")
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def is_loopback(host: str) -> bool:
    """Whether an address to listen on keeps the server to this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _form() -> str:
    names = formats.names()
    options = "".join(f'<option value="{name}">{name}</option>' for name in names)
    source = '<option value="">detect</option>' + options
    modes = "".join(f'<option value="{mode}">{mode}</option>' for mode in _MODES)
    return (
        '<form class="play" id="play" autocomplete="off">\n'
        "<h1>ordermap explain</h1>\n"
        '<label for="payload">Paste a payload, or drop a file on the box</label>\n'
        '<textarea id="payload" name="payload" spellcheck="false"'
        ' placeholder="An order or a page: Talkdesk JSON, Dexero JSON or Dexero XML"></textarea>\n'
        '<div class="controls">\n'
        f'<label>From <select id="from" name="from">{source}</select></label>\n'
        f'<label>To <select id="to" name="to">{options}</select></label>\n'
        f'<label>Mode <select id="mode" name="mode">{modes}</select></label>\n'
        '<button type="submit" id="explain">Explain</button>\n'
        '<span class="muted" id="status" role="status"></span>\n'
        "</div>\n</form>\n"
    )


def _json(content: Any, status: int = 200) -> Response:
    # ordermap's writer: a lone surrogate in a member name comes out as its escape.
    body = json_write.emit(content, ascii_only=True)
    return Response(body, status_code=status, media_type="application/json", headers=_HEADERS)


def _refusal(status: int, title: str, problems: list[dict[str, Any]]) -> Response:
    return _json({"ok": False, "title": title, "problems": problems}, status)


def _simple(status: int, title: str, code: str, message: str) -> Response:
    problem = {"severity": "error", "code": code, "message": message, "where": "", "pointer": None}
    return _refusal(status, title, [problem])


async def _body(request: Request, limit: int) -> bytes | None:
    """The request body, or ``None`` once it passes ``limit`` bytes (not read further)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(
    *, limits: Limits = DEFAULT_LIMITS, hosts: Sequence[str] | None = ("127.0.0.1", "localhost")
) -> Starlette:
    """The application ``ordermap serve`` runs.

    Args:
        limits: Bounds on each payload, as the command line applies them; a body past
            ``max_bytes`` is refused with status 413.
        hosts: The host names a request may be addressed to (its ``Host`` header, without
            the port); ``None`` accepts any (the server listens beyond loopback).
    """
    allowed = None if hosts is None else frozenset(hosts)
    start = page(None, form=_form(), served=True, title="ordermap explain").encode("utf-8")

    def addressed(request: Request) -> bool:
        if allowed is None:
            return True
        host = request.headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in allowed or host in allowed

    async def home(request: Request) -> Response:
        if not addressed(request):
            return Response("unknown host", status_code=400, media_type="text/plain")
        return HTMLResponse(start, headers=_HEADERS)

    async def explain_body(request: Request) -> Response:
        if not addressed(request):
            return Response("unknown host", status_code=400, media_type="text/plain")
        to = request.query_params.get("to", "")
        mode = request.query_params.get("mode", "report")
        source = request.query_params.get("from") or None
        names = formats.names()
        if to not in names:
            return _simple(
                400,
                "Pick a target format",
                "bad-parameter",
                f"to must be one of {', '.join(names)}",
            )
        if source is not None and source not in names:
            return _simple(
                400,
                "Pick a source format",
                "bad-parameter",
                f"from must be one of {', '.join(names)}",
            )
        if mode not in _MODES:
            return _simple(
                400, "Pick a mode", "bad-parameter", f"mode must be one of {', '.join(_MODES)}"
            )
        data = await _body(request, limits.max_bytes)
        if data is None:
            return _simple(
                413,
                "The payload is too large",
                "too-large",
                f"the payload is larger than {limits.max_bytes:,} bytes, the limit (max_bytes)",
            )
        if not data.strip():
            return _simple(422, "Nothing to explain", "empty", "the payload is empty")
        try:
            found = await run_in_threadpool(
                explain,
                data,
                cast("FormatName", to),
                source_format=cast("FormatName | None", source),
                mode=cast("Mode", mode),
                limits=limits,
            )
        except OrdermapError as error:
            title = (
                "The payload cannot be read"
                if error.format is None
                else f"The payload is not valid {error.format}"
            )
            return _refusal(422, title, problem_rows(error.problems))
        except ValueError:
            return _simple(
                422,
                "Nothing to translate",
                "same-vocabulary",
                f"the payload is already in {to}'s vocabulary: pick a target of the other one",
            )
        return _json({"ok": True, "data": found.data})

    async def wrong_method(request: Request) -> Response:
        return Response("POST the payload", status_code=405, headers={"Allow": "POST"})

    return Starlette(
        routes=[
            Route("/", home, methods=["GET"]),
            Route("/explain", explain_body, methods=["POST"]),
            Route("/explain", wrong_method, methods=["GET"]),
        ]
    )
