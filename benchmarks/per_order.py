"""Per-order CPU time of a 500-order and a 5,000-order Dexero XML page, with the cyclic
garbage collector paused (as ordermap does) and running, to show the cost of a whole document
does not grow with its size.

Usage (from the repository root)::

    python benchmarks/per_order.py            # best of 5 rounds
    python benchmarks/per_order.py --rounds 9
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import ordermap  # noqa: E402
from benchmarks import data  # noqa: E402
from ordermap.binding import core as _convert  # noqa: E402


def _best(work: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def _convert_page(page: bytes) -> bytes:
    document = ordermap.decode(page)
    return ordermap.encode(ordermap.translate(document, "talkdesk-json").document, "talkdesk-json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    pages = {500: data.orders_xml(0, 500), 5000: data.orders_xml(0, 5000)}
    cases: dict[str, Callable[[bytes], object]] = {
        "decode": ordermap.decode,
        "decode, translate, encode": _convert_page,
    }
    print(f"{'collector':10} {'case':27} {'500 (ms/order)':>15} {'5,000':>8} {'ratio':>6}")
    disable = _convert.gc.disable
    for label in ("paused", "running"):
        if label == "running":
            _convert.gc.disable = lambda: None  # type: ignore[assignment]
        try:
            for name, case in cases.items():
                per = {
                    n: _best(lambda p=page, c=case: c(p), rounds) / n for n, page in pages.items()
                }
                print(
                    f"{label:10} {name:27} {per[500] * 1e3:15.3f} {per[5000] * 1e3:8.3f}"
                    f" {per[5000] / per[500]:6.2f}"
                )
        finally:
            _convert.gc.disable = disable


if __name__ == "__main__":
    main()
