"""The region tree as data: the bundled tree, a second tree (Wuhai, three districts) through the same
contract, expectation suite and dbt tests, and bad trees rejected with file and row.

The second tree is tests/fixtures/regions_wuhai (GB/T 2260 codes); BAYANNUR_REGIONS_DIR points
at it, BAYANNUR_RAW_DIR (settings.RAW_DIR) at a landing zone holding a Wuhai delivery written
here. Every Wuhai value is illustrative and its provenance says so.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl
import pytest
import yaml
from dagster import DagsterInstance, materialize

from orchestration import settings
from orchestration.assets.ingestion import ingestion_assets, years_config
from orchestration.deliveries import Contract, read_delivery
from orchestration.regions import RegionTreeError, load_region_aliases, load_region_tree
from orchestration.validation import load_suite, validate
from tests.helpers import query, run_dbt

WUHAI = Path(__file__).resolve().parent / "fixtures" / "regions_wuhai"
POPULATION = Contract.load(settings.CONTRACTS_DIR / "statistics" / "population.yml")

# Wuhai population (万人), illustrative. 2020: the districts add up to the city exactly
# (31.30 + 10.55 + 13.81 = 55.66). 2021: they add up to 31.40 + 10.60 + 13.00 = 55.00 against a
# city row of 55.30: gap (55.00 - 55.30) / 55.30 = -0.54 %, within the contract's 1 % tolerance
# (loaded, and visible in the marts); a city row of 55.90 would be -1.61 %, beyond it (refused).
ROWS = [
    (2020, "乌海市", "55.66", "52.90"), (2020, "海勃湾区", "31.30", "30.90"),
    (2020, "海南区", "10.55", "8.60"), (2020, "乌达区", "13.81", "13.40"),
    (2021, "全市", "55.30", "52.30"), (2021, "海勃湾", "31.40", "31.10"),
    (2021, "海南区", "10.60", "8.70"), (2021, "乌达", "13.00", "12.50"),
]


def write_population(raw: Path, rows=ROWS) -> Path:
    """A Wuhai population export in the layout of the statistics contract (GB18030 CSV, title and
    unit lines above the header), with an honest provenance file beside it."""
    path = raw / "statistics" / "population.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["乌海市分区年末常住人口（示例）,,,", "单位：万人,,,", "年份,地区,年末常住人口,城镇人口"]
    lines += [f"{y}年,{name},{pop},{urban}" for y, name, pop, urban in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    provenance = {
        "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "source": "statistics",
        "publisher": "test fixture (not a publication)", "department_zh": "统计局",
        "title": "乌海市分区年末常住人口（测试用示例）", "received": "2025-05-06",
        "licence": "test fixture", "status": "preliminary",
        "citation": "none: values made up for the tests",
        "illustrative": {"regions": "all", "reason": "every Wuhai value is made up for the tests"},
    }
    path.with_name(path.name + ".provenance.yml").write_text(yaml.safe_dump(provenance, allow_unicode=True), "utf-8")
    return path


@pytest.fixture
def wuhai(tmp_path, monkeypatch):
    """The Wuhai tree and a landing zone with its population delivery, wired into the settings."""
    monkeypatch.setenv("BAYANNUR_REGIONS_DIR", str(WUHAI))
    raw = tmp_path / "raw"
    write_population(raw)
    monkeypatch.setattr(settings, "RAW_DIR", raw)
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", tmp_path / "wh.duckdb")
    return raw


# --- the tree ------------------------------------------------------------------------------------

def test_bundled_tree_is_bayannur_and_its_seven_counties():
    tree = load_region_tree(settings.SEEDS_DIR)
    assert tree.roots() == ["150800"] and tree.codes("city") == ["150800"]
    # GB/T 2260: 临河区 150802, then 150821-150826
    assert tree.children("150800") == ["150802", "150821", "150822", "150823", "150824", "150825", "150826"]
    assert tree.get("150826").name_zh == "杭锦后旗" and tree.parents() == ["150800"]


def test_second_tree_has_three_districts():
    tree = load_region_tree(WUHAI)
    assert tree.codes("city") == ["150300"]
    assert tree.children("150300") == ["150302", "150303", "150304"]
    aliases = load_region_aliases(WUHAI)
    assert aliases["乌达"] == "150304" and aliases["全市"] == "150300" and "临河区" not in aliases


@pytest.mark.parametrize("rows,expected", [
    ("150800,巴彦淖尔市,Bayannur,city,150000\n150800,临河区,Linhe,county,150800\n",
     "regions.csv, row 3: region_code 150800 appears twice"),
    ("15080,巴彦淖尔市,Bayannur,city,150000\n", "regions.csv, row 2: region_code '15080' is not a six-digit"),
    ("150800,巴彦淖尔市,Bayannur,town,150000\n", "regions.csv, row 2: level 'town' is not one of"),
    ("150802,临河区,Linhe,county,150000\n150800,巴彦淖尔市,Bayannur,city,150802\n",
     "150800 (city) has parent 150802 (county), which is not a higher level"),
], ids=["duplicate", "bad code", "bad level", "county above city"])
def test_bad_tree_is_rejected_with_file_and_row(tmp_path, rows, expected):
    (tmp_path / "regions.csv").write_text("region_code,name_zh,name_en,level,parent_code\n" + rows, "utf-8")
    with pytest.raises(RegionTreeError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_region_tree(tmp_path)


def test_alias_of_a_region_outside_the_tree_is_rejected(tmp_path):
    (tmp_path / "regions.csv").write_text((WUHAI / "regions.csv").read_text("utf-8"), "utf-8")
    (tmp_path / "region_aliases.csv").write_text("alias,region_code,note\n临河,150802,short form\n", "utf-8")
    with pytest.raises(RegionTreeError, match="region_aliases.csv, row 2: alias '临河' names '150802'"):
        load_region_aliases(tmp_path)


# --- the expectation suites take their codes from the tree ------------------------------------------

def test_suite_placeholders_expand_from_the_tree(monkeypatch):
    suite_path = settings.EXPECTATIONS_DIR / "statistics" / "population.json"
    assert "1508" not in suite_path.read_text("utf-8")  # no literal codes in the suite

    def region_sets(suite):
        return [e["kwargs"]["value_set"] for e in suite["expectations"]
                if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == "region_code"]

    assert region_sets(load_suite(suite_path)) == [
        ["150800", "150802", "150821", "150822", "150823", "150824", "150825", "150826"]]
    monkeypatch.setenv("BAYANNUR_REGIONS_DIR", str(WUHAI))
    assert region_sets(load_suite(suite_path)) == [["150300", "150302", "150303", "150304"]]
    city_only = load_suite(settings.EXPECTATIONS_DIR / "energy" / "power.json")
    assert region_sets(city_only) == [["150300"]]


def test_second_tree_delivery_passes_the_same_contract_and_suite(wuhai):
    frame = read_delivery(POPULATION, wuhai / "statistics" / "population.csv")
    # 8 rows, names and aliases (全市, 海勃湾, 乌达) mapped through the Wuhai tree
    assert sorted(set(frame["region_code"])) == ["150300", "150302", "150303", "150304"]
    assert set(frame["status"]) == {"illustrative"}
    result = validate(frame, settings.EXPECTATIONS_DIR / "statistics" / "population.json")
    assert result.success, result.problems
    # a Bayannur county code is not a known region under the Wuhai tree: located in the file
    bad = frame.with_columns(pl.when(pl.col("_source_row") == 6).then(pl.lit("150802"))
                             .otherwise(pl.col("region_code")).alias("region_code"))
    problems = validate(bad, settings.EXPECTATIONS_DIR / "statistics" / "population.json").problems
    assert [(p.row, p.column) for p in problems] == [(6, "region_code")]
    assert "'150802'" in problems[0].message


def test_second_tree_gap_beyond_tolerance_is_refused_with_its_place(wuhai):
    write_population(wuhai, [r if r[1] != "全市" else (2021, "全市", "55.90", "52.30") for r in ROWS])
    # the city row is the 5th data row, line 8 of the file (three title/unit/header lines above)
    with pytest.raises(Exception, match=r"row 8, column C .*add up to 55, the city row says 55.9 \(-1.6 %\)"):
        read_delivery(POPULATION, wuhai / "statistics" / "population.csv")


def test_bayannur_name_in_a_wuhai_delivery_is_an_unknown_region(wuhai):
    write_population(wuhai, ROWS[:3] + [(2020, "临河区", "13.81", "13.40")])
    with pytest.raises(Exception, match="row 7, column B .*'临河区' is not a known region"):
        read_delivery(POPULATION, wuhai / "statistics" / "population.csv")


def test_second_tree_through_ingestion_and_dbt(wuhai, tmp_path):
    result = materialize(
        [ingestion_assets([POPULATION])], instance=DagsterInstance.ephemeral(),
        run_config=years_config("2020-2021"),
        raise_on_error=False,
    )
    assert result.success
    done = run_dbt(tmp_path, settings.WAREHOUSE_PATH, "build", "--select",
                   "stg_reference__regions stg_statistics__population dim_region", "--indirect-selection", "cautious")
    results = json.loads((tmp_path / "target" / "run_results.json").read_text("utf-8"))["results"]
    outcome = {r["unique_id"].split(".")[2]: (r["status"], r["failures"]) for r in results}
    assert done.returncode == 0, done.stdout[-3000:]
    # dim_region is the Wuhai tree; the city has three children
    assert query(settings.WAREHOUSE_PATH, "SELECT region_code, children_count FROM marts.dim_region "
                 "ORDER BY region_code") == [("150300", 3), ("150302", 0), ("150303", 0), ("150304", 0)]
    resident = next(k for k in outcome if k.startswith("counties_sum_to_city_stg_statistics__population_resident"))
    urban = next(k for k in outcome if k.startswith("counties_sum_to_city_stg_statistics__population_urban"))
    # resident: 2020 sums exactly; 2021 is 0.54 % short, within dbt's 1 % tolerance too
    assert outcome[resident] == ("pass", 0)
    # urban: 2020 30.90 + 8.60 + 13.40 = 52.90 (= city); 2021 31.10 + 8.70 + 12.50 = 52.30 (= city)
    assert outcome[urban] == ("pass", 0)
    # region codes are the suite's check (above); every dbt test of these models passes under the Wuhai tree
    assert [r["unique_id"] for r in results if r["unique_id"].startswith("test.") and r["status"] != "pass"] == []
