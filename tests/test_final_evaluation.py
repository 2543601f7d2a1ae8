"""The final evaluation (期末评估, issue 13 item 1): marts.fct_final_evaluation compiled by dbt and
run on hand-made tracking rows that include final-year (2025) values, its verdicts and roll-ups
checked by hand; the page rendered from that fixture (complete) and from the session's sample
warehouse (2025 not delivered), both opened in headless Chromium with screenshots and PDF pages."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from orchestration.reports import render_final_evaluation
from tests.browser import RenderedPage, chromium, pdf_pages, run, screenshot  # noqa: F401 (fixture)
from tests.compiled import compile_models

PLAN = "bayannur_climate_14th"
CITY, DENGKOU, URAD_FRONT = "150800", "150822", "150823"
COLUMNS = {"plan_id": "VARCHAR", "indicator_id": "VARCHAR", "region_code": "VARCHAR", "year": "INTEGER",
           "name_zh": "VARCHAR", "name_en": "VARCHAR", "category": "VARCHAR", "in_table1": "BOOLEAN",
           "target_form": "VARCHAR", "target_value": "DOUBLE", "target_unit": "VARCHAR", "evaluation_stage": "VARCHAR",
           "actual_value": "DOUBLE", "progress_value": "DOUBLE", "data_status": "VARCHAR", "is_met": "BOOLEAN",
           "official_status": "VARCHAR", "final_verdict": "VARCHAR", "final_verdict_zh": "VARCHAR"}
STAGE = {2021: "annual", 2022: "annual", 2023: "mid_term", 2024: "annual", 2025: "final"}
# indicator, region, category, form, target, unit, {year: (value in the target's terms, official status)}, verdict
TARGETS = [
    # cumulative decline 15.5 %: 16.2 in 2025 is beyond 15.5, first met that year -> 超额完成
    ("energy_per_gdp", CITY, "binding", "cumulative_decline", 15.5, "%",
     {2021: (3.0, "yellow"), 2022: (6.0, "yellow"), 2023: (9.0, "yellow"), 2024: (12.5, "yellow"), 2025: (16.2, "green")},
     "exceeded"),
    # a cap of 75 % kept every year since 2021 -> 提前完成
    ("coal_share_of_energy", CITY, "expected", "level_at_most", 75.0, "%",
     {2021: (72.0, "green"), 2022: (71.0, "green"), 2023: (70.0, "green"), 2024: (69.0, "green"), 2025: (68.0, "green")},
     "completed_early"),
    # a binding floor of 6.97 % missed in 2025 (6.90) -> 未完成, a binding target missed
    ("forest_cover", CITY, "binding", "level_at_least", 6.97, "%",
     {2021: (6.5, "red"), 2022: (6.6, "red"), 2023: (6.7, "red"), 2024: (6.8, "red"), 2025: (6.9, "red")},
     "not_completed"),
    # a period total of 82.5 reached exactly in 2025 -> 完成
    ("afforestation_area", CITY, "planned", "completed_over_period", 82.5, "万亩",
     {2021: (15.0, "green"), 2022: (31.0, "green"), 2023: (48.0, "green"), 2024: (64.0, "yellow"), 2025: (82.5, "green")},
     "completed"),
    # a county floor of 85 % met since 2024 -> 提前完成; another county has no 2025 delivery
    ("piped_gas_coverage_county", DENGKOU, "unspecified", "level_at_least", 85.0, "%",
     {2021: (70.0, "green"), 2022: (75.0, "green"), 2023: (80.0, "green"), 2024: (85.5, "green"), 2025: (86.0, "green")},
     "completed_early"),
    ("piped_gas_coverage_county", URAD_FRONT, "unspecified", "level_at_least", 85.0, "%",
     {2021: (60.0, "green"), 2022: (62.0, "red"), 2023: (63.0, "red"), 2024: (64.0, "red")}, None),
]
VERDICT_ZH = {"exceeded": "超额完成", "completed": "完成", "completed_early": "提前完成", "not_completed": "未完成"}


def _met(form: str, value: float, target: float) -> bool:
    return value <= target if form == "level_at_most" else value >= target


def _fixture_rows() -> list[dict]:
    rows = []
    for ind, region, category, form, target, unit, years, verdict in TARGETS:
        for year in STAGE:
            value, status = years.get(year, (None, "not_available"))
            rows.append({"plan_id": PLAN, "indicator_id": ind, "region_code": region, "year": year, "name_zh": ind,
                         "name_en": ind, "category": category, "in_table1": region == CITY, "target_form": form,
                         "target_value": target, "target_unit": unit, "evaluation_stage": STAGE[year],
                         "actual_value": value, "progress_value": value,
                         "data_status": None if value is None else "illustrative",
                         "is_met": None if value is None else _met(form, value, target), "official_status": status,
                         "final_verdict": verdict if year == 2025 else None,
                         "final_verdict_zh": VERDICT_ZH.get(verdict) if year == 2025 else None})
    return rows


@pytest.fixture(scope="module")
def complete(tmp_path_factory):
    """A warehouse file holding the fixture tracking rows and fct_final_evaluation built on them."""
    workdir = tmp_path_factory.mktemp("final")
    model = compile_models(["fct_final_evaluation"], workdir)["fct_final_evaluation"]
    (tracking,) = model["parents"].values()  # marts.fct_target_tracking
    warehouse = workdir / "warehouse" / "bayannur.duckdb"  # the catalog name the compiled SQL uses
    warehouse.parent.mkdir()
    con = duckdb.connect(str(warehouse))
    schema = tracking.rsplit(".", 1)[0]
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema.split('.', 1)[1]}")
    con.execute(f"CREATE TABLE {tracking} ({', '.join(f'{c} {t}' for c, t in COLUMNS.items())})")
    for r in _fixture_rows():
        con.execute(f"INSERT INTO {tracking} ({', '.join(r)}) VALUES ({', '.join('?' for _ in r)})", list(r.values()))
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute("CREATE TABLE marts.fct_final_evaluation AS " + model["sql"])
    con.execute("CREATE TABLE marts.dim_region AS SELECT * FROM (VALUES ('150800', '巴彦淖尔市', 'Bayannur City', 'city'), "
                "('150822', '磴口县', 'Dengkou County', 'county'), ('150823', '乌拉特前旗', 'Urad Front Banner', 'county')) "
                "AS t(region_code, name_zh, name_en, level)")
    con.execute("CREATE TABLE marts.dim_indicator AS SELECT DISTINCT indicator_id, "
                "CASE indicator_id WHEN 'energy_per_gdp' THEN 2 WHEN 'coal_share_of_energy' THEN 4 "
                "WHEN 'forest_cover' THEN 10 END AS table1_number FROM " + tracking)
    con.close()
    return warehouse


def _final(warehouse) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute("SELECT * FROM marts.fct_final_evaluation")
        names = [d[0] for d in cur.description]
        return {(r["indicator_id"], r["region_code"]): r for r in (dict(zip(names, x)) for x in cur.fetchall())}
    finally:
        con.close()


def test_final_verdicts_and_roll_ups_by_hand(complete):
    rows = _final(complete)
    assert len(rows) == 6
    # (verdict, binding missed, first met, years met, years with data, mid-term status, state)
    expected = {
        ("energy_per_gdp", CITY): ("exceeded", False, 2025, 1, 5, "yellow", "complete"),  # only 16.2 >= 15.5
        ("coal_share_of_energy", CITY): ("completed_early", False, 2021, 5, 5, "green", "complete"),  # all <= 75
        ("forest_cover", CITY): ("not_completed", True, None, 0, 5, "red", "complete"),  # 6.9 < 6.97, binding
        ("afforestation_area", CITY): ("completed", False, 2025, 1, 5, "green", "complete"),  # 82.5 = 82.5
        ("piped_gas_coverage_county", DENGKOU): ("completed_early", False, 2024, 2, 5, "green", "complete"),
        ("piped_gas_coverage_county", URAD_FRONT): (None, False, None, 0, 4, "red", "final_year_no_data"),
    }
    for key, (verdict, missed, first, met, with_data, mid, state) in expected.items():
        r = rows[key]
        assert (r["final_verdict"], r["binding_missed"], r["first_met_year"], r["years_met"], r["years_with_data"],
                r["mid_term_status"], r["evaluation_state"]) == (verdict, missed, first, met, with_data, mid, state), key
        assert r["final_year"] == 2025 and r["mid_term_year"] == 2023
    assert rows[("forest_cover", CITY)]["final_progress_value"] == 6.9
    assert rows[("piped_gas_coverage_county", URAD_FRONT)]["latest_year_with_data"] == 2024
    assert rows[("piped_gas_coverage_county", URAD_FRONT)]["status_path"] == \
        "2021:green,2022:red,2023:red,2024:red,2025:not_available"


def test_the_complete_evaluation_renders_and_prints(complete, chromium, tmp_path):
    done = render_final_evaluation(PLAN, warehouse=complete, pdf=True)
    page = done["path"].read_text(encoding="utf-8")
    assert done["complete"] == 5 and done["total"] == 6
    assert page.count('data-verdict="completed_early"') == 2 and page.count('data-verdict="not_completed"') == 1
    assert "超额完成" in page and "提前完成" in page and "未完成" in page
    binding = page[page.index('id="binding-missed"'):]
    assert binding.index("forest_cover（巴彦淖尔市）") < binding.index("</li>")  # the binding target missed, named
    assert 'id="final-year-missing"' in page  # one county has no 2025 delivery yet: said so
    shot = screenshot(chromium, tmp_path / "p1", done["path"].resolve().as_uri(), "final_evaluation_fixture.png",
                      (1300, 2200))
    assert shot.exists()
    assert done["pdf_path"] is not None and 1 <= pdf_pages(done["pdf_path"]) <= 4  # city page + county page

    # with Urad Front's 2025 delivered too (here: its row dropped), no banner is left
    con = duckdb.connect(str(complete))
    con.execute("DELETE FROM marts.fct_final_evaluation WHERE region_code = ?", [URAD_FRONT])
    con.close()
    full = render_final_evaluation(PLAN, warehouse=complete)["path"].read_text(encoding="utf-8")
    assert 'id="final-year-missing"' not in full and full.count('class="final-row complete"') == 5


def test_the_sample_renders_with_2025_marked_as_not_delivered(built, chromium, tmp_path):
    from orchestration.reports import final_evaluation_path

    path = final_evaluation_path(PLAN, built["warehouse"])
    assert path.exists(), "the run did not write the final evaluation"
    page = path.read_text(encoding="utf-8")
    assert 'id="final-year-missing"' in page and "2025年数据尚未全部交付" in page
    assert 'data-verdict=""' in page and 'data-verdict="c' not in page and 'data-verdict="n' not in page
    dom = run(chromium, tmp_path / "p2", "--dump-dom", path.resolve().as_uri()).stdout
    parsed = RenderedPage()
    parsed.feed(dom)
    assert parsed.row_classes.get("final_year_no_data") == page.count('class="final-row final_year_no_data"') > 60
    screenshot(chromium, tmp_path / "p3", path.resolve().as_uri(), "final_evaluation_sample.png", (1300, 2200))


def test_an_evaluation_of_unchanged_marts_is_kept(complete, chromium, tmp_path):
    # what a second run does (reuse=True, as the asset asks): same marts and code -> the page and its
    # PDF are kept, not rendered and printed again; a changed mart, or a PDF gone, renders again
    warehouse = tmp_path / "w" / complete.name
    warehouse.parent.mkdir()
    shutil.copy(complete, warehouse)
    first = render_final_evaluation(PLAN, warehouse=warehouse, pdf=True, reuse=True)
    page, written = first["path"], first["path"].stat().st_mtime_ns
    assert "<script" not in page.read_text(encoding="utf-8")  # no charts: plotly.js is not inlined
    again = render_final_evaluation(PLAN, warehouse=warehouse, pdf=True, reuse=True)
    assert (first["reused"], again["reused"]) == (False, True)
    assert page.stat().st_mtime_ns == written and again["pdf_path"] == first["pdf_path"] and first["pdf_path"].exists()
    assert again["complete"] == first["complete"] == 5  # the context is still there for the asset's metadata

    first["pdf_path"].unlink()
    assert not render_final_evaluation(PLAN, warehouse=warehouse, pdf=True, reuse=True)["reused"]
    assert first["pdf_path"].exists()

    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE marts.dim_region SET name_zh = '巴彦淖尔市（改）' WHERE region_code = ?", [CITY])
    con.close()
    changed = render_final_evaluation(PLAN, warehouse=warehouse, pdf=True, reuse=True)
    assert not changed["reused"] and "巴彦淖尔市（改）" in page.read_text(encoding="utf-8")
    # without reuse (`bayannur report`, the tests above) a page is always rendered
    assert not render_final_evaluation(PLAN, warehouse=warehouse, reuse=False)["reused"]


def test_without_pdfs_a_changed_page_drops_its_older_pdf(complete, chromium, tmp_path):
    # BAYANNUR_REPORT_PDF=off (the asset then asks pdf=False): unchanged marts keep the page and the
    # PDF printed before; changed marts rewrite the page, and the PDF of the older figures goes
    warehouse = tmp_path / "w" / complete.name
    warehouse.parent.mkdir()
    shutil.copy(complete, warehouse)
    printed = render_final_evaluation(PLAN, warehouse=warehouse, pdf=True, reuse=True)["pdf_path"]
    kept = render_final_evaluation(PLAN, warehouse=warehouse, pdf=False, reuse=True)
    assert kept["reused"] and kept["pdf_path"] == printed and printed.exists()

    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE marts.dim_region SET name_zh = '巴彦淖尔市（改）' WHERE region_code = ?", [CITY])
    con.close()
    changed = render_final_evaluation(PLAN, warehouse=warehouse, pdf=False, reuse=True)
    assert not changed["reused"] and changed["pdf_path"] is None
    assert "巴彦淖尔市（改）" in changed["path"].read_text(encoding="utf-8") and not printed.exists()
    # `bayannur report` (no reuse) leaves a run's PDF where it is, as before
    again = render_final_evaluation(PLAN, warehouse=warehouse, pdf=True, reuse=True)["pdf_path"]
    render_final_evaluation(PLAN, warehouse=warehouse, reuse=False)
    assert again.exists()
