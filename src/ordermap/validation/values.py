"""Value rules: what a member's value must be beyond its type (issue #10).

The decoders check a value's type and lexical form; these rules check what it says. Errors: a
Dexero order without its ``id``, a negative count or id, a currency that is not three capital
letters. Warnings (errors under ``strict``, as the other warnings are): a currency, country,
region or locale that its ISO table does not list, a region in another country than its
address, an email, IP address or URL that does not parse, a Dexero page whose pagination
contradicts itself or the orders it holds (:func:`pagination`), and a value in a carry slot's
place that is not a slot (:mod:`.slots`). ``specs/problems.md`` says
exactly what each rule accepts.

Each rule is read twice, with one meaning: from a decoded model object, and from the parsed
tree of a document that did not decode (where a Dexero XML number is still its text, and a
Dexero JSON string may be a number or boolean token standing for its text). The two must
agree, or a streamed page, whose orders decode one by one, would report an order otherwise
than the whole page does.

Text rules look at the value without the white space around it (XML layouts add it, and the
value is kept as it came), and an empty or blank value names nothing, so no rule checks it.

The ISO tables come from pycountry, imported only when a rule first needs one and read once
per process: ``import ordermap`` does not load it, and a page of 500 orders does not pay for
each order.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from attrs import field, frozen

from ..lexical import LONG_RANGE, integer_from_text
from ..model import (
    DexeroAddress,
    DexeroCustomer,
    DexeroCustomField,
    DexeroOrder,
    DexeroOrderForm,
    DexeroOrderPage,
    DexeroOrderProduct,
    DexeroValue,
    TalkdeskAddress,
    TalkdeskLink,
    TalkdeskMoney,
    TalkdeskOrder,
    TalkdeskOrderExtraInfo,
    TalkdeskOrderPage,
    TalkdeskPaymentDetails,
)
from ..values import scalar_text
from . import slots

__all__ = ["ERRORS", "PAGINATION", "Rule", "Rules", "given", "missing", "pagination", "rules_for"]

Path = list[str | int]
Found = tuple[Path, str, str, Any]  # as .walk has it: (path, code, message, offending value)
Check = Callable[[Path, Any, str | None], Found | None]
# A check of a whole object, given its members' values by wire name (a decoded object's or a
# parsed tree's, so that the two walks ask it alike).
EntryCheck = Callable[[Path, Callable[[str], Any]], Found | None]

ERRORS = frozenset({"missing-id", "negative-number", "bad-currency"})
"""The codes of the rules that are errors whatever the strictness; the others are warnings."""

_CURRENCY = re.compile(r"[A-Z]{3}\Z", re.ASCII)
_LOCALE = re.compile(r"([a-z]{2,3})(?:[_-]([A-Z]{2}))?\Z", re.ASCII)
_BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


@functools.cache
def currencies() -> frozenset[str]:
    """ISO 4217's alphabetic currency codes."""
    import pycountry

    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


@functools.cache
def countries() -> frozenset[str]:
    """ISO 3166-1's alpha-2 country codes."""
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


@functools.cache
def regions() -> frozenset[str]:
    """ISO 3166-2's subdivision codes (``PT-11``)."""
    import pycountry

    return frozenset(subdivision.code for subdivision in pycountry.subdivisions)


@functools.cache
def languages() -> frozenset[str]:
    """ISO 639 language codes: 639-1's two letters, 639-2/T and 639-3's three (pycountry's
    ``alpha_3``) and 639-2/B's bibliographic three (``fre``, ``ger``)."""
    import pycountry

    codes: set[str] = set()
    for language in pycountry.languages:
        codes.add(language.alpha_3)
        for other in ("alpha_2", "bibliographic"):
            code = getattr(language, other, None)
            if code:
                codes.add(code)
    return frozenset(codes)


def given(text: str | None) -> str | None:
    """The text a rule checks: without the white space around it, ``None`` when blank."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def _negative(here: Path, number: int, _: str | None) -> Found | None:
    if number >= 0:
        return None
    return here, "negative-number", "must not be negative", number


def _currency(here: Path, text: str, _: str | None) -> Found | None:
    if _CURRENCY.match(text) is None:
        return here, "bad-currency", "a currency code is three capital letters A-Z", text
    if text not in currencies():
        return here, "unknown-currency", "not an ISO 4217 currency code", text
    return None


def _country(here: Path, text: str, _: str | None) -> Found | None:
    if text in countries():
        return None
    return here, "unknown-country", "not an ISO 3166-1 alpha-2 country code", text


def _region(here: Path, text: str, country: str | None) -> Found | None:
    if text not in regions():
        return here, "unknown-region", "not an ISO 3166-2 subdivision code", text
    part = text.split("-")[0]
    if country is None or country == part or country not in countries():
        return None  # an address with no country, or none ISO names, has nothing to match
    return here, "region-mismatch", f"a region of {part}, in an address in {country}", text


def _locale(here: Path, text: str, _: str | None) -> Found | None:
    match = _LOCALE.match(text)
    if (
        match is not None
        and match[1] in languages()
        and (match[2] is None or match[2] in countries())
    ):
        return None
    message = "not a language code (ISO 639, optionally _ or - and an ISO 3166-1 country)"
    return here, "unknown-locale", message, text


def _email(here: Path, text: str, _: str | None) -> Found | None:
    local, at, domain = text.partition("@")
    labels = domain.split(".")
    if (
        at
        and local
        and "@" not in domain
        and len(labels) >= 2
        and all(labels)
        and _BLANK_OR_CONTROL.search(text) is None
    ):
        return None
    return here, "bad-email", "not an email address (local part@domain.with.dot)", text


def _ip_address(here: Path, text: str, _: str | None) -> Found | None:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return here, "bad-ip-address", "not an IPv4 or IPv6 address", text
    return None


def _parses(text: str) -> tuple[str, str] | None:
    """A URL's scheme and network location, or ``None`` when it does not parse."""
    if _BLANK_OR_CONTROL.search(text) is not None:
        return None  # urlsplit would quietly drop some of them, or keep the rest
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - reading it checks the port (a number in range)
    except ValueError:
        return None
    return parts.scheme, parts.netloc


def _absolute_url(here: Path, text: str, _: str | None) -> Found | None:
    parts = _parses(text)
    if parts is not None and all(parts):
        return None
    return here, "bad-url", "not an absolute URL (a scheme and a host)", text


def _url_reference(here: Path, text: str, _: str | None) -> Found | None:
    if _parses(text) is not None:
        return None
    return here, "bad-url", "not a URL", text


@frozen
class Rule:
    """One member's rule, and how to read its value.

    Each check gives one finding or ``None`` (not an iterator): the walks ask every member
    that has a rule, and a generator per member would cost more than most checks do.
    """

    check: Check
    count: bool = False  # an integer (else text)
    whole: bool = False  # any value, as it is (a free-form member: a carry slot's place)

    def decoded(self, here: Path, value: Any, country: str | None) -> Found | None:
        """The finding for a decoded value (an ``int`` or a ``str``), if any."""
        if self.count or self.whole:
            return self.check(here, value, country)
        text = given(value)
        return None if text is None else self.check(here, text, country)

    def raw(self, here: Path, value: Any, country: str | None) -> Found | None:
        """The finding for a value of a parsed tree, where it has the form it would decode
        from (else the decoder's error is there, and nothing is found)."""
        if self.whole:
            return self.check(here, value, country)
        if self.count:
            number = _raw_integer(value)
            return None if number is None else self.check(here, number, country)
        text = given(scalar_text(value))
        return None if text is None else self.check(here, text, country)


def _raw_integer(value: Any) -> int | None:
    """An integer of a parsed tree: a JSON integer, or Dexero XML's text of one."""
    if type(value) is int:
        return value
    if type(value) is str:
        return integer_from_text(value, LONG_RANGE)
    return None


@frozen
class Rules:
    """The rules of one model class: its members' and its own."""

    members: Mapping[str, Rule]
    required: str | None = None  # a member it must have (a Dexero order's id)
    country: str | None = None  # the member its regions must be in (an address's country)
    counted: str | None = None  # the list its pagination counts (a Dexero page's orders)
    entry: EntryCheck | None = None  # a check of the object as a whole
    extras: Mapping[str, Rule] = field(factory=dict)  # rules of members it does not define


_COUNT = Rule(_negative, count=True)
_CURRENCY_RULE = Rule(_currency)
_COUNTRY_RULE = Rule(_country)
_REGION_RULE = Rule(_region)
_LOCALE_RULE = Rule(_locale)
_EMAIL_RULE = Rule(_email)
_CUSTOM_FIELDS_RULE = Rule(slots.custom_fields, whole=True)

_RULES: dict[type, Rules] = {
    DexeroOrderPage: Rules(
        {"uri": Rule(_url_reference)},
        counted="order",
        extras={"ordermap_talkdesk": Rule(slots.page_slot, whole=True)},
    ),
    DexeroOrder: Rules(
        {
            "id": _COUNT,
            "customer_id": _COUNT,
            "currency": _CURRENCY_RULE,
            "customer_email": _EMAIL_RULE,
            "locale": _LOCALE_RULE,
            "ip_address": Rule(_ip_address),
        },
        required="id",
    ),
    DexeroAddress: Rules(
        {"iso_country": _COUNTRY_RULE, "iso_region": _REGION_RULE}, country="iso_country"
    ),
    DexeroOrderForm: Rules({"quantity_number": _COUNT, "product_id": _COUNT}),
    DexeroValue: Rules({"id": _COUNT}),
    DexeroOrderProduct: Rules({"id": _COUNT, "quantity": _COUNT}),
    DexeroCustomer: Rules({"id": _COUNT, "email": _EMAIL_RULE, "default_locale": _LOCALE_RULE}),
    DexeroCustomField: Rules({}, entry=slots.custom_field),
    TalkdeskOrderPage: Rules({}, extras={"custom_fields": _CUSTOM_FIELDS_RULE}),
    TalkdeskOrder: Rules({"items_number": _COUNT, "custom_fields": _CUSTOM_FIELDS_RULE}),
    TalkdeskAddress: Rules(
        {"country_code": _COUNTRY_RULE, "region_code": _REGION_RULE}, country="country_code"
    ),
    TalkdeskMoney: Rules({"currency": _CURRENCY_RULE}),
    TalkdeskPaymentDetails: Rules({"card_brand_image_url": Rule(_absolute_url)}),
    TalkdeskOrderExtraInfo: Rules({"highlighted_item_image_url": Rule(_absolute_url)}),
    TalkdeskLink: Rules({"href": Rule(_url_reference)}),
}


def rules_for(cls: type) -> Rules | None:
    """The value rules of a model class, keyed by wire name; ``None`` when it has none."""
    return _RULES.get(cls)


def missing(path: Path) -> Found:
    """The finding for an object without the member it requires (located at the object)."""
    return path, "missing-id", "a Dexero order needs its id", None


PAGINATION = ("totalResults", "startIndex", "itemsPerPage", "pageCount")
"""The wire names of a Dexero page's pagination properties, in the order :func:`pagination`
takes their values."""


def pagination(
    path: Path,
    total: int | None,
    start: int | None,
    per_page: int | None,
    pages: int | None,
    count: int | None,
) -> list[Found]:
    """The findings of a Dexero page whose pagination contradicts itself or its orders.

    ``count`` is the number of orders the page holds (``None`` when its order list is not a
    list, so that only the rules that do not need it apply). A rule applies only when the
    properties it compares are all present and not negative: a missing or negative one says
    nothing about the others, and a negative one is not what these rules are about.
    ``startIndex`` is 0-based, so a page may start at ``totalResults`` only when it is empty
    (a request just past the last order), and an empty result has no pages.
    """
    found: list[Found] = []
    if count is not None and per_page is not None and 0 <= per_page < count:
        message = f"the page holds {count} orders, more than its itemsPerPage"
        found.append(([*path, "itemsPerPage"], "too-many-orders", message, per_page))
    if total is not None and start is not None and 0 <= total <= start:
        if start > total:
            message = f"the 0-based startIndex is past totalResults ({total})"
            found.append(([*path, "startIndex"], "start-past-total", message, start))
        elif count:
            message = f"the page holds orders, but its 0-based startIndex is totalResults ({total})"
            found.append(([*path, "startIndex"], "start-past-total", message, start))
    if (
        total is not None
        and pages is not None
        and per_page is not None
        and total >= 0
        and pages >= 0
        and per_page > 0
    ):
        expected = -(-total // per_page)
        if pages != expected:
            message = (
                f"totalResults {total} over itemsPerPage {per_page}, rounded up, "
                f"makes {expected} pages"
            )
            found.append(([*path, "pageCount"], "page-count-mismatch", message, pages))
    return found


def page_findings(path: Path, page: Any, count: int | None) -> list[Found]:
    """:func:`pagination` of a decoded Dexero page; ``count`` overrides the orders it holds
    (a streamed page's orders go past one by one and are not in it)."""
    if count is None:
        count = len(page.orders or ())
    return pagination(
        path, page.total_results, page.start_index, page.items_per_page, page.page_count, count
    )


def raw_page_findings(
    path: Path, raw: Mapping[str, Any], key: str, count: int | None
) -> list[Found]:
    """:func:`pagination` of a Dexero page's parsed tree (``key``: its order list's member),
    reading what the decoder would read; ``count`` as for :func:`page_findings`."""
    if count is None:
        orders = raw.get(key)
        # A list holds its items; anything else present is one item (a bare object, an empty
        # XML element, or a value of the wrong type whose error is reported already).
        count = len(orders) if type(orders) is list else int(orders is not None)
    total, start, per_page, pages = (_raw_integer(raw.get(name)) for name in PAGINATION)
    return pagination(path, total, start, per_page, pages, count)
