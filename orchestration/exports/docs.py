"""What the exports say about the marts: the dbt YAML (through dbt's manifest) and the code labels.

The Chinese headers are the `meta.label_zh` of each column in the marts' YAML; the descriptions
(zh and en) are the YAML's too. Coded values (green, illustrative, level_at_least ...) are shown
in Chinese through the reviewed seed `code_labels` (transforms/seeds/serving/code_labels.csv).
"""

from __future__ import annotations

import csv
import json
from functools import cache

from orchestration import settings

CODE_LABELS = settings.SEEDS_DIR / "serving" / "code_labels.csv"


@cache
def _manifest_marts() -> dict[str, dict]:
    path = settings.DBT_PROJECT_DIR / "target" / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(f"dbt manifest not found at {path.relative_to(settings.PROJECT_ROOT)}: "
                                "run `make manifest` (dbt parse) first; `make run` and `make test` do it for you")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return {node["name"]: node for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["schema"] == "marts"}


def mart_columns() -> dict[str, dict[str, dict]]:
    """table -> column -> {label_zh, description} from dbt's manifest (the marts' YAML)."""
    return {
        table: {name: {"label_zh": (col.get("meta") or {}).get("label_zh"), "description": col.get("description", "")}
                for name, col in node["columns"].items()}
        for table, node in _manifest_marts().items()
    }


def mart_descriptions() -> dict[str, str]:
    """table -> its description (zh and en) from the marts' YAML."""
    return {table: " ".join(node.get("description", "").split()) for table, node in _manifest_marts().items()}


def code_labels() -> dict[str, dict[str, dict[str, str]]]:
    """column -> code -> {zh, en}: the Chinese (and English) wording of every coded value."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    with CODE_LABELS.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["column_name"], {})[row["code"]] = {"zh": row["label_zh"], "en": row["label_en"]}
    return out
