"""Serving the published warehouse: the exports for spreadsheet and BI users, dbt's documentation
site, and one asset per serving target registered in orchestration/publishing/hooks.py.

All run after warehouse/published and read the published file, never a run's working file.
"""

import hashlib

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from orchestration import settings
from orchestration.exports import export_dir, export_marts, mart_columns
from orchestration.publishing.hooks import SERVING_HOOKS, ServingHook, register
from orchestration.publishing.working import PUBLISHED_KEY
from orchestration.serving import dbt_docs as dbt_docs_site, postgres

# The serving targets after each publish. PostgreSQL does nothing unless BAYANNUR_PG_DSN is set.
register("postgres", postgres.publish_to,
         "The published marts in PostgreSQL (schema bayannur with zh/en comments, Chinese-labelled views in "
         "bayannur_zh), swapped in atomically, when BAYANNUR_PG_DSN is set; nothing otherwise.")

PUBLISHED = AssetKey(list(PUBLISHED_KEY))
# Every mart of the dbt project (read from dbt's manifest, as the exports read their headers).
MARTS = sorted(AssetKey(["marts", table]) for table in mart_columns())


@asset(key=["exports", "marts"], group_name="serving", deps=[*MARTS, PUBLISHED], pool="duckdb",
       description="Every mart as Parquet (column descriptions in the schema) and CSV (UTF-8 with BOM), the "
                   "tracking workbook (Chinese headers and codes), SDMX (structure, SDMX-CSV, SDMX-ML) and "
                   "datapackage.json (Frictionless Data Package) in warehouse/exports/.")
def marts_exports(context: AssetExecutionContext) -> MaterializeResult:
    package = export_marts()  # reads the published file, read-only
    files = [{"path": r["path"], "bytes": r["bytes"], "hash": r["hash"]} for r in package["resources"]]
    context.log.info(f"exported {len(files)} files to {export_dir()}")
    return MaterializeResult(metadata={"files": MetadataValue.json(files),
                                       "path": MetadataValue.path(str(export_dir()))})


@asset(key=["docs", "dbt_docs"], group_name="serving", deps=[*MARTS, PUBLISHED], pool="duckdb",
       description="dbt's documentation site (catalog and lineage) as one static page, "
                   "warehouse/docs/static_index.html, that opens from the local file.")
def dbt_docs(context: AssetExecutionContext) -> MaterializeResult:
    target = settings.WAREHOUSE_PATH.parent / "docs"
    page, stamp = target / dbt_docs_site.PAGE, target / "manifest.sha256"
    # The page documents the dbt project (models, columns, lineage), not the rows: regenerate it
    # only when dbt's manifest changed since the page was written.
    manifest = hashlib.sha256((settings.DBT_PROJECT_DIR / "target" / "manifest.json").read_bytes()).hexdigest()
    if page.exists() and stamp.exists() and stamp.read_text().strip() == manifest:
        context.log.info(f"dbt docs: the project is unchanged since {page} was written; kept")
        return MaterializeResult(metadata={"path": MetadataValue.path(str(page)), "bytes": page.stat().st_size,
                                           "regenerated": False})
    done = dbt_docs_site.generate(target, run_id=context.run_id)  # on a scratch copy, never the published file
    stamp.write_text(manifest + "\n")
    context.log.info(f"dbt docs: wrote {page}" + (" from the build's compiled manifest" if done["reused_build_manifest"]
                                                  else " (compiled: the build's manifest is partial or older)"))
    return MaterializeResult(metadata={"path": MetadataValue.path(str(page)), "bytes": page.stat().st_size,
                                       "regenerated": True, "compiled_by_build": done["reused_build_manifest"]})


def serving_hook_asset(hook: ServingHook) -> AssetsDefinition:
    @asset(key=["serving", hook.name], group_name="serving", deps=[PUBLISHED], description=hook.description)
    def _serve(context: AssetExecutionContext) -> MaterializeResult:
        hook.publish_to(settings.WAREHOUSE_PATH)
        return MaterializeResult(metadata={"published": MetadataValue.path(str(settings.WAREHOUSE_PATH))})

    return _serve


def serving_hook_assets() -> list[AssetsDefinition]:
    return [serving_hook_asset(h) for h in SERVING_HOOKS]
