"""``ordermap explain`` and ``ordermap serve``: the page of a translation, as a file or on a
local server.

The command line registers these two (:mod:`ordermap.cli`); they import the translation and
the page (:mod:`ordermap.explain`) only when they run, so ``ordermap --help`` stays quick.
"""

from __future__ import annotations

import sys

import click

from . import cli as _cli

__all__ = ["explain", "serve"]

_EXPLAIN_EPILOG = """\b
Examples:
  ordermap explain page.xml --to talkdesk-json -o page.html
  ordermap explain order.json --to dexero-xml --mode carry -o order.html
  cat page.json | ordermap explain - --to talkdesk-json > page.html

\b
The page is one HTML file with nothing to fetch: open it from disk or attach it to a ticket.
Exit status: 0 the page was written (a strict refusal is shown on it), 1 the input cannot
be read or translated (nothing written), 2 usage."""


@click.command(epilog=_EXPLAIN_EPILOG, no_args_is_help=True)
@click.argument("input", default="-", metavar="[INPUT|-]")
@click.option("--to", "to", required=True, type=_cli.FORMAT_NAMES, help="Target format.")
@_cli.FROM_OPTION
@click.option(
    "-o",
    "--output",
    metavar="PAGE.html",
    help="Where to write the page ('-' or left out: standard output).",
)
@_cli.MODE_OPTION
@_cli.POLICY_OPTION
def explain(
    input: str, to: str, source: str | None, output: str | None, mode: str, policy: str | None
) -> None:
    """Write a page that shows a translation value by value: what maps, what a rule derives,
    what is lost and why, what is carried."""
    from ._io import STDOUT, WriteFailed, atomic
    from .errors import OrdermapError
    from .explain import explain as explain_payload
    from .limits import DEFAULT_LIMITS

    name = "<stdin>" if input == "-" else input
    if output == "-":
        output = None
    if output:
        _cli._check_output(output, input, "the page")
    elif sys.stdout is None:
        raise _cli._usage("standard output is closed; use -o PAGE.html")
    elif sys.stdout.isatty():
        raise _cli._usage("the page is HTML, not for a terminal: give -o PAGE.html")
    rules = _cli._rules(policy)
    # Read no more than the limit allows, and one byte past it, which decoding refuses as
    # too-large (naming the limit) before anything else is done with the input.
    most = DEFAULT_LIMITS.max_bytes + 1
    try:
        if input == "-":
            data = sys.stdin.buffer.read(most)
        else:
            with open(input, "rb") as file:
                data = file.read(most)
    except OSError as exc:
        raise _cli._usage(f"cannot read {input}: {exc.strerror or exc}") from None
    try:
        found = explain_payload(
            data,
            to,  # type: ignore[arg-type]
            source_format=source,  # type: ignore[arg-type]
            mode=mode,  # type: ignore[arg-type]
            policy=rules,
        )
    except OrdermapError as exc:
        _cli._print_errors(name, exc)
        raise _cli._Failed(_cli.EXIT_INVALID) from None
    except ValueError as exc:  # a payload already in the target's vocabulary
        del exc
        raise _cli._usage(
            f"{name} is already in {to}'s vocabulary: nothing to translate"
            f" (ordermap convert --to {to} rewrites it)"
        ) from None
    page = found.html(title=f"ordermap explain: {name} to {to}").encode("utf-8")
    target = output or STDOUT
    try:
        if output:
            with atomic(output) as sink:
                sink.write(page)
        else:
            sys.stdout.buffer.write(page)
            sys.stdout.buffer.flush()
    except WriteFailed as exc:
        _cli._say(f"error: cannot write {exc.target}: {exc.reason}; {_cli._untouched(output)}")
        raise _cli._Failed(_cli.EXIT_INVALID) from None
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        _cli._say(f"error: cannot write {target}: {exc.strerror or exc}")
        raise _cli._Failed(_cli.EXIT_INVALID) from None
    totals = found.data["totals"]
    orders = _cli._count(found.orders, "order")
    head = f"{found.source_format} -> {to}, {mode} mode"
    where = f"wrote {output}" if output else "wrote the page"
    _cli._say(
        f"{where}: {orders}; {totals['lost']} lost, {totals['derived']} derived,"
        f" {totals['carried']} carried, {totals['mapped']} mapped ({head})"
    )
    if found.refused:
        _cli._say(
            f"strict mode would refuse: {_cli._count(totals['lost'], 'value')} would be lost;"
            " the page shows each one"
        )


_SERVE_EPILOG = """\b
Examples:
  ordermap serve
  ordermap serve --port 8123

\b
The page takes a payload pasted or dropped into its form and shows its translation. The
server reads nothing but the requests it gets, writes no file and reaches no other host.
It needs the serve extra: pip install 'ordermap[serve]'."""


@click.command(epilog=_SERVE_EPILOG)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (loopback: only this machine can reach the page).",
)
def serve(port: int, host: str) -> None:
    """Serve the explain page on this machine, with a form to paste a payload into."""
    try:
        import uvicorn

        from .explain.serve import create_app
    except ImportError as exc:
        _cli._say(
            f"error: ordermap serve needs the serve extra ({exc.name} is not installed):"
            " pip install 'ordermap[serve]'"
        )
        raise _cli._Failed(_cli.EXIT_INVALID) from None
    from .explain.serve import is_loopback

    if not is_loopback(host):
        _cli._say(
            f"warning: listening on {host}: anyone who can reach it can use the page"
            " (the default, 127.0.0.1, keeps it to this machine)"
        )
    app = create_app(hosts=None if not is_loopback(host) else ("127.0.0.1", "localhost", "[::1]"))
    shown = f"[{host}]" if ":" in host else host
    _cli._say(f"serving the explain page on http://{shown}:{port}/ (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
