"""Let documents, policies and reports be pickled.

They hold read-only mappings (``types.MappingProxyType``), which :mod:`pickle` refuses; this
registers a reducer that pickles one as a plain dict and wraps it again on loading. Worker
processes (:mod:`ordermap.stream`) and distributed engines mapping ordermap over records need
that. Imported by the package, so it is in force wherever ordermap is.
"""

from __future__ import annotations

import copyreg
from types import MappingProxyType
from typing import Any


def _proxy(items: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(items)


def _reduce(proxy: MappingProxyType[str, Any]) -> tuple[Any, tuple[dict[str, Any]]]:
    return _proxy, (dict(proxy),)


copyreg.pickle(MappingProxyType, _reduce)
