"""The annual progress report for the leadership (issues 6 and 13): the page `bayannur run` wrote
beside the session's warehouse (two full runs on the bundled sample), read as the leadership reads
it: key messages first, one official verdict per target (the international methods in an annex),
bounds drawn as bounds, axes from zero, every chart carrying its title and the illustrative mark
when saved, a county view, a page per department, and a print layout (PDF pages counted); opened
in headless Chromium with screenshots kept in test-artifacts/."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import escape

from orchestration.reporting import render
from orchestration.reporting.data import TRACKING
from orchestration.reports import build_report, report_path
from orchestration.warehouse import connect
from tests.browser import ARTIFACTS, RenderedPage, chromium, pdf_pages, run, screenshot  # noqa: F401 (fixture)
from tests.helpers import query

ROOT = Path(__file__).resolve().parent.parent
LATEST = 2024  # the sample's deliveries reach 2024


@pytest.fixture(scope="module")
def page(built) -> str:
    path = report_path(LATEST, built["warehouse"])
    assert path.exists(), f"the run did not write {path}"
    return path.read_text(encoding="utf-8")


def section(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start:page.index("</section>", start)]


def figures(html: str) -> list[dict]:
    """The data, layout and config of every plotly figure in a piece of the page."""
    decoder, out = json.JSONDecoder(), []
    for m in re.finditer(r"Plotly\.newPlot\(\s*", html):
        parts, pos = [], m.end()
        for _ in range(4):  # "div id", [data], {layout}, {config}
            value, end = decoder.raw_decode(html, pos)
            parts.append(value)
            pos = re.compile(r"\s*,?\s*").match(html, end).end()
        out.append(dict(zip(("id", "data", "layout", "config"), parts)))
    return out


def test_the_run_renders_the_report_and_the_final_evaluation(built):
    from dagster import AssetKey, DagsterInstance

    instance = DagsterInstance.from_config(str(built["dagster_home"]))
    try:
        report = instance.get_latest_materialization_event(AssetKey(["reports", "annual_progress_report"]))
        final = instance.get_latest_materialization_event(AssetKey(["reports", "final_evaluation"]))
        marts = instance.get_latest_materialization_event(AssetKey(["marts", "fct_target_tracking"]))
        assert report.run_id == final.run_id == marts.run_id and report.timestamp > marts.timestamp
        meta = report.asset_materialization.metadata
    finally:
        instance.dispose()
    assert (meta["year"].value, meta["charts"].value, meta["targets"].value) == (LATEST, 12, 63)  # 61 + the two yearless completions (issue 11)
    for colour in ("green", "yellow", "red", "not_available"):
        (n,), = query(built["warehouse"], f"SELECT count(*) FROM {TRACKING} WHERE year = ? AND official_status = ?",
                      [LATEST, colour])
        assert meta[f"official_{colour}"].value == n, colour
    assert meta["departments"].value == query(built["warehouse"], "SELECT count(*) FROM marts.dim_department")[0][0]


def test_key_messages_come_first(page):
    assert page.index("巴彦淖尔市应对气候变化规划目标进展报告（2024年）") < page.index("Bayannur climate plan: progress report 2024")
    keys = page.index('id="key-messages"')
    assert keys < page.index('id="official-summary"') < page.index('class="chart indicator-chart"')
    messages = section(page, 'id="key-messages"')
    assert messages.count('class="key-message"') == 4
    assert "约束性目标有风险" in messages and "Binding targets at risk" in messages and "与2023年相比" in messages


def test_one_official_verdict_per_headline_target_and_methods_in_the_annex(built, page):
    overview = section(page, 'id="overview"')
    rows = query(built["warehouse"], f"SELECT indicator_id, official_status FROM {TRACKING} t JOIN marts.dim_region r "
                 "USING (region_code) WHERE year = ? AND in_table1 AND r.level = 'city'", [LATEST])
    assert len(rows) == 12
    for indicator, status in rows:
        row = overview[overview.index(f'data-indicator="{indicator}"'):]
        row = row[:row.index("</tr>")]
        assert row.count('class="status ') == 1 and f'class="status {status}"' in row, indicator
    assert "Open SDG" not in overview and "晴雨表2020" not in overview
    annex = section(page, 'id="annex"')
    assert page.index('id="annex"') > page.index('class="page department"')  # the annex comes last
    (n,), = query(built["warehouse"], f"SELECT count(*) FROM {TRACKING} WHERE year = ?", [LATEST])
    assert annex.count('class="target-row"') == n


def test_bounds_are_drawn_as_bounds_and_axes_start_at_zero(page):
    coal = figures(section(page, 'id="indicator-coal_share_of_energy"'))
    (fig,) = coal
    names = [t["name"] for t in fig["data"]]
    assert any(n.startswith("上限 75") for n in names) and not any("均衡路径" in n for n in names)
    bound = next(t for t in fig["data"] if t["name"].startswith("上限"))
    assert bound["y"] == [75, 75]  # flat: the plan wants the share to stay under 75 %, not to grow to it
    energy = figures(section(page, 'id="indicator-energy_per_gdp"'))[0]
    assert any("均衡路径" in t["name"] for t in energy["data"])  # a path target keeps its even path
    for fig in figures(page):
        assert fig["layout"]["yaxis"]["rangemode"] == "tozero", fig["id"]


def test_a_saved_chart_keeps_its_title_and_the_illustrative_mark(page):
    figs = figures(page)
    assert len(figs) >= 12
    for fig in figs:
        assert fig["config"]["toImageButtonOptions"]["format"] == "png", fig["id"]
        assert fig["layout"]["title"]["text"], fig["id"]  # the title is in the figure, not only in the page
        texts = [a["text"] for a in fig["layout"].get("annotations", [])]
        assert any(t.startswith("来源 source:") for t in texts), fig["id"]
        illustrative = any("circle-open" in (t.get("marker", {}).get("symbol") or []) for t in fig["data"]
                           if isinstance(t.get("marker", {}).get("symbol"), list))
        if illustrative:
            assert any("示例数据" in t and "illustrative" in t for t in texts), fig["id"]


def test_a_county_view_for_targets_with_county_values(built, page):
    expected = {i for i, in query(built["warehouse"], f"SELECT DISTINCT indicator_id FROM {TRACKING} t JOIN "
                "marts.dim_region r USING (region_code) WHERE r.level = 'county' AND year = ? AND progress_value "
                "IS NOT NULL", [LATEST])}
    shown = set(re.findall(r'class="indicator county-view" data-indicator="([a-z0-9_]+)"', page))
    assert shown == expected and len(shown) >= 1


def test_a_page_per_department(built, page):
    departments = query(built["warehouse"], "SELECT department_id, name_zh FROM marts.dim_department")
    for dep, name in departments:
        part = section(page, f'id="department-{dep}"')
        assert name in part
    assert page.count('class="page department"') == len(departments)
    ndrc = section(page, 'id="department-ndrc"')
    assert "牵头11项目标、配合8项" in ndrc  # counted by hand in tests/test_departments.py (+ the two yearless completions)


def test_explanations_beside_each_chart(built, page):
    for indicator_id, zh, en in query(built["warehouse"], f"SELECT indicator_id, explanation_zh, explanation_en FROM "
                                      f"{TRACKING} t JOIN marts.dim_region r USING (region_code) WHERE in_table1 AND "
                                      "r.level = 'city' AND year = ?", [LATEST]):
        part = section(page, f'id="indicator-{indicator_id}"')
        assert str(escape(zh)) in part and str(escape(en)) in part
        assert "tce/" not in zh and "%个百分点" not in zh and "(2020年价)" not in zh


def test_the_page_is_self_contained(page):
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, flags=re.IGNORECASE)
    assert len(page) > 3_000_000  # plotly.js itself is about 4.6 MB, inlined once


def test_the_year_is_checked(built):
    with connect(read_only=True, path=built["warehouse"]) as con:
        context, result = build_report(con, 2022)
        assert context["title_zh"].endswith("（2022年）") and result.charts == 12
        with pytest.raises(ValueError, match="no rows for 2019"):
            build_report(con, 2019)


def test_bayannur_report_renders_from_the_current_warehouse(built, tmp_path):
    warehouse = tmp_path / "bayannur.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    env = os.environ | {"BAYANNUR_WAREHOUSE": str(warehouse)}
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", "report", "--year", "2023"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Progress report 2023: {tmp_path / 'reports' / 'progress_report_2023.html'}" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "orchestration.cli", "report", "--year", "2030"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "no rows for 2030" in bad.stderr


def test_the_reports_print_with_the_headless_shell_where_it_is_installed(monkeypatch):
    found: dict[str, str] = {}
    monkeypatch.setattr(render.shutil, "which", found.get)
    assert render.chromium() is None  # no browser: the reports are written without their PDFs
    found["chromium"] = "/usr/bin/chromium"
    assert render.chromium() == "/usr/bin/chromium"
    found["chromium-headless-shell"] = "/usr/bin/chromium-headless-shell"
    assert render.chromium() == "/usr/bin/chromium-headless-shell"


def test_report_renders_in_headless_chromium_and_prints(chromium, built, tmp_path):
    # The shared build's page and PDF, as its run printed them: runs on this worker's copy print
    # none (tests/helpers.run_pipeline), and one whose marts changed removes the older PDF.
    source = report_path(LATEST, built["as_built"])
    url = source.resolve().as_uri()
    parsed = RenderedPage()
    parsed.feed(run(chromium, tmp_path / "dom", "--dump-dom", url).stdout)
    not_drawn = [c for c, n in parsed.chart_svgs.items() if n < 1]
    assert len(parsed.chart_svgs) >= 12 and not not_drawn, not_drawn
    screenshot(chromium, tmp_path / "shot", url, f"report_{LATEST}.png", (1300, 6000))
    pdf = source.with_suffix(".pdf")  # printed by the asset in the run
    assert pdf.exists(), "the run did not print the PDF (is chromium installed?)"
    pages = pdf_pages(pdf)
    departments = query(built["as_built"], "SELECT count(*) FROM marts.dim_department")[0][0]
    # every department starts a page, as do the other targets, the county view and the annex
    assert departments + 4 <= pages <= 120, pages
    shutil.copy(pdf, ARTIFACTS / pdf.name)  # kept beside the screenshots
    print(f"\nreport PDF: {pages} pages")


def test_a_report_of_unchanged_marts_is_kept(built, tmp_path):
    # reuse=True (the asset): the same marts and code keep the page; a change in any mart renders it again
    from dataclasses import replace

    import duckdb

    from orchestration.reports import render_report

    warehouse = tmp_path / "bayannur.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    first = render_report(2023, warehouse=warehouse, reuse=True)
    written = first.path.stat().st_mtime_ns
    again = render_report(2023, warehouse=warehouse, reuse=True)
    assert not first.reused and again == replace(first, reused=True) and first.path.stat().st_mtime_ns == written
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE marts.dim_department SET name_en = name_en || ' (renamed)' "
                "WHERE department_id = (SELECT min(department_id) FROM marts.dim_department)")
    con.close()
    changed = render_report(2023, warehouse=warehouse, reuse=True)
    assert not changed.reused and " (renamed)" in changed.path.read_text(encoding="utf-8")


def test_a_report_pdf_setting_it_does_not_take_is_one_line(tmp_path):
    env = os.environ | {"BAYANNUR_REPORT_PDF": "sometimes", "BAYANNUR_WAREHOUSE": str(tmp_path / "w.duckdb")}
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", "summary"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip() == "bayannur: BAYANNUR_REPORT_PDF='sometimes': write auto (the default) or off"
