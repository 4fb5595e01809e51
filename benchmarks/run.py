"""ordermap's benchmarks (issues #5 and #9): speed and memory beside floors and a peer.

Usage (from the repository root, after ``pip install -e '.[bench]'``)::

    python benchmarks/run.py                 # the full run (a few minutes; data made once)
    python benchmarks/run.py --quick         # fewer repeats and a 10,000-order export
    python benchmarks/run.py --markdown      # also rewrite the results section of BENCHMARKS.md
    python benchmarks/run.py --profile dexero-json-to-talkdesk   # cProfile one page case

What runs, all on the same deterministic data (``benchmarks/data.py``):

- **page cases** (500 orders): ordermap decode, encode, translate (report mode) and the
  bytes-to-bytes conversions that matter, beside the **floors** (orjson ``loads`` + ``dumps``
  of the same JSON bytes; lxml ``fromstring`` + ``tostring`` of the same XML) and the **peer**
  (pydantic v2 models of the Dexero page, ``validate_json`` + ``model_dump_json``). Every case
  runs once per round, all cases round after round, so that a case and its floor are measured
  back to back; the figure is the best round. Memory: the tracemalloc peak of one call, and the
  peak RSS of a fresh process that runs the case once (``RUSAGE_CHILDREN`` of a wrapper).
- **export cases**: ``ordermap convert`` of the 100,000-order Dexero XML export to Talkdesk
  NDJSON, with one job and with ``--jobs 2`` (peak RSS, orders per second); skipped with a
  message while the command line lacks the flags.
- **start-up**: ``ordermap convert`` of one small file, ``ordermap --version`` and
  ``ordermap --help`` against ``python -c pass`` (``--only startup`` runs these alone).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.metadata
import io
import json
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks import data  # noqa: E402

# The command line's flags for the streaming cases, in one place while cli.py is being built.
NDJSON_FLAG = "--ndjson"
JOBS_FLAG = "--jobs"
QUIET_FLAG = "--quiet"
QUICK_EXPORT_ORDERS = 10_000
MIB = 2**20

# Page targets from issue #9 (the engine), as (target, stretch); the others from issue #5.
PEER_TARGET = (1.5, 1.0)  # dexero-json page to talkdesk-json, over pydantic's validate+dump
XML_TO_TALKDESK_TARGET = (7.0, 5.0)  # dexero-xml page to talkdesk-json, over the lxml floor
XML_JSON_TARGET = (6.0, 4.5)  # dexero-xml <-> dexero-json, over the lxml floor
TALKDESK_TO_DEXERO_TARGET = (8.0, 6.0)  # talkdesk-json page to dexero-json, over orjson
EXPORT_RSS_TARGET = 64 * MIB
EXPORT_SPEED_TOLERANCE = 0.15  # per-order speed within 15% of the 500-order page
JOBS_TARGET = 1.85  # issue #12: --jobs 2 at least 1.85x one job (wall time, 2 cores)
STARTUP_TARGET = 2.5  # at most 2.5x the wall time of python -c pass
# Issue #12 (a fast start): one small conversion at most 8x python -c pass (attrs, cattrs,
# lxml and click alone cost much of that); --version and --help at most 3x.
STARTUP_CONVERT_TARGET = 8.0
STARTUP_FLAG_TARGET = 3.0
STARTUP_FLAGS = ("--version", "--help")
STARTUP = "startup"  # the --only name of the start-up cases (not a page case)
JOBS = "jobs"  # the --only name of the export with one job and with two, interleaved


# --- page cases -----------------------------------------------------------------------------


class Inputs:
    """The page in every format, read once, with the models made from it on demand."""

    def __init__(self) -> None:
        paths = data.ensure_page()
        self.xml = paths["dexero-xml"].read_bytes()
        self.dexero_json = paths["dexero-json"].read_bytes()
        self.talkdesk_json = paths["talkdesk-json"].read_bytes()
        self._models: dict[str, Any] = {}

    def model(self, format: str) -> Any:
        import ordermap

        if format not in self._models:
            source = {"dexero-xml": self.xml, "dexero-json": self.dexero_json}
            self._models[format] = ordermap.decode(source.get(format, self.talkdesk_json), format)
        return self._models[format]


Setup = Callable[[Inputs], Callable[[], object]]


@dataclass(frozen=True)
class PageCase:
    name: str
    group: str  # floor, peer or ordermap
    description: str
    setup: Setup
    floor: str | None = None
    peer: str | None = None


def _orjson(attribute: str) -> Setup:
    def setup(inputs: Inputs) -> Callable[[], object]:
        import orjson

        text: bytes = getattr(inputs, attribute)
        return lambda: orjson.dumps(orjson.loads(text))

    return setup


def _lxml(inputs: Inputs) -> Callable[[], object]:
    from lxml import etree

    text = inputs.xml
    return lambda: etree.tostring(etree.fromstring(text))


def _pydantic(inputs: Inputs) -> Callable[[], object]:
    from benchmarks import peer_pydantic

    text = inputs.dexero_json
    if peer_pydantic.order_count(text) != data.PAGE_ORDERS:
        raise AssertionError("the peer did not read every order")
    return lambda: peer_pydantic.round_trip(text)


def _decode(format: str) -> Setup:
    def setup(inputs: Inputs) -> Callable[[], object]:
        import ordermap

        text = {
            "dexero-xml": inputs.xml,
            "dexero-json": inputs.dexero_json,
            "talkdesk-json": inputs.talkdesk_json,
        }[format]
        return lambda: ordermap.decode(text, format)

    return setup


def _encode(format: str) -> Setup:
    def setup(inputs: Inputs) -> Callable[[], object]:
        import ordermap

        document = inputs.model(format)
        return lambda: ordermap.encode(document, format)

    return setup


def _translate(source: str, target: str) -> Setup:
    def setup(inputs: Inputs) -> Callable[[], object]:
        import ordermap

        document = inputs.model(source)
        return lambda: ordermap.translate(document, target, source_format=source)

    return setup


def _convert(source: str, target: str) -> Setup:
    """Bytes in one format to bytes in another, as an integration or the CLI does it."""

    def setup(inputs: Inputs) -> Callable[[], object]:
        import ordermap

        text = {
            "dexero-xml": inputs.xml,
            "dexero-json": inputs.dexero_json,
            "talkdesk-json": inputs.talkdesk_json,
        }[source]
        same_family = source.startswith("dexero") == target.startswith("dexero")

        def run() -> bytes:
            document = ordermap.decode(text, source)
            if not same_family:
                document = ordermap.translate(document, target, source_format=source).document
            return ordermap.encode(document, target)

        return run

    return setup


FLOOR_JSON = "orjson-dexero-json"
FLOOR_TALKDESK = "orjson-talkdesk-json"
FLOOR_XML = "lxml-dexero-xml"
PEER = "pydantic-dexero-json"

PAGE_CASES: tuple[PageCase, ...] = (
    PageCase(FLOOR_JSON, "floor", "orjson loads+dumps, dexero-json page", _orjson("dexero_json")),
    PageCase(
        FLOOR_TALKDESK, "floor", "orjson loads+dumps, talkdesk-json page", _orjson("talkdesk_json")
    ),
    PageCase(FLOOR_XML, "floor", "lxml fromstring+tostring, dexero-xml page", _lxml),
    PageCase(PEER, "peer", "pydantic validate_json+model_dump_json, dexero-json", _pydantic),
    PageCase(
        "dexero-json-to-talkdesk",
        "ordermap",
        "dexero-json page -> talkdesk-json (report mode)",
        _convert("dexero-json", "talkdesk-json"),
        FLOOR_JSON,
        PEER,
    ),
    PageCase(
        "dexero-xml-to-talkdesk",
        "ordermap",
        "dexero-xml page -> talkdesk-json (report mode)",
        _convert("dexero-xml", "talkdesk-json"),
        FLOOR_XML,
    ),
    PageCase(
        "dexero-xml-to-json",
        "ordermap",
        "dexero-xml page -> dexero-json",
        _convert("dexero-xml", "dexero-json"),
        FLOOR_XML,
    ),
    PageCase(
        "dexero-json-to-xml",
        "ordermap",
        "dexero-json page -> dexero-xml",
        _convert("dexero-json", "dexero-xml"),
        FLOOR_XML,
    ),
    PageCase(
        "talkdesk-to-dexero-json",
        "ordermap",
        "talkdesk-json page -> dexero-json (report mode)",
        _convert("talkdesk-json", "dexero-json"),
        FLOOR_TALKDESK,
    ),
    PageCase(
        "decode-dexero-json",
        "ordermap",
        "decode dexero-json page",
        _decode("dexero-json"),
        FLOOR_JSON,
        PEER,
    ),
    PageCase(
        "encode-dexero-json",
        "ordermap",
        "encode dexero-json page",
        _encode("dexero-json"),
        FLOOR_JSON,
        PEER,
    ),
    PageCase(
        "decode-dexero-xml", "ordermap", "decode dexero-xml page", _decode("dexero-xml"), FLOOR_XML
    ),
    PageCase(
        "encode-dexero-xml", "ordermap", "encode dexero-xml page", _encode("dexero-xml"), FLOOR_XML
    ),
    PageCase(
        "decode-talkdesk-json",
        "ordermap",
        "decode talkdesk-json page",
        _decode("talkdesk-json"),
        FLOOR_TALKDESK,
    ),
    PageCase(
        "encode-talkdesk-json",
        "ordermap",
        "encode talkdesk-json page",
        _encode("talkdesk-json"),
        FLOOR_TALKDESK,
    ),
    PageCase(
        "translate-to-talkdesk",
        "ordermap",
        "translate Dexero page model -> Talkdesk (report)",
        _translate("dexero-json", "talkdesk-json"),
        FLOOR_JSON,
    ),
    PageCase(
        "translate-to-dexero",
        "ordermap",
        "translate Talkdesk page model -> Dexero (report)",
        _translate("talkdesk-json", "dexero-json"),
        FLOOR_TALKDESK,
    ),
)
CASES_BY_NAME = {case.name: case for case in PAGE_CASES}


@dataclass
class PageResult:
    case: PageCase
    seconds: float
    cpu_seconds: float
    traced_peak: int | None = None
    rss_peak: int | None = None


def _time_once(run: Callable[[], object]) -> tuple[float, float]:
    """Wall time and CPU time of one call (CPU time shows less of other jobs' noise)."""
    start, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - start, time.process_time() - cpu


def measure_pages(
    inputs: Inputs, cases: Sequence[PageCase], rounds: int, log: Callable[[str], None]
) -> dict[str, PageResult]:
    """Best-of-``rounds`` wall time of each case, the cases taking turns within each round."""
    runs = {case.name: case.setup(inputs) for case in cases}
    for run in runs.values():
        run()  # warm up: hooks are built on first use
    best = dict.fromkeys(runs, float("inf"))
    best_cpu = dict.fromkeys(runs, float("inf"))
    for index in range(rounds):
        for name, run in runs.items():
            wall, cpu = _time_once(run)
            best[name] = min(best[name], wall)
            best_cpu[name] = min(best_cpu[name], cpu)
        log(f"round {index + 1} of {rounds}")
    results = {case.name: PageResult(case, best[case.name], best_cpu[case.name]) for case in cases}
    for case in cases:
        results[case.name].traced_peak = traced_peak(runs[case.name])
    return results


def traced_peak(run: Callable[[], object]) -> int:
    """The tracemalloc peak of one call above what was allocated before it."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        run()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


# --- subprocesses: peak RSS and wall time -----------------------------------------------------

# Runs a command as its only child and reports the child's wall time and peak RSS; the wrapper's
# own memory is not counted, since RUSAGE_CHILDREN covers waited-for descendants only.
_WRAPPER = """\
import json, resource, subprocess, sys, time
with open(sys.argv[1], "wb") as errors:
    start = time.perf_counter()
    status = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=errors)
    seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"seconds": seconds, "cpu": cpu, "status": status, "maxrss_kib": usage.ru_maxrss}))
"""


@dataclass
class ProcessRun:
    seconds: float
    cpu_seconds: float  # user + system time of the whole process tree
    status: int
    rss_peak: int
    stderr: str


def run_process(command: Sequence[str]) -> ProcessRun:
    """Run ``command`` in a fresh process (through the wrapper) and measure it."""
    with tempfile.NamedTemporaryFile(prefix="ordermap-bench-", suffix=".err") as errors:
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, errors.name, *command],
            capture_output=True,
            text=True,
            check=True,
        )
        errors.seek(0, os.SEEK_END)
        size = errors.tell()
        errors.seek(max(0, size - 4000))
        tail = errors.read().decode("utf-8", "replace")
    report = json.loads(done.stdout)
    return ProcessRun(
        report["seconds"], report["cpu"], report["status"], report["maxrss_kib"] * 1024, tail
    )


def _child_command(name: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", name]


def child_main(name: str) -> int:
    """Run one page case once (``idle``: set up only), for the parent to measure."""
    inputs = Inputs()
    if name == "idle":
        import ordermap  # noqa: F401  # the baseline: Python, ordermap and the inputs

        return 0
    run = CASES_BY_NAME[name].setup(inputs)
    run()
    return 0


# --- the command line's cases -------------------------------------------------------------------


def cli_command() -> list[str]:
    """How to start ordermap's command line: the installed script, else ``python -m``."""
    script = Path(sys.executable).parent / "ordermap"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "ordermap"]


def convert_help() -> str | None:
    done = subprocess.run(
        [*cli_command(), "convert", "--help"], capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else None


@dataclass
class CliResult:
    name: str
    description: str
    skipped: str | None = None
    seconds: float | None = None
    cpu_seconds: float | None = None
    orders: int | None = None
    rss_peak: int | None = None
    baseline: float | None = None  # start-up: python -c pass
    command: str = ""
    failed: str | None = None

    @property
    def rate(self) -> float | None:
        if self.seconds is None or self.orders is None:
            return None
        return self.orders / self.seconds


def _shell(command: Sequence[str]) -> str:
    shown = []
    for part in command:
        text = str(part)
        text = text.replace(str(ROOT) + os.sep, "")
        if text.endswith("/ordermap") and Path(text).name == "ordermap":
            text = "ordermap"
        shown.append(text)
    return " ".join(shown)


def measure_export(
    orders: int, runs: int, help_text: str | None, log: Callable[[str], None]
) -> list[CliResult]:
    results = [
        CliResult("export-ndjson", f"{orders:,}-order dexero-xml export -> talkdesk NDJSON"),
        CliResult("export-ndjson-jobs2", f"the same with {JOBS_FLAG} 2"),
        CliResult("export-validate", f"ordermap validate of the {orders:,}-order export"),
    ]
    if help_text is None:
        for result in results:
            result.skipped = "`ordermap convert --help` failed"
        return results
    if NDJSON_FLAG not in help_text:
        for result in results:
            result.skipped = f"the CLI has no {NDJSON_FLAG} option yet (cli.py, stream.py)"
        return results
    if JOBS_FLAG not in help_text:
        results[1].skipped = f"the CLI has no {JOBS_FLAG} option yet"
    data.ensure_export(orders)
    source = data.export_path("dexero-xml", orders)
    quiet = [QUIET_FLAG] if QUIET_FLAG in help_text else []
    with tempfile.TemporaryDirectory(prefix="ordermap-bench-") as folder:
        output = Path(folder) / "out.ndjson"
        base = [
            *cli_command(),
            "convert",
            str(source),
            "--to",
            "talkdesk-json",
            NDJSON_FLAG,
            *quiet,
            "-o",
            str(output),
        ]
        for result, extra in zip(results[:2], ([], [JOBS_FLAG, "2"]), strict=True):
            if result.skipped:
                continue
            command = [*base, *extra]
            result.command = _shell(command).replace(str(output), "OUT.ndjson")
            best: ProcessRun | None = None
            for _ in range(runs):
                log(f"{result.name}: {result.command}")
                run = run_process(command)
                if run.status != 0:
                    result.failed = _failure(run)
                    break
                lines = _count_lines(output)
                if lines != orders:
                    result.failed = f"wrote {lines} lines for {orders} orders"
                    break
                if best is None or run.seconds < best.seconds:
                    best = run
            if best is not None and result.failed is None:
                result.seconds, result.rss_peak, result.orders = best.seconds, best.rss_peak, orders
                result.cpu_seconds = best.cpu_seconds
    checking = results[2]
    command = [*cli_command(), "validate", str(source)]
    checking.command = _shell(command)
    best = None
    for _ in range(runs):
        log(f"{checking.name}: {checking.command}")
        run = run_process(command)
        if run.status != 0:  # the generated export is valid: any problem is a failure
            checking.failed = _failure(run)
            break
        if best is None or run.seconds < best.seconds:
            best = run
    if best is not None and checking.failed is None:
        checking.seconds, checking.rss_peak, checking.orders = best.seconds, best.rss_peak, orders
        checking.cpu_seconds = best.cpu_seconds
    return results


def measure_jobs(orders: int, rounds: int, log: Callable[[str], None]) -> list[CliResult]:
    """The export to talkdesk NDJSON with one job and with two, run by turns ``rounds`` times
    (this machine is shared: the best round of each, one beside the other, is the figure)."""
    results = [
        CliResult("export-ndjson", f"{orders:,}-order dexero-xml export -> talkdesk NDJSON"),
        CliResult("export-ndjson-jobs2", f"the same with {JOBS_FLAG} 2"),
    ]
    data.ensure_export(orders)
    source = data.export_path("dexero-xml", orders)
    best: list[ProcessRun | None] = [None, None]
    with tempfile.TemporaryDirectory(prefix="ordermap-bench-") as folder:
        output = Path(folder) / "out.ndjson"
        base = [*cli_command(), "convert", str(source), "--to", "talkdesk-json", NDJSON_FLAG]
        base += [QUIET_FLAG, "-o", str(output)]
        commands = [[*base, JOBS_FLAG, "1"], [*base, JOBS_FLAG, "2"]]
        for result, command in zip(results, commands, strict=True):
            result.command = _shell(command).replace(str(output), "OUT.ndjson")
        for round_ in range(rounds):
            for slot, (result, command) in enumerate(zip(results, commands, strict=True)):
                if result.failed:
                    continue
                run = run_process(command)
                if run.status != 0:
                    result.failed = _failure(run)
                    continue
                lines = _count_lines(output)
                if lines != orders:
                    result.failed = f"wrote {lines} lines for {orders} orders"
                    continue
                figures = f"{run.seconds:.2f} s, CPU {run.cpu_seconds:.2f} s"
                log(f"{result.name} round {round_ + 1}: {figures}")
                current = best[slot]
                if current is None or run.seconds < current.seconds:
                    best[slot] = run
    for result, run in zip(results, best, strict=True):
        if run is not None and result.failed is None:
            result.seconds, result.rss_peak, result.orders = run.seconds, run.rss_peak, orders
            result.cpu_seconds = run.cpu_seconds
    return [*results, CliResult("export-validate", "ordermap validate", f"not run (--only {JOBS})")]


def _failure(run: ProcessRun) -> str:
    """One line: the exit status and the last line the command wrote on standard error."""
    lines = [line.strip() for line in run.stderr.splitlines() if line.strip()]
    last = lines[-1][:200] if lines else "no message"
    return f"exit status {run.status}: {last}"


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


def measure_startup(rounds: int, log: Callable[[str], None]) -> list[CliResult]:
    """``ordermap convert`` of one small file, then ``--version`` and ``--help``, each run
    back to back with ``python -c pass`` in every round; the figures are the best rounds."""
    data.ensure_page()
    convert = CliResult("startup", "ordermap convert of one small file vs python -c pass")
    flags = [
        CliResult(f"startup{flag}", f"ordermap {flag} vs python -c pass") for flag in STARTUP_FLAGS
    ]
    with tempfile.TemporaryDirectory(prefix="ordermap-bench-") as folder:
        output = Path(folder) / "out.json"
        command = [
            *cli_command(),
            "convert",
            str(data.small_order_path()),
            "--to",
            "dexero-json",
            "-o",
            str(output),
        ]
        convert.command = _shell(command).replace(str(output), "OUT.json")
        commands = [command, *([*cli_command(), flag] for flag in STARTUP_FLAGS)]
        for result, flag in zip(flags, STARTUP_FLAGS, strict=True):
            result.command = _shell([*cli_command(), flag])
        results = [convert, *flags]
        baseline = [sys.executable, "-c", "pass"]
        best = [float("inf")] * len(results)
        best_base = float("inf")
        for _ in range(rounds):
            best_base = min(best_base, run_process(baseline).seconds)
            for index, (result, argv) in enumerate(zip(results, commands, strict=True)):
                if result.failed:
                    continue
                run = run_process(argv)
                if run.status != 0:
                    result.failed = _failure(run)
                    continue
                if run.seconds < best[index]:
                    best[index] = run.seconds
                    result.rss_peak, result.cpu_seconds = run.rss_peak, run.cpu_seconds
        for result, seconds in zip(results, best, strict=True):
            if result.failed:
                continue
            result.seconds, result.baseline = seconds, best_base
            log(f"{result.name}: {seconds * 1e3:.1f} ms vs python -c pass {best_base * 1e3:.1f} ms")
    return results


# --- targets and reports ------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    goal: str
    figure: str
    verdict: str  # pass, miss, skipped, failed


@dataclass
class Results:
    rounds: int
    pages: dict[str, PageResult]
    export: list[CliResult]
    startup: CliResult
    idle_rss: int | None
    export_orders: int
    started: str
    command: str
    machine: dict[str, str] = field(default_factory=dict)
    startup_flags: list[CliResult] = field(default_factory=list)  # --version, --help


def _ratio(results: Results, name: str, other: str | None) -> float | None:
    if other is None or other not in results.pages or name not in results.pages:
        return None
    return results.pages[name].seconds / results.pages[other].seconds


def _verdict(value: float | None, limit: float, *, at_least: bool = False) -> str:
    if value is None:
        return "skipped"
    passed = value >= limit if at_least else value <= limit
    return "pass" if passed else "miss"


def targets(results: Results) -> list[Target]:
    found: list[Target] = []

    def ratio_target(name: str, other: str, limit: float, goal: str, label: str) -> None:
        value = _ratio(results, name, other)
        figure = "not measured" if value is None else f"{value:.2f}x {label}"
        found.append(Target(name, goal, figure, _verdict(value, limit)))

    def page_target(
        name: str, other: str, limits: tuple[float, float], case: str, label: str
    ) -> None:
        target, stretch = limits
        ratio_target(name, other, target, f"{case} <= {target}x {label}", label)
        ratio_target(name, other, stretch, f"(stretch) the same <= {stretch}x", label)

    page_target(
        "dexero-json-to-talkdesk",
        PEER,
        PEER_TARGET,
        "dexero-json page -> talkdesk-json",
        "pydantic validate+dump",
    )
    page_target(
        "dexero-xml-to-talkdesk",
        FLOOR_XML,
        XML_TO_TALKDESK_TARGET,
        "dexero-xml page -> talkdesk-json",
        "the lxml floor",
    )
    page_target(
        "dexero-xml-to-json",
        FLOOR_XML,
        XML_JSON_TARGET,
        "dexero-xml page -> dexero-json",
        "the lxml floor",
    )
    page_target(
        "dexero-json-to-xml",
        FLOOR_XML,
        XML_JSON_TARGET,
        "dexero-json page -> dexero-xml",
        "the lxml floor",
    )
    page_target(
        "talkdesk-to-dexero-json",
        FLOOR_TALKDESK,
        TALKDESK_TO_DEXERO_TARGET,
        "talkdesk-json page -> dexero-json",
        "the orjson floor",
    )
    single, double, checking = results.export
    orders = f"{results.export_orders:,}-order export"
    for goal, value_of in (
        (f"{orders} -> talkdesk NDJSON: peak RSS <= 64 MiB", "rss"),
        (f"{orders}: orders/s within 15% of the 500-order page", "speed"),
        (f"{orders} with {JOBS_FLAG} 2: >= {JOBS_TARGET}x one job", "jobs"),
        (f"`ordermap validate` of the {orders}: peak RSS <= 64 MiB", "validate"),
    ):
        result = {"jobs": double, "validate": checking}.get(value_of, single)
        if result.skipped or result.failed:
            verdict = "skipped" if result.skipped else "failed"
            found.append(Target(result.name, goal, result.skipped or result.failed or "", verdict))
            continue
        if value_of in ("rss", "validate"):
            assert result.rss_peak is not None
            figure = f"{result.rss_peak / MIB:.1f} MiB"
            verdict = "pass" if result.rss_peak <= EXPORT_RSS_TARGET else "miss"
        elif value_of == "speed":
            page = results.pages.get("dexero-xml-to-talkdesk")
            rate = result.rate
            if page is None or rate is None:
                found.append(Target(result.name, goal, "not measured", "skipped"))
                continue
            page_rate = data.PAGE_ORDERS / page.seconds
            figure = f"{rate:,.0f} vs {page_rate:,.0f} orders/s ({rate / page_rate:.2f}x)"
            verdict = _verdict(rate / page_rate, 1 - EXPORT_SPEED_TOLERANCE, at_least=True)
        else:
            assert single.seconds is not None and result.seconds is not None
            speedup = single.seconds / result.seconds
            figure = f"{speedup:.2f}x one job"
            verdict = _verdict(speedup, JOBS_TARGET, at_least=True)
        found.append(Target(result.name, goal, figure, verdict))
    convert = "`ordermap convert` of one small file"
    startups = [
        (results.startup, f"{convert} <= {STARTUP_TARGET}x `python -c pass`", STARTUP_TARGET),
        (
            results.startup,
            f"(issue #12) {convert} <= {STARTUP_CONVERT_TARGET:g}x `python -c pass`",
            STARTUP_CONVERT_TARGET,
        ),
        *(
            (
                result,
                f"(issue #12) `ordermap {flag}` <= {STARTUP_FLAG_TARGET:g}x `python -c pass`",
                STARTUP_FLAG_TARGET,
            )
            for result, flag in zip(results.startup_flags, STARTUP_FLAGS, strict=False)
        ),
    ]
    for startup, goal, limit in startups:
        if startup.skipped or startup.failed or startup.seconds is None or startup.baseline is None:
            verdict = "skipped" if startup.skipped else "failed"
            why = startup.skipped or startup.failed or ""
            found.append(Target(startup.name, goal, why, verdict))
            continue
        factor = startup.seconds / startup.baseline
        found.append(
            Target(
                startup.name,
                goal,
                f"{factor:.2f}x ({startup.seconds * 1e3:.0f} vs {startup.baseline * 1e3:.0f} ms)",
                _verdict(factor, limit),
            )
        )
    return found


def _mib(value: int | None) -> str:
    return "-" if value is None else f"{value / MIB:.1f}"


def page_rows(results: Results) -> list[list[str]]:
    rows = []
    for name, result in results.pages.items():
        case = result.case
        floor = _ratio(results, name, case.floor)
        peer = _ratio(results, name, case.peer)
        rows.append(
            [
                name,
                case.description,
                f"{result.seconds * 1e3:.1f}",
                f"{result.cpu_seconds * 1e3:.1f}",
                f"{data.PAGE_ORDERS / result.seconds:,.0f}",
                "-" if floor is None else f"{floor:.2f}x",
                "-" if peer is None else f"{peer:.2f}x",
                _mib(result.traced_peak),
                _mib(result.rss_peak),
            ]
        )
    return rows


PAGE_HEADER = [
    "case",
    "what",
    "best ms",
    "cpu ms",
    "orders/s",
    "x floor",
    "x peer",
    "tracemalloc MiB",
    "peak RSS MiB",
]
CLI_HEADER = ["case", "what", "seconds", "cpu s", "orders/s", "peak RSS MiB", "note"]


def cli_rows(results: Results) -> list[list[str]]:
    rows = []
    for result in [*results.export, results.startup, *results.startup_flags]:
        note = result.skipped or result.failed or result.command
        if result.baseline is not None:
            note = f"python -c pass: {result.baseline * 1e3:.1f} ms; {note}"
        rows.append(
            [
                result.name,
                result.description,
                "-" if result.seconds is None else f"{result.seconds:.3f}",
                "-" if result.cpu_seconds is None else f"{result.cpu_seconds:.3f}",
                "-" if result.rate is None else f"{result.rate:,.0f}",
                _mib(result.rss_peak),
                note,
            ]
        )
    return rows


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return "\n".join(lines)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(header), line(["---"] * len(header)), *(line(row) for row in rows)])


def machine_info() -> dict[str, str]:
    from lxml import etree

    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in ("ordermap", "attrs", "cattrs", "lxml", "orjson", "pydantic", "pydantic-core"):
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    libxml2 = ".".join(str(part) for part in etree.LIBXML_VERSION)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return {
        "CPU": f"{os.cpu_count()} logical CPUs, {model}",
        "load average at start": load,
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "OS": platform.platform(),
        "libraries": ", ".join(versions) + f", libxml2 {libxml2}",
        "commit": commit or "unknown",
    }


def render_text(results: Results) -> str:
    parts = [
        f"ordermap benchmarks, {results.started}, best of {results.rounds} rounds",
        *(f"  {key}: {value}" for key, value in results.machine.items()),
        "",
        f"Page cases ({data.PAGE_ORDERS} orders; peak RSS of a fresh process per case, "
        f"idle baseline {_mib(results.idle_rss)} MiB)",
        text_table(PAGE_HEADER, page_rows(results)),
        "",
        "Command line",
        text_table(CLI_HEADER, cli_rows(results)),
        "",
        "Targets (issues #5, #9 and #12)",
        text_table(
            ["target", "measured", "verdict"],
            [[t.goal, t.figure, t.verdict] for t in targets(results)],
        ),
    ]
    return "\n".join(parts)


START = "<!-- results:start: written by `python benchmarks/run.py --markdown` -->"
END = "<!-- results:end -->"


def render_markdown(results: Results) -> str:
    machine = "\n".join(f"- {key}: {value}" for key, value in results.machine.items())
    return "\n".join(
        [
            START,
            "",
            f"Measured {results.started} with `{results.command}`, best of {results.rounds} "
            "rounds, on a shared machine (other jobs were running; figures move by 10-30% "
            "between runs, ratios measured back to back move less).",
            "",
            machine,
            "",
            "### Targets",
            "",
            markdown_table(
                ["target (issues #5, #9 and #12)", "measured", "verdict"],
                [[t.goal, t.figure, f"**{t.verdict}**"] for t in targets(results)],
            ),
            "",
            f"### Page cases ({data.PAGE_ORDERS} orders)",
            "",
            "`x floor` is the time over the case's floor (orjson for JSON input, lxml for XML "
            "input); `x peer` over pydantic's validate+dump of the same dexero-json page. "
            "tracemalloc counts Python allocations only (not libxml2's tree); peak RSS is of "
            f"a fresh process running the case once (idle baseline, Python + ordermap + the "
            f"inputs: {_mib(results.idle_rss)} MiB).",
            "",
            markdown_table(PAGE_HEADER, page_rows(results)),
            "",
            "### Command line",
            "",
            markdown_table(CLI_HEADER, cli_rows(results)),
            "",
            END,
        ]
    )


def update_markdown(path: Path, section: str) -> None:
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n## Results\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n## Results\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(head + section + tail)


def profile_case(name: str, calls: int, limit: int) -> None:
    """Print where a page case spends its time (cProfile, by own time and by cumulative)."""
    inputs = Inputs()
    run = CASES_BY_NAME[name].setup(inputs)
    run()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        run()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(limit)
        print(out.getvalue())


# --- main ---------------------------------------------------------------------------------------


def _skipped_export(why: str) -> list[CliResult]:
    return [
        CliResult("export-ndjson", "export to talkdesk NDJSON", why),
        CliResult("export-ndjson-jobs2", f"the same with {JOBS_FLAG} 2", why),
        CliResult("export-validate", "ordermap validate of the export", why),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run ordermap's benchmarks (issues #5 and #9).",
        epilog="See the module docstring and BENCHMARKS.md.",
    )
    parser.add_argument("--quick", action="store_true", help="3 rounds, a 10,000-order export")
    parser.add_argument("--rounds", type=int, help="rounds of page cases (default 7; quick 3)")
    parser.add_argument("--export-orders", type=int, help="orders in the export (default 100,000)")
    parser.add_argument("--export-runs", type=int, default=1, help="runs of each export case")
    parser.add_argument(
        "--only",
        nargs="*",
        choices=[*sorted(CASES_BY_NAME), STARTUP, JOBS],
        metavar="CASE",
        help=f"page cases to run; {STARTUP!r}: of the command-line cases, the start-up ones "
        f"only; {JOBS!r}: the export with one job and two, by turns (--export-runs rounds)",
    )
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line cases")
    parser.add_argument("--no-rss", action="store_true", help="skip the per-case RSS processes")
    parser.add_argument("--markdown", action="store_true", help="update BENCHMARKS.md's results")
    parser.add_argument(
        "--profile",
        choices=sorted(CASES_BY_NAME),
        metavar="CASE",
        help="cProfile one page case and stop (cases: " + ", ".join(CASES_BY_NAME) + ")",
    )
    parser.add_argument("--child", metavar="CASE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args.child)
    if args.profile:
        profile_case(args.profile, calls=3, limit=30)
        return 0

    def log(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    rounds = args.rounds or (3 if args.quick else 7)
    export_orders = args.export_orders or (
        QUICK_EXPORT_ORDERS if args.quick else data.EXPORT_ORDERS
    )
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    machine = machine_info()
    inputs = Inputs()
    only = [name for name in args.only or () if name not in (STARTUP, JOBS)]
    startup_only = STARTUP in (args.only or ())
    jobs_only = JOBS in (args.only or ())
    startup_flags: list[CliResult] = []
    cases = [CASES_BY_NAME[name] for name in only] if args.only else list(PAGE_CASES)
    log(f"page cases: {len(cases)}, {rounds} rounds")
    pages = measure_pages(inputs, cases, rounds, log)
    idle_rss = None
    if not args.no_rss:
        idle_rss = run_process(_child_command("idle")).rss_peak
        for name, result in pages.items():
            run = run_process(_child_command(name))
            if run.status != 0:
                raise RuntimeError(f"case {name} failed in a fresh process:\n{run.stderr}")
            result.rss_peak = run.rss_peak
        log("peak RSS measured")
    if args.no_cli:
        skipped = "not run (--no-cli)"
        export = [
            CliResult("export-ndjson", "export to talkdesk NDJSON", skipped),
            CliResult("export-ndjson-jobs2", f"the same with {JOBS_FLAG} 2", skipped),
            CliResult("export-validate", "ordermap validate of the export", skipped),
        ]
        startup = CliResult("startup", "ordermap convert of one small file", skipped)
    elif jobs_only:
        export = measure_jobs(export_orders, max(args.export_runs, 3), log)
        startup = CliResult(
            "startup", "ordermap convert of one small file", f"not run (--only {JOBS})"
        )
    else:
        if startup_only:
            export = _skipped_export(f"not run (--only {STARTUP})")
        else:
            help_text = convert_help()
            export = measure_export(export_orders, args.export_runs, help_text, log)
        startup, *startup_flags = measure_startup(5 if args.quick else 10, log)
    results = Results(
        rounds,
        pages,
        export,
        startup,
        idle_rss,
        export_orders,
        started,
        command.strip(),
        machine,
        startup_flags,
    )
    print(render_text(results))
    if args.markdown:
        update_markdown(ROOT / "BENCHMARKS.md", render_markdown(results))
        log("BENCHMARKS.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
