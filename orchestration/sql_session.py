"""How `bayannur sql` shows things: every row (paged on a terminal), CSV files, dot commands, history.

    .tables [SCHEMA]   the tables and views (of one schema), with their first comment words
    .csv FILE          write the next result to FILE (CSV, UTF-8 with BOM for Excel) instead
    .help              this list;  .quit / .exit / \\q  leave

Results are never cut: on a terminal a result taller than the screen goes through the pager
($PAGER, else less); piped output gets every row. Statements typed in the session are kept in a
history file (BAYANNUR_SQL_HISTORY, default ~/.bayannur_sql_history) and come back with the arrow
keys. CSV files are written by Python from the fetched rows: the read-only connection writes
nothing itself.
"""

from __future__ import annotations

import contextlib
import io
import os
import pydoc
import shutil
import sys
from pathlib import Path

import duckdb

MAX_ROWS = 1_000_000  # DuckDB's show() needs a bound; no query of the marts comes near it
HISTORY_LENGTH = 1000
HELP = __doc__.split("\n\n")[1]


def history_path() -> Path:
    return Path(os.environ.get("BAYANNUR_SQL_HISTORY") or Path.home() / ".bayannur_sql_history").expanduser()


def render(relation: duckdb.DuckDBPyRelation) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        relation.show(max_rows=MAX_ROWS, max_width=shutil.get_terminal_size((200, 40)).columns)
    return buffer.getvalue()


def show(relation: duckdb.DuckDBPyRelation | None, csv_path: str | None = None) -> None:
    """Print every row (paged when taller than the terminal), or write them to a CSV file."""
    if relation is None:
        return
    if csv_path:
        frame = relation.pl()
        frame.write_csv(csv_path, include_bom=True)
        print(f"{frame.height} rows written to {csv_path}")
        return
    text = render(relation)
    if sys.stdout.isatty() and text.count("\n") > shutil.get_terminal_size().lines - 2:
        pydoc.pager(text)
    else:
        sys.stdout.write(text)


def tables(con: duckdb.DuckDBPyConnection, schema: str | None) -> None:
    rows = con.execute(
        "SELECT schema_name, table_name, 'table', comment FROM duckdb_tables() WHERE NOT internal "
        "UNION ALL SELECT schema_name, view_name, 'view', comment FROM duckdb_views() WHERE NOT internal "
        "AND schema_name NOT IN ('main', 'information_schema', 'pg_catalog') ORDER BY 1, 2").fetchall()
    rows = [r for r in rows if schema in (None, r[0])]
    if not rows:
        print(f"no tables in schema {schema}" if schema else "no tables")
    for schema_name, name, kind, comment in rows:
        about = (comment or "").split("\n")[0]
        about = about if len(about) <= 60 else about[:59] + "…"
        print(f"{schema_name}.{name:<44} {kind:<5} {about}")


def _readline():
    try:
        import readline
    except ImportError:  # not on every platform: the session works without history
        return None
    path = history_path()
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(HISTORY_LENGTH)
    return readline


def interactive(con: duckdb.DuckDBPyConnection) -> int:
    """Statements end with ';'; dot commands are one line. Errors are printed, the session goes on."""
    print("Read-only session on the warehouse (statements end with ';', .tables, .csv FILE, .help, "
          ".quit). Schemas: marts (stable), staging, intermediate, raw, audit, reference.")
    readline = _readline()
    buffer: list[str] = []
    csv_next: str | None = None
    try:
        while True:
            try:
                line = input("bayannur> " if not buffer else "      ...> ")
            except EOFError:
                print()
                return 0
            command, _, argument = line.strip().partition(" ")
            if not buffer and command.startswith((".", "\\")):
                if readline is not None and not sys.stdin.isatty():
                    readline.add_history(line.strip())  # typed lines are added by readline itself
                if command in {".quit", ".exit", "\\q"}:
                    return 0
                if command == ".tables":
                    tables(con, argument.strip() or None)
                elif command == ".csv" and argument.strip():
                    csv_next = argument.strip()
                elif command == ".help":
                    print(HELP)
                else:
                    print(f"error: unknown command {command} (.help lists them)", file=sys.stderr)
                continue
            buffer.append(line)
            if line.rstrip().endswith(";"):
                statement = "\n".join(buffer)
                buffer = []
                if readline is not None and not sys.stdin.isatty():
                    readline.add_history(statement)
                try:
                    show(con.sql(statement), csv_next)
                except (duckdb.Error, OSError) as exc:
                    print(f"error: {exc}", file=sys.stderr)
                csv_next = None
    finally:
        if readline is not None:
            with contextlib.suppress(OSError):
                history_path().parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(history_path())
