"""One module per wire format, each with the same verbs.

Every format module has ``FORMAT`` (its name), ``KINDS`` (document kind to model class),
``configure_converter``/``make_converter`` (its cattrs rules), ``decode`` and ``encode``.
"""

from __future__ import annotations

from types import ModuleType

from . import dexero_json, dexero_xml, talkdesk_json

__all__ = ["FORMATS", "dexero_json", "dexero_xml", "talkdesk_json"]

FORMATS: dict[str, ModuleType] = {
    module.FORMAT: module for module in (talkdesk_json, dexero_json, dexero_xml)
}
