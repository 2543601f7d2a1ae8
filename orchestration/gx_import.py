"""great-expectations, imported without the libraries our suites never touch.

`import great_expectations` registers every expectation and data source it has, and with them
imports scipy (distribution tests), altair (charts of the KL-divergence expectation) and
sqlalchemy (SQL data sources, an optional extra of great-expectations): 1.5 of its 2.8 CPU
seconds here. During that import, scipy.stats and altair are made lazy (a module that runs when
first used: a suite that needs them still gets them) and, unless something imported it before,
sqlalchemy is absent (great-expectations then leaves its SQL sources out, as in an install
without the extra). Only the pandas execution engine is used (orchestration/suite_engine.py).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType

_LAZY = ("scipy.stats", "altair")
_ABSENT = "sqlalchemy"


class _Narrow(importlib.abc.MetaPathFinder):
    def __init__(self, absent: tuple[str, ...]) -> None:
        self.absent = absent

    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in self.absent:
            raise ModuleNotFoundError(f"No module named {name!r} (left out of great-expectations' import)", name=name)
        if name not in _LAZY:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def import_great_expectations() -> ModuleType:
    """great_expectations, imported narrowly if it is not imported yet."""
    if "great_expectations" in sys.modules:
        return sys.modules["great_expectations"]
    # Where sqlalchemy is imported already (a Dagster process), a half-absent one would confuse
    # great-expectations: it is then left as it is.
    finder = _Narrow(() if _ABSENT in sys.modules else (_ABSENT,))
    sys.meta_path.insert(0, finder)
    try:
        import great_expectations
    finally:
        sys.meta_path.remove(finder)
    return great_expectations
