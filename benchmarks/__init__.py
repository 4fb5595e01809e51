"""ordermap benchmarks: run with ``python benchmarks/run.py`` (see run.py and BENCHMARKS.md)."""
