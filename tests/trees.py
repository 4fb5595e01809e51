"""Strict comparisons for documents: exact number text, token kinds, member order."""

from __future__ import annotations

import json
from typing import Any

from lxml import etree


def json_tree(data: bytes | str) -> Any:
    """A JSON document as a tree in which every token keeps its kind and exact text.

    Numbers become ``("number", text)``, so ``10.5`` and ``10.50`` differ, and ``"1"`` and
    ``1`` differ; objects become lists of ``(key, value)`` pairs, so member order counts.
    """
    return json.loads(
        data,
        parse_float=lambda text: ("number", text),
        parse_int=lambda text: ("number", text),
        parse_constant=lambda text: ("number", text),
        object_pairs_hook=lambda pairs: ("object", pairs),
    )


def xml_tree(data: bytes) -> Any:
    """An XML document as (tag, attributes, text, children), ignoring indentation only."""

    def walk(element: Any) -> Any:
        children = [walk(child) for child in element]
        text = element.text
        if children:
            assert text is None or not text.strip(), "mixed content"
            text = None
        return (element.tag, dict(element.attrib), text or "", children)

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    return walk(etree.fromstring(data, parser))
