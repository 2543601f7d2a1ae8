"""dbt's stable path to a run's working file (orchestration/publishing/dbt_path.py)."""

from __future__ import annotations

import os

import duckdb

from orchestration.publishing.dbt_path import stable_dbt_target


def test_dbt_sees_the_same_path_for_every_run_and_the_link_goes_afterwards(tmp_path):
    published = tmp_path / "bayannur.duckdb"
    paths = []
    for run in ("run-a", "run-b"):
        working = tmp_path / ".work" / f"bayannur.{run}.duckdb"
        working.parent.mkdir(exist_ok=True)
        duckdb.connect(str(working)).close()
        with stable_dbt_target(working, published) as target:
            link = os.environ["BAYANNUR_WAREHOUSE"]
            paths.append(link)
            assert os.path.realpath(link) == str(working.resolve())
            assert target == tmp_path / ".dbt" / "target"
            con = duckdb.connect(link)  # what dbt does: write through the link into the working file
            con.execute(f"CREATE TABLE t AS SELECT '{run}' AS written_by")
            con.close()
        assert not (tmp_path / ".dbt" / "bayannur.duckdb").is_symlink()
        assert duckdb.connect(str(working), read_only=True).execute("SELECT written_by FROM t").fetchall() == [(run,)]
    # the profile dbt renders is the same for both runs, so its partial parsing holds
    assert paths[0] == paths[1] == str(tmp_path / ".dbt" / "bayannur.duckdb")


def test_a_dead_builds_link_and_log_are_never_replayed_into_the_next_file(tmp_path):
    published = tmp_path / "bayannur.duckdb"
    folder = tmp_path / ".dbt"
    folder.mkdir()
    # what a build killed with kill -9 leaves: the link to its (since removed) file and a log
    (folder / "bayannur.duckdb").symlink_to(tmp_path / ".work" / "bayannur.dead.duckdb")
    (folder / "bayannur.duckdb.wal").write_bytes(b"not a log of this file")
    working = tmp_path / "bayannur.next.duckdb"
    duckdb.connect(str(working)).close()
    with stable_dbt_target(working, published):
        assert not (folder / "bayannur.duckdb.wal").exists()
        con = duckdb.connect(os.environ["BAYANNUR_WAREHOUSE"])
        assert con.execute("SELECT 1").fetchone() == (1,)
        con.close()


def test_no_working_file_no_link(tmp_path):
    with stable_dbt_target(None, tmp_path / "bayannur.duckdb") as target:
        assert target is None
    assert not (tmp_path / ".dbt").exists()
