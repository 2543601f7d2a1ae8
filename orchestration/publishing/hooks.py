"""Serving targets: functions called with the path of the newly published file, after the swap.

Register one with `register(name, publish_to, description)` here, at import (the coordinator
wires PostgreSQL and the packaged exports in this way). Each becomes its own Dagster asset
["serving", name] downstream of warehouse/published (orchestration/assets/serving.py), so a
failing target shows on its own and can be retried without another publish.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple


class ServingHook(NamedTuple):
    name: str
    publish_to: Callable[[Path], None]
    description: str


SERVING_HOOKS: list[ServingHook] = []


def register(name: str, publish_to: Callable[[Path], None], description: str = "") -> None:
    if any(h.name == name for h in SERVING_HOOKS):
        raise ValueError(f"serving hook {name!r} is registered twice")
    SERVING_HOOKS.append(ServingHook(name, publish_to, description or f"serving target {name}"))
