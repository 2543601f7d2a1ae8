"""The annual progress report (issue 6): the page built from the session's warehouse (two full runs
of the pipeline on the bundled sample), the asset's place in `bayannur run`, `bayannur report`, and
the page rendered in headless Chromium (Debian's package) with a screenshot kept in test-artifacts/.

Expected counts come from the tracking table itself (the report must show every row of it), the
default year from the sample deliveries (they reach 2024; 2025 has none).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from orchestration.reports import build_report, report_path
from orchestration.warehouse import connect
from tests.helpers import query

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
LATEST = 2024  # the sample's deliveries reach 2024
TABLE1_IDS = {
    "co2_per_gdp", "energy_per_gdp", "industrial_energy_per_value_added", "coal_share_of_energy",
    "non_fossil_share_of_energy", "green_building_share_new_urban", "star_rated_green_building_share",
    "operating_vehicle_co2_per_turnover", "new_energy_bus_share", "forest_cover", "grassland_vegetation_cover",
    "weather_service_coverage",
}
SKIP_NO_CHROMIUM = ("Chromium not found: install Debian's chromium package (apt-get install chromium) "
                    "to run the report's browser test")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--virtual-time-budget=15000"]


@pytest.fixture(scope="module")
def page(built) -> str:
    """The report `bayannur run` wrote beside the session's warehouse (the default year)."""
    path = report_path(LATEST, built["warehouse"])
    assert path.exists(), f"the run did not write {path}"
    return path.read_text(encoding="utf-8")


def tracking(built, sql: str, params=None):
    return query(built["warehouse"], sql, params)


def test_the_run_renders_the_report_after_the_dbt_models(built):
    from dagster import AssetKey, DagsterInstance

    instance = DagsterInstance.from_config(str(built["dagster_home"]))
    try:
        report = instance.get_latest_materialization_event(AssetKey(["reports", "annual_progress_report"]))
        marts = instance.get_latest_materialization_event(AssetKey(["marts", "fct_target_tracking"]))
        assert report is not None and marts is not None
        assert report.run_id == marts.run_id  # the same `bayannur run` (the second one)
        assert report.timestamp > marts.timestamp
        meta = report.asset_materialization.metadata
    finally:
        instance.dispose()
    assert meta["year"].value == LATEST
    assert meta["charts"].value == 12
    assert Path(meta["path"].value) == report_path(LATEST, built["warehouse"])
    (rows,) = tracking(built, "SELECT count(*) FROM marts.fct_target_tracking WHERE year = ?", [LATEST])
    assert meta["target_rows"].value == rows[0]
    assert meta["targets"].value == 63  # 61 + the two yearless completions (issue 11)
    for colour in ("green", "yellow", "red", "not_available"):
        (n,) = tracking(built, "SELECT count(*) FROM marts.fct_target_tracking WHERE year = ? AND barometer_2020 = ?",
                        [LATEST, colour])
        assert meta[f"barometer_2020_{colour}"].value == n[0], colour


def test_a_table_row_per_target_and_region_with_coloured_barometer_cells(built, page):
    rows = tracking(built, "SELECT indicator_id, region_code, barometer_2020, barometer_2021 "
                           "FROM marts.fct_target_tracking WHERE year = ?", [LATEST])
    table = page[page.index('<table id="barometer-summary">'):page.index("</table>")]
    shown = re.findall(r'<tr class="target-row[^"]*" data-indicator="([a-z0-9_]+)" data-region="(\d+)">', table)
    assert sorted(shown) == sorted((i, r) for i, r, *_ in rows)
    assert len(rows) > 61  # counties too: each_county targets and the named counties
    for rule, col in (("b2020", 2), ("b2021", 3)):
        for colour, zh, en in (("green", "绿", "green"), ("yellow", "黄", "yellow"), ("red", "红", "red")):
            expected = sum(r[col] == colour for r in rows)
            assert table.count(f'<td class="barometer {rule} {colour}">{zh} {en}</td>') == expected, (rule, colour)
    # Table 1 first, in the plan's order
    assert [i for i, r in shown[:12]] == [i for i, in tracking(
        built, "SELECT indicator_id FROM marts.dim_indicator WHERE in_table1 ORDER BY table1_number")]


def test_a_chart_and_the_explanations_for_each_table1_indicator(built, page):
    charts = re.findall(r'<div class="indicator-chart" id="chart-([a-z0-9_]+)">', page)
    assert set(charts) == TABLE1_IDS and len(charts) == 12
    for indicator_id, zh, en in tracking(
            built, "SELECT indicator_id, explanation_zh, explanation_en FROM marts.fct_target_tracking "
                   "WHERE in_table1 AND region_code = '150800' AND year = ?", [LATEST]):
        section = page[page.index(f'id="indicator-{indicator_id}"'):]
        section = section[:section.index("</section>")]
        assert f'id="plot-{indicator_id}"' in section and "Plotly.newPlot" in section
        assert str(escape(zh)) in section and str(escape(en)) in section
        assert section.index('class="explanation-zh"') < section.index('class="explanation-en')


def test_chinese_first_and_illustrative_values_marked(page):
    assert page.index("巴彦淖尔市“十四五”应对气候变化规划目标进展报告（2024年）") \
        < page.index("Bayannur climate plan: progress report 2024")
    note = page[page.index('id="illustrative-note"'):]
    assert note.index("示例数据") < note.index("illustrative sample values")
    assert '<td class="status illustrative">※ 示例数据' in page


def test_the_page_is_self_contained(page):
    # plotly.js inlined once; no script, stylesheet or image fetched from anywhere
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, flags=re.IGNORECASE)
    assert page.count("<script") == 13  # plotly.js + one per chart
    assert len(page) > 3_000_000  # plotly.js itself is about 4.6 MB


def test_the_year_comes_from_config_and_is_checked(built):
    with connect(read_only=True, path=built["warehouse"]) as con:
        html, result = build_report(con, 2022)
        assert "目标进展报告（2022年）" in html and result.year == 2022 and result.charts == 12
        with pytest.raises(ValueError, match="no rows for 2019"):
            build_report(con, 2019)


def test_the_asset_takes_the_year_from_run_config(built, tmp_path, monkeypatch):
    from dagster import DagsterInstance, materialize

    from orchestration import settings
    from orchestration.assets.reports import annual_progress_report

    warehouse = tmp_path / "bayannur.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    monkeypatch.setattr(settings, "WAREHOUSE_PATH", warehouse)
    result = materialize([annual_progress_report], instance=DagsterInstance.ephemeral(), run_config={
        "ops": {"reports__annual_progress_report": {"config": {"year": 2022}}}})
    assert result.success
    (event,) = result.get_asset_materialization_events()
    meta = event.materialization.metadata
    assert (meta["year"].value, meta["charts"].value) == (2022, 12)
    assert Path(meta["path"].value) == tmp_path / "reports" / "progress_report_2022.html"
    assert "目标进展报告（2022年）" in (tmp_path / "reports" / "progress_report_2022.html").read_text(encoding="utf-8")


def test_bayannur_report_renders_from_the_current_warehouse(built, tmp_path):
    warehouse = tmp_path / "bayannur.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    env = os.environ | {"BAYANNUR_WAREHOUSE": str(warehouse)}
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", "report", "--year", "2023"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Progress report 2023: {tmp_path / 'reports' / 'progress_report_2023.html'}" in done.stdout
    assert "12 charts" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "orchestration.cli", "report", "--year", "2030"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "no rows for 2030" in bad.stderr


# --- the browser test ----------------------------------------------------------------------------

def find_chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")  # session: set up (or skipped) before the session's pipeline runs
def chromium() -> str:
    exe = find_chromium()
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true and Chromium is not installed: .ci/run installs Debian's chromium package "
                        "before `make test`; the browser test must run in CI")
        pytest.skip(SKIP_NO_CHROMIUM)
    return exe


def run_chromium(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180)


class RenderedPage(HTMLParser):
    """Counts plotly's rendered SVGs inside each div.indicator-chart, and the summary table's rows."""

    def __init__(self):
        super().__init__()
        self.chart_svgs: dict[str, int] = {}
        self._chart: str | None = None
        self._depth = 0
        self.table_rows = 0
        self._in_table = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "table" and a.get("id") == "barometer-summary":
            self._in_table = True
        if self._in_table and tag == "tr" and "target-row" in classes:
            self.table_rows += 1
        if tag == "div" and "indicator-chart" in classes:
            self._chart, self._depth = a["id"], 0
            self.chart_svgs[self._chart] = 0
        if self._chart is not None:
            if tag == "div":
                self._depth += 1
            if tag == "svg" and "main-svg" in classes:
                self.chart_svgs[self._chart] += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        if self._chart is not None and tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self._chart = None


def test_report_renders_in_headless_chromium(chromium, built, tmp_path):
    source = report_path(LATEST, built["warehouse"])
    url = source.resolve().as_uri()
    started = time.perf_counter()
    dom = run_chromium(chromium, tmp_path / "profile-dom", "--dump-dom", url)
    dom_seconds = time.perf_counter() - started
    assert dom.returncode == 0, dom.stderr[-3000:]
    parsed = RenderedPage()
    parsed.feed(dom.stdout)
    assert len(parsed.chart_svgs) == 12, sorted(parsed.chart_svgs)
    not_drawn = [c for c, n in parsed.chart_svgs.items() if n < 1]
    assert not not_drawn, f"plotly drew nothing in {not_drawn}"
    (rows,) = tracking(built, "SELECT count(*) FROM marts.fct_target_tracking WHERE year = ?", [LATEST])
    assert parsed.table_rows == rows[0]
    assert 'class="scatterlayer' in dom.stdout  # the traces themselves, not only the axes

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"report_{LATEST}.png"
    shot.unlink(missing_ok=True)
    done = run_chromium(chromium, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1400,4000", url)
    assert done.returncode == 0, done.stderr[-3000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1400, 4000)
    assert len(data) > 100_000, f"{shot} is only {len(data)} bytes: a blank page?"
    print(f"\nreport screenshot: {shot} ({len(data) / 1e3:.0f} kB); DOM rendered in {dom_seconds:.1f} s")
