"""Registers the published marts in a local Apache Superset over its REST API (stdlib only, so it
runs from the project's environment against Superset's own, which scripts/superset/serve installs).

    python -m orchestration.serving.superset register [--url http://127.0.0.1:8088]

registers the PostgreSQL schema ($BAYANNUR_PG_DSN, see postgres.py) and the published DuckDB file
read-only, and makes a dataset and a table chart of the tracking view with Chinese column names.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from psycopg.conninfo import conninfo_to_dict

from orchestration.exports import mart_columns
from orchestration.serving.postgres import zh_names

PG_DATABASE = "bayannur (PostgreSQL)"
DUCKDB_DATABASE = "bayannur (DuckDB, read-only)"
TRACKING_TABLE = "fct_target_tracking"
CHART_NAME = "目标跟踪 Target tracking"
# The chart's columns, by mart column; shown under their Chinese labels (the view's names).
CHART_COLUMNS = ["indicator_id", "name_zh", "region_code", "year", "target_value", "actual_value", "tracking_status"]


class Superset:
    """A logged-in session: bearer token for the API, session cookie and CSRF token for writes."""

    def __init__(self, url: str, username: str = "admin", password: str | None = None):
        self.url = url.rstrip("/")
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        password = password or os.environ.get("SUPERSET_ADMIN_PASSWORD", "admin")
        token = self.call("POST", "/api/v1/security/login",
                          {"username": username, "password": password, "provider": "db", "refresh": False})
        self._headers = {"Authorization": f"Bearer {token['access_token']}"}
        self._headers["X-CSRFToken"] = self.call("GET", "/api/v1/security/csrf_token/")["result"]

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(self.url + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Referer": self.url, **getattr(self, "_headers", {})})
        if body is not None:  # a GET with a JSON content type and no body is a 400 for Flask
            request.add_header("Content-Type", "application/json")
        try:
            with self._opener.open(request, timeout=120) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as err:
            raise RuntimeError(f"Superset {method} {path}: HTTP {err.code}: {err.read().decode()[:2000]}") from None

    def _find(self, resource: str, **match) -> dict | None:
        listing = self.call("GET", f"/api/v1/{resource}/?q=" + quote("(page_size:100)"))["result"]
        return next((r for r in listing if all(r.get(k) == v for k, v in match.items())), None)

    def ensure_database(self, name: str, uri: str, extra: dict | None = None) -> int:
        body = {"database_name": name, "sqlalchemy_uri": uri, "expose_in_sqllab": True,
                "extra": json.dumps(extra or {})}
        found = self._find("database", database_name=name)
        if found:
            self.call("PUT", f"/api/v1/database/{found['id']}", body)
            return found["id"]
        return self.call("POST", "/api/v1/database/", body)["id"]

    def ensure_dataset(self, database_id: int, schema: str, table: str) -> int:
        found = self._find("dataset", table_name=table, schema=schema)
        if found and found.get("database", {}).get("id") == database_id:
            self.call("PUT", f"/api/v1/dataset/{found['id']}/refresh")
            return found["id"]
        return self.call("POST", "/api/v1/dataset/", {"database": database_id, "schema": schema, "table_name": table})["id"]

    def ensure_table_chart(self, name: str, dataset_id: int, columns: list[str]) -> int:
        params = {"viz_type": "table", "query_mode": "raw", "all_columns": columns, "row_limit": 10000}
        query_context = {"datasource": {"id": dataset_id, "type": "table"}, "force": False,
                         "queries": [{"columns": columns, "metrics": [], "row_limit": 10000, "orderby": []}],
                         "form_data": params, "result_format": "json", "result_type": "full"}
        body = {"slice_name": name, "viz_type": "table", "datasource_id": dataset_id, "datasource_type": "table",
                "params": json.dumps(params, ensure_ascii=False), "query_context": json.dumps(query_context, ensure_ascii=False)}
        found = self._find("chart", slice_name=name)
        if found:
            self.call("PUT", f"/api/v1/chart/{found['id']}", body)
            return found["id"]
        return self.call("POST", "/api/v1/chart/", body)["id"]

    def sql(self, database_id: int, query: str) -> list[dict]:
        """SQL Lab, synchronously: the result rows as dicts."""
        return self.call("POST", "/api/v1/sqllab/execute/",
                         {"database_id": database_id, "sql": query, "runAsync": False})["data"]

    def chart_rows(self, chart_id: int) -> list[dict]:
        return self.call("GET", f"/api/v1/chart/{chart_id}/data/")["result"][0]["data"]


def sqlalchemy_uri(dsn: str) -> str:
    """A libpq DSN (URL or key=value) as the SQLAlchemy URL Superset's psycopg2 driver takes."""
    p = conninfo_to_dict(dsn)
    auth = quote(p.get("user", ""), safe="") + (":" + quote(p["password"], safe="") if p.get("password") else "")
    host = p.get("host", "127.0.0.1") + (f":{p['port']}" if p.get("port") else "")
    return f"postgresql+psycopg2://{auth}@{host}/{quote(p.get('dbname', ''), safe='')}"


def chart_labels() -> list[str]:
    """CHART_COLUMNS as the Chinese-labelled view names them (the same naming as postgres.py)."""
    labels = mart_columns().get(TRACKING_TABLE, {})
    return zh_names([{"name": c} for c in CHART_COLUMNS], labels)


def register(url: str, dsn: str | None, warehouse: Path | None, schema: str) -> dict[str, int]:
    client = Superset(url)
    ids: dict[str, int] = {}
    if dsn:
        ids["postgres"] = client.ensure_database(PG_DATABASE, sqlalchemy_uri(dsn))
        zh = f"{schema}_zh"
        ids["dataset"] = client.ensure_dataset(ids["postgres"], zh, TRACKING_TABLE)
        have = {r["column_name"] for r in client.call("GET", f"/api/v1/dataset/{ids['dataset']}")["result"]["columns"]}
        ids["chart"] = client.ensure_table_chart(CHART_NAME, ids["dataset"], [c for c in chart_labels() if c in have])
    if warehouse and warehouse.exists():
        ids["duckdb"] = client.ensure_database(DUCKDB_DATABASE, f"duckdb:///{warehouse.resolve()}",
                                               {"engine_params": {"connect_args": {"read_only": True}}})
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.serving.superset")
    parser.add_argument("command", choices=["register"])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('SUPERSET_PORT', '8088')}")
    args = parser.parse_args(argv)
    from orchestration import settings
    from orchestration.serving.postgres import DEFAULT_SCHEMA, SCHEMA_ENV, configured_dsn
    ids = register(args.url, configured_dsn(), settings.WAREHOUSE_PATH,
                   os.environ.get(SCHEMA_ENV) or DEFAULT_SCHEMA)
    if not ids:
        print("nothing registered: set BAYANNUR_PG_DSN and publish, or `make run` for the DuckDB file", file=sys.stderr)
    for what, ident in ids.items():
        print(f"registered {what}: id {ident}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
