"""What a report was made from, so that a run whose marts are unchanged keeps it instead of
rendering and printing it again (Chromium's print is most of a report step's time).

The fingerprint covers every row of every table in the marts schema, the code and templates that
turn them into a page, the versions of the libraries that draw it (plotly.js is inlined) and the
report's parameters. A table counts by its columns and types, its row count and the sum of
DuckDB's 64-bit hash of each row: the order of a parallel build does not matter, and it is
computed inside DuckDB (reading the national marts' rows into Python took 8 s per report). It is stored in
`<report>.inputs.json` beside the page, written last, after the PDF.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The code a report's content depends on, besides this package: the department roll-up and the
# latest-year query (orchestration/departments.py, orchestration/queries.py).
CODE = [*sorted(PACKAGE.rglob("*.py")), *sorted((PACKAGE / "templates").glob("*.j2")),
        PACKAGE.parent / "departments.py", PACKAGE.parent / "queries.py"]
LIBRARIES = ("plotly", "jinja2", "duckdb")


def fingerprint(con, **params) -> str:
    """sha256 over the marts' rows, the report's code and `params` (read-only connection)."""
    h = hashlib.sha256()
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' "
                         "UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'marts' "
                         "ORDER BY 1").fetchall()
    for (table,) in tables:
        columns = con.execute(f'DESCRIBE marts."{table}"').fetchall()
        rows = con.execute(f'SELECT count(*), sum(hash(t))::HUGEINT FROM marts."{table}" AS t').fetchone()
        h.update(repr((table, [c[:2] for c in columns], rows)).encode())
    for path in CODE:
        h.update(path.name.encode() + path.read_bytes())
    h.update(json.dumps({"libraries": {name: version(name) for name in LIBRARIES}, **params},
                        sort_keys=True, default=str).encode())
    return h.hexdigest()


def stamp_path(page: Path) -> Path:
    return page.with_suffix(".inputs.json")


def unchanged(page: Path, digest: str, pdf: bool) -> dict | None:
    """The stored result, with `pdf_path`, when `page` (and its PDF, if one is wanted) was made from
    the same inputs. Paths are kept relative to the page: a copied warehouse folder keeps its reports."""
    stamp = stamp_path(page)
    if not (page.exists() and stamp.exists()):
        return None
    stored = json.loads(stamp.read_text(encoding="utf-8"))
    printed = page.parent / stored["pdf"] if stored.get("pdf") else None
    if stored.get("sha256") != digest or (pdf and not (printed and printed.exists())):
        return None
    return {**stored["result"], "pdf_path": printed}


def record(page: Path, digest: str, result: dict, pdf: Path | None) -> None:
    """Written last, once the page and its PDF are in place."""
    stamp = stamp_path(page)
    tmp = stamp.with_suffix(".json.tmp")
    result = {k: v for k, v in result.items() if k not in ("path", "pdf_path")}
    tmp.write_text(json.dumps({"sha256": digest, "pdf": pdf.name if pdf else None, "result": result},
                              ensure_ascii=False, default=str), encoding="utf-8")
    tmp.replace(stamp)


def forget(page: Path) -> None:
    """Before a page is rewritten: a run killed halfway leaves no stamp vouching for it."""
    stamp_path(page).unlink(missing_ok=True)
