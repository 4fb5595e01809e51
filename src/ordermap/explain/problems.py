"""Problems as the explain page shows them: listed with their places, and pinned to the value
they are about (an XML element path becomes a JSON Pointer into the document's JSON form)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..errors import Problem, pointer

__all__ = ["problem_rows", "xml_pointer"]

_XML_STEP = re.compile(r"^(?P<name>[^\[]+)(?:\[(?P<index>[0-9]+)\])?\Z")


def problem_rows(
    problems: Sequence[Problem], pinned: Sequence[str | None] = ()
) -> list[dict[str, Any]]:
    """Problems as the page lists them: severity, code, message, place, and the pointer of
    the value they are pinned to (``pinned``, in the same order, where known)."""
    listed = []
    for number, problem in enumerate(problems):
        location = problem.location
        where = location.pointer or location.path or ""
        if location.line is not None:
            at = f"line {location.line}"
            if location.column is not None:
                at += f", column {location.column}"
            where = f"{at} ({where})" if where else at
        listed.append(
            {
                "severity": str(problem.severity),
                "code": problem.code,
                "message": problem.message,
                "where": where,
                "pointer": pinned[number] if number < len(pinned) else location.pointer,
                "input": problem.input,
            }
        )
    return listed


def xml_pointer(path: str, tree: Any, root: str) -> str | None:
    """The JSON Pointer, in a document's JSON form, of an XML element path such as
    ``/orders/order[2]/currency`` (``None`` when the path leads nowhere in the tree)."""
    steps = [step for step in path.split("/") if step]
    if not steps:
        return None
    found: list[str | int] = []
    node = tree
    # The first step is the root element, which the envelope (``root``) stands for.
    for step in steps[1:]:
        match = _XML_STEP.match(step)
        if match is None or type(node) is not dict or match["name"] not in node:
            return None
        name = match["name"]
        node = node[name]
        found.append(name)
        if type(node) is list:
            index = int(match["index"] or 1) - 1
            if not 0 <= index < len(node):
                return None
            node = node[index]
            found.append(index)
    return root + pointer(found)
