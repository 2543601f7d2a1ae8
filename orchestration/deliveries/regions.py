"""The region tree as deliveries see it: the shared tree (orchestration.regions) and every accepted
spelling of a region, its GB/T 2260 code included."""

from __future__ import annotations

from orchestration.regions import load_region_aliases, load_region_tree, norm

__all__ = ["load_region_tree", "norm", "region_aliases"]

# (the tree, region_aliases.csv's modification time) -> the spellings: made once per tree and
# aliases file, not once per delivery (a national tree: 0.5 s for each of about 250 files).
_MADE: dict[tuple[int, int], tuple[object, dict[str, str]]] = {}


def region_aliases() -> dict[str, str]:
    """Every accepted spelling of a region (its code, official names, the seed's aliases) -> code.
    The dict is shared: do not change it."""
    tree = load_region_tree()
    aliases = tree.source.with_name("region_aliases.csv")
    key = (id(tree), aliases.stat().st_mtime_ns if aliases.is_file() else 0)
    made = _MADE.get(key)
    if made is None or made[0] is not tree:
        made = (tree, {code: code for code in tree.codes()} | load_region_aliases())
        _MADE.clear()
        _MADE[key] = made
    return made[1]
