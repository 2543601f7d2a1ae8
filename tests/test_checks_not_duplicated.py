"""No staging dbt test repeats what a delivery's great-expectations suite checks (issue 15).

Every delivery is validated by its suite before a row of it is loaded (a blocking check), and a
staging model passes the loaded columns through. A dbt test on such a column tests the same rows
again: about 30 ms of dbt and four Dagster events each, 165 of them once. Here a staging test is a
repeat when its column is selected as it is and the suite of the model's source has:
- not_null: expect_column_values_to_not_be_null on that column;
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

STAGING = settings.DBT_PROJECT_DIR / "models" / "staging"
EXPECTATIONS = settings.PROJECT_ROOT / "expectations"
CONTRACTS = settings.PROJECT_ROOT / "orchestration" / "contracts"


def _source_of(sql: str) -> tuple[str, str] | None:
    found = re.search(r"source\('(\w+)',\s*'(\w+)'\)", sql)
    return found.groups() if found else None


def _selected_as_is(sql: str, column: str) -> bool:
    return re.search(rf"^\s*{re.escape(column)},?\s*$", sql, re.M) is not None


def repeats(test, column: str | None, sql: str, suite: list[dict], key: list[str]) -> bool:
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
        return has("expect_column_values_to_not_be_null", column=column)
    if name == "accepted_values":
        return any(e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == column
                   and isinstance(e["kwargs"]["value_set"], list) and set(e["kwargs"]["value_set"]) <= set(args["values"])
                   for e in suite)
    if name == "unique_combination":
        columns = set(args["columns"])
        return (columns == set(key) and all(_selected_as_is(sql, c) for c in columns)
                and any(e["type"] == "expect_compound_columns_to_be_unique" and set(e["kwargs"]["column_list"]) == columns
                        for e in suite))
    if name == "relationships":
        return ("stg_reference__regions" in str(args.get("to")) and any(
            e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == column
            and str(e["kwargs"]["value_set"]).startswith("$region_codes") for e in suite))
    return False


def staging_tests():
    """(model, column or None, test, model SQL, its suite's expectations, its contract's key) per staging test."""
    for models_yml in sorted(STAGING.glob("*/_*__models.yml")):
        for model in yaml.safe_load(models_yml.read_text(encoding="utf-8"))["models"]:
            sql = (models_yml.parent / f"{model['name']}.sql").read_text(encoding="utf-8")
            source = _source_of(sql)
            if source is None:
                continue
            suite = json.loads((EXPECTATIONS / source[0] / f"{source[1]}.json").read_text(encoding="utf-8"))
            key = yaml.safe_load((CONTRACTS / source[0] / f"{source[1]}.yml").read_text(encoding="utf-8"))["key"]
            for test in model.get("data_tests") or []:
                yield model["name"], None, test, sql, suite["expectations"], key
            for column in model.get("columns") or []:
                for test in column.get("data_tests") or []:
                    yield model["name"], column["name"], test, sql, suite["expectations"], key


def test_no_staging_test_repeats_its_delivery_suite():
    found = [(model, column, test) for model, column, test, sql, suite, key in staging_tests()
             if repeats(test, column, sql, suite, key)]
    assert found == [], "drop these dbt tests, the delivery suites make them already:\n" + "\n".join(map(str, found))


def test_the_rule_recognises_a_repeat():
    # stg_energy__power passes plant_type through and its suite (expectations/energy/power.json)
    # checks not null and the plant-type code list on every delivered row
    sql = (STAGING / "energy" / "stg_energy__power.sql").read_text(encoding="utf-8")
    suite = json.loads((EXPECTATIONS / "energy" / "power.json").read_text(encoding="utf-8"))["expectations"]
    key = ["year", "region_code", "plant_type"]
    assert repeats("not_null", "plant_type", sql, suite, key)
    assert repeats({"unique_combination": {"arguments": {"columns": ["region_code", "year", "plant_type"]}}},
                   None, sql, suite, key)
    assert repeats({"relationships": {"arguments": {"to": "ref('stg_reference__regions')", "field": "region_code"}}},
                   "region_code", sql, suite, key)
    # a code list wider than the suite's is implied by it; a narrower one is a check of its own
    assert repeats({"accepted_values": {"arguments": {"values": ["total", "thermal", "coal", "coal_300mw_plus", "gas",
                                                                 "renewable", "wind", "solar", "biomass", "hydro", "x"]}}},
                   "plant_type", sql, suite, key)
    assert not repeats({"accepted_values": {"arguments": {"values": ["total"]}}}, "plant_type", sql, suite, key)
    # no suite expectation of its kind, or a warning only: not repeats
    assert not repeats("not_null", "capacity_share_pct", sql, suite, key)
    assert not repeats({"not_null": {"config": {"severity": "warn"}}}, "plant_type", sql, suite, key)
    assert not repeats({"unique_combination": {"arguments": {"columns": ["region_code", "year"]}}}, None, sql, suite, key)
