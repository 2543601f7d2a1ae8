"""No staging dbt test repeats what a delivery's contract or great-expectations suite checks (issue 15).

Every delivery is read through its contract and validated by its suite before a row of it is
loaded (both block), and a staging model passes the loaded columns through. A dbt test on such a
column tests the same rows again: about 30 ms of dbt and four Dagster events each, 232 of them once.
Here a staging test is a repeat when its column is selected as it is and:
- not_null: the contract never leaves the column blank (Contract.never_null: a required, region or
  key column, whose blank cell refuses the delivery; the year of a file name; a fixed region), or
  the suite has expect_column_values_to_not_be_null on it;
- accepted_values: expect_column_values_to_be_in_set with a set inside the test's values;
- unique_combination: expect_compound_columns_to_be_unique on the contract's key (raw keeps one row per key);
- relationships to the region seed: expect_column_values_to_be_in_set on the tree's codes ($region_codes...).
Warn-severity tests are never repeats: they report, the suite blocks.
"""

from __future__ import annotations

import json
import re

import yaml

from orchestration import settings
from orchestration.deliveries.contract import Contract

STAGING = settings.DBT_PROJECT_DIR / "models" / "staging"
EXPECTATIONS = settings.PROJECT_ROOT / "expectations"
CONTRACTS = settings.PROJECT_ROOT / "orchestration" / "contracts"


def _source_of(sql: str) -> tuple[str, str] | None:
    found = re.search(r"source\('(\w+)',\s*'(\w+)'\)", sql)
    return found.groups() if found else None


def _selected_as_is(sql: str, column: str) -> bool:
    return re.search(rf"^\s*{re.escape(column)},?\s*$", sql, re.M) is not None


def repeats(test, column: str | None, sql: str, suite: list[dict], contract: Contract) -> bool:
    name, body = (test, {}) if isinstance(test, str) else next(iter(test.items()))
    body = body or {}
    args = body.get("arguments") or {}
    if (body.get("config") or {}).get("severity") == "warn":
        return False
    if column is not None and not _selected_as_is(sql, column):
        return False

    def has(kind, **kwargs):
        return any(e["type"] == kind and all(e["kwargs"].get(k) == v for k, v in kwargs.items()) for e in suite)

    if name == "not_null":
        return contract.never_null(column) or has("expect_column_values_to_not_be_null", column=column)
    if name == "accepted_values":
        return any(e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == column
                   and isinstance(e["kwargs"]["value_set"], list) and set(e["kwargs"]["value_set"]) <= set(args["values"])
                   for e in suite)
    if name == "unique_combination":
        columns = set(args["columns"])
        return (columns == set(contract.key) and all(_selected_as_is(sql, c) for c in columns)
                and any(e["type"] == "expect_compound_columns_to_be_unique" and set(e["kwargs"]["column_list"]) == columns
                        for e in suite))
    if name == "relationships":
        return ("stg_reference__regions" in str(args.get("to")) and any(
            e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == column
            and str(e["kwargs"]["value_set"]).startswith("$region_codes") for e in suite))
    return False


def staging_tests():
    """(model, column or None, test, model SQL, its suite's expectations, its contract) per staging test."""
    for models_yml in sorted(STAGING.glob("*/_*__models.yml")):
        for model in yaml.safe_load(models_yml.read_text(encoding="utf-8"))["models"]:
            sql = (models_yml.parent / f"{model['name']}.sql").read_text(encoding="utf-8")
            source = _source_of(sql)
            if source is None:
                continue
            suite = json.loads((EXPECTATIONS / source[0] / f"{source[1]}.json").read_text(encoding="utf-8"))
            contract = Contract.load(CONTRACTS / source[0] / f"{source[1]}.yml")
            for test in model.get("data_tests") or []:
                yield model["name"], None, test, sql, suite["expectations"], contract
            for column in model.get("columns") or []:
                for test in column.get("data_tests") or []:
                    yield model["name"], column["name"], test, sql, suite["expectations"], contract


def test_no_staging_test_repeats_its_delivery_suite():
    found = [(model, column, test) for model, column, test, sql, suite, contract in staging_tests()
             if repeats(test, column, sql, suite, contract)]
    assert found == [], "drop these dbt tests, the contracts or suites make them already:\n" + "\n".join(map(str, found))


def test_the_rule_recognises_a_repeat():
    # stg_energy__power passes plant_type through; its suite (expectations/energy/power.json) checks
    # the plant-type code list on every delivered row, and its contract requires the cell
    sql = (STAGING / "energy" / "stg_energy__power.sql").read_text(encoding="utf-8")
    suite = json.loads((EXPECTATIONS / "energy" / "power.json").read_text(encoding="utf-8"))["expectations"]
    power = Contract.load(CONTRACTS / "energy" / "power.yml")  # key: year, region_code, plant_type
    assert repeats("not_null", "plant_type", sql, suite, power)
    assert repeats({"unique_combination": {"arguments": {"columns": ["region_code", "year", "plant_type"]}}},
                   None, sql, suite, power)
    assert repeats({"relationships": {"arguments": {"to": "ref('stg_reference__regions')", "field": "region_code"}}},
                   "region_code", sql, suite, power)
    # a code list wider than the suite's is implied by it; a narrower one is a check of its own
    assert repeats({"accepted_values": {"arguments": {"values": ["total", "thermal", "coal", "coal_300mw_plus", "gas",
                                                                 "renewable", "wind", "solar", "biomass", "hydro", "x"]}}},
                   "plant_type", sql, suite, power)
    assert not repeats({"accepted_values": {"arguments": {"values": ["total"]}}}, "plant_type", sql, suite, power)
    # an optional number column ("—" where there is no such plant) may be null; a warning only is no repeat
    assert not repeats("not_null", "capacity_share_pct", sql, suite, power)
    assert not repeats({"not_null": {"config": {"severity": "warn"}}}, "plant_type", sql, suite, power)
    assert not repeats({"unique_combination": {"arguments": {"columns": ["region_code", "year"]}}}, None, sql, suite, power)


def test_never_null_follows_what_the_reader_refuses():
    power = Contract.load(CONTRACTS / "energy" / "power.yml")
    # power_{year}.xlsx: the year comes from the file name; region: "150800" is fixed; plant_type required
    assert power.never_null("year") and power.never_null("region_code") and power.never_null("plant_type")
    assert not power.never_null("capacity_10k_kw") and not power.never_null("no_such_column")
