"""A full 500-order Dexero page converts between XML and JSON keeping every value's text."""

from __future__ import annotations

import json

import pytest

import ordermap

from .sample import dexero_page_xml
from .trees import json_tree, xml_tree


def test_500_order_xml_page_to_json_and_back_keeps_every_text() -> None:
    xml = dexero_page_xml(500, seed=7)
    page = ordermap.decode(xml)
    assert isinstance(page, ordermap.DexeroOrderPage)
    assert page.orders is not None and len(page.orders) == 500
    # XML to XML: the page remembers 500 repeated <order> keys; each list is written once.
    assert xml_tree(ordermap.encode(page, "dexero-xml")) == xml_tree(xml)
    as_json = ordermap.encode(page, "dexero-json")
    back = ordermap.encode(ordermap.decode(as_json), "dexero-xml")
    assert xml_tree(back) == xml_tree(xml)
    # And the JSON written from the XML reads back to the same JSON.
    again = ordermap.encode(ordermap.decode(back), "dexero-json")
    assert json_tree(again) == json_tree(as_json)
    # Spot-check exact texts on the JSON side: amounts keep their scale as number text.
    first = json.loads(as_json, parse_float=str, parse_int=str)["orders"]["order"][0]
    original = ordermap.decode(xml)
    assert isinstance(original, ordermap.DexeroOrderPage) and original.orders
    assert first["total_order"] == format(original.orders[0].total_order, "f")


def test_whole_documents_are_built_without_the_cyclic_collector(monkeypatch) -> None:
    # The collector's cost grows with the live objects, so a large document is read, written
    # and translated with it paused; it runs again afterwards, also after a failure.
    import gc

    # Orders read in one member order share their spelling record, so the page is large
    # enough for the collector to run many times while it is built.
    page = ordermap.encode(
        ordermap.DexeroOrderPage(
            orders=tuple(ordermap.DexeroOrder(id=i, reference_number=f"R{i}") for i in range(6000))
        ),
        "dexero-json",
    )

    def collections() -> int:
        runs: list[int] = []

        def count(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                runs.append(info["generation"])

        gc.collect()
        gc.callbacks.append(count)
        try:
            document = ordermap.decode(page)
            translated = ordermap.translate(document, "talkdesk-json").document
            ordermap.encode(translated, "talkdesk-json")
        finally:
            gc.callbacks.remove(count)
        return len(runs)

    # Between the three calls the collector may run once each (for what was allocated
    # meanwhile); without the pause it runs hundreds of times.
    assert collections() <= 3
    with monkeypatch.context() as patched:
        patched.setattr(gc, "disable", lambda: None)
        assert collections() > 30
    assert gc.isenabled()
    with pytest.raises(ordermap.ValidationError):
        ordermap.decode(b'{"order": {"id": "1"}}')
    assert gc.isenabled()
    gc.disable()
    try:
        ordermap.decode(page)
        assert not gc.isenabled()  # a collector the caller paused stays paused
    finally:
        gc.enable()


def test_the_collector_pause_holds_across_threads() -> None:
    # Two threads inside decode at once: the collector comes back only when both are out.
    import gc
    import threading

    from ordermap.binding import paused_gc

    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with paused_gc():
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=hold)
    worker.start()
    assert inside.wait(10)
    with paused_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread is still inside
    release.set()
    worker.join(10)
    assert gc.isenabled()
