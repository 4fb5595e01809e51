"""Translation between Talkdesk and Dexero: kept so that ``ordermap.translation`` imports
keep working; everything lives in :mod:`ordermap.crosswalk`."""

from __future__ import annotations

from .crosswalk import (
    Mode,
    PageTranslator,
    Report,
    ReportEntry,
    Translation,
    TranslationError,
    translate,
)

__all__ = [
    "Mode",
    "PageTranslator",
    "Report",
    "ReportEntry",
    "Translation",
    "TranslationError",
    "translate",
]
