"""The repository's reviewed YAML (contracts, units, release calendar, SDMX and assessment
settings), parsed by libyaml where PyYAML has it.

PyYAML's pure-Python parser took 0.39 s for the 30 contracts (read by every `bayannur` process,
and by the bad-delivery corpus once per case); libyaml's takes a tenth of that and gives the same
values. A delivery's provenance file keeps the pure-Python
parser: the first line of its error is what the operator is shown, and the two word them differently.
"""

from __future__ import annotations

from pathlib import Path

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
