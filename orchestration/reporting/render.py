"""Writing the reports beside the warehouse (opened read-only) and printing them to PDF with
headless Chromium when it is installed (Debian's chromium-headless-shell package, else chromium)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import jinja2
from plotly.offline import get_plotlyjs

from orchestration import settings
from orchestration.queries import latest_tracked_year
from orchestration.reporting import inputs
from orchestration.reporting.annual import ReportResult, build_report
from orchestration.reporting.final import build_final_evaluation
from orchestration.warehouse import connect, release_memory

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                          undefined=jinja2.StrictUndefined)
# The virtual-time budget lets the page's timers run before the print. Plotly draws when its
# scripts run, so 2 virtual seconds are ample: the PDFs' content streams were identical with 20 s,
# 2 s and none, and each virtual second of timers costs real time (about 0.5 s less per report here).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-pdf-header-footer", "--virtual-time-budget=2000",
                  # one renderer, no extension process, the (disabled) GPU in the browser process: Chromium's
                  # summed RSS printing the national report 1.45 -> 1.32 GB (pairs of runs); the PDF differs
                  # only in its dates
                  "--renderer-process-limit=1", "--disable-extensions", "--in-process-gpu"]


def render_html(template: str, context: dict, plotly: bool = True) -> str:
    """The page; plotly.js (4.6 MB) is inlined only into a page that draws charts."""
    return _env.get_template(template).render(
        plotly_js=get_plotlyjs() if plotly else "", generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        **context)


def report_path(year: int, warehouse: Path | None = None) -> Path:
    return (warehouse or settings.WAREHOUSE_PATH).parent / "reports" / f"progress_report_{year}.html"


def final_evaluation_path(plan_id: str, warehouse: Path | None = None) -> Path:
    return (warehouse or settings.WAREHOUSE_PATH).parent / "reports" / f"final_evaluation_{plan_id}.html"


# Chromium's headless shell first: the browser made for printing and screenshots, without the full
# browser's UI processes. Printing the national annual report: 2.5 -> 1.6 s and 1.44 -> 0.75 GB summed
# RSS; the final evaluation 1.1 -> 0.4 s. The full browser prints the same pages when it is all there is.
BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser")


def chromium() -> str | None:
    return next(filter(None, map(shutil.which, BROWSERS)), None)


def print_pdf(html: Path, pdf: Path | None = None, timeout: int = 180) -> Path | None:
    """The page printed by headless Chromium (print CSS applies); None when Chromium is missing."""
    browser = chromium()
    if browser is None:
        return None
    pdf = pdf or html.with_suffix(".pdf")
    tmp = pdf.with_suffix(".pdf.tmp")
    release_memory()  # Chromium's processes (about 1.45 GB RSS nationally) add to this one's
    subprocess.run([browser, *CHROMIUM_FLAGS, f"--print-to-pdf={tmp}", html.resolve().as_uri()],
                   check=True, capture_output=True, timeout=timeout)
    tmp.replace(pdf)
    return pdf


def _drop_stale_pdf(page: Path) -> None:
    """A run's page rewritten from changed marts without a PDF (BAYANNUR_REPORT_PDF=off, or no
    Chromium): the PDF of an earlier run beside it would show older figures."""
    page.with_suffix(".pdf").unlink(missing_ok=True)


def _write(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a page


def render_report(year: int | None = None, warehouse: Path | None = None, pdf: bool = False,
                  reuse: bool = False) -> ReportResult:
    """Write the annual report for `year` (default: the latest year with a tracked row) to
    reports/progress_report_<year>.html beside the warehouse, and its PDF if asked and possible.
    With `reuse`, a report made from the same marts and code (reporting/inputs.py) is kept."""
    warehouse = warehouse or settings.WAREHOUSE_PATH
    printing = pdf and chromium() is not None
    with connect(read_only=True, path=warehouse) as con:
        if year is None:
            year = latest_tracked_year(con)
            if year is None:
                raise ValueError("marts.fct_target_tracking has no tracked row yet: nothing to report")
        path = report_path(year, warehouse)
        # The PDF is not among the inputs: unchanged() asks for it only when one is wanted.
        digest = inputs.fingerprint(con, report="annual", year=year, warehouse=warehouse.name) if reuse else None
        kept = inputs.unchanged(path, digest, printing) if digest else None
        if kept is not None:
            return ReportResult(**{**kept, "path": path, "reused": True})
        context, result = build_report(con, year, warehouse_label=warehouse.name)
    inputs.forget(path)
    _write(path, render_html("annual.html.j2", context))
    result.path, result.size_bytes = path, path.stat().st_size
    if printing:
        result.pdf_path = print_pdf(path)
    elif digest:
        _drop_stale_pdf(path)
    if digest:
        inputs.record(path, digest, asdict(result), result.pdf_path)
    return result


def render_final_evaluation(plan_id: str | None = None, warehouse: Path | None = None, pdf: bool = False,
                            reuse: bool = False) -> dict:
    """Write the final evaluation of a plan (default: the tracked one) beside the warehouse. With
    `reuse`, a page made from the same marts and code is kept (the context is still built: it is cheap)."""
    warehouse = warehouse or settings.WAREHOUSE_PATH
    printing = pdf and chromium() is not None
    with connect(read_only=True, path=warehouse) as con:
        context = build_final_evaluation(con, plan_id, warehouse_label=warehouse.name)
        digest = (inputs.fingerprint(con, report="final_evaluation", plan_id=context["plan_id"], warehouse=warehouse.name)
                  if reuse else None)
    path = final_evaluation_path(context["plan_id"], warehouse)
    kept = inputs.unchanged(path, digest, printing) if digest else None
    if kept is not None:
        return {**context, "path": path, "pdf_path": kept["pdf_path"], "reused": True}
    inputs.forget(path)
    _write(path, render_html("final_evaluation.html.j2", context, plotly=False))  # a page without charts
    pdf_path = print_pdf(path) if printing else None
    if digest and not printing:
        _drop_stale_pdf(path)
    if digest:
        inputs.record(path, digest, {}, pdf_path)
    return {**context, "path": path, "pdf_path": pdf_path, "reused": False}
