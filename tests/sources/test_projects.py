"""The 发改委 project-ledger deliveries (raw/projects/) read through their contracts.

Expected values are worked out by hand from the plan's boxes (专栏) and from the sample's
illustrative progress (scripts/samples/projects.py), each through the quirk that carries it.
"""

from __future__ import annotations

import pytest

from orchestration import settings
from orchestration.deliveries import Contract, read_delivery

LEDGER = Contract.load(settings.CONTRACTS_DIR / "projects" / "project_ledger.yml")
CLOSURES = Contract.load(settings.CONTRACTS_DIR / "projects" / "closures.yml")
CSV = settings.RAW_DIR / "projects" / "closures_2021_2024.csv"


def ledger(year: int):
    return read_delivery(LEDGER, settings.RAW_DIR / "projects" / f"project_ledger_{year}.xlsx", str(year))


def project(df, pid: str) -> dict:
    (row,) = df.filter(project_id=pid).iter_rows(named=True)
    return row


@pytest.fixture(scope="module")
def closures():
    return read_delivery(CLOSURES, CSV, None)


def closure(df, year, region_code, equipment, action) -> dict:
    (row,) = df.filter(year=year, region_code=region_code, equipment_type=equipment, action=action).iter_rows(named=True)
    return row


# --- project ledger -----------------------------------------------------------------------------

@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024])
def test_ledger_has_every_project_once(year):
    df = ledger(year)
    assert df.height == 28  # 25 box projects/sites + 3 main-text tasks
    assert df["project_id"].n_unique() == 28
    assert set(df["year"]) == {year}
    assert set(df["status"]) == {"illustrative"}
    # the four notes under the table are not rows: data runs from Excel row 5 to 32
    assert (df["_source_row"].min(), df["_source_row"].max()) == (5, 32)


def test_pv_storage_project_split_between_two_counties():
    # 专栏3 (1): 100万千瓦 = 85万千瓦 in 磴口县 + 15万千瓦 in 乌拉特前旗 (written 乌前旗 in 2021)
    df = ledger(2021)
    a, b = project(df, "P3-01a"), project(df, "P3-01b")
    assert (a["region_code"], a["planned_quantity"], a["quantity_unit"]) == ("150822", 85.0, "万千瓦")
    assert (b["region_code"], b["region_name_as_delivered"], b["planned_quantity"]) == ("150823", "乌前旗", 15.0)
    assert a["planned_quantity"] + b["planned_quantity"] == 100.0
    # the project name is merged over both sites, the 专栏 cell over the box: both filled down
    assert b["project_name"] == a["project_name"] == "巴彦淖尔100万千瓦光储+生态治理项目"
    assert project(df, "P3-03")["plan_box"] == "3"
    assert (b["completed_quantity"], b["completion_status"]) == (0.0, "not_started")


def test_planned_quantities_are_the_plans():
    df = ledger(2024)
    planned = {pid: (project(df, pid)["planned_quantity"], project(df, pid)["quantity_unit"])
               for pid in ("P2-02", "P3-03", "P5-02", "P6-02", "P6-03", "P7-02", "P7-03b", "PT-01")}
    assert planned == {
        "P2-02": (1014.0, "万亩"), "P3-03": (10.0, "万吨/年"), "P5-02": (469.0, "辆"),
        "P6-02": (82.5, "万亩"), "P6-03": (100.0, "万亩"), "P7-02": (298.0, "万亩"),
        "P7-03b": (200.0, "万亩"), "PT-01": (90.0, "万平方米"),
    }
    # full-width in the 2024 file: "７３９．３９"
    assert project(df, "P7-03a")["planned_quantity"] == 739.39
    # afforestation 67.2 of 82.5万亩 done by the end of 2024: 81.45 %
    p = project(df, "P6-02")
    assert round(100 * p["completed_quantity"] / p["planned_quantity"], 2) == 81.45


def test_full_width_digits():
    assert project(ledger(2022), "P6-02")["completed_quantity"] == 33.9   # "３３．９"
    assert project(ledger(2022), "P3-01a")["completed_quantity"] == 55.0  # "５５"
    df = ledger(2023)
    assert project(df, "P5-02")["completed_quantity"] == 401.0            # "４０１"
    assert project(df, "P3-01a")["planned_completion_year"] == 2023.0     # "２０２３"


def test_city_wide_rows_variants_and_footnote_marks():
    df = ledger(2021)
    assert project(df, "P2-02")["region_code"] == "150800"                # 全市
    assert (df["region_code"] == "150800").sum() == 19  # 28 rows less 9 county rows (P1, P3, P4)
    assert (project(df, "P1-01")["region_name_as_delivered"], project(df, "P1-01")["region_code"]) == ("杭后旗", "150826")
    p = project(df, "P4-01b")                                             # "乌拉特中旗①"
    assert (p["region_name_as_delivered"], p["region_code"]) == ("乌拉特中旗", "150824")
    assert p["project_name"] == "淘汰25000kVA及以下矿热炉"
    assert project(ledger(2023), "P3-02")["region_code"] == "150822"       # 磴口
    assert project(ledger(2024), "P1-01")["region_name_as_delivered"] == "杭锦后旗"


def test_dashes_are_missing_values_and_statuses_are_codes():
    df = ledger(2023)
    p = project(df, "P3-02")  # the plan sets no size for the 乌兰布和 base
    assert (p["planned_quantity"], p["quantity_unit"], p["completed_quantity"]) == (None, None, None)
    assert project(df, "P3-01a")["completion_status"] == "in_operation"  # 建成投产
    assert project(df, "P4-01a")["completion_status"] == "closed"        # 已关停
    assert project(df, "P2-01")["completion_status"] == "ongoing"        # 持续推进
    assert project(df, "P3-02")["completion_status"] == "under_construction"
    assert set(df["plan_box"]) == {"1", "2", "3", "4", "5", "6", "7", "8", "T"}


# --- closures (GB18030 CSV, several years) ------------------------------------------------------

def test_closures_csv_is_gb18030_and_holds_four_years(closures):
    with pytest.raises(UnicodeDecodeError):
        CSV.read_bytes().decode("utf-8")
    assert closures.height == 36
    assert sorted(set(closures["year"])) == [2021, 2022, 2023, 2024]  # from "2021年" ...
    assert closures.group_by("year").len()["len"].to_list() == [9, 9, 9, 9]
    assert set(closures["status"]) == {"illustrative"}
    # title on line 1, header on line 2: the first data row is CSV line 3, the last line 38
    assert (closures["_source_row"].min(), closures["_source_row"].max()) == (3, 38)


def test_closures_values_through_their_quirks(closures):
    # 乌前旗 -> 150823; "１１" typed full-width
    row = closure(closures, 2023, "150823", "coal_boiler", "close")
    assert (row["region_name_as_delivered"], row["completed_count"], row["completed_capacity"]) == ("乌前旗", 11.0, 138.0)
    # 后旗 -> 150825; "25,000" with a thousands separator
    row = closure(closures, 2022, "150825", "ore_furnace", "close")
    assert (row["completed_count"], row["completed_capacity"], row["capacity_unit"]) == (1.0, 25000.0, "千伏安")
    assert closure(closures, 2024, "150823", "ore_furnace", "close")["planned_capacity"] == 83000.0
    # "—": nothing closed yet in 乌中旗 in 2021
    row = closure(closures, 2021, "150824", "ore_furnace", "close")
    assert (row["completed_count"], row["completed_capacity"]) == (0.0, None)
    assert closure(closures, 2024, "150826", "coal_boiler", "close")["region_name_as_delivered"] == "杭后旗"
    assert closure(closures, 2022, "150802", "coal_boiler", "retrofit")["completed_capacity"] == 195.0


def test_ledger_and_closures_agree(closures):
    # boilers closed to date, summed over counties: 8+2+3+4, 15+5+6+8, 21+7+9+11, 24+9+10+13
    expected = {2021: 17.0, 2022: 34.0, 2023: 48.0, 2024: 56.0}
    for year, total in expected.items():
        boilers = closures.filter(year=year, equipment_type="coal_boiler", action="close")["completed_count"].sum()
        assert boilers == total == project(ledger(year), "PT-02")["completed_quantity"]
        furnaces = closures.filter(year=year, equipment_type="ore_furnace")
        for pid, code in (("P4-01a", "150823"), ("P4-01b", "150824"), ("P4-01c", "150825")):
            assert project(ledger(year), pid)["completed_quantity"] == furnaces.filter(region_code=code)["completed_count"][0]
