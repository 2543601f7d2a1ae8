"""The PostgreSQL server the serving tests use: $BAYANNUR_PG_DSN (scripts/postgres/serve prints one).

Each test session works in a database of its own, created and dropped here, so a configured
server's real schemas are never touched. Without a server the tests skip on a user's machine;
under CI=true they fail instead (.ci/run starts the server before `make test`).
"""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

SKIP_NO_SERVER = ("no PostgreSQL server: export BAYANNUR_PG_DSN=$(scripts/postgres/serve) to run the "
                  "PostgreSQL, Superset and Dagster-on-PostgreSQL tests")


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}: .ci/run starts PostgreSQL (scripts/postgres/serve) and exports "
                    "BAYANNUR_PG_DSN before `make test`; these tests must run in CI")
    pytest.skip(f"{reason}; {SKIP_NO_SERVER}")


@pytest.fixture(scope="session")
def pg_server_dsn() -> str:
    dsn = os.environ.get("BAYANNUR_PG_DSN")
    if not dsn:
        unavailable("BAYANNUR_PG_DSN is not set")
    try:
        psycopg.connect(dsn, connect_timeout=5).close()
    except psycopg.OperationalError as err:
        unavailable(f"PostgreSQL at BAYANNUR_PG_DSN does not answer ({str(err).strip()})")
    return dsn


@pytest.fixture(scope="session")
def pg_dsn(pg_server_dsn) -> str:
    """A fresh database on the configured server for this test session, dropped afterwards."""
    name = f"bayannur_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield make_conninfo(pg_server_dsn, dbname=name)
    with psycopg.connect(pg_server_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def dsn_parts(dsn: str) -> dict[str, str]:
    return conninfo_to_dict(dsn)
