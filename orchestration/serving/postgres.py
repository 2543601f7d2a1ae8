"""PostgreSQL as a serving target: every mart of the published DuckDB file, copied into a schema.

Configured by the environment, off without it (the embedded DuckDB file stays the default):
    BAYANNUR_PG_DSN      libpq connection string or URL, e.g. postgresql://u:p@127.0.0.1:5432/db
    BAYANNUR_PG_SCHEMA   target schema, default `bayannur`; the Chinese-labelled views go to `<schema>_zh`
    BAYANNUR_PG_READER   optional role granted read access to both (the BI tools' account)

A publication loads every mart into fresh staging schemas, then swaps them in with one short
transaction (rename the old pair away, rename the new pair in, drop the old): readers see the old
marts or the new ones, never a mix, and a failed load leaves the served schemas as they were.
Tables and columns carry the zh/en descriptions of the marts' dbt YAML (persisted into DuckDB as
comments); `<schema>_zh.<mart>` is a view with the columns named by their `meta.label_zh`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

# psycopg is imported where it is used: this module is imported with the Dagster definitions by
# every run, and most runs publish to no PostgreSQL (0.2-0.4 s of a run's start-up).

DSN_ENV = "BAYANNUR_PG_DSN"
SCHEMA_ENV = "BAYANNUR_PG_SCHEMA"
READER_ENV = "BAYANNUR_PG_READER"
DEFAULT_SCHEMA = "bayannur"
SOURCE_SCHEMA = "marts"
PUBLICATION_TABLE = "_publication"
# The swap waits at most SWAP_LOCK_WAIT for the live tables, then gives way and tries again: far
# below PostgreSQL's deadlock_timeout (1 s), so a reader is never the one a deadlock check aborts.
SWAP_LOCK_WAIT = "100ms"
SWAP_ATTEMPTS = 100
PG_IDENTIFIER_BYTES = 63  # PostgreSQL truncates longer names (NAMEDATALEN - 1)

# DuckDB type -> PostgreSQL type; lists map element-wise, anything else nested goes as jsonb.
_SCALAR_TYPES = {
    "VARCHAR": "text", "BOOLEAN": "boolean", "TINYINT": "smallint", "SMALLINT": "smallint",
    "INTEGER": "integer", "BIGINT": "bigint", "HUGEINT": "numeric", "UTINYINT": "smallint",
    "USMALLINT": "integer", "UINTEGER": "bigint", "UBIGINT": "numeric", "FLOAT": "real",
    "DOUBLE": "double precision", "DATE": "date", "TIME": "time", "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz", "INTERVAL": "interval", "UUID": "uuid", "BLOB": "bytea",
    "JSON": "jsonb",
}


def pg_type(duckdb_type: str) -> str:
    t = duckdb_type.upper()
    if t.endswith("[]"):
        inner = pg_type(t[:-2])
        return "jsonb" if inner == "jsonb" else inner + "[]"
    if t.startswith("DECIMAL"):
        return "numeric" + t[len("DECIMAL"):]
    return _SCALAR_TYPES.get(t, "jsonb")


def configured_dsn() -> str | None:
    return os.environ.get(DSN_ENV) or None


def read_marts(published_path: Path) -> list[dict]:
    """Every mart of the published file: name, comment, columns (name, type, comment), rows."""
    con = duckdb.connect(str(published_path), read_only=True)
    try:
        tables = con.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = ? ORDER BY table_name",
            [SOURCE_SCHEMA]).fetchall()
        marts = []
        for name, comment in tables:
            columns = con.execute(
                "SELECT column_name, data_type, comment FROM duckdb_columns() "
                "WHERE schema_name = ? AND table_name = ? ORDER BY column_index", [SOURCE_SCHEMA, name]).fetchall()
            rows = con.execute(f'SELECT * FROM "{SOURCE_SCHEMA}"."{name}"').fetchall()
            marts.append({"name": name, "comment": comment,
                          "columns": [{"name": c, "type": t, "comment": k} for c, t, k in columns],
                          "rows": rows})
        return marts
    finally:
        con.close()


def _jsonable(value, pg: str):
    import psycopg.types.json
    if pg == "jsonb" and value is not None:
        return psycopg.types.json.Jsonb(value, dumps=lambda v: json.dumps(v, ensure_ascii=False, default=str))
    return value


def zh_names(columns: list[dict], labels: dict[str, dict]) -> list[str]:
    """Each column's Chinese label (its own name where it has none), cut to PostgreSQL's identifier
    length and made unique within the view."""
    names: list[str] = []
    for col in columns:
        label = (labels.get(col["name"]) or {}).get("label_zh") or col["name"]
        while len(label.encode()) > PG_IDENTIFIER_BYTES:
            label = label[:-1]
        base, n = label, 2
        while label in names:
            label = f"{base}_{n}"
            n += 1
        names.append(label)
    return names


def _load(cur, schema: str, zh_schema: str, marts: list[dict], docs: dict[str, dict[str, dict]], source: str) -> None:
    from psycopg import sql
    for mart in marts:
        table = sql.Identifier(schema, mart["name"])
        types = [pg_type(c["type"]) for c in mart["columns"]]
        cols = [sql.Identifier(c["name"]) for c in mart["columns"]]
        cur.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(
            sql.SQL("{} {}").format(c, sql.SQL(t)) for c, t in zip(cols, types))))
        with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(table, sql.SQL(", ").join(cols))) as copy:
            for row in mart["rows"]:
                copy.write_row([_jsonable(v, t) for v, t in zip(row, types)])
        labels = docs.get(mart["name"], {})
        cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(table, sql.Literal(mart["comment"] or None)))
        for col in mart["columns"]:
            text = col["comment"] or (labels.get(col["name"]) or {}).get("description") or None
            cur.execute(sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(
                table, sql.Identifier(col["name"]), sql.Literal(text)))
        view = sql.Identifier(zh_schema, mart["name"])
        names = zh_names(mart["columns"], labels)
        cur.execute(sql.SQL("CREATE VIEW {} AS SELECT {} FROM {}").format(view, sql.SQL(", ").join(
            sql.SQL("{} AS {}").format(c, sql.Identifier(n)) for c, n in zip(cols, names)), table))
        cur.execute(sql.SQL("COMMENT ON VIEW {} IS {}").format(view, sql.Literal(mart["comment"] or None)))
        for col, name in zip(mart["columns"], names):
            text = col["comment"] or (labels.get(col["name"]) or {}).get("description") or None
            cur.execute(sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(view, sql.Identifier(name), sql.Literal(text)))
    cur.execute(sql.SQL("CREATE TABLE {} (published_at timestamptz, source_file text, table_name text, row_count bigint)")
                .format(sql.Identifier(schema, PUBLICATION_TABLE)))
    now = datetime.now(UTC)
    for mart in marts:
        cur.execute(sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s)").format(sql.Identifier(schema, PUBLICATION_TABLE)),
                    [now, source, mart["name"], len(mart["rows"])])
    cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(sql.Identifier(schema, PUBLICATION_TABLE), sql.Literal(
        "发布记录：本次发布的时间、来源文件及各表行数。When the marts were published, from which file, rows per table.")))


def publish_to(published_path: Path, dsn: str | None = None, schema: str | None = None,
               docs: dict[str, dict[str, dict]] | None = None, reader: str | None = None) -> None:
    """Publish every mart of `published_path` to PostgreSQL; does nothing when no DSN is configured.

    `docs` is table -> column -> {label_zh, description}; by default the marts' dbt YAML (manifest).
    """
    import psycopg
    from psycopg import sql
    dsn = dsn or configured_dsn()
    if not dsn:
        return
    schema = schema or os.environ.get(SCHEMA_ENV) or DEFAULT_SCHEMA
    reader = reader or os.environ.get(READER_ENV)
    zh_schema = f"{schema}_zh"
    if docs is None:
        from orchestration.exports import mart_columns  # the one reader of dbt's manifest
        docs = mart_columns()
    marts = read_marts(Path(published_path))
    staging, zh_staging, old, zh_old = (f"{s}__{suffix}" for s, suffix in
                                        ((schema, "staging"), (zh_schema, "staging"), (schema, "old"), (zh_schema, "old")))
    with psycopg.connect(dsn, autocommit=True) as conn:
        # One publisher at a time per schema (the staging names are fixed); released on disconnect.
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [schema])
        with conn.transaction(), conn.cursor() as cur:
            for name in (staging, zh_staging, old, zh_old):  # leftovers of an interrupted publication
                cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
            cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(staging)))
            cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(zh_staging)))
            _load(cur, staging, zh_staging, marts, docs, Path(published_path).name)
            if reader:  # grants stay with the schemas and tables through the swap's renames
                for name in (staging, zh_staging):
                    cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {0} TO {1}; GRANT SELECT ON ALL TABLES IN SCHEMA {0} TO {1}")
                                .format(sql.Identifier(name), sql.Identifier(reader)))
        # The swap: views follow their tables through the renames, as they are bound by oid. It first
        # locks every live table and view, waiting at most SWAP_LOCK_WAIT: a reader that holds one old
        # table and waits for another then finishes with old ones (the swap gave way), and a reader
        # that comes after waits for the swap and sees new ones. Never a mix, never a reader aborted.
        for attempt in range(SWAP_ATTEMPTS):
            try:
                _swap(conn, schema, zh_schema, staging, zh_staging, old, zh_old)
                break
            except (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected):
                if attempt == SWAP_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (1 + attempt % 5))
        conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [schema])


def _swap(conn, schema: str, zh_schema: str, staging: str, zh_staging: str, old: str, zh_old: str) -> None:
    from psycopg import sql
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(SWAP_LOCK_WAIT)))
        cur.execute("SELECT nspname FROM pg_namespace WHERE nspname IN (%s, %s)", [schema, zh_schema])
        existing = {name for (name,) in cur.fetchall()}
        cur.execute("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname IN (%s, %s) AND c.relkind IN ('r', 'v') ORDER BY 1, 2", [schema, zh_schema])
        live = [sql.Identifier(*name) for name in cur.fetchall()]
        if live:
            cur.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.SQL(", ").join(live)))
        for live, away in ((schema, old), (zh_schema, zh_old)):
            if live in existing:
                cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(live), sql.Identifier(away)))
        cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(staging), sql.Identifier(schema)))
        cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(zh_staging), sql.Identifier(zh_schema)))
        for away in (zh_old, old):
            cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(away)))
        for live in (schema, zh_schema):
            cur.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(sql.Identifier(live), sql.Literal(
                f"巴彦淖尔市气候规划目标跟踪数据集市，发布于 {datetime.now(UTC):%Y-%m-%d %H:%M} UTC。"
                "Bayannur climate-plan tracking marts" + (" with Chinese column names." if live == zh_schema else "."))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.serving.postgres",
        description=f"Publish the marts of the published DuckDB file to PostgreSQL (${DSN_ENV}).")
    parser.add_argument("warehouse", nargs="?", type=Path, help="the published DuckDB file (default: the project's)")
    parser.add_argument("--dsn", help=f"connection string (default: ${DSN_ENV})")
    parser.add_argument("--schema", help=f"target schema (default: ${SCHEMA_ENV} or {DEFAULT_SCHEMA})")
    args = parser.parse_args(argv)
    dsn = args.dsn or configured_dsn()
    if not dsn:
        print(f"no PostgreSQL configured: set {DSN_ENV} (or pass --dsn)", file=sys.stderr)
        return 2
    if args.warehouse is None:
        from orchestration import settings
        args.warehouse = settings.WAREHOUSE_PATH
    if not args.warehouse.exists():
        print(f"{args.warehouse}: no published warehouse; run `make run` first", file=sys.stderr)
        return 2
    schema = args.schema or os.environ.get(SCHEMA_ENV) or DEFAULT_SCHEMA
    publish_to(args.warehouse, dsn=dsn, schema=schema)
    print(f"published the marts of {args.warehouse.name} to PostgreSQL schemas {schema} and {schema}_zh")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
