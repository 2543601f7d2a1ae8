"""Expectations that great-expectations' pandas engine checks row by row in Python, checked as a
vectorised expectation on a derived column instead, and reported as the original.

expect_column_pair_values_to_be_in_set walks the rows with DataFrame.iterrows (about 16 s for the
159,050 rows of a national livestock load). It asks what expect_column_values_to_be_in_set asks of
a key column made of the pair: "<length>:<text>" of each value ("-" for a null: no length is
negative, so no two pairs share a key), null where both values are null (the rows the original
ignores, ignore_row_if "both_values_are_missing"). great-expectations then finds the same rows, and
a failure is reported with the original's type and kwargs as great-expectations states them.
Only text columns and text pairs, without mostly or another ignore_row_if, are rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

PAIR_IN_SET = "expect_column_pair_values_to_be_in_set"
_PAIR_KWARGS = {"column_A", "column_B", "value_pairs_set", "ignore_row_if"}


@dataclass(frozen=True)
class Part:
    """Some of a suite's expectations, where they stand in it, and the frame they check (None:
    the delivered frame itself)."""

    positions: list[int]
    spec: dict
    frame: pl.DataFrame | None


def _rewritable(expectation: dict, frame: pl.DataFrame) -> bool:
    kwargs = expectation.get("kwargs", {})
    if expectation.get("type") != PAIR_IN_SET or set(kwargs) - _PAIR_KWARGS:
        return False
    if kwargs.get("ignore_row_if", "both_values_are_missing") != "both_values_are_missing":
        return False
    pairs = kwargs.get("value_pairs_set")
    if not isinstance(pairs, list) or not pairs or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 and all(v is None or isinstance(v, str) for v in p)
            for p in pairs):
        return False
    return all(frame.schema.get(kwargs.get(c)) == pl.String for c in ("column_A", "column_B"))


def _key_part(value: pl.Expr) -> pl.Expr:
    return pl.when(value.is_null()).then(pl.lit("-")).otherwise(value.str.len_chars().cast(pl.String) + ":" + value)


def _encoded(value: str | None) -> str:
    return "-" if value is None else f"{len(value)}:{value}"


def split(spec: dict, frame: pl.DataFrame) -> list[Part]:
    """The suite as parts to run one after the other: the expectations great-expectations runs
    on the frame as they are, then (if any) the rewritten ones on their key columns."""
    expectations = spec["expectations"]
    rewritten = [i for i, e in enumerate(expectations) if _rewritable(e, frame)]
    kept = [i for i in range(len(expectations)) if i not in rewritten]
    parts = [Part(kept, {**spec, "expectations": [expectations[i] for i in kept]}, None)]
    if not rewritten:
        return parts
    keys, checks = [], []
    for i in rewritten:
        kwargs, name = expectations[i]["kwargs"], f"pair_key_{i}"
        a, b = pl.col(kwargs["column_A"]), pl.col(kwargs["column_B"])
        keys.append(pl.when(a.is_null() & b.is_null()).then(None).otherwise(_key_part(a) + _key_part(b)).alias(name))
        allowed = sorted({_encoded(x) + _encoded(y) for x, y in kwargs["value_pairs_set"]})
        checks.append({"type": "expect_column_values_to_be_in_set", "kwargs": {"column": name, "value_set": allowed}})
    parts.append(Part(rewritten, {"name": f"{spec['name']}/pair_keys", "expectations": checks}, frame.select(keys)))
    return parts


def ge_order(expectations: list[dict]) -> list[int]:
    """The expectations' positions in the order great-expectations validates and reports them
    (Validator.process_expectations_for_validation): grouped by their kwarg `column`, the groups in
    order of first appearance; those without one form one group of their own."""
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(expectations):
        column = e.get("kwargs", {}).get("column")
        groups.setdefault(column if isinstance(column, str) else "_nocolumn", []).append(i)
    return [i for group in groups.values() for i in group]


def as_original(original: dict, kwargs_run: dict) -> tuple[str, dict]:
    """(type, kwargs) of a failed rewritten expectation as great-expectations states the original:
    its own configuration (pairs as tuples), with the batch of the run."""
    import great_expectations as gx  # imported by now: the failure comes from it

    configuration = gx.ExpectationSuite(name="original", expectations=[original]).expectations[0].configuration
    batch = {"batch_id": kwargs_run["batch_id"]} if "batch_id" in kwargs_run else {}
    return configuration.type, batch | dict(configuration.kwargs)
