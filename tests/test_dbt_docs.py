"""When dbt's docs may inline the build's manifest (`docs generate --no-compile`): only when it is the
current project as parsed, with every compilable node compiled (orchestration/serving/dbt_docs.py).
The project's own parse (transforms/target/manifest.json, made by `make manifest`) stands in for
both; a build's manifest is made from it by adding what a build adds."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from orchestration.serving.dbt_docs import build_manifest_documents
from tests.helpers import ROOT

PROJECT = ROOT / "transforms" / "target" / "manifest.json"


@pytest.fixture(scope="module")
def parsed() -> dict:
    return json.loads(PROJECT.read_text(encoding="utf-8"))


def as_built(parsed: dict) -> dict:
    """What `dbt build` writes: each non-seed node compiled, later creation times, the macros it ran."""
    built = copy.deepcopy(parsed)
    for node in built["nodes"].values():
        node["created_at"] = node.get("created_at", 0) + 10
        if node["resource_type"] == "seed":
            node["build_path"] = "target/run/seed.csv"
            continue
        node.update(compiled=True, compiled_code="select 1", compiled_path="target/compiled/x.sql",
                    extra_ctes=[], extra_ctes_injected=True, build_path="target/run/x.sql")
        node["depends_on"] = {**node["depends_on"], "macros": [*node["depends_on"].get("macros", []), "macro.dbt.statement"]}
    for macro in built["macros"].values():
        macro["created_at"] = macro.get("created_at", 0) + 10
    return built


def write(tmp_path: Path, manifest: dict) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return path


def test_a_full_build_of_the_current_project_is_reused(parsed, tmp_path):
    # the project has seeds and compilable nodes: the check is not vacuous
    kinds = {n["resource_type"] for n in parsed["nodes"].values()}
    assert {"seed", "model", "test"} <= kinds
    assert build_manifest_documents(write(tmp_path, as_built(parsed)), PROJECT)


def test_a_partial_build_is_not_reused(parsed, tmp_path):
    built = as_built(parsed)
    model = next(n for n in built["nodes"].values() if n["resource_type"] == "model")
    model.update(compiled=False)
    del model["compiled_code"]
    assert not build_manifest_documents(write(tmp_path, built), PROJECT)


def test_a_build_of_an_older_project_is_not_reused(parsed, tmp_path):
    # a column's description changed in the YAML since the build: the page must show the new one
    built = as_built(parsed)
    mart = next(n for n in built["nodes"].values() if n["resource_type"] == "model" and n["columns"])
    column = next(iter(mart["columns"].values()))
    column["description"] += " (old wording)"
    assert not build_manifest_documents(write(tmp_path, built), PROJECT)
    # a model added since the build
    built = as_built(parsed)
    uid = next(u for u, n in built["nodes"].items() if n["resource_type"] == "model")
    del built["nodes"][uid]
    assert not build_manifest_documents(write(tmp_path, built), PROJECT)


def test_no_build_or_another_dbt_version_is_not_reused(parsed, tmp_path):
    assert not build_manifest_documents(tmp_path / "absent.json", PROJECT)
    built = as_built(parsed)
    built["metadata"]["dbt_version"] = "0.0.1"
    assert not build_manifest_documents(write(tmp_path, built), PROJECT)
