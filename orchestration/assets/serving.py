"""Serving the marts: the exports for spreadsheet and BI users, and dbt's documentation site.

Both read what the dbt models built, so they depend on every mart. They are in the "duckdb"
pool: the exports open the warehouse read-only, and dbt docs generate opens it (read-write, as
dbt-duckdb does), so neither may overlap a writing step of another run.
"""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration import settings
from orchestration.exports import export_dir, export_marts, mart_columns

# Every mart of the dbt project (read from dbt's manifest, as the exports read their headers).
MARTS = sorted(AssetKey(["marts", table]) for table in mart_columns())


@asset(key=["exports", "marts"], group_name="serving", deps=MARTS, pool="duckdb",
       description="Every mart as Parquet (column descriptions in the schema) and CSV (UTF-8 with BOM), the "
                   "tracking workbook (Chinese headers and codes), SDMX (structure, SDMX-CSV, SDMX-ML) and "
                   "datapackage.json (Frictionless Data Package) in warehouse/exports/.")
def marts_exports(context: AssetExecutionContext) -> MaterializeResult:
    package = export_marts()
    files = [{"path": r["path"], "bytes": r["bytes"], "hash": r["hash"]} for r in package["resources"]]
    context.log.info(f"exported {len(files)} files to {export_dir()}")
    return MaterializeResult(metadata={"files": MetadataValue.json(files),
                                       "path": MetadataValue.path(str(export_dir()))})


@asset(key=["docs", "dbt_docs"], group_name="serving", deps=MARTS, pool="duckdb", required_resource_keys={"dbt"},
       description="dbt's documentation site (catalog and lineage) as one static page, "
                   "warehouse/docs/static_index.html, that opens from the local file.")
def dbt_docs(context: AssetExecutionContext) -> MaterializeResult:
    target = settings.WAREHOUSE_PATH.parent / "docs"
    context.resources.dbt.cli(["docs", "generate", "--static"], target_path=target).wait()
    page = target / "static_index.html"
    if not page.exists():
        raise RuntimeError(f"dbt docs generate wrote no {page.name} in {target}")
    return MaterializeResult(metadata={"path": MetadataValue.path(str(page)),
                                       "bytes": page.stat().st_size})
