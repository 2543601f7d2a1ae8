"""`bayannur-dbt` (orchestration/dbt_cli.py): a saved parse holds in another folder, not for another file name."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from orchestration import settings
from orchestration.dbt_cli import connection_hash

SAVED = settings.DBT_PROJECT_DIR / "target" / "partial_parse.msgpack"


def _parse(folder: Path, warehouse: Path, saved: Path) -> str:
    """`bayannur-dbt parse` with `saved` as the target folder's saved parse; returns dbt.log."""
    (folder / "target").mkdir(parents=True)
    shutil.copyfile(saved, folder / "target" / saved.name)
    env = {"BAYANNUR_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "bayannur-dbt"), "parse", "--project-dir", str(settings.DBT_PROJECT_DIR),
         "--profiles-dir", str(settings.DBT_PROJECT_DIR), "--target-path", str(folder / "target"),
         "--log-path", str(folder / "logs")],
        env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
    return (folder / "logs" / "dbt.log").read_text(encoding="utf-8")


def test_the_folder_of_the_path_is_not_hashed_its_name_is():
    def info(path):
        return [("database", "bayannur"), ("path", path), ("schema", "main"), ("settings", {})]

    assert connection_hash(info("/srv/a/bayannur.duckdb")) == connection_hash(info("/tmp/b/c/bayannur.duckdb"))
    assert connection_hash(info("/srv/a/bayannur.duckdb")) != connection_hash(info("/srv/a/other.duckdb"))
    assert connection_hash(info("/srv/a/bayannur.duckdb")) != connection_hash(
        [("database", "bayannur"), ("path", "/srv/a/bayannur.duckdb"), ("schema", "staging"), ("settings", {})])


def test_a_parse_saved_in_one_folder_is_used_in_another(tmp_path):
    # A first parse in folder a, from the project's saved parse (partial, or full if that is stale)
    _parse(tmp_path / "a", tmp_path / "a" / "bayannur.duckdb", SAVED)
    # Folder b starts from a's saved parse: the same file name in another folder is no change
    log = _parse(tmp_path / "b", tmp_path / "b" / "elsewhere" / "bayannur.duckdb",
                 tmp_path / "a" / "target" / SAVED.name)
    assert "Unable to do partial parsing" not in log
    assert "Partial parsing enabled, no changes found, skipping parsing" in log
    # Another file name is another catalog in every compiled relation: dbt parses again
    log = _parse(tmp_path / "c", tmp_path / "c" / "other.duckdb", tmp_path / "a" / "target" / SAVED.name)
    assert "Unable to do partial parsing because profile has changed" in log
