"""Row counts and column schemas of the dbt models, attached to their Dagster materializations.

dagster-dbt's own `.fetch_row_counts()` / `.fetch_column_metadata()` query the warehouse through
dbt's adapter in the Dagster process *while* `dbt build` runs; with DuckDB the build's process
holds the file's write lock for the whole build, so those queries fail (one logged exception per
model, no metadata). Here the events are held until dbt has exited, then the counts and columns
are read through one short read-only connection, and the events are passed on with the metadata
(the keys of dagster's TableMetadataSet: dagster/row_count, dagster/column_schema), as the UI shows them.
A failed build still passes on every event it produced before the error is raised again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from dagster import AssetMaterialization, MetadataValue, Output, TableColumn, TableSchema

from orchestration.warehouse import connect


def _unique_id(event: Any) -> str | None:
    value = (getattr(event, "metadata", None) or {}).get("unique_id")
    return getattr(value, "text", None) if value is not None else None


def table_metadata(nodes: dict[str, dict], unique_ids: list[str], path: Path | None = None) -> dict[str, dict]:
    """unique_id -> table metadata entries (row count for tables, columns with types and
    descriptions for tables and views), read from the warehouse read-only."""
    out: dict[str, dict] = {}
    with connect(read_only=True, path=path) as con:
        for uid in unique_ids:
            node = nodes.get(uid)
            if node is None or node.get("resource_type") not in {"model", "seed", "snapshot"}:
                continue
            schema, name = node["schema"], node.get("alias") or node["name"]
            columns = con.execute(
                "SELECT column_name, data_type, comment FROM duckdb_columns() "
                "WHERE schema_name = ? AND table_name = ? ORDER BY column_index", [schema, name]).fetchall()
            if not columns:
                continue
            docs = node.get("columns") or {}
            meta = {"dagster/column_schema": MetadataValue.table_schema(TableSchema(columns=[
                TableColumn(name=c, type=t, description=comment or (docs.get(c) or {}).get("description") or None)
                for c, t, comment in columns])), "dagster/table_name": MetadataValue.text(f"{schema}.{name}")}
            if (node.get("config") or {}).get("materialized") != "view":  # views are not counted, as dagster-dbt
                meta["dagster/row_count"] = MetadataValue.int(
                    con.execute(f'SELECT count(*) FROM "{schema}"."{name}"').fetchone()[0])
            out[uid] = meta
    return out


def with_table_metadata(events: Iterable[Any], manifest: dict, path: Path | None = None) -> Iterator[Any]:
    """Pass on the dbt events, materializations with their table metadata, once dbt has exited;
    `path` is the file dbt built (a run's working file), else the warehouse."""
    held, error = [], None
    try:
        for event in events:
            held.append(event)
    except Exception as exc:  # dbt failed: pass on what it built, then fail as before
        error = exc
    uids = [uid for e in held if isinstance(e, (Output, AssetMaterialization)) and (uid := _unique_id(e))]
    try:
        extra = table_metadata(manifest.get("nodes", {}), uids, path) if uids else {}
    except Exception:  # metadata is a convenience: never fail a build over it
        extra = {}
    for event in held:
        uid = _unique_id(event) if isinstance(event, (Output, AssetMaterialization)) else None
        yield event.with_metadata({**event.metadata, **extra[uid]}) if uid in extra else event
    if error is not None:
        raise error
