"""The working database of a run: a copy of the published file, or a new file, under .work/.

A copy keeps what only the warehouse holds (every vintage of raw, the frozen assessments, the
rejection log), so a run that loads one year does not lose the others. The copy is made on the
first write of the run; its origin (inode, size, mtime of the published file) is recorded beside
it, so that publishing can refuse to overwrite a file another run published in the meantime.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from orchestration import settings
# The published file is written in this storage version so that DuckDB 1.x clients read it; a
# database keeps the version it was created with, so creating the working file with it is enough.
from orchestration.publishing.storage import STORAGE_VERSION, write_compatible_copy

PUBLISHED_KEY = ("warehouse", "published")  # the asset that publishes (orchestration/assets/publishing.py)
WORK_DIRNAME = ".work"
FAULT_ENV = "BAYANNUR_FAULT"  # tests only: the named point where a run kills itself (see fault())


def published_path() -> Path:
    return settings.WAREHOUSE_PATH


def work_dir(published: Path | None = None) -> Path:
    return (published or published_path()).parent / WORK_DIRNAME


def working_path(run_id: str, published: Path | None = None) -> Path:
    published = published or published_path()
    return work_dir(published) / f"{published.stem}.{run_id}.duckdb"


def run_id_of(path: Path, published: Path | None = None) -> str | None:
    """The run id in a working file's name, or None for any other file."""
    stem = (published or published_path()).stem
    name = path.name
    for suffix in (".duckdb.wal", ".duckdb.base.json", ".duckdb.tmp", ".duckdb"):
        if name.startswith(stem + ".") and name.endswith(suffix):
            return name[len(stem) + 1:-len(suffix)] or None
    return None


def identity(path: Path) -> list[int] | None:
    """What tells one published file from the next: inode, size, mtime (None if absent)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


@contextmanager
def work_lock(published: Path | None = None) -> Iterator[None]:
    """An exclusive lock (between processes) on the work directory: copy-in and swap take it."""
    folder = work_dir(published)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def create_empty(path: Path) -> None:
    con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_VERSION})
    con.close()


def _ensure_storage_version(path: Path) -> None:
    """Rewrite `path` in STORAGE_VERSION if it is in another (a warehouse from before publishing)."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(path)])
        version = con.execute("SELECT tags['storage_version'] FROM duckdb_databases() "
                              "WHERE database_name = 'src'").fetchone()[0] or ""
    finally:
        con.close()
    if not version.startswith(STORAGE_VERSION):
        write_compatible_copy(path, path)


def begin(run_id: str, published: Path | None = None) -> Path:
    """The run's working file, made on first use: a copy of the published file (or a new one)."""
    published = published or published_path()
    path = working_path(run_id, published)
    if path.exists():
        return path
    with work_lock(published):
        if path.exists():
            return path
        tmp = path.with_name(path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        try:
            source = open(published, "rb")
        except FileNotFoundError:
            base = None
            create_empty(tmp)
        else:
            with source, open(tmp, "wb") as target:  # one open file: a swap meanwhile cannot tear it
                st = os.fstat(source.fileno())
                base = [st.st_ino, st.st_size, st.st_mtime_ns]
                shutil.copyfileobj(source, target, 1 << 20)
            _ensure_storage_version(tmp)
        Path(f"{path}.base.json").write_text(json.dumps({"published": base}))
        os.replace(tmp, path)
    return path


def base_of(path: Path) -> list[int] | None:
    return json.loads(Path(f"{path}.base.json").read_text())["published"]


def discard(path: Path) -> list[Path]:
    """Remove a working file and what DuckDB and begin() left beside it; returns what was removed."""
    removed = []
    for p in (path, Path(f"{path}.wal"), Path(f"{path}.base.json"), Path(f"{path}.tmp")):
        if p.exists():
            p.unlink()
            removed.append(p)
    return removed


def _selected_keys(context) -> set:
    run = context.run
    if run.asset_selection:  # empty for a job run whole (materialize_all)
        return set(run.asset_selection)
    return set(context.job_def.asset_layer.executable_asset_keys)


def current() -> Path | None:
    """The working file of the Dagster run this code runs in, if that run publishes; else None
    (then writers write where they are told: a unit test, or a run without the publish asset)."""
    try:
        from dagster import AssetExecutionContext, AssetKey

        context = AssetExecutionContext.get()
    except Exception:  # not inside an asset step
        return None
    if AssetKey(list(PUBLISHED_KEY)) not in _selected_keys(context):
        return None
    return begin(context.run_id)


@contextmanager
def dbt_target(path: Path | None) -> Iterator[None]:
    """dbt (transforms/profiles.yml) opens $BAYANNUR_WAREHOUSE: point it at `path` meanwhile."""
    if path is None:
        yield
        return
    before = os.environ.get("BAYANNUR_WAREHOUSE")
    os.environ["BAYANNUR_WAREHOUSE"] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("BAYANNUR_WAREHOUSE", None)
        else:
            os.environ["BAYANNUR_WAREHOUSE"] = before


def fault(point: str) -> None:
    """Fault injection for the kill tests: with BAYANNUR_FAULT=<point> the process kills itself
    (SIGKILL, as the OOM killer would) at that point. Unset in normal use."""
    if os.environ.get(FAULT_ENV) == point:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
