"""Time and memory of reading each hostile-corpus file (issue #4: "well under 2 s and 100 MiB").

Usage (from the repository root)::

    python benchmarks/hostile.py            # every file in tests/hostile/, one line each
    python benchmarks/hostile.py --scale    # also: how the cost of many errors grows

For each file: ``ordermap.decode`` (format detected) then ``validate``, the best wall time of
three runs in this process, and two memory figures from a fresh process: the peak resident
memory the first run added above the process's once ordermap is imported (Linux only: the
counter is reset through ``/proc/self/clear_refs`` and read from ``VmHWM``; memory freed
during start-up and used again does not count), and the tracemalloc peak of a second run
(Python's allocations, lxml's own not included). A file over either bound is marked.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``tests`` importable
    sys.path.insert(0, str(ROOT))

from tests.hostile.make_corpus import CASES, HERE  # noqa: E402

import ordermap  # noqa: E402
from ordermap.validation import validate  # noqa: E402

MIB = 2**20
SECONDS_BOUND = 2.0
MEMORY_BOUND = 100 * MIB
CLEAR_REFS = Path("/proc/self/clear_refs")
STATUS = Path("/proc/self/status")


def _status(field: str) -> int:
    found = re.search(field + r":\s+(\d+) kB", STATUS.read_text())
    assert found is not None, field
    return int(found.group(1)) * 1024


def _read(data: bytes) -> str:
    """Decode then validate; the first problem's code (or ``-``)."""
    with contextlib.suppress(ordermap.OrdermapError):
        ordermap.decode(data)
    result = validate(data)
    return result.problems[0].code if result.problems else "-"


def _rss_peak(work: Callable[[], object]) -> int | None:
    """The peak resident memory ``work`` adds, in bytes (``None`` where it cannot be read)."""
    if not CLEAR_REFS.exists():
        return None
    CLEAR_REFS.write_text("5")
    before = _status("VmRSS")
    work()
    return _status("VmHWM") - before


def _traced_peak(work: Callable[[], object]) -> int:
    """The peak of Python's allocations during ``work``, in bytes."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _fresh_peaks(path: Path) -> tuple[int | None, int]:
    """The peak memory figures of reading ``path``, in a fresh process."""
    done = subprocess.run(
        [sys.executable, __file__, "--one", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    figures = json.loads(done.stdout)
    return figures["rss"], figures["traced"]


def _seconds(work: Callable[[], object], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def corpus() -> int:
    """Measure every corpus file; the number over a bound."""
    print("decode + validate per file: best of 3 wall times; MiB: peak RSS added, tracemalloc peak")
    print(f"{'file':46} {'size':>9} {'code':24} {'seconds':>8} {'RSS MiB':>8} {'py MiB':>7}")
    over = 0
    worst_time = worst_memory = (0.0, "")
    for case in CASES:
        data = (HERE / case.name).read_bytes()
        rss, traced = _fresh_peaks(HERE / case.name)
        memory = max(rss or 0, traced)
        code = _read(data)
        seconds = _seconds(lambda data=data: _read(data))  # type: ignore[misc]
        flag = ""
        if seconds >= SECONDS_BOUND or memory >= MEMORY_BOUND:
            flag = "  OVER"
            over += 1
        worst_time = max(worst_time, (seconds, case.name))
        worst_memory = max(worst_memory, (memory / MIB, case.name))
        shown = "n/a" if rss is None else f"{rss / MIB:.1f}"
        print(
            f"{case.name:46} {len(data):>9,} {code:24} {seconds:>8.3f} {shown:>8} "
            f"{traced / MIB:>7.1f}{flag}"
        )
    print(
        f"{len(CASES)} files; slowest {worst_time[1]} {worst_time[0]:.3f} s; "
        f"most memory {worst_memory[1]} {worst_memory[0]:.1f} MiB; "
        f"{over} over {SECONDS_BOUND:.0f} s or {MEMORY_BOUND // MIB} MiB"
    )
    return over


def scale() -> None:
    """How decode + validate time grows with the number of errors in one document."""
    print("\nmany errors in one page: decode + validate (best of 3)")
    print(f"{'errors':>8} {'dexero-json s':>14} {'dexero-xml s':>13}")
    for count in (2_500, 5_000, 10_000, 20_000):
        as_json = b'{"orders": {"order": [' + b",".join([b'{"id": "x"}'] * count) + b"]}}"
        as_xml = b"<orders>" + b"<order><id>x</id></order>" * count + b"</orders>"
        json_seconds = _seconds(lambda as_json=as_json: _read(as_json))  # type: ignore[misc]
        xml_seconds = _seconds(lambda as_xml=as_xml: _read(as_xml))  # type: ignore[misc]
        print(f"{count:>8,} {json_seconds:>14.3f} {xml_seconds:>13.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="store_true", help="also measure many-error pages")
    parser.add_argument("--one", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:  # the fresh process behind one memory figure
        data = Path(args.one).read_bytes()
        rss = _rss_peak(lambda: _read(data))
        print(json.dumps({"rss": rss, "traced": _traced_peak(lambda: _read(data))}))
        return 0
    over = corpus()
    if args.scale:
        scale()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
