"""Record what ordermap makes of a set of inputs, to show that an engine change changes nothing.

For every input file (the fixtures, the hostile corpus, the bundled example, and the benchmark
page in each format, with its carried translations) and every target format and mode, this
records a digest of the output bytes and of the report entries, or the problems of the error
raised, through both ways a user converts: the library (``decode``, ``translate``,
``encode``) and the stream (``ordermap.stream.convert``, as ``ordermap convert`` runs it).

Usage (from the repository root)::

    python benchmarks/equivalence.py --write before.json     # on the old engine
    python benchmarks/equivalence.py --check before.json     # on the new one: exit 1 on a change

Digests are SHA-256 of the exact bytes, so any change of output, entry or problem shows.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import ordermap  # noqa: E402
from ordermap import stream  # noqa: E402

FORMATS = ("talkdesk-json", "dexero-json", "dexero-xml")
MODES = ("report", "strict", "carry")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def _problems(error: ordermap.OrdermapError) -> str:
    lines = [f"{type(error).__name__} {error.format}"]
    lines += [
        f"{p.code} {p.severity} {p.location!r} {p.message} {p.input!r}" for p in error.problems
    ]
    report = getattr(error, "report", None)
    if report is not None:
        lines += [json.dumps(entry.to_json(), default=str) for entry in report.entries]
    return "error " + _digest("\n".join(lines).encode())


def _entries(entries: Any) -> str:
    text = "\n".join(json.dumps(entry.to_json(), default=str) for entry in entries)
    return f"{len(entries)} entries {_digest(text.encode())}"


def _library(data: bytes, to: str, mode: str) -> str:
    try:
        document = ordermap.decode(data)
        source = ordermap.documents.decode_as(data)[1]
        entries: Any = ()
        if to not in ordermap.formats_for(document):
            translation = ordermap.translate(document, to, mode=mode, source_format=source)  # type: ignore[arg-type]
            document, entries = translation.document, translation.report.entries
        output = ordermap.encode(document, to, indent=2)
    except ordermap.OrdermapError as error:
        return _problems(error)
    return f"{_digest(output)} {_entries(entries)}"


def _stream(data: bytes, to: str, mode: str, lines_out: bool | None) -> str:
    entries: list[Any] = []
    errors: list[str] = []
    out = io.BytesIO()
    try:
        result = stream.convert(
            io.BytesIO(data),
            out,
            to,
            mode=mode,  # type: ignore[arg-type]
            lines_out=lines_out,
            keep_going=True,
            on_entry=entries.append,
            on_error=lambda error: errors.append(_problems(error)),
        )
    except ordermap.OrdermapError as error:
        return _problems(error) + f" after {_entries(entries)}"
    except ValueError as error:
        return f"ValueError {error}"
    skipped = _digest("\n".join(errors).encode())
    return (
        f"{_digest(out.getvalue())} {_entries(entries)} {result.layout} {result.orders} "
        f"{result.failed} skipped {skipped}"
    )


def inputs() -> Iterator[tuple[str, bytes]]:
    """Every input, by a name relative to the repository root."""
    folders = [
        ROOT / "tests" / "fixtures",
        ROOT / "tests" / "stream_fixtures",
        ROOT / "tests" / "hostile",
    ]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".json", ".xml", ".ndjson"):
                yield str(path.relative_to(ROOT)), path.read_bytes()
    yield "examples/dexero-page.xml", (ROOT / "examples" / "dexero-page.xml").read_bytes()
    from benchmarks import data

    for format, path in data.ensure_page().items():
        if format in FORMATS:
            yield f"benchmark page {format}", path.read_bytes()


def _carried(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """The input translated in carry mode to each other vocabulary, to read slots back."""
    try:
        document = ordermap.decode(data)
        source = ordermap.documents.decode_as(data)[1]
    except ordermap.OrdermapError:
        return
    for to in FORMATS:
        if to in ordermap.formats_for(document):
            continue
        try:
            carried = ordermap.translate(document, to, mode="carry", source_format=source)  # type: ignore[arg-type]
            yield f"{name} carried to {to}", ordermap.encode(carried.document, to)
        except ordermap.OrdermapError:
            continue


def record() -> dict[str, str]:
    manifest: dict[str, str] = {}
    for name, data in inputs():
        cases = [(name, data)]
        if "hostile" not in name:
            cases += list(_carried(name, data))
        for label, text in cases:
            for to in FORMATS:
                for mode in MODES:
                    manifest[f"{label} | lib | {to} | {mode}"] = _library(text, to, mode)
                    manifest[f"{label} | stream | {to} | {mode}"] = _stream(text, to, mode, None)
                    if to != "dexero-xml":
                        manifest[f"{label} | ndjson | {to} | {mode}"] = _stream(
                            text, to, mode, True
                        )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", metavar="FILE", help="record the manifest into FILE")
    group.add_argument("--check", metavar="FILE", help="compare with the manifest in FILE")
    args = parser.parse_args(argv)
    manifest = record()
    if args.write:
        Path(args.write).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        print(f"{len(manifest)} cases recorded in {args.write}")
        return 0
    before = json.loads(Path(args.check).read_text())
    # Inputs added since the manifest was written are counted apart: they have nothing to
    # be compared with. A case that went missing is a change.
    new = [key for key in manifest if key not in before]
    changed = [key for key in sorted(before) if before[key] != manifest.get(key)]
    for key in changed:
        print(f"changed: {key}\n  before: {before.get(key)}\n  after:  {manifest.get(key)}")
    print(f"{len(before)} cases compared, {len(changed)} changed; {len(new)} new, not compared")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
