"""great-expectations, the engine of the suites: runs an expanded suite on a frame, in this process
or in a worker process of its own, and says which expectations failed on which rows.

The worker (start_worker(); `python -m orchestration.suite_engine`) imports great-expectations
(2-3 s) while the caller parses deliveries. A thread cannot: the import holds the GIL, and every
polars call of the parser waits for it (parse 3 s -> 10 s). Frames go to the worker as Arrow IPC,
with the suite already expanded, so the worker reads no settings; if it is gone or fails, the
suite runs in the caller's process. This module imports nothing of the project but gx_import and
suite_rewrite, so that the worker starts quickly.
"""

from __future__ import annotations

import atexit
import io
import os
import pickle
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass

import polars as pl

from orchestration import suite_rewrite

SHOWN = 20  # rows located per failed expectation

@dataclass(frozen=True)
class Failure:
    type: str
    kwargs: dict
    indexes: list[int]  # the first SHOWN failing rows (0-based), if the expectation is row by row
    observed: object


@dataclass(frozen=True)
class Outcome:
    evaluated: int
    successful: int
    failures: list[Failure]


def to_pandas(kept: pl.DataFrame, columns: list[str], height: int):
    """The frame as great-expectations reads it: `kept` holds the columns the suite looks into,
    the other `columns` are all-null placeholders (only their names matter). Integers as int64:
    its between check is vectorised for int64 and float64 only (int32 goes value by value)."""
    import numpy as np
    import pandas as pd

    small_ints = pl.col(pl.Int8, pl.Int16, pl.Int32, pl.UInt8, pl.UInt16, pl.UInt32)
    pdf = kept.with_columns(small_ints.cast(pl.Int64)).to_pandas()
    for column in columns:
        if column not in kept.columns:
            pdf[column] = pd.Categorical.from_codes(np.full(height, -1, np.int8), categories=[])
    return pdf[columns]


def run_suite(spec: dict, kept: pl.DataFrame, columns: list[str], height: int) -> Outcome:
    """Run the suite in this process. BOOLEAN_ONLY computes no lists of unexpected values and
    indexes (about half of a suite's time); a failing frame is run again in COMPLETE format to
    locate its failing rows. Expectations great-expectations would check row by row run on
    derived columns (suite_rewrite) and are reported as themselves."""
    parts = suite_rewrite.split(spec, kept)
    if len(parts) > 1:
        outcome = _run_parts(spec, parts, kept, columns, height)
        if outcome is not None:
            return outcome
    result = _validated(spec, to_pandas(kept, columns, height))
    return Outcome(result.statistics["evaluated_expectations"], result.statistics["successful_expectations"],
                   [_failure(r) for r in result.results if not r.success])


def _validated(spec: dict, pdf):
    result = _run(spec, pdf, "BOOLEAN_ONLY")
    return result if result.success else _run(spec, pdf, "COMPLETE")


def _run_parts(spec: dict, parts: list[suite_rewrite.Part], kept: pl.DataFrame, columns: list[str],
               height: int) -> Outcome | None:
    """A rewritten suite's parts one after the other, failures in the order great-expectations
    gives those of the whole suite. None where a part's results do not line up with its
    expectations (one that raised comes first): the suite then runs as it is written."""
    rank = {position: n for n, position in enumerate(suite_rewrite.ge_order(spec["expectations"]))}
    evaluated = successful = 0
    failures: list[tuple[int, Failure]] = []
    for part in parts:
        expectations = part.spec["expectations"]
        if not expectations:
            continue
        result = _validated(part.spec, to_pandas(kept, columns, height) if part.frame is None else part.frame.to_pandas())
        order = suite_rewrite.ge_order(expectations)
        if len(result.results) != len(order) or any(
                (r.expectation_config.type, r.expectation_config.kwargs.get("column"))
                != (expectations[k]["type"], expectations[k]["kwargs"].get("column"))
                for r, k in zip(result.results, order)):
            return None
        evaluated += result.statistics["evaluated_expectations"]
        successful += result.statistics["successful_expectations"]
        for r, k in zip(result.results, order):
            if not r.success:
                position = part.positions[k]
                original = spec["expectations"][position] if part.frame is not None else None
                failures.append((rank[position], _failure(r, original)))
    return Outcome(evaluated, successful, [f for _, f in sorted(failures, key=lambda f: f[0])])


def _failure(r, rewritten_from: dict | None = None) -> Failure:
    kind, kwargs = r.expectation_config.type, dict(r.expectation_config.kwargs)
    if rewritten_from is not None:
        kind, kwargs = suite_rewrite.as_original(rewritten_from, kwargs)
    return Failure(kind, kwargs, [int(i) for i in ((r.result or {}).get("unexpected_index_list") or [])[:SHOWN]],
                   (r.result or {}).get("observed_value"))


# --- great-expectations, made once per process -------------------------------------------------

_MADE: dict[str, object] = {}
_SUITES: dict[str, tuple[str, object]] = {}  # name -> (suite text, unsaved suite)


def _context():
    if "context" not in _MADE:
        # Imported here: great_expectations takes seconds to import, and only ingestion needs it.
        from orchestration.gx_import import import_great_expectations

        gx = import_great_expectations()
        from great_expectations.execution_engine import pandas_execution_engine

        # A frame under 1 GB is hashed whole for a fingerprint in the result's batch markers,
        # which nothing reads: 70 % of a suite's time at a million rows. Above 1 GB
        # great-expectations itself leaves it out; here always.
        pandas_execution_engine.HASH_THRESHOLD = 0
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = {"globally": False}
        _MADE["context"] = context
    return _MADE["context"]


def _source():
    """One pandas data source for every suite (add_or_update would drop the assets made before)."""
    if "source" not in _MADE:
        _MADE["source"] = _context().data_sources.add_pandas("deliveries")
    return _MADE["source"]


def _batch_definition():
    """The one batch definition (a whole dataframe) every frame is validated through."""
    if "batch" not in _MADE:
        _MADE["batch"] = _source().add_dataframe_asset("frames").add_batch_definition_whole_dataframe("whole")
    return _MADE["batch"]


def _suite(spec: dict, text: str):
    """The suite as an object of its own, not added to the context (batch.validate needs none)."""
    import great_expectations as gx

    cached = _SUITES.get(spec["name"])
    if cached is None or cached[0] != text:
        cached = (text, gx.ExpectationSuite(name=spec["name"], expectations=spec["expectations"]))
        _SUITES[spec["name"]] = cached
    return cached[1]


def _run(spec: dict, pdf, result_format: str):
    """batch.validate of a suite kept outside the context: no store writes, no stored result. It
    fetches the batch twice, which costs nothing now that the frame is not hashed (_context)."""
    import json

    text = json.dumps(spec, sort_keys=True, default=str)
    return _batch_definition().get_batch(batch_parameters={"dataframe": pdf}).validate(
        _suite(spec, text), result_format={"result_format": result_format})


# --- the worker process ------------------------------------------------------------------------

class WorkerError(Exception):
    pass


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)))
    stream.write(data)
    stream.flush()


def _send_frame(stream, frame: pl.DataFrame) -> None:
    """The frame as Arrow IPC, its buffer written as it is (not copied out and pickled)."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    with buffer.getbuffer() as view:
        stream.write(struct.pack("<Q", len(view)))
        stream.write(view)
    stream.flush()


def _receive_bytes(stream) -> bytes:
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("the suite worker's pipe closed")
    return stream.read(struct.unpack("<Q", header)[0])


def _receive(stream):
    return pickle.loads(_receive_bytes(stream))


class _Worker:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process = subprocess.Popen([sys.executable, "-m", "orchestration.suite_engine"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=dict(os.environ))

    def run(self, spec: dict, kept: pl.DataFrame, columns: list[str], height: int) -> Outcome:
        with self.lock:
            _send(self.process.stdin, (spec, columns, height))
            _send_frame(self.process.stdin, kept)
            status, value = _receive(self.process.stdout)
        if status != "ok":
            raise WorkerError(value)
        return value

    def stop(self) -> None:
        # Every reply has been read by now and the worker keeps nothing: it is killed rather than
        # left to end at the end of its input, where tearing down great-expectations took 0.5 s.
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


_WORKER: list[_Worker] = []


def start_worker() -> None:
    """Start the worker unless there is one, or great-expectations is imported here already."""
    if _WORKER or "great_expectations" in sys.modules:
        return
    try:
        _WORKER.append(_Worker())
    except OSError:
        return  # the suites run in this process


def has_worker() -> bool:
    return bool(_WORKER)


def stop_worker() -> None:
    while _WORKER:
        _WORKER.pop().stop()


atexit.register(stop_worker)


def run(spec: dict, kept: pl.DataFrame, columns: list[str], height: int) -> Outcome:
    """Run the expanded suite on the frame (only the columns it needs, `kept`; `columns` all its
    column names, `height` its rows): in the worker if there is one, else in this process."""
    if _WORKER:
        try:
            return _WORKER[0].run(spec, kept, columns, height)
        except (OSError, EOFError, WorkerError, pickle.PickleError):
            stop_worker()  # gone, or failed: run here, where a failure raises as it is
    return run_suite(spec, kept, columns, height)


def _serve() -> None:
    # The replies get the pipe on a descriptor of their own; whatever is printed, by Python or by a
    # library writing to descriptor 1, goes to stderr and not into a reply.
    requests, replies = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _batch_definition()  # the import, while the caller parses
    while True:
        try:
            spec, columns, height = _receive(requests)
            ipc = _receive_bytes(requests)
        except EOFError:
            return
        try:
            reply = ("ok", run_suite(spec, pl.read_ipc(io.BytesIO(ipc)), columns, height))
        except Exception as exc:  # noqa: BLE001 - the caller runs it again itself, and raises there
            reply = ("error", f"{type(exc).__name__}: {exc}")
        _send(replies, reply)


if __name__ == "__main__":
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from orchestration import suite_engine  # by its name: replies unpickle as suite_engine.Outcome

    suite_engine._serve()
