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

# Frames of at least this many rows go through a validation definition, smaller ones through
# batch.validate: great-expectations hashes the whole frame each time it fetches a batch, and
# batch.validate fetches it twice (about 0.5 s more at a million rows), while a definition costs
# a suite and a definition in the context's stores and a stored result each run (about 0.04 s).
_ONE_FETCH_ROWS = 100_000


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
    derived columns (suite_rewrite), reported as themselves, in the suite's order."""
    evaluated = successful = 0
    failures: list[tuple[int, Failure]] = []
    for part in suite_rewrite.split(spec, kept):
        if not part.spec["expectations"]:
            continue
        pdf = to_pandas(kept, columns, height) if part.frame is None else part.frame.to_pandas()
        result = _run(part.spec, pdf, "BOOLEAN_ONLY")
        if not result.success:
            result = _run(part.spec, pdf, "COMPLETE")
        evaluated += result.statistics["evaluated_expectations"]
        successful += result.statistics["successful_expectations"]
        if len(result.results) != len(part.positions):  # results are in the suite's order, one each
            raise RuntimeError(f"{len(result.results)} results for {len(part.positions)} expectations")
        for position, r in zip(part.positions, result.results):
            if not r.success:
                failures.append((position, _failure(r, spec["expectations"][position])))
    return Outcome(evaluated, successful, [f for _, f in sorted(failures, key=lambda f: f[0])])


def _failure(r, original: dict) -> Failure:
    kind, kwargs = r.expectation_config.type, dict(r.expectation_config.kwargs)
    if kind != original["type"]:  # rewritten
        kind, kwargs = suite_rewrite.as_original(original, kwargs)
    return Failure(kind, kwargs, [int(i) for i in ((r.result or {}).get("unexpected_index_list") or [])[:SHOWN]],
                   (r.result or {}).get("observed_value"))


# --- great-expectations, made once per process -------------------------------------------------

_MADE: dict[str, object] = {}
_SUITES: dict[str, tuple[str, object]] = {}  # name -> (suite text, unsaved suite)
_DEFINITIONS: dict[str, tuple[str, object]] = {}  # name -> (suite text, validation definition)


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
    """The one batch definition (a whole dataframe) every small frame is validated through."""
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


def _definition(spec: dict, text: str):
    """The suite's validation definition over an asset of its own, added to the context; made
    again when the suite's text changes (its file, or what its placeholders expand to)."""
    import great_expectations as gx

    context, name = _context(), spec["name"]
    cached = _DEFINITIONS.get(name)
    if cached is not None and cached[0] == text:
        return cached[1]
    if cached is not None:
        context.validation_definitions.delete(name)
    if name in [s.name for s in context.suites.all()]:
        context.suites.delete(name)
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=spec["expectations"]))
    source = _source()
    asset = source.add_dataframe_asset(name) if name not in source.get_asset_names() else source.get_asset(name)
    batch_def = (
        asset.add_batch_definition_whole_dataframe("whole")
        if "whole" not in [b.name for b in asset.batch_definitions]
        else asset.get_batch_definition("whole")
    )
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch_def, suite=suite))
    _DEFINITIONS[name] = (text, definition)
    return definition


def _run(spec: dict, pdf, result_format: str):
    import json

    text = json.dumps(spec, sort_keys=True, default=str)
    parameters, result_format = {"dataframe": pdf}, {"result_format": result_format}
    if len(pdf) >= _ONE_FETCH_ROWS:
        return _definition(spec, text).run(batch_parameters=parameters, result_format=result_format)
    return _batch_definition().get_batch(batch_parameters=parameters).validate(
        _suite(spec, text), result_format=result_format)


# --- the worker process ------------------------------------------------------------------------

class WorkerError(Exception):
    pass


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream):
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("the suite worker's pipe closed")
    return pickle.loads(stream.read(struct.unpack("<Q", header)[0]))


class _Worker:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process = subprocess.Popen([sys.executable, "-m", "orchestration.suite_engine"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=dict(os.environ))

    def run(self, spec: dict, kept: pl.DataFrame, columns: list[str], height: int) -> Outcome:
        with self.lock:
            _send(self.process.stdin, (spec, kept.write_ipc(None).getvalue(), columns, height))
            status, value = _receive(self.process.stdout)
        if status != "ok":
            raise WorkerError(value)
        return value

    def stop(self) -> None:
        try:
            self.process.stdin.close()  # the worker ends at the end of its input
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


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
            spec, ipc, columns, height = _receive(requests)
        except EOFError:
            return
        try:
            reply = ("ok", run_suite(spec, pl.read_ipc(ipc), columns, height))
        except Exception as exc:  # noqa: BLE001 - the caller runs it again itself, and raises there
            reply = ("error", f"{type(exc).__name__}: {exc}")
        _send(replies, reply)


if __name__ == "__main__":
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from orchestration import suite_engine  # by its name: replies unpickle as suite_engine.Outcome

    suite_engine._serve()
