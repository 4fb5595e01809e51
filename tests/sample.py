"""A deterministic generator of realistic Dexero order pages, for scale tests and benchmarks."""

from __future__ import annotations

import random
from xml.sax.saxutils import escape

STATUSES = ("pending", "treated", "completed", "cancelled", "on_hold")
NAMES = ("John Doe", "Maria  Silva", "Zoë Ångström", "李 小龙", "O'Brien & Sons", "Ana")


def _amount(rng: random.Random) -> str:
    whole = rng.choice((0, 1, 9, 10, 99, 1234, 999999999999999999))
    return f"{whole}.{rng.randrange(100):02d}" if rng.random() < 0.9 else str(whole)


def _order(rng: random.Random, index: int) -> str:
    parts = [
        f"<id>{1_000_000_000_000 + index}</id>",
        f"<customer_id>{rng.randrange(1, 2**40)}</customer_id>",
        f"<purchase_date>2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        f"{rng.choice(('Z', '.078Z', '+01:00', '-05:00', '.123456+05:30'))}</purchase_date>",
        "<currency>EUR</currency>",
        f"<customer_email>customer{index}@example.com</customer_email>",
    ]
    if rng.random() < 0.3:
        parts.append(f"<customer_comment>{escape(rng.choice(NAMES))} &lt;3\tok</customer_comment>")
    for name in (
        "subtotal_order",
        "total_order",
        "total_products",
        "total_shipping",
        "total_tax",
        "total_refunded",
    ):
        parts.append(f"<{name}>{_amount(rng)}</{name}>")
    parts += [
        f"<status>{rng.choice(STATUSES)}</status>",
        f"<is_shippable>{rng.choice(('true', 'false'))}</is_shippable>",
        f"<is_test>{rng.choice(('true', 'false'))}</is_test>",
        f"<card_type>{rng.choice(('Visa', 'Mastercard', ''))}</card_type>",
        f"<reference_number>#R{index:06d}</reference_number>",
    ]
    for tag in ("billing_address", "shipping_address"):
        parts.append(
            f"<{tag}><name>{escape(rng.choice(NAMES))}</name><postal_code>{rng.randint(1000, 99999):05d}</postal_code>"
            f"<street_address>Rua {index}</street_address><city>Lisbon</city>"
            f"<iso_country>PT</iso_country><iso_region>PT-11</iso_region></{tag}>"
        )
    for line in range(rng.randint(1, 4)):
        params = "".join(
            f"<custom_param><identifier>p{n}</identifier><value>{n * 7}</value></custom_param>"
            for n in range(rng.randint(0, 2))
        )
        parts.append(
            f"<product><id>{rng.randrange(1, 10**9)}</id><sku>SKU-{line}</sku><name>Item {line}</name>"
            f"<type>{rng.choice(('buy', 'buy', 'refund'))}</type><product_price>{_amount(rng)}</product_price>"
            f"<total_price>{_amount(rng)}</total_price><quantity>{rng.randint(1, 9)}</quantity>{params}</product>"
        )
    parts.append(
        f"<customer><id>{rng.randrange(1, 2**40)}</id><first_name>Ana</first_name><last_name>Silva</last_name>"
        f"<email>customer{index}@example.com</email><date_created>{rng.choice(('2020-01-02', '2020-01-02T10:00:00Z'))}</date_created>"
        "<custom_field><identifier>tier</identifier><value>gold</value></custom_field></customer>"
    )
    return "<order>" + "".join(parts) + "</order>"


def dexero_page_xml(orders: int, seed: int = 0) -> bytes:
    """A Dexero XML page of ``orders`` orders, the same bytes for the same arguments."""
    rng = random.Random(seed)
    body = "".join(_order(rng, index) for index in range(orders))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<orders>'
        f"<totalResults>{orders}</totalResults><startIndex>0</startIndex>"
        f"<itemsPerPage>{orders}</itemsPerPage><pageCount>1</pageCount>{body}</orders>\n"
    ).encode()


def numeric_seed_ids(data: bytes) -> bytes:
    """A document holding the Talkdesk seed's order with ids a Dexero long holds.

    The seed's ``order456`` and ``customer123`` cannot be held by Dexero's ``long`` (an error
    outside carry mode, lossless rule 5); with ``456`` and ``123`` the rest of it translates.
    """
    numeric = data.replace(b'"order456"', b'"456"').replace(b'"customer123"', b'"123"')
    assert numeric.count(b'"456"') == numeric.count(b'"123"') == 1
    return numeric
