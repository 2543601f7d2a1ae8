"""The region tree as deliveries see it: the shared tree (orchestration.regions) and every accepted
spelling of a region, its GB/T 2260 code included."""

from __future__ import annotations

from orchestration.regions import load_region_aliases, load_region_tree, norm

__all__ = ["load_region_tree", "norm", "region_aliases"]


def region_aliases() -> dict[str, str]:
    """Every accepted spelling of a region (its code, official names, the seed's aliases) -> code."""
    return {code: code for code in load_region_tree().codes()} | load_region_aliases()
