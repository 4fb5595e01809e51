"""The explain page's model: a translation's source and target trees, each value marked by its
fate, with the summary by field and the crosswalk rows that applied, as plain JSON data.

The fates come from the loss report as the rules make it, nothing else: a value with a
``lost``, ``carried`` or ``derived`` entry has that fate (``lost`` first when it has several),
a value inside a lost or carried object shares it, and every other value reached the target
(``mapped``). In the target, a value a rule computed is ``derived`` and the carry slot is
``carried``. Values are shown as their exact JSON text (``10.50`` stays ``10.50``), which is
why the model holds them as strings: the page's script never reads a number as a float.

A node is a list ``[key, fate, value, notes, row]``, trailing members left out when empty:

- ``key``: the member name, or the index in an array (``None`` for the root);
- ``fate``: ``m`` mapped, ``d`` derived, ``l`` lost, ``c`` carried;
- ``value``: the JSON text of a scalar or an empty object or array (a string), or the
  children (a list of nodes; an array's children have integer keys);
- ``notes``: ``[kind, reason, other]`` per report entry or problem at this value: the
  action's letter (as for fates, or ``p`` for a problem), an index into ``reasons``, and
  the pointer on the other side, where ``@`` stands for the other side's order (or page);
- ``row``: the index in ``rows`` of the crosswalk row for this field, or ``-1``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .. import formats
from ..crosswalk import Report, ReportEntry, rows_for
from ..crosswalk.summary import LossSummary
from ..errors import Problem, pointer
from ..formats import json_write
from .problems import problem_rows

__all__ = ["build"]

_RANK = {"lost": 0, "carried": 1, "derived": 2}
_FATE = {"lost": "l", "carried": "c", "derived": "d"}
# Members that name an order in its summary line, the first found in each group.
_LABELS = (("id",), ("order_number", "reference_number"))


class _Reasons:
    """Reasons stored once each (a 500-order page repeats a dozen of them 500 times)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def listed(self) -> list[str]:
        return list(self.index)


class _Rows:
    """The crosswalk rows met while walking the source, with how many values each covered."""

    def __init__(self, family: str) -> None:
        self.family = family
        self.index: dict[int, int] = {}  # id(row) -> position
        self.rows: list[list[Any]] = []

    def __call__(self, path: str, derived: bool) -> int:
        found = rows_for(self.family, path)  # type: ignore[arg-type]
        if not found:
            return -1
        # A derived value is shown with the row of its rule, where the field has several.
        row = (
            next((row for row in found if row.rule == "derived"), found[0]) if derived else found[0]
        )
        position = self.index.get(id(row))
        if position is None:
            position = self.index[id(row)] = len(self.rows)
            self.rows.append([row.talkdesk, row.dexero, row.rule, row.note, 0])
        self.rows[position][4] += 1
        return position


def _text(value: Any) -> str:
    return json_write.emit(value).decode("utf-8")


class _Walk:
    """One side's tree turned into nodes."""

    def __init__(
        self,
        notes: dict[str, list[list[Any]]],
        fates: dict[str, str],
        rows: _Rows | None,
        counts: dict[str, int] | None,
    ) -> None:
        self.notes = notes
        self.fates = fates
        self.rows = rows
        self.counts = counts
        self.other = "\0"  # the other side's pointer of the order walked (notes shorten it)

    def _notes(self, at: str) -> Any:
        notes = self.notes.get(at)
        if notes is None:
            return 0
        other = self.other
        cut = len(other)
        shortened = []
        for kind, reason, there in notes:
            if there is not None and there.startswith(other) and there[cut : cut + 1] in ("", "/"):
                there = "@" + there[cut:]
            shortened.append([kind, reason, there])
        return shortened

    def node(
        self, key: str | int | None, value: Any, at: str, wire: str, inherited: str
    ) -> list[Any]:
        fate = self.fates.get(at) or inherited
        own = self.notes.get(at)
        derived = own is not None and any(note[0] == "d" for note in own)
        row = self.rows(wire, derived) if self.rows is not None and wire else -1
        children: Any
        if fate == "c" and self.rows is None and type(value) in (dict, list):
            # The target's carry slot: its values are the source's carried ones, each shown
            # there; here it is the one value the target holds, in its exact text.
            children = _text(value)
        elif type(value) is dict and value:
            below = fate if fate in ("l", "c") else "m"
            children = [
                self.node(name, item, f"{at}/{_escape(name)}", f"{wire}.{name}", below)
                for name, item in value.items()
            ]
        elif type(value) is list and value:
            below = fate if fate in ("l", "c") else "m"
            children = [
                self.node(index, item, f"{at}/{index}", wire, below)
                for index, item in enumerate(value)
            ]
        else:
            children = _text(value)
            if fate == "m" and self.counts is not None:
                self.counts["m"] += 1
        notes = self._notes(at)
        if notes and self.counts is not None:
            for note in notes:  # report entries by action (and problems, "p")
                self.counts[note[0]] += 1
        node: list[Any] = [key, fate, children, notes, row]
        while len(node) > 3 and node[-1] in (0, -1):
            node.pop()
        return node


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _worst(actions: Iterable[str]) -> str:
    return _FATE[min(actions, key=_RANK.__getitem__)]


def _label(number: int, tree: Any) -> str:
    label = f"Order {number}"
    if type(tree) is dict:
        for names in _LABELS:
            for name in names:
                value = tree.get(name)
                if value is not None and type(value) not in (dict, list):
                    label += f" \u00b7 {name} {_text(value)}"
                    break
    return label


def _split(tree: Any, orders_at: Sequence[str]) -> tuple[Any, Any, str]:
    """A page tree without its orders, the orders (a list, one object, or ``None``), and the
    pointer of the orders below the page's root."""
    if type(tree) is not dict:
        return tree, None, ""
    holder = tree
    path: list[str] = []
    for key in orders_at[:-1]:
        inner = holder.get(key)
        if type(inner) is not dict:
            return tree, None, ""
        holder = inner
        path.append(key)
    last = orders_at[-1]
    orders = holder.get(last)
    rest = _without(tree, [*path, last])
    return rest, orders, pointer([*path, last])


def _without(tree: dict[str, Any], path: list[str]) -> dict[str, Any]:
    head, *more = path
    if not more:
        return {key: value for key, value in tree.items() if key != head}
    # An object that held only the orders (Talkdesk's _embedded) goes with them.
    inner = _without(tree[head], more)
    return {
        key: (inner if key == head else value)
        for key, value in tree.items()
        if key != head or inner
    }


def _per_order(orders: Any, base: str) -> list[tuple[str, Any]]:
    if type(orders) is list:
        return [(f"{base}/{index}", order) for index, order in enumerate(orders)]
    if type(orders) is dict:
        return [(base, orders)]
    return []


def build(
    *,
    source_format: str,
    target_format: str,
    mode: str,
    report: Report,
    source_tree: Any,
    source_root: str,
    source_page: bool,
    source_orders_at: Sequence[str],
    target_tree: Any | None,
    target_root: str,
    target_orders_at: Sequence[str],
    problems: Sequence[Problem] = (),
    pinned: Sequence[str | None] = (),
    refused: bool = False,
) -> dict[str, Any]:
    """The page's data for one translation (see the module docstring for its shape).

    Args:
        source_tree: The source document's JSON form, below ``source_root`` (its envelope's
            pointer, ``/orders`` for a Dexero page).
        source_page: Whether the source is a page (its orders are listed one by one).
        source_orders_at: Where a page's orders sit below its root (its side's
            ``page_orders``); the same for the target.
        target_tree: The translated document's JSON form below ``target_root``; ``None``
            when strict mode refused.
        problems: Warnings from validating the source.
        pinned: Each problem's pointer in the source's JSON form, where it has one (the
            page pins the problem to that value).
        refused: Strict mode refused the translation (the report says why).
    """
    reasons = _Reasons()
    source_family = formats.get(source_format).FAMILY
    source_notes: dict[str, list[list[Any]]] = {}
    target_notes: dict[str, list[list[Any]]] = {}
    source_actions: dict[str, set[str]] = {}
    target_actions: dict[str, set[str]] = {}
    summary = LossSummary()
    totals = {"lost": 0, "derived": 0, "carried": 0}
    for entry in report.entries:
        _note(entry, reasons, source_notes, target_notes, source_actions, target_actions)
        summary.add(entry)
        totals[entry.action] += 1
    listed = problem_rows(problems, pinned)
    for number, at in enumerate(pinned):
        if at is not None:
            source_notes.setdefault(at, []).append(["p", reasons(listed[number]["message"]), None])
    source_fates = {at: _worst(actions) for at, actions in source_actions.items()}
    target_fates = {at: _worst(actions) for at, actions in target_actions.items()}
    crosswalk = _Rows(source_family)
    # The source's values that reached the target as they are ("m"), and its notes by kind.
    counts = dict.fromkeys("mldcp", 0)
    source_walk = _Walk(source_notes, source_fates, crosswalk, counts)
    target_walk = _Walk(target_notes, target_fates, None, None)

    source_rest, source_orders, source_base = (
        _split(source_tree, source_orders_at) if source_page else (None, source_tree, "")
    )
    if target_tree is None:
        target_rest, target_orders, target_base = None, None, ""
    elif source_page:
        target_rest, target_orders, target_base = _split(target_tree, target_orders_at)
    else:
        target_rest, target_orders, target_base = None, target_tree, ""
    sources = _per_order(source_orders, source_root + source_base)
    targets = _per_order(target_orders, target_root + target_base)
    orders = []
    for number, (at, order) in enumerate(sources):
        before = dict(counts)
        target_at = targets[number][0] if number < len(targets) else None
        source_walk.other = "\0" if target_at is None else target_at
        target_walk.other = at
        node = source_walk.node(None, order, at, "order", "m")
        target: list[Any] | None = None
        if target_at is not None:
            target = target_walk.node(None, targets[number][1], target_at, "order", "m")
        # The order's report entries by action (as the report counts them), and its values
        # that reached the target as they are.
        fates = {kind: counts[kind] - before[kind] for kind in "ldcm"}
        orders.append(
            {
                "label": _label(number + 1, order),
                "source_at": at,
                "target_at": target_at,
                "source": node,
                "target": target,
                "counts": fates,
            }
        )
    page = None
    # A page's own members, where either side has any (Dexero's pagination, Talkdesk's links).
    if source_page and (source_rest or target_rest):
        source_walk.other, target_walk.other = target_root, source_root
        page = {
            "source_at": source_root,
            "target_at": target_root,
            "source": source_walk.node(None, source_rest, source_root, "page", "m"),
            "target": (
                None
                if target_rest is None
                else target_walk.node(None, target_rest, target_root, "page", "m")
            ),
        }
    return {
        "version": 1,
        "source_format": source_format,
        "target_format": target_format,
        "mode": mode,
        "refused": refused,
        "totals": {**totals, "mapped": counts["m"]},
        "summary": summary.to_json(),
        "rows": crosswalk.rows,
        "reasons": reasons.listed(),
        "problems": listed,
        "page": page,
        "orders": orders,
    }


def _note(
    entry: ReportEntry,
    reasons: _Reasons,
    source_notes: dict[str, list[list[Any]]],
    target_notes: dict[str, list[list[Any]]],
    source_actions: dict[str, set[str]],
    target_actions: dict[str, set[str]],
) -> None:
    reason = reasons(entry.reason)
    action = _FATE[entry.action]
    source_notes.setdefault(entry.source, []).append([action, reason, entry.target])
    source_actions.setdefault(entry.source, set()).add(entry.action)
    if entry.target is not None and entry.action in ("derived", "carried"):
        target_notes.setdefault(entry.target, []).append([action, reason, entry.source])
        target_actions.setdefault(entry.target, set()).add(entry.action)
