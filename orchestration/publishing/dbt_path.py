"""dbt builds a run's working file under a path that is the same for every run of a warehouse.

dbt's partial parsing (re-reading only the files that changed) is dropped whenever the profile
changes, and the profile holds the database path. A run's working file is named after the run
(`.work/bayannur.<run>.duckdb`), so every build re-parsed the whole project, 3-5 s of CPU a run
(issue 15). Here dbt opens `<warehouse dir>/.dbt/<warehouse name>`, a symbolic link to the
working file made for the build and removed after it, and keeps its target folder (with
partial_parse.msgpack) in `.dbt/target/`, so the next run of this warehouse parses only what changed.
A new target folder starts from the parse `make manifest` saved (transforms/target/), which dbt
accepts in any folder through `bayannur-dbt` (orchestration/dbt_cli.py): a first run parses only
what changed since `make manifest` too.

A build killed by the OS leaves the link, and perhaps DuckDB's write-ahead log beside it (its run
failed and is never published); both are removed before the next build links its own file, so no
log of a dead run is ever replayed into another run's file. One build at a time per warehouse (an exclusive lock on `.dbt/.lock`).
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.publishing.working import dbt_target, published_path

DIRNAME = ".dbt"
PARTIAL_PARSE = "partial_parse.msgpack"


def dbt_dir(published: Path | None = None) -> Path:
    return (published or published_path()).parent / DIRNAME


def target_dir(published: Path | None = None) -> Path:
    """dbt's target folder for the builds of this warehouse (kept between runs)."""
    return dbt_dir(published) / "target"


def seed_partial_parse(target: Path) -> None:
    """A new target folder gets the project's saved parse; dbt checks it like its own."""
    saved = settings.DBT_PROJECT_DIR / "target" / PARTIAL_PARSE
    if saved.exists() and not (target / PARTIAL_PARSE).exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, target / PARTIAL_PARSE)


def _clear(link: Path) -> None:
    for stale in (link, Path(f"{link}.wal")):
        if stale.is_symlink() or stale.exists():
            stale.unlink()


@contextmanager
def stable_dbt_target(working: Path | None, published: Path | None = None) -> Iterator[Path | None]:
    """While dbt builds `working`, the profile's path is `.dbt/<name>` linked to it; yields the
    target folder to give dbt (None, and nothing linked, when there is no working file)."""
    if working is None:
        yield None
        return
    folder = dbt_dir(published)
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / (published or published_path()).name
    with open(folder / ".lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _clear(link)  # a dead build's link and log: never replayed into this run's file
            link.symlink_to(working.resolve())
            seed_partial_parse(target_dir(published))
            with dbt_target(link):
                yield target_dir(published)
            if Path(f"{link}.wal").exists():  # dbt closes its database, which merges the log; if not, merge it
                duckdb.connect(str(link)).close()
        finally:
            _clear(link)
            fcntl.flock(lock, fcntl.LOCK_UN)
