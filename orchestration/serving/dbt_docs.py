"""dbt's documentation site as one static page (static_index.html), from the published warehouse.

`dbt docs generate` parses the project, compiles every node and queries the catalog. Run as it was
(its own target folder, a scratch database path), it re-parsed the whole project and compiled all
~550 nodes again: about 13 s. Here:
- the profile's path is the same `.dbt/<name>` link the build uses (publishing/dbt_path.py), and the
  build's partial_parse.msgpack is copied in, so dbt parses only what changed (usually nothing);
- when the build's manifest.json documents the current project with every node compiled (a full
  build of it), it is copied in and dbt runs with `--no-compile`: the page inlines that manifest;
  otherwise (a partial build, or none since the project changed) dbt compiles as before;
- dbt runs in this process (dbtRunner), which already imported most of what dbt needs: about 2 s
  of a subprocess's start-up saved.
dbt-duckdb opens its database read-write, so it gets a scratch copy of the published file, never
the file itself. The catalog (columns and types) is queried from that copy as before.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from orchestration import settings
from orchestration.publishing.dbt_path import stable_dbt_target, target_dir
from orchestration.publishing.working import work_dir

PAGE = "static_index.html"
# What a build or a compile adds to a parsed node; everything else must match the parse.
COMPILED_FIELDS = {"compiled", "compiled_code", "compiled_path", "extra_ctes", "extra_ctes_injected", "build_path"}


def _parsed_view(manifest: dict) -> dict:
    """The manifest as parsed: no metadata, no compile results, no creation times, node parents only."""
    view = {}
    for section, entries in manifest.items():
        if section == "metadata":
            continue
        if isinstance(entries, dict) and all(isinstance(e, dict) for e in entries.values()):
            entries = {uid: {k: v for k, v in e.items() if k != "created_at" and k not in COMPILED_FIELDS}
                       for uid, e in entries.items()}
            for e in entries.values():
                if isinstance(e.get("depends_on"), dict):  # the build also lists the macros it ran
                    e["depends_on"] = e["depends_on"].get("nodes")
        view[section] = entries
    return view


def build_manifest_documents(build_manifest: Path, project_manifest: Path) -> bool:
    """True when the build's manifest is the current project (as `dbt parse` sees it) with every
    compilable node compiled, so that `docs generate --no-compile` may inline it."""
    if not build_manifest.exists():
        return False
    built = json.loads(build_manifest.read_bytes())
    project = json.loads(project_manifest.read_bytes())
    if built.get("metadata", {}).get("dbt_version") != project.get("metadata", {}).get("dbt_version"):
        return False
    compiled = all(n.get("compiled") for n in built["nodes"].values() if n["resource_type"] != "seed")
    return compiled and _parsed_view(built) == _parsed_view(project)


def _invoke(args: list[str]) -> None:
    from dbt.cli.main import dbtRunner  # imported here: only this step needs dbt in-process
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    from orchestration.dbt_cli import keep_parse_across_folders

    keep_parse_across_folders()  # the build's saved parse was made by bayannur-dbt: the same profile hash

    try:
        result = dbtRunner().invoke(args)
    finally:
        # dbt-duckdb keeps its database open for the process (keep_open) and would hand the same,
        # by then deleted, scratch file to the next invocation in this process; close it as it does at exit.
        DuckDBConnectionManager.close_all_connections()
    if not result.success:
        raise RuntimeError(f"dbt {' '.join(args[:2])} failed: {result.exception or 'see dbt.log'}")


def generate(out: Path, published: Path | None = None, project_dir: Path | None = None, run_id: str = "") -> dict:
    """Write dbt's docs (static_index.html, catalog.json, manifest.json, index.html) into `out` for the
    published file; returns whether the build's manifest was reused (no compile)."""
    published = published or settings.WAREHOUSE_PATH
    project_dir = project_dir or settings.DBT_PROJECT_DIR
    built = target_dir(published)
    reuse = build_manifest_documents(built / "manifest.json", project_dir / "target" / "manifest.json")
    out.mkdir(parents=True, exist_ok=True)
    (out / PAGE).unlink(missing_ok=True)
    if (built / "partial_parse.msgpack").exists():
        shutil.copyfile(built / "partial_parse.msgpack", out / "partial_parse.msgpack")
    if reuse:
        shutil.copyfile(built / "manifest.json", out / "manifest.json")
    work_dir(published).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"docs.{run_id}.", dir=work_dir(published)) as scratch:  # named after the run
        copy = Path(shutil.copyfile(published, Path(scratch) / published.name))  # same name: same database name
        with stable_dbt_target(copy, published):
            _invoke(["--quiet", "docs", "generate", "--static", *(["--no-compile"] if reuse else []),
                     "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
                     "--target-path", str(out), "--log-path", str(out)])
    if not (out / PAGE).exists():
        raise RuntimeError(f"dbt docs generate wrote no {PAGE} in {out}")
    return {"page": out / PAGE, "reused_build_manifest": reuse}
