"""One order through the crosswalk: the target, its carry slot and the report entries, all from
the rules; the round trip stays where a source's carry slot changes the target, and for a
status the policy gives that the target cannot hold."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .. import formats
from ..errors import (
    Location,
    Problem,
    preview,
)
from ..policy import Policy
from . import patch as _patch
from .carry import apply_slot, put_order_slot, slot_pointer, take_order_slot
from .entries import Findings, counted, made
from .report import Mode, ReportEntry, TranslationError
from .rules import (
    Notes,
    Untranslatable,
    check_required,
    text_unheld,
)
from .sides import OTHER, Side, document_tree, tree_model
from .summary import FieldRow
from .way_back import way_back

# A format that cannot hold all text (its TEXT_LIMIT names what it is, such as XML 1.0).
Unwritable = formats.FormatModule


def _writable(tree: dict[str, Any], limited: Unwritable) -> dict[str, Any]:
    """The tree without the strings a format cannot hold."""
    safe: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, str) and limited.unwritable(value) is not None:
            continue
        safe[key] = _writable(value, limited) if type(value) is dict else value
    return safe


def _holds_unwritable(value: Any, limited: Unwritable) -> bool:
    """Whether any text in a tree (member names included) is text the format cannot hold."""
    if type(value) is str:
        return limited.unwritable(value) is not None
    if type(value) is dict:
        return any(
            _holds_unwritable(key, limited) or _holds_unwritable(item, limited)
            for key, item in value.items()
        )
    if type(value) is list:
        return any(_holds_unwritable(item, limited) for item in value)
    return False


def text_limit_of(format: str | None) -> Unwritable | None:
    """The format, when it cannot hold all text; ``None`` when it holds any text."""
    if format is None:
        return None
    module = formats.get(format)
    return module if module.TEXT_LIMIT else None


class _NotBack:
    """Stands in the way back for a required value the source could not give; it equals no
    value of the source, as UNSET, a string, could (a source may spell UNSET's text)."""


_NOT_BACK: Any = _NotBack()

# The report and the carry slot come from the rules (:mod:`ordermap.crosswalk.way_back`);
# setting this makes every order take the round trip instead, which is what the oracle tests
# compare the rules with.
_REPORT_BY_ROUND_TRIP = False


def translate_order(
    source_side: Side,
    source: Any,
    mode: Mode,
    policy: Policy,
    source_prefix: str,
    target_prefix: str,
    xml: Unwritable | None = None,
    xml_source: Unwritable | None = None,
    counts: list[int] | None = None,
    rows: list[FieldRow] | None = None,
) -> tuple[Any, list[ReportEntry]]:
    """Translate one order; its report entries, or with ``counts`` (lost, derived, carried)
    only how many of each kind, added to ``counts`` (no entries are made), and with ``rows``
    as well each entry as the summary by field counts it (:data:`FieldRow`), appended to
    ``rows``."""
    target_side = OTHER[source_side.family]
    tree, incoming, lookalikes = take_order_slot(
        source_side, document_tree(source_side, source, source_prefix), source_prefix
    )
    notes = Notes()
    patch: dict[str, Any] = {}
    target_tree: dict[str, Any] = {}
    text_held = True
    if xml is not None and source_side.family == "talkdesk":
        text_held = text_unheld(source, xml, notes)
    # The round trip stays where the rules cannot give its result: a source's carry slot
    # changes the target and what comes back.
    by_rules = incoming is None and not _REPORT_BY_ROUND_TRIP
    if by_rules and xml is not None and source_side.family == "talkdesk":
        # A status the policy gives that the target cannot hold is dropped from it too.
        by_rules = not _holds_unwritable(list(policy.generic_type.values()), xml)
    if by_rules:
        target = source_side.forward(source, policy, notes)
        if mode == "carry":
            # Made before the required members are checked, as the round trip does, so a
            # target that cannot be written fails with the same error.
            target_tree = document_tree(target_side, target, source_prefix)
            if not text_held and xml is not None:
                # Mapped text the target cannot hold is left out of it, and carried.
                target_tree = _writable(target_tree, xml)
                target = tree_model(target_side, target_tree, target_side.order, "the translation")
        _check_required(notes.unset, source_prefix, target_side)
        if notes.unheld and mode != "carry":
            raise _unheld(notes, source_prefix, target_side)
        differences, patch = way_back(
            source,
            tree,
            policy,
            xml_source,
            patch=mode == "carry",
            target_limit=None if text_held else xml,
        )
    else:
        target, target_tree, patch, differences = _round_trip(
            source_side,
            source,
            tree,
            incoming,
            notes,
            policy,
            source_prefix,
            xml,
            xml_source,
            mode == "carry",
        )
    carry = mode == "carry" and bool(patch)
    if carry:
        target = tree_model(
            target_side,
            put_order_slot(target_side, target_tree, patch, target_prefix),
            target_side.order,
            "the carry slot",
        )
    found = Findings(source_side, notes, differences, lookalikes, xml, carry)
    if counts is None:
        return target, made(found, source_prefix, target_prefix)
    added = sum(1 for _, value in differences if value is _patch.MISSING)
    counts[2 if carry else 0] += len(differences) - added
    counts[1] += len(notes.derived) + added
    if rows is not None:
        counted(rows, found, source_prefix, target_prefix)
    return target, []


def _unheld(notes: Notes, source_prefix: str, target_side: Side) -> TranslationError:
    """The error for values whose counterpart cannot hold them (lossless rule 5)."""
    other = "Dexero" if target_side.family == "dexero" else "Talkdesk"
    return TranslationError(
        [
            Problem(
                "cannot-hold",
                f"{other}'s {target} cannot hold this value: {reason};"
                " carry mode keeps it in the carry slot",
                Location(pointer=source_prefix + path),
                input=preview(value),
            )
            for path, (target, reason, value) in notes.unheld.items()
        ],
        format=target_side.format,
    )


def _check_required(unset: Collection[str], source_prefix: str, target_side: Side) -> None:
    try:
        check_required(unset)
    except Untranslatable as error:
        raise TranslationError(
            [Problem("untranslatable", error.reason, Location(pointer=source_prefix + error.path))],
            format=target_side.format,
        ) from None


def _round_trip(
    source_side: Side,
    source: Any,
    tree: dict[str, Any],
    incoming: Any,
    notes: Notes,
    policy: Policy,
    source_prefix: str,
    xml: Unwritable | None,
    xml_source: Unwritable | None,
    carry: bool = True,
) -> tuple[Any, dict[str, Any], dict[str, Any], list[tuple[list[str | int], Any]]]:
    """Translate there and back: the target, its tree, the patch back to the source and the
    values that did not come back (sources with a carry slot, targets that cannot hold all
    text, and the oracle the rules are tested against)."""
    target_side = OTHER[source_side.family]
    if incoming is not None:
        source = tree_model(
            source_side, tree, source_side.order, "the source without its carry slot"
        )
    target = source_side.forward(source, policy, notes)
    target_tree = document_tree(target_side, target, source_prefix)
    if xml is not None:
        # What the target cannot hold (XML 1.0) does not reach it; the round trip reports it.
        target_tree = _writable(target_tree, xml)
        target = tree_model(target_side, target_tree, target_side.order, "the translation")
    if incoming is not None:
        target_tree = apply_slot(target_tree, incoming, source_prefix + slot_pointer(source_side))
    # The members the rules filled with UNSET, unless the carry slot gave or removed them.
    unset = [
        key
        for key in notes.unset
        if key in target_tree and (incoming is None or key not in incoming)
    ]
    _check_required(unset, source_prefix, target_side)
    if notes.unheld and not carry:
        raise _unheld(notes, source_prefix, target_side)
    if incoming is not None:
        target = tree_model(target_side, target_tree, target_side.order, "the carry slot")
    # The way back may hold UNSET where Talkdesk requires what Dexero lacks; it then differs
    # from the source there, which is what the report must say.
    back_notes = Notes()
    back_tree = document_tree(
        source_side, target_side.forward(target, policy, back_notes), source_prefix
    )
    for key in back_notes.unset:
        if key in back_tree:
            # Not a value: even a source whose text is the placeholder's did not come back.
            back_tree[key] = _NOT_BACK
    if xml_source is not None:
        back_tree = _writable(back_tree, xml_source)
    patch, differences = _patch.diff(tree, back_tree)
    return target, target_tree, patch, differences
