"""The explain page as one self-contained HTML document: its styles and script inline, its data
in a ``<script type="application/json">`` block, nothing fetched.

The page's Content-Security-Policy says so to the browser as well: no source but the page
itself, no connection anywhere (the served page may ask its own origin, and nothing else).
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources import files
from typing import Any

from ..formats import json_write

__all__ = ["page"]

_POLICY = {
    "file": (
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline';"
        " img-src data:; form-action 'none'; base-uri 'none'"
    ),
    "served": (
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline';"
        " img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'"
    ),
}


@cache
def _asset(name: str) -> str:
    return files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _json(value: Any) -> str:
    # JSON text inside <script>: "<" only occurs in strings, where its escape means the same,
    # so no "</script>" or "<!--" in a payload can end the block.
    return json_write.emit(value).decode("utf-8").replace("<", "\\u003c")


def page(
    data: dict[str, Any] | None,
    *,
    title: str | None = None,
    form: str = "",
    served: bool = False,
) -> str:
    """The page for :func:`ordermap.explain.explain`'s data (``None`` for an empty page, as
    the served page starts); ``form`` is markup put above it (the served page's form)."""
    if title is None:
        if data is None:
            title = "ordermap explain"
        else:
            title = f"ordermap explain: {data['source_format']} to {data['target_format']}"
    body = "" if data is None else _json(data)
    policy = _POLICY["served" if served else "file"]
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="generator" content="ordermap explain">\n'
        f"<title>{escape(title)}</title>\n<style>\n{_asset('page.css')}</style>\n</head>\n<body>\n"
        f"{form}"
        '<main id="app"><noscript>This page draws its trees with JavaScript; open it in a'
        " browser that runs scripts.</noscript></main>\n"
        f'<script type="application/json" id="ordermap-data">{body}</script>\n'
        f"<script>\n{_asset('page.js')}</script>\n"
        "<footer>Made by ordermap explain. Each value is marked by its fate: mapped (reached"
        " the target), derived (computed by a crosswalk rule), lost (no place in the target),"
        " carried (kept in the target's extension slot).</footer>\n"
        "</body>\n</html>\n"
    )
