"""Measure ordermap at scale: a generated export of a million orders (issue #12).

Converts one generated dexero-xml export to Talkdesk NDJSON with ``ordermap convert``, with one
job and with every core (and, with ``--dask``, the same export through ``ordermap.dask`` on a
local cluster of one and of two workers, cut into byte ranges), and compares each run's orders
per second with the 500-order page's, converted in-process the same way. Peak RSS is that of
the run's processes (the largest one; ``ru_maxrss`` of the waited-for children). Not part
of the test suite: a million orders is
about 3 GiB of XML and several minutes per run.

Usage (from the repository root)::

    python benchmarks/scale.py                       # 1,000,000 orders, --jobs 1 and --jobs 0
    python benchmarks/scale.py --orders 100000 --dask
    python benchmarks/scale.py --jobs 1 2 4
    python benchmarks/scale.py --orders 100000 --in-process --jobs 1   # like for like

The export is cached in ``benchmarks/.data/`` (``export-N.xml``) like the runner's data.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import data  # noqa: E402

# As benchmarks/run.py does: the command is the wrapper's only child, so RUSAGE_CHILDREN is
# the command's (and the workers' it waited for).
_WRAPPER = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
status = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "status": status, "maxrss_kib": usage.ru_maxrss}))
"""


def _measured(command: list[str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout)
    if result["status"] != 0:
        raise SystemExit(f"failed ({result['status']}): {' '.join(command)}")
    return result


def page_rate(rounds: int = 3) -> float:
    """Orders per second of the 500-order page, dexero-xml to Talkdesk NDJSON, in-process."""
    from ordermap import stream

    source = data.ensure_page()["dexero-xml"].read_bytes()
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        stream.convert(io.BytesIO(source), io.BytesIO(), "talkdesk-json", lines_out=True)
        best = min(best, time.process_time() - start)
    return data.PAGE_ORDERS / best


def in_process_rate(export: Path) -> float:
    """Orders per second of the export converted as the page is: one job, in this process,
    CPU time (no start-up, no compile of the generated hooks: the page has warmed them)."""
    from ordermap import stream

    with open(export, "rb") as source, open(os.devnull, "wb") as sink:
        start = time.process_time()
        result = stream.convert(source, sink, "talkdesk-json", lines_out=True)
        seconds = time.process_time() - start
    return result.orders / seconds


def cli_run(export: Path, jobs: int, out: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "ordermap", "convert", str(export), "--to", "talkdesk-json"]
    command += ["--ndjson", "-q", "--jobs", str(jobs), "-o", str(out)]
    return _measured(command)


def dask_run(export: Path, workers: int, out: Path) -> dict[str, float]:
    """The export to Talkdesk NDJSON through ordermap.dask, on a local cluster of ``workers``
    processes, cut into four ranges per worker (so that the workers share the ranges evenly)."""
    blocksize = max(export.stat().st_size // (4 * workers), 1 << 20)
    script = (
        "from distributed import Client, LocalCluster\n"
        "import ordermap.dask\n"
        f"with LocalCluster(n_workers={workers}, threads_per_worker=1, processes=True) as c, "
        "Client(c):\n"
        f"    conversion = ordermap.dask.convert_bag({str(export)!r}, 'talkdesk-json', "
        f"lines_out=True, blocksize={blocksize})\n"
        f"    ordermap.dask.write(conversion, {str(out)!r}, split='none')\n"
    )
    return _measured([sys.executable, "-c", script])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 0], help="0: every core")
    parser.add_argument("--dask", action="store_true", help="also through Dask, 1 and 2 workers")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="also the export converted in this process, CPU time, as the page is measured",
    )
    args = parser.parse_args(argv)

    data.ensure_export(args.orders, ("dexero-xml",))
    export = data.export_path("dexero-xml", args.orders)
    size = export.stat().st_size / 2**20
    page = page_rate()
    print(f"{args.orders:,}-order export, {size:,.0f} MiB; {os.cpu_count()} CPUs")
    print(f"500-order page, in-process CPU: {page:,.0f} orders/s")
    # "vs page": the run's orders per second over the page's times the processes it uses
    # (for Dask, over the same NDJSON converted by one `ordermap convert` job).
    if args.in_process:
        rate = in_process_rate(export)
        print(f"export, one job in-process CPU: {rate:,.0f} orders/s ({rate / page:.2f}x the page)")
    print("| run | seconds | CPU s | orders/s | vs page | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    runs: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out.ndjson"
        for jobs in args.jobs:
            runs.append((f"--jobs {jobs}", cli_run(export, jobs, out)))
            _row(*runs[-1], args.orders, page * (jobs or os.cpu_count() or 1))
        if args.dask:
            for workers in (1, 2):
                runs.append((f"dask, {workers} worker(s)", dask_run(export, workers, out)))
                _row(*runs[-1], args.orders, page * workers)
    return 0


def _row(name: str, result: dict[str, float], orders: int, page: float) -> None:
    rate = orders / result["seconds"]
    rss = result["maxrss_kib"] / 1024
    cpu = result["cpu"]
    print(
        f"| {name} | {result['seconds']:,.1f} | {cpu:,.1f} | {rate:,.0f} | {rate / page:.2f}x"
        f" | {rss:,.1f} |"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
