"""Deterministic benchmark data: a 500-order Dexero page and a 100,000-order export.

Every order is generated from its own seeded random generator (``seed`` and its index), so
the same arguments always give the same bytes, and any prefix of the export is the smaller
export. The orders are realistic: one to five product lines with custom parameters and
attributes, billing and shipping addresses (some with a company), an order form on some
orders, customer custom fields, amounts with two, one or no decimals that add up, timestamps
with several offsets and fractions, text with markup characters and non-Latin scripts, and
rarely an ``xsi:nil`` field or an unknown element.

The XML is generated here; the other formats are made from it by ordermap itself
(``dexero-json`` by ``ordermap.encode``, ``talkdesk-json`` by ``ordermap.translate``), so they
are exactly what ordermap reads and writes.

Files (in ``benchmarks/.data/``, made when missing)::

    page-500.xml                 dexero-xml page
    page-500.dexero.json         dexero-json page
    page-500.talkdesk.json       talkdesk-json page
    order-1.talkdesk.json        one Talkdesk order (the CLI start-up case)
    export-100000.xml            dexero-xml export: one <orders> document
    export-100000.dexero.json    dexero-json export: one {"orders": ...} document
    export-100000.talkdesk.ndjson  talkdesk-json export: one order per line

Run ``python benchmarks/data.py`` to make them all (``--orders N`` for a smaller export).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import ordermap

__all__ = [
    "DATA",
    "EXPORT_ORDERS",
    "PAGE_ORDERS",
    "export_path",
    "order_xml",
    "orders_xml",
    "page_path",
    "small_order_path",
]

DATA = Path(__file__).resolve().parent / ".data"
PAGE_ORDERS = 500
EXPORT_ORDERS = 100_000
SEED = 20_240_601
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Orders are generated in chunks of one page when the export is converted to other formats.
_CHUNK = 500

_FIRST = ("Ana", "João", "Maria", "Zoë", "李", "Olivia", "Sean", "Léa", "Mohammed", "Ingrid")
_LAST = ("Silva", "Ångström", "O'Brien", "小龙", "Costa", "Müller", "Dupont", "Smith & Co")
_CITIES = (
    ("Lisbon", "PT", "PT-11", "+351"),
    ("Porto", "PT", "PT-13", "+351"),
    ("Madrid", "ES", "ES-MD", "+34"),
    ("Berlin", "DE", "DE-BE", "+49"),
    ("Paris", "FR", "FR-75", "+33"),
    ("São Paulo", "BR", "BR-SP", "+55"),
    ("Austin", "US", "US-TX", "+1"),
)
_CURRENCIES = ("EUR", "EUR", "EUR", "USD", "GBP", "BRL")
_STATUSES = ("pending", "treated", "completed", "completed", "cancelled", "on_hold")
_OFFSETS = ("Z", ".078Z", "+01:00", "-05:00", ".123456+05:30", "+00:00")
_PRODUCTS = (
    ("MUG-01", "Mug"),
    ("TEE-BLK-M", "T-shirt <black>, M"),
    ("BOOK-978", "Livro: «Os Lusíadas»"),
    ("CABLE-2M", "USB-C cable 2 m"),
    ("GIFT-CARD", "Gift card & wrapping"),
    ("LAMP-E27", "Desk lamp E27"),
)
_COMMENTS = (
    "Please ring twice.",
    "Leave at the door <not the garage> & call me",
    "Entregar depois das 18h, obrigado!",
    "请在工作日送货",
    "Gift — no invoice in the box\ttab",
)


def _text(name: str, value: str) -> str:
    return f"<{name}>{escape(value)}</{name}>" if value else f"<{name}/>"


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low * 100, high * 100)) / 100


def _amount(value: Decimal, rng: random.Random) -> str:
    """Amount text as Dexero writes it: usually two decimals, sometimes one or none."""
    text = format(value.quantize(Decimal("0.01")), "f")
    roll = rng.random()
    if roll < 0.05 and text.endswith(".00"):
        return text[:-3]
    if roll < 0.1 and text.endswith("0"):
        return text[:-1]
    return text


def _timestamp(rng: random.Random, year: int) -> str:
    return (
        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        f"{rng.choice(_OFFSETS)}"
    )


def _address(rng: random.Random, tag: str, name: str, index: int) -> str:
    city, country, region, prefix = rng.choice(_CITIES)
    parts = [
        _text("name", name),
        _text("phone_number", f"{prefix}9{rng.randrange(10**8):08d}"),
        _text("postal_code", f"{rng.randrange(1000, 99999):05d}"),
    ]
    if rng.random() < 0.2:
        parts.append(
            _text("company", rng.choice(("Example Lda", "Müller GmbH", "", "ACME & Sons")))
        )
    parts += [
        _text("street_address", f"Rua {rng.choice(_LAST)} {index % 997 + 1}, {rng.randint(1, 9)}º"),
        _text("city", city),
        _text("iso_country", country),
        _text("iso_region", region),
    ]
    return f"<{tag}>{''.join(parts)}</{tag}>"


def _product(rng: random.Random, line: int) -> tuple[str, Decimal, int, bool]:
    sku, name = rng.choice(_PRODUCTS)
    price = _money(rng, 1, 250)
    quantity = rng.randint(1, 6)
    rebate = min(_money(rng, 0, 5), price) if rng.random() < 0.3 else Decimal("0.00")
    total = price * quantity - rebate
    tax = (total * Decimal("0.23")).quantize(Decimal("0.01"))
    buy = rng.random() < 0.9
    parts = [
        f"<id>{rng.randrange(1, 10**9)}</id>",
        _text("sku", f"{sku}-{line}"),
        _text("name", name),
        _text("type", "buy" if buy else "refund"),
        _text("product_price", _amount(price, rng)),
        _text("total_price", _amount(total, rng)),
        _text("price_for_quantity", _amount(price * quantity, rng)),
        _text("rebate_amount", _amount(rebate, rng)),
        _text("tax_amount", _amount(tax, rng)),
        f"<quantity>{quantity}</quantity>",
    ]
    for n in range(rng.choice((0, 0, 1, 2))):
        parts.append(
            "<custom_param>"
            + _text("identifier", f"engraving_{n}")
            + _text("value", rng.choice(("For Ana ♥", "42", "true", "Happy birthday!")))
            + "</custom_param>"
        )
    for n in range(rng.choice((0, 1, 2))):
        parts.append(
            "<attribute>"
            + _text("identifier", ("size", "colour")[n])
            + _text("value", rng.choice(("M", "L", "black", "azul-marinho")))
            + "</attribute>"
        )
    return f"<product>{''.join(parts)}</product>", total, quantity, buy


def _order_form(rng: random.Random, product_id: int) -> str:
    values = []
    for n in range(rng.randint(1, 3)):
        parts = [
            f"<id>{rng.randrange(1, 10**12)}</id>",
            _text("identifier", f"field_{n}"),
            _text("label", rng.choice(("Gift message", "Delivery notes", "Tax id"))),
            _text("value", rng.choice(("Parabéns!", "PT123456789", "", "<b>fragile</b>"))),
        ]
        if rng.random() < 0.2:
            parts += [
                _text("fileName", "note.txt"),
                _text("fileSizeBytes", "12"),
                _text("fileContentBase64", "SGVsbG8sIHdvcmxkIQ=="),
            ]
        values.append(f"<value>{''.join(parts)}</value>")
    return (
        "<order_form>"
        + _text("title", "Personalisation")
        + f"<quantity_number>{rng.randint(1, 3)}</quantity_number>"
        + f"<product_id>{product_id}</product_id>"
        + "".join(values)
        + "</order_form>"
    )


def order_xml(index: int, seed: int = SEED) -> str:
    """The ``<order>`` element of order ``index``: the same text for the same arguments."""
    rng = random.Random(seed * 1_000_003 + index)
    currency = rng.choice(_CURRENCIES)
    lines = [_product(rng, line) for line in range(rng.choice((1, 1, 2, 2, 3, 4, 5)))]
    products = sum((total for _, total, _, buy in lines if buy), Decimal("0.00"))
    shipping = rng.choice((Decimal("0.00"), Decimal("4.95"), Decimal("9.90"), Decimal("2.50")))
    tax = (products * Decimal("0.23")).quantize(Decimal("0.01"))
    total = products + shipping
    refunded = total if rng.random() < 0.05 else Decimal("0.00")
    status = rng.choice(_STATUSES)
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    name = f"{first} {last}"
    customer_id = rng.randrange(1, 2**40)
    email = f"customer{index}@example.com"
    nil = f'<ip_address xsi:nil="true" xmlns:xsi="{XSI}"/>' if rng.random() < 0.02 else None
    parts = [
        f"<id>{1_248_358_000_000 + index}</id>",
        f"<customer_id>{customer_id}</customer_id>",
        _text("purchase_date", _timestamp(rng, rng.choice((2021, 2022, 2023, 2024)))),
        _text("currency", currency),
    ]
    if rng.random() < 0.3:
        parts.append(_text("customer_comment", rng.choice(_COMMENTS)))
    parts += [
        _text("customer_email", email),
        _text("locale", rng.choice(("pt", "en", "es", "de", "fr"))),
        _text("subtotal_order", _amount(products, rng)),
        _text("subtotal_cancelled", "0.00"),
        _text("total_order", _amount(total, rng)),
        _text("total_cancelled", "0.00"),
        _text("total_products", _amount(products, rng)),
        _text("total_payment", _amount(total - refunded, rng)),
        _text("total_refunded", _amount(refunded, rng)),
        _text("total_transactions", _amount(total, rng)),
        _text("total_shipping", _amount(shipping, rng)),
        _text("total_left_to_pay", "0.00"),
        _text("total_tax", _amount(tax, rng)),
        _text("total_tax_cancelled", "0.00"),
        nil or _text("ip_address", f"192.0.{rng.randrange(256)}.{rng.randrange(1, 255)}"),
        _text("is_archived", "false"),
        _text("status", status),
        _text("is_shippable", rng.choice(("true", "true", "false"))),
        _text("transaction_type", "sale"),
        _text("payment_method", rng.choice(("card", "card", "mbway", "paypal"))),
        _text("payment_provider", rng.choice(("examplepay", "stripe", "adyen"))),
        _text("card_type", rng.choice(("Visa", "Mastercard", "Amex", ""))),
        _text("reference_number", f"#R{index:07d}"),
        _text("is_test", "true" if rng.random() < 0.01 else "false"),
        _address(rng, "billing_address", name, index),
        _address(rng, "shipping_address", name if rng.random() < 0.8 else "Zé  Ninguém", index),
    ]
    if rng.random() < 0.15:
        parts.append(_order_form(rng, rng.randrange(1, 10**9)))
    parts += [text for text, _, _, _ in lines]
    fields = "".join(
        "<custom_field>"
        + _text("identifier", identifier)
        + _text("value", rng.choice(values))
        + "</custom_field>"
        for identifier, values in (
            ("tier", ("gold", "silver", "bronze")),
            ("newsletter", ("true", "false")),
            ("vat_number", ("PT123456789", "")),
        )[: rng.randint(1, 3)]
    )
    parts.append(
        "<customer>"
        + f"<id>{customer_id}</id>"
        + _text("first_name", first)
        + _text("last_name", last)
        + _text("email", email)
        + _text("default_locale", rng.choice(("pt_PT", "en_GB", "es_ES")))
        + _text("date_created", rng.choice(("2020-01-02", _timestamp(rng, 2020))))
        + fields
        + "</customer>"
    )
    if rng.random() < 0.01:
        parts.append("<loyalty_points>120</loyalty_points>")  # an element the model lacks
    return "<order>" + "".join(parts) + "</order>"


def _header(count: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<orders>'
        f"<totalResults>{count}</totalResults><startIndex>0</startIndex>"
        f"<itemsPerPage>{count}</itemsPerPage><pageCount>1</pageCount>"
    )


def orders_xml(start: int, stop: int, seed: int = SEED) -> bytes:
    """A dexero-xml page holding orders ``start`` to ``stop - 1``."""
    body = "".join(order_xml(index, seed) for index in range(start, stop))
    return (_header(stop - start) + body + "</orders>\n").encode()


def page_path(format: str, orders: int = PAGE_ORDERS) -> Path:
    """The page file of a format (``dexero-xml``, ``dexero-json`` or ``talkdesk-json``)."""
    suffix = {"dexero-xml": "xml", "dexero-json": "dexero.json", "talkdesk-json": "talkdesk.json"}
    return DATA / f"page-{orders}.{suffix[format]}"


def export_path(format: str, orders: int = EXPORT_ORDERS) -> Path:
    """The export file of a format; Talkdesk's is newline-delimited JSON."""
    suffix = {
        "dexero-xml": "xml",
        "dexero-json": "dexero.json",
        "talkdesk-json": "talkdesk.ndjson",
    }
    return DATA / f"export-{orders}.{suffix[format]}"


def small_order_path() -> Path:
    """One Talkdesk order: the input of the CLI start-up case."""
    return DATA / "order-1.talkdesk.json"


def _write(path: Path, chunks: Iterator[bytes]) -> None:
    """Write through a temporary file, so an interrupted run leaves no partial file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    partial.replace(path)


def _log(message: str) -> None:
    print(f"[data] {message}", file=sys.stderr, flush=True)


def ensure_page(orders: int = PAGE_ORDERS) -> dict[str, Path]:
    """Make the page in all three formats (and the one-order file) where missing."""
    paths = {
        name: page_path(name, orders) for name in ("dexero-xml", "dexero-json", "talkdesk-json")
    }
    if not paths["dexero-xml"].exists():
        _write(paths["dexero-xml"], iter([orders_xml(0, orders)]))
    if not paths["dexero-json"].exists() or not paths["talkdesk-json"].exists():
        page = ordermap.decode(paths["dexero-xml"].read_bytes(), "dexero-xml")
        _write(paths["dexero-json"], iter([ordermap.encode(page, "dexero-json")]))
        translated = ordermap.translate(page, "talkdesk-json", source_format="dexero-xml")
        _write(
            paths["talkdesk-json"], iter([ordermap.encode(translated.document, "talkdesk-json")])
        )
    small = small_order_path()
    if not small.exists():
        order = ordermap.decode(orders_xml(0, 1), "dexero-xml")
        assert isinstance(order, ordermap.DexeroOrderPage) and order.orders
        translated = ordermap.translate(order.orders[0], "talkdesk-json")
        _write(small, iter([ordermap.encode(translated.document, "talkdesk-json", indent=2)]))
    return paths


def _export_xml(orders: int) -> Iterator[bytes]:
    yield _header(orders).encode()
    for start in range(0, orders, _CHUNK):
        stop = min(start + _CHUNK, orders)
        yield "".join(order_xml(index) for index in range(start, stop)).encode()
    yield b"</orders>\n"


def _pages(orders: int) -> Iterator[ordermap.DexeroOrderPage]:
    began = time.monotonic()
    for start in range(0, orders, _CHUNK):
        page = ordermap.decode(orders_xml(start, min(start + _CHUNK, orders)), "dexero-xml")
        assert isinstance(page, ordermap.DexeroOrderPage)
        yield page
        if (start // _CHUNK) % 20 == 19:
            rate = (start + _CHUNK) / (time.monotonic() - began)
            _log(f"  {start + _CHUNK:,} of {orders:,} orders ({rate:,.0f} orders/s)")


def _export_dexero_json(orders: int) -> Iterator[bytes]:
    head = f'{{"orders":{{"totalResults":{orders},"startIndex":0,"itemsPerPage":{orders},'
    yield (head + '"pageCount":1,"order":[').encode()
    first = True
    for page in _pages(orders):
        for order in page.orders or ():
            text = ordermap.encode(order, "dexero-json")
            # A single order is written as {"order": {...}}; the export's array holds the object.
            assert text.startswith(b'{"order":') and text.endswith(b"}")
            yield (b"" if first else b",") + text[9:-1]
            first = False
    yield b"]}}\n"


def _export_talkdesk(orders: int) -> Iterator[bytes]:
    for page in _pages(orders):
        translated = ordermap.translate(page, "talkdesk-json", source_format="dexero-xml")
        document = translated.document
        assert isinstance(document, ordermap.TalkdeskOrderPage)
        yield b"".join(ordermap.encode(order, "talkdesk-json") + b"\n" for order in document.orders)


def ensure_export(orders: int = EXPORT_ORDERS, formats: tuple[str, ...] = ("dexero-xml",)) -> None:
    """Make the export in the given formats where missing (the XML one is fast to make)."""
    makers = {
        "dexero-xml": _export_xml,
        "dexero-json": _export_dexero_json,
        "talkdesk-json": _export_talkdesk,
    }
    for name in formats:
        path = export_path(name, orders)
        if not path.exists():
            _log(f"writing {path.name} ({orders:,} orders) ...")
            _write(path, makers[name](orders))
            _log(f"wrote {path.name}: {path.stat().st_size / 2**20:,.1f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=EXPORT_ORDERS, help="orders in the export")
    args = parser.parse_args(argv)
    ensure_page()
    ensure_export(args.orders, ("dexero-xml", "dexero-json", "talkdesk-json"))
    for path in sorted(DATA.iterdir()):
        print(f"{path.stat().st_size / 2**20:10.1f} MiB  {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
