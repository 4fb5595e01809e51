"""``ordermap explain`` and ``ordermap serve``: the page's data against the loss report, the
page's self-containment, the command, and the served application (the browser tests, in
``test_explain_browser.py``, check what a person sees)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ordermap
from ordermap.cli import main
from ordermap.explain import explain
from ordermap.explain.html import page
from ordermap.explain.problems import xml_pointer
from ordermap.limits import Limits

from .sample import dexero_page_xml
from .serving import serving

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dexero-page.xml"
PAIRS = [
    ("dexero-xml", "talkdesk-json"),
    ("dexero-json", "talkdesk-json"),
    ("talkdesk-json", "dexero-json"),
    ("talkdesk-json", "dexero-xml"),
]
MODES = ["report", "strict", "carry"]


def source_in(format: str) -> bytes:
    """The bundled example, or the Talkdesk translation of it, in ``format``."""
    xml = EXAMPLE.read_bytes()
    if format == "dexero-xml":
        return xml
    if format == "dexero-json":
        return ordermap.convert(xml, "dexero-json").output
    return ordermap.convert(xml, "talkdesk-json").output


def nodes(node: list[Any], at: str) -> Iterator[tuple[str, list[Any]]]:
    yield at, node
    if isinstance(node[2], list):
        for child in node[2]:
            key = str(child[0]).replace("~", "~0").replace("/", "~1")
            yield from nodes(child, f"{at}/{key}")


def every_node(data: dict[str, Any], side: str) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for item in [*data["orders"], *([data["page"]] if data["page"] else [])]:
        if item[side] is not None:
            found.update(nodes(item[side], item[f"{side}_at"]))
    return found


# --- the page's data against the report ---------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_the_page_marks_every_report_entry_where_the_report_puts_it(
    source: str, target: str, mode: str
) -> None:
    data = source_in(source)
    found = explain(data, target, mode=mode)  # type: ignore[arg-type]
    try:
        expected = ordermap.convert(data, target, mode=mode).report  # type: ignore[arg-type]
    except ordermap.TranslationError as error:
        assert mode == "strict" and error.report is not None
        expected = error.report
        assert found.refused
    assert found.report.entries == expected.entries
    counts = Counter(entry.action for entry in expected.entries)
    totals = found.data["totals"]
    assert (totals["lost"], totals["derived"], totals["carried"]) == (
        counts["lost"],
        counts["derived"],
        counts["carried"],
    )
    # Each order's badges count its own entries; together they are the report's, less the
    # page-level ones.
    page_level = [e for e in expected.entries if not re.search(r"/[0-9]+(/|$)", e.source)]
    summed = Counter()
    for order in found.data["orders"]:
        summed.update({k: v for k, v in order["counts"].items() if k != "m"})
    assert summed["l"] + summed["d"] + summed["c"] == len(expected.entries) - len(page_level)
    source_nodes = every_node(found.data, "source")
    target_nodes = every_node(found.data, "target")
    letter = {"lost": "l", "derived": "d", "carried": "c"}
    for entry in expected.entries:
        node = source_nodes[entry.source]
        assert [letter[entry.action], found.data["reasons"].index(entry.reason)] in [
            note[:2] for note in node[3]
        ]
        if entry.action == "lost":
            assert node[1] == "l", entry
        if entry.action in ("derived", "carried") and not found.refused:
            assert entry.target is not None
            assert target_nodes[entry.target][1] in ("d", "c"), entry
    if mode == "strict" and counts["lost"]:
        assert found.refused and found.data["refused"] is True
        assert all(item["target"] is None for item in found.data["orders"])
    mapped = [
        at for at, node in source_nodes.items() if node[1] == "m" and not isinstance(node[2], list)
    ]
    assert len(mapped) == totals["mapped"]


def test_values_keep_their_exact_text_and_crosswalk_rows_count_what_they_covered() -> None:
    found = explain(EXAMPLE.read_bytes(), "talkdesk-json")
    source = every_node(found.data, "source")
    target = every_node(found.data, "target")
    assert source["/orders/order/0/total_products"][2] == "10.50"
    assert target["/_embedded/orders/0/price_summary/original_total_amount/value"][2] == "10.50"
    assert source["/orders/order/0/customer_email"][2] == '"customer@dexero.com"'
    rows = {(row[0], row[1]): row for row in found.data["rows"]}
    total = rows[("order.price_summary.original_total_amount.value", "order.total_products")]
    assert total[2] == "same" and total[4] == 2  # two orders
    refunded = found.data["rows"][source["/orders/order/0/total_refunded"][4]]
    assert refunded[2] == "derived" and refunded[3].startswith("is-refunded:")


def test_a_warning_is_pinned_to_its_value_in_xml_as_in_json() -> None:
    xml = EXAMPLE.read_bytes().replace(b"<currency>EUR</currency>", b"<currency>EUX</currency>", 1)
    found = explain(xml, "talkdesk-json")
    (problem,) = [p for p in found.data["problems"] if p["code"] == "unknown-currency"]
    assert problem["pointer"] == "/orders/order/0/currency"
    assert problem["where"].startswith("line ")
    node = every_node(found.data, "source")["/orders/order/0/currency"]
    assert node[3][-1][0] == "p"
    as_json = ordermap.convert(xml, "dexero-json").output
    found = explain(as_json, "talkdesk-json")
    (problem,) = [p for p in found.data["problems"] if p["code"] == "unknown-currency"]
    assert problem["pointer"] == "/orders/order/0/currency"


def test_xml_paths_become_pointers_into_the_json_form() -> None:
    tree = {"order": [{"id": 1, "product": [{"sku": "a"}, {"sku": "b"}]}], "uri": "x"}
    assert xml_pointer("/orders/order[1]/product[2]/sku", tree, "/orders") == (
        "/orders/order/0/product/1/sku"
    )
    assert xml_pointer("/orders/uri", tree, "/orders") == "/orders/uri"
    assert xml_pointer("/orders/order[3]/id", tree, "/orders") is None
    assert xml_pointer("/orders/nothing", tree, "/orders") is None


# --- the page itself -----------------------------------------------------------------------------


def test_the_page_is_self_contained_and_says_so_to_the_browser() -> None:
    html = explain(EXAMPLE.read_bytes(), "talkdesk-json").html()
    assert html.startswith("<!doctype html>")
    assert "default-src 'none'" in html and "connect-src" not in html
    # No external script, style, font or image: nothing with a src or href, no url(), no import.
    assert re.search(r"<(script|img|link|iframe)[^>]*\s(src|href)=", html, re.I) is None
    assert "url(" not in html and "@import" not in html
    # The payload's own links (a page's uri) are data; nothing else names an address.
    outside = re.sub(r'(id="ordermap-data">).*?(</script>)', r"\1\2", html, flags=re.S)
    assert "https://" in html and re.search(r"https?://", outside) is None


def test_markup_in_a_payload_cannot_end_the_data_block() -> None:
    evil = "</script><script>alert(1)</script><!--"
    talkdesk = json.loads(source_in("talkdesk-json"))
    talkdesk["_embedded"]["orders"][0]["order_number"] = evil
    html = explain(json.dumps(talkdesk).encode(), "dexero-json").html()
    assert evil not in html
    assert html.count("<script") == 2  # the data block and the page's script
    block = html.split('id="ordermap-data">', 1)[1].split("</script>", 1)[0]
    assert evil in json.dumps(json.loads(block), ensure_ascii=False)


def test_a_500_order_page_stays_a_few_times_its_input() -> None:
    xml = dexero_page_xml(500, seed=3)
    for mode in ("report", "carry"):
        found = explain(xml, "talkdesk-json", mode=mode)  # type: ignore[arg-type]
        assert found.orders == 500
        size = len(found.html().encode())
        assert size <= 4 * len(xml), (mode, size / len(xml))


def test_an_empty_page_is_a_page() -> None:
    html = page(None)
    assert '<main id="app">' in html and 'id="ordermap-data"></script>' in html


# --- the command ---------------------------------------------------------------------------------


def test_explain_writes_the_page_and_says_what_it_holds(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "page.html"
    assert main(["explain", str(EXAMPLE), "--to", "talkdesk-json", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert 'id="ordermap-data"' in html
    err = capsys.readouterr().err
    assert f"wrote {out}: 2 orders; 24 lost, 9 derived, 0 carried" in err
    assert "(dexero-xml -> talkdesk-json, report mode)" in err


def test_explain_of_a_strict_refusal_writes_the_page_that_shows_it(
    tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "page.html"
    argv = ["explain", str(EXAMPLE), "--to", "talkdesk-json", "--mode", "strict", "-o", str(out)]
    assert main(argv) == 0
    block = out.read_text(encoding="utf-8").split('id="ordermap-data">', 1)[1].split("</script>")[0]
    assert json.loads(block)["refused"] is True
    assert "strict mode would refuse: 24 values would be lost" in capsys.readouterr().err


def test_explain_of_a_broken_payload_names_the_place_and_leaves_the_page_alone(
    tmp_path: Path, capsys: Any
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"id": "1",\n "order_number": }')
    out = tmp_path / "page.html"
    out.write_text("what was here")
    assert main(["explain", str(broken), "--to", "dexero-json", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:" in err and "line 2" in err
    assert out.read_text() == "what was here"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json", "page.html"]


def test_explain_to_the_same_vocabulary_is_a_usage_error(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "page.html"
    assert main(["explain", str(EXAMPLE), "--to", "dexero-json", "-o", str(out)]) == 2
    assert "already in dexero-json's vocabulary: nothing to translate" in capsys.readouterr().err
    assert not out.exists()


def test_explain_reads_standard_input_and_writes_standard_output(
    monkeypatch: Any, capsysbinary: Any
) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(source_in("talkdesk-json"))))
    assert main(["explain", "-", "--to", "dexero-xml"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"<!doctype html>")
    assert b"ordermap explain: &lt;stdin&gt; to dexero-xml" in out


# --- the served page -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    pytest.importorskip("starlette")
    pytest.importorskip("uvicorn")
    from ordermap.explain.serve import create_app

    with serving(create_app(limits=Limits(max_bytes=64 * 1024))) as url:
        yield url


def test_the_served_page_has_the_form_and_may_only_call_home(served: str) -> None:
    import httpx

    response = httpx.get(served + "/")
    assert response.status_code == 200
    assert 'id="play"' in response.text and 'id="payload"' in response.text
    assert "connect-src 'self'" in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_server_explains_a_payload_as_the_library_does(served: str) -> None:
    import httpx

    data = EXAMPLE.read_bytes()
    response = httpx.post(served + "/explain?to=talkdesk-json&mode=carry", content=data)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["data"] == json.loads(json.dumps(explain(data, "talkdesk-json", mode="carry").data))


def test_the_server_answers_bad_input_with_the_problems_the_cli_gives(served: str) -> None:
    import httpx

    response = httpx.post(served + "/explain?to=dexero-json", content=b'{"id": "1",\n "x": }')
    assert response.status_code == 422
    body = response.json()
    assert body["ok"] is False
    (problem,) = body["problems"]
    with pytest.raises(ordermap.DecodeError) as caught:
        ordermap.decode(b'{"id": "1",\n "x": }')
    (expected,) = caught.value.problems
    assert problem["code"] == expected.code and problem["message"] == expected.message
    assert problem["where"].startswith("line 2")


def test_the_server_refuses_large_bodies_wrong_parameters_and_strange_hosts(served: str) -> None:
    import httpx

    big = httpx.post(served + "/explain?to=talkdesk-json", content=b" " * (64 * 1024 + 1))
    assert big.status_code == 413
    assert big.json()["problems"][0]["code"] == "too-large"
    # Without a Content-Length (chunked), the body is refused once it passes the limit.
    chunks = (b" " * 40_000 for _ in range(2))
    chunked = httpx.post(served + "/explain?to=talkdesk-json", content=chunks)
    assert chunked.status_code == 413
    wrong = httpx.post(served + "/explain?to=yaml", content=b"{}")
    assert wrong.status_code == 400 and "to must be one of" in wrong.text
    mode = httpx.post(served + "/explain?to=talkdesk-json&mode=lossy", content=b"{}")
    assert mode.status_code == 400
    same = httpx.post(served + "/explain?to=dexero-json", content=EXAMPLE.read_bytes())
    assert same.status_code == 422 and same.json()["problems"][0]["code"] == "same-vocabulary"
    empty = httpx.post(served + "/explain?to=dexero-json", content=b"")
    assert empty.status_code == 422
    rebound = httpx.get(served + "/", headers={"Host": "attacker.example"})
    assert rebound.status_code == 400
    assert httpx.get(served + "/explain").status_code == 405


def test_serve_listens_on_loopback_unless_told_otherwise() -> None:
    from ordermap.explain.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_both_commands_explain_every_pair_and_mode(
    source: str, target: str, mode: str, tmp_path: Path, served: str
) -> None:
    import httpx

    data = source_in(source)
    expected = explain(data, target, mode=mode)  # type: ignore[arg-type]
    given = tmp_path / "input"
    given.write_bytes(data)
    out = tmp_path / "page.html"
    argv = ["explain", str(given), "--to", target, "--from", source, "--mode", mode, "-o", str(out)]
    assert main(argv) == 0
    block = out.read_text(encoding="utf-8").split('id="ordermap-data">', 1)[1]
    assert json.loads(block.split("</script>", 1)[0]) == json.loads(json.dumps(expected.data))
    query = f"/explain?to={target}&from={source}&mode={mode}"
    answer = httpx.post(served + query, content=data)
    assert answer.status_code == 200
    assert answer.json()["data"] == json.loads(json.dumps(expected.data))


def test_ordermap_serve_serves_the_page_on_loopback_until_stopped() -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    import httpx

    pytest.importorskip("uvicorn")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "ordermap", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, "ordermap serve ended"
                assert time.monotonic() < deadline, "ordermap serve never answered"
                time.sleep(0.2)
        assert answer.status_code == 200 and 'id="play"' in answer.text
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert f"serving the explain page on http://127.0.0.1:{port}/" in err.decode()


def test_a_pages_own_members_are_a_section_only_where_a_side_has_some() -> None:
    dexero = explain(EXAMPLE.read_bytes(), "talkdesk-json").data["page"]
    members = {node[0]: node for node in dexero["source"][2]}
    assert members["totalResults"][1] == "l" and "order" not in members
    # The Talkdesk page holds nothing but its orders: no empty `_embedded` is left to show.
    assert explain(source_in("talkdesk-json"), "dexero-json").data["page"] is None


def test_serve_needs_a_port_it_can_tell(capsys: Any) -> None:
    # Port 0 would listen on a port the message could not name.
    assert main(["serve", "--port", "0"]) == 2
    assert "0 is not in the range 1<=x<=65535" in capsys.readouterr().err
