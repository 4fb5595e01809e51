"""Convert many inputs, or one large one, on a Dask cluster, with the command line's output.

:func:`convert_bag` lays a conversion of a collection of inputs (local paths, globs or fsspec
URLs such as ``s3://bucket/exports/*.ndjson``) out as a :class:`Conversion`: a ``dask.bag``
with one partition per input, per range of lines of a newline-delimited JSON input, or per
range of orders of one large dexero-xml page (an export), and its :class:`BagReport`, which
adds the partitions' loss reports up. :func:`write` computes both and writes the output
files. ``specs/scale.md`` has the recipe for a real cluster.

Every partition is converted by :func:`ordermap.stream.convert`, the function behind
``ordermap convert``, on the partition's bytes (a range of an export by its pieces: the
record path, the loop over orders and the page's frame), so the output of an input is, byte
for byte, what ``ordermap convert INPUT`` writes: the partitions of an input, joined in
order, are that output. Nothing of the pipeline is rebuilt here; what this module adds is
where the bytes come from and how the partitions are put together again (:mod:`ordermap._bag`
says how inputs are cut, :mod:`ordermap._bag_page` how an export's ranges are found on the
client, which reads the whole export once for it, and put together around its page, and
:mod:`ordermap._bag_report` how a range's failures are placed in the whole input).

This module is not imported by ``import ordermap``; it needs the ``ordermap[dask]`` extra.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Iterator
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING, Any, Literal

from attrs import frozen

from . import _bag_page, formats
from ._bag import Failure, Job, Part, PartResult, fsspec
from ._bag import convert_part as _convert_part
from ._bag import open_files as _open_files
from ._bag import parts as _parts
from ._bag import sources as _sources
from ._bag_report import BagReport
from ._bag_report import aggregate as _aggregate
from .crosswalk import Mode
from .errors import OrdermapError, Problem
from .limits import DEFAULT_LIMITS, Limits
from .policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    import dask.bag

__all__ = [
    "BagReport",
    "Conversion",
    "ConversionFailed",
    "Failure",
    "Part",
    "PartResult",
    "check",
    "convert_bag",
    "write",
]

Split = Literal["input", "partition", "none"]


class ConversionFailed(OrdermapError):
    """An input or an order could not be converted, or strict mode refused; nothing was
    written.

    Attributes:
        failure: The first failure in input order, with its input and position.
        report: The whole report.
    """

    def __init__(self, failure: Failure, report: BagReport) -> None:
        problems = failure.problems or (Problem("would-lose", "refused by strict mode"),)
        super().__init__(problems)
        where = "" if failure.index is None else f"order {failure.index + 1}: "
        self.args = (f"{failure.source}: {where}{self.args[0]}",)
        self.failure = failure
        self.report = report


@frozen
class Conversion:
    """A conversion laid out as a ``dask.bag``; nothing runs until it is computed.

    Compute the output and the report together (``dask.compute(conversion.output,
    conversion.report)``) so that each partition is converted once; :func:`write` does.

    Attributes:
        parts: The partitions, in order.
        results: One :class:`PartResult` per partition: its output and its report.
        output: One ``bytes`` per partition, its share of its input's output; an input's
            shares joined in order are what ``ordermap convert`` writes for it.
        report: The :class:`BagReport`, as a ``dask.bag.Item`` (a bag's one value).
        job: What every partition is converted with.
        max_failures: The most failures the report lists.
    """

    parts: tuple[Part, ...]
    results: dask.bag.Bag
    output: dask.bag.Bag
    report: dask.bag.Item
    job: Job
    max_failures: int


def convert_bag(
    inputs: str | Iterable[str],
    to: str,
    *,
    from_: str | None = None,
    mode: Mode = "report",
    policy: Policy = DEFAULT_POLICY,
    indent: int | None = 2,
    lines_out: bool | None = None,
    keep_going: bool = False,
    blocksize: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    max_failures: int = 1000,
    storage_options: dict[str, Any] | None = None,
) -> Conversion:
    """Lay out the conversion of ``inputs`` to ``to`` as a ``dask.bag``.

    Args:
        inputs: Paths, globs or fsspec URLs (``s3://bucket/*.ndjson``), or one of them; a
            glob is expanded here, in sorted order. Each must be readable by the workers too.
        to: The output format.
        from_: The inputs' format; detected from each input's content when ``None``.
        mode, policy, indent, lines_out, keep_going, limits: As for
            :func:`ordermap.stream.convert` and ``ordermap convert`` (``--indent 0`` is
            ``indent=None`` here).
        blocksize: Cut each newline-delimited JSON input written one order per line, and
            each dexero-xml page laid out as ``ordermap convert --jobs`` cuts pages, into
            ranges of about this many bytes; ``None``: one partition per input. Other inputs
            stay whole whatever it says. Cutting a page reads all of it here, once (an
            export on object storage is downloaded to a temporary file for that).
        max_failures: The most failures the report lists (it counts them all).
        storage_options: Passed to fsspec (credentials, endpoints), here and on the workers.

    Raises:
        FileNotFoundError: An input does not exist, or no input matches.
        ValueError: ``lines_out`` asked of a format with no one-order-per-line form, or a
            block size that is not positive.
    """
    _, bag = _dask()
    if lines_out and not formats.get(to).LINES:
        raise ValueError(f"{to} cannot be written as newline-delimited JSON")
    if blocksize is not None and blocksize <= 0:
        raise ValueError("blocksize must be a positive number of bytes")
    options = dict(storage_options or {})
    job = Job(to, from_, mode, policy, indent, lines_out, keep_going, limits, options)
    parts = tuple(_parts(_open_files(inputs, options), job, blocksize))
    results = bag.from_sequence(parts, npartitions=len(parts)).map(_convert_part, job)
    # Bag reductions, not delayed functions of the partitions: dask optimises the graphs of
    # collections of one kind together, so that computing the output and the report at
    # once converts each partition once (a delayed report's graph would be optimised on its
    # own and convert every partition a second time).
    if any(part.spans for part in parts):
        results = _put_together(results, job)
    report = results.reduction(
        _without_data,
        partial(_report, inputs=len(_sources(parts)), keep_going=keep_going,
                max_failures=max_failures, max_problems=limits.max_problems),
        split_every=False,
    )  # fmt: skip
    return Conversion(parts, results, results.map(_data_of), report, job, max_failures)


def _put_together(results: Any, job: Job) -> Any:
    """``results`` with each cut page's ranges put together around the page.

    A page is put together once all its ranges are converted: each range's output waits for
    the page's frame (a small value, from the ranges' reports). The layer is written out
    rather than made by ``map_partitions``, which would take the frames' ``Item`` as a graph
    of its own, optimised apart: every range would be converted twice.
    """
    dask, bag = _dask()
    frames = results.reduction(_without_data, partial(_bag_page.frames, job=job),
                               split_every=False)  # fmt: skip
    name = "ordermap-finish-" + dask.base.tokenize(results.name, frames.key)
    finish = partial(_bag_page.finish, job=job)
    layer = {(name, n): (finish, (results.name, n), frames.key) for n in range(results.npartitions)}
    graph = import_module("dask.highlevelgraph").HighLevelGraph.from_collections(
        name, layer, dependencies=[results, frames]
    )
    return bag.Bag(graph, name, results.npartitions)


def _dask() -> tuple[Any, Any]:
    """dask and dask.bag, imported when first needed, and as ``Any``: most of dask's API
    has no annotations, which mypy's strict mode refuses to call."""
    dask = import_module("dask")
    return dask, import_module("dask.bag")


def _data_of(result: PartResult) -> bytes:
    return result.data


def _without_data(partition: Iterable[PartResult]) -> list[PartResult]:
    return [result.without_data() for result in partition]


def _report(
    partitions: Iterable[list[PartResult]],
    *,
    inputs: int,
    keep_going: bool,
    max_failures: int,
    max_problems: int,
) -> BagReport:
    found = (result for partition in partitions for result in partition)
    return _aggregate(found, inputs, keep_going, max_failures, max_problems)


def check(report: BagReport, keep_going: bool) -> None:
    """Raise :class:`ConversionFailed` where ``ordermap convert`` would fail and write
    nothing: an input that cannot be read, a failed order without ``keep_going``, or strict
    mode refusing."""
    for failure in report.failures:
        if failure.index is None or not keep_going:
            raise ConversionFailed(failure, report)
    if report.refused:
        raise ConversionFailed(report.refused[0], report)


def write(
    conversion: Conversion,
    target: str,
    *,
    split: Split = "input",
    storage_options: dict[str, Any] | None = None,
) -> BagReport:
    """Compute ``conversion`` and write its output; return its report.

    The partitions are converted on the cluster (the default ``distributed`` client's, when
    there is one; else dask's default scheduler) and their reports come here first: nothing
    is written when :func:`check` fails. The output then comes to this process one
    partition at a time, in order, to be written.

    Args:
        conversion: What :func:`convert_bag` laid out.
        target: With ``split="input"`` or ``"partition"``, a folder (local or an fsspec URL),
            made if missing; with ``"none"``, one file.
        split: ``input``: one file per input, named after it with the output's suffix
            (``.xml``, ``.json``, or ``.ndjson`` for one order per line); ``partition``: one
            file per partition, ``part-00000.ndjson`` and on; ``none``: every output joined
            in order in one file (newline-delimited output, or a single input).
        storage_options: Passed to fsspec for the target.

    Raises:
        ConversionFailed: See :func:`check`.
        ValueError: ``split="none"`` for pages of several inputs (no one document holds
            them), or two inputs of the same name with ``split="input"``.
    """
    heads, fetch = _computed(conversion)
    job = conversion.job
    report = _aggregate(heads, len(_sources(conversion.parts)), job.keep_going,
                        conversion.max_failures, job.limits.max_problems)  # fmt: skip
    check(report, job.keep_going)
    names = _names(heads, split, job.to)
    fs, root = fsspec().core.url_to_fs(target, **(storage_options or {}))
    if split != "none":
        fs.makedirs(root, exist_ok=True)
    handle: Any = None
    current: str | None = None
    try:
        for name, result in zip(names, fetch, strict=True):
            path = root if split == "none" else posixpath.join(root, name)
            if path != current:
                if handle is not None:
                    handle.close()
                handle, current = fs.open(path, "wb"), path
            handle.write(result.data)
    finally:
        if handle is not None:
            handle.close()
    return report


def _suffix(result: PartResult, to: str) -> str:
    if result.lines:
        return ".ndjson"
    return ".xml" if formats.get(to).SYNTAX == "xml" else ".json"


def _names(heads: list[PartResult], split: Split, to: str) -> list[str]:
    """The file each partition's output goes to, as :func:`write` names them."""
    if split == "partition":
        return [f"part-{number:05d}{_suffix(head, to)}" for number, head in enumerate(heads)]
    inputs = _sources([head.part for head in heads])
    if split == "none":
        if len(inputs) > 1 and not all(head.lines for head in heads):
            raise ValueError("the outputs of several inputs join into one file only as lines")
        return ["" for _ in heads]
    if split != "input":
        raise ValueError(f"split is input, partition or none, not {split!r}")
    names: dict[str, str] = {}
    for head in heads:
        if head.part.number == 0:  # an input's first part names its file
            stem = os.path.splitext(posixpath.basename(head.part.source))[0]
            names[head.part.source] = stem + _suffix(head, to)
    if len(set(names.values())) < len(names):
        raise ValueError("two inputs have the same name; write them with split='partition'")
    return [names[head.part.source] for head in heads]


def _computed(conversion: Conversion) -> tuple[list[PartResult], Iterator[PartResult]]:
    """Every partition's report, and then, one partition at a time, their output.

    With a ``distributed`` client the outputs stay on the workers until they are fetched
    (and are let go once written); dask's other schedulers hand everything over at once.
    """
    dask, _ = _dask()
    results: Any = conversion.results
    delayed = results.to_delayed(optimize_graph=False)
    try:
        distributed = import_module("distributed")
        client = distributed.default_client()
    except (ImportError, ValueError):
        client = None
    if client is None:
        done: tuple[list[PartResult], ...] = dask.compute(*delayed)
        found = [result for partition in done for result in partition]
        return [result.without_data() for result in found], iter(found)
    futures = client.compute(delayed)
    heads = client.gather(client.map(_without_data, futures))
    return [head for partition in heads for head in partition], _fetched(futures)


def _fetched(futures: list[Any]) -> Iterator[PartResult]:
    for number, future in enumerate(futures):
        yield from future.result()
        futures[number] = None  # the worker lets the output go once nothing holds it
