"""``python -m ordermap.schema``: print one schema, or write every schema file and field table."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .docs import SCHEMA_FILES, schema_text, write_all


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ordermap.schema", description="Print or write ordermap's schemas."
    )
    parser.add_argument("format", nargs="?", choices=sorted(SCHEMA_FILES), help="print one")
    parser.add_argument("--write", metavar="FOLDER", help="write every schema into FOLDER")
    args = parser.parse_args(argv)
    if args.write:
        for path in write_all(args.write):
            print(path)
    elif args.format:
        print(schema_text(args.format), end="")
    else:
        parser.error("give a format or --write FOLDER")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
