"""The dbt project as Dagster assets: every model and seed an asset, every dbt test an asset check."""


import os
import sys
from collections.abc import Mapping
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets
from packaging.version import Version

from orchestration import settings
from orchestration.dbt_metadata import with_table_metadata
from orchestration.dbt_runner import Build
from orchestration.publishing.dbt_path import stable_dbt_target
from orchestration.publishing.working import current

DBT_SUBPROCESS_ENV = "BAYANNUR_DBT_SUBPROCESS"  # set (to anything): dbt in its own process, as before

dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)

if not dbt_project.manifest_path.exists():
    raise FileNotFoundError(
        f"dbt manifest not found at {dbt_project.manifest_path.relative_to(settings.PROJECT_ROOT)}: "
        "run `make manifest` (dbt parse) first; `make run`, `make test` and `make dev` do it for you"
    )


class OfflineDbtCliResource(DbtCliResource):
    """DbtCliResource that reads dbt's version from the installed package and opens no adapter.

    The stock resource runs `dbt --version` in every step, and that asks the package index for
    the latest release: about 20 s lost per step where the network is closed.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        # The stock resource loads dbt's project and every macro in this process, about 1 s a
        # step, for a handle used only by .fetch_row_counts()/.fetch_column_metadata(), which this
        # project does not call: dbt_metadata.py reads counts and columns once dbt has exited
        # (a DuckDB file has one writer). Without a handle dagster-dbt skips those fetches.
        return None


def dbt_resource() -> OfflineDbtCliResource:
    # dbt with partial parsing across warehouse folders (orchestration/dbt_cli.py). Next to
    # sys.executable: the venv may not be activated (make, the webserver, a scheduler).
    return OfflineDbtCliResource(
        project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "bayannur-dbt")
    )


class Translator(DagsterDbtTranslator):
    """Asset keys follow the warehouse (schema, table); groups follow the source slug or the layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)  # meta.dagster.asset_key in the YAML
        return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        if len(fqn) > 3 and fqn[1] == "staging":
            return fqn[2]  # models/staging/<source slug>/...
        return fqn[1] if len(fqn) > 2 else None


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    pool="duckdb",
)
def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource):
    # In a publishing run dbt builds the run's working file (under a path stable across runs, so
    # that dbt parses only what changed: publishing/dbt_path.py); the published file is swapped later.
    # Row counts and column schemas are read from that same file once dbt has exited.
    # dbt runs in this process (orchestration/dbt_runner.py): no second interpreter importing dbt.
    target = current()
    with stable_dbt_target(target) as target_path:
        # dbt.log at info: at debug it is 10 MB of JSON a build (7,200 lines: every query and
        # connection), a tenth of dbt's CPU. Each node's SQL stays in target/run/, failures in the run's log.
        args = ["build", "--log-level-file", "info"]
        if context.is_subset:
            # A selection's manifest.json and run_results.json are read by nothing: the docs reuse
            # only a full build's manifest (serving/dbt_docs.py). Writing them took 0.5-0.8 s a run.
            args.append("--no-write-json")
        if os.environ.get(DBT_SUBPROCESS_ENV):  # dagster-dbt's subprocess: for comparison, or a fallback
            build = dbt.cli(args, context=context, target_path=target_path)
        else:
            build = Build(context, dbt, args, target_path=target_path)
        yield from with_table_metadata(build.stream(), build.manifest, path=target)
