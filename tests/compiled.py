"""dbt SQL compiled without a warehouse, to run on hand-made fixtures in a throwaway DuckDB file
(the report's tests: explanations, final evaluation, departments). dbt writes into its own target
directory here, so it never races the session's runs over transforms/target."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).parent / "dbt")


def _dbt(args: list[str], workdir: Path) -> str:
    # the file's stem is the catalog the compiled SQL names: "bayannur", as in a real warehouse
    (workdir / "compile").mkdir(exist_ok=True)
    env = {**os.environ, "BAYANNUR_WAREHOUSE": str(workdir / "compile" / "bayannur.duckdb"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run([DBT, *args, "--profiles-dir", ".", "--target-path", str(workdir / "target"), "--quiet"],
                          cwd=ROOT / "transforms", env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def compile_inline(sql: str, workdir: Path) -> str:
    """The SQL of a Jinja snippet (macros expanded), as dbt compiles it."""
    return _dbt(["compile", "--inline", sql], workdir).strip()


def compile_models(names: list[str], workdir: Path) -> dict[str, dict]:
    """Per model: its compiled SQL and the relations of its parents (as the compiled SQL names them)."""
    _dbt(["compile", "--select", " ".join(names)], workdir)
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    nodes = {**manifest["nodes"], **manifest.get("sources", {})}
    out = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] in names:
            out[node["name"]] = {"sql": node["compiled_code"],
                                 "parents": {nodes[p]["name"]: nodes[p]["relation_name"] for p in node["depends_on"]["nodes"]}}
    return out
