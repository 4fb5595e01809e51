"""Translate documents between Talkdesk and Dexero, with a loss report.

:func:`translate` maps an order or a page through the crosswalk (:data:`CROSSWALK`, in
:mod:`.table`) in one of three modes:

- ``report`` (default): map what maps; the :class:`Report` names every value that did not
  reach the target and every derived value;
- ``strict``: raise :class:`TranslationError`, holding the whole report, when anything would
  be lost;
- ``carry``: put what does not survive into the target's extension slot (Talkdesk
  ``custom_fields.dexero``; Dexero ``customer.custom_field`` ``ordermap:talkdesk``; for pages,
  a page-level ``custom_fields.dexero`` or an ``ordermap_talkdesk`` member of ``orders``), so
  that translating back gives the source exactly.

A value counts as surviving when translating the result back gives it again: the report is
the difference between the source and its round trip, so a derived value that does not come
back (a name with a double space, ``is_shippable`` false) is reported, and nothing that came
back is. Reading a document that holds a carry slot restores what it carries, in every mode.
A slot is one only when it holds ordermap's ``"ordermap:slot": 1`` mark; anything else in a
slot's place is user data, translated like any other value (lossless rule 6, :mod:`.carry`).

The room holds, one part each: the crosswalk as data (:mod:`.table`, and :mod:`.spec`, which
writes it into ``specs/``), the rules of both directions (:mod:`.rules`), what each rule
gives back, for the report and the carry slot (:mod:`.way_back`), the report
(:mod:`.report`), the carry slots (:mod:`.carry`), the patch format of carry slots and the
round-trip oracle (:mod:`.patch`), the two vocabularies (:mod:`.sides`), one order
(:mod:`.orders`) and whole documents
(:mod:`.pages`).
"""

from __future__ import annotations

from .pages import PageTranslator, translate
from .report import Mode, Report, ReportEntry, Translation, TranslationError
from .table import CROSSWALK, Row, rows_for

__all__ = [
    "CROSSWALK",
    "Mode",
    "PageTranslator",
    "Report",
    "ReportEntry",
    "Row",
    "Translation",
    "TranslationError",
    "rows_for",
    "translate",
]
