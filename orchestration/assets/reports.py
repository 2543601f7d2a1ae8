"""Report assets: the annual progress report and the final evaluation, rendered from the marts
after dbt has built them (HTML, and PDF when Chromium is installed: reporting/render.py)."""

from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, MetadataValue, asset

from orchestration import settings
from orchestration.publishing.working import PUBLISHED_KEY
from orchestration.reports import render_final_evaluation, render_report

# After the swap: the reports read the newly published file (read-only), never a run's working file.
PUBLISHED = AssetKey(list(PUBLISHED_KEY))
MARTS = [AssetKey(["marts", name]) for name in (
    "fct_target_tracking", "dim_indicator", "dim_region", "fct_target_context", "fct_co2_sensitivity",
    "fct_department_targets", "dim_department")]


def _no_pdf() -> str:
    return "BAYANNUR_REPORT_PDF=off" if settings.REPORT_PDF == "off" else "chromium not installed"


class ReportConfig(Config):
    """Run config of the report: the year to report on; none = the latest tracked year."""

    year: int | None = None


@asset(
    key=AssetKey(["reports", "annual_progress_report"]),
    group_name="reports",
    deps=[*MARTS, PUBLISHED],
    pool="duckdb",  # opens the warehouse (read-only): never while a writer holds it
    kinds={"html", "plotly", "pdf"},
    description="年度进展报告 Annual progress report for the leadership: key messages, one official verdict per target, "
                "charts with the bound or the even path, the CO2 sensitivity, a county view, a page per department and "
                "the international methods in an annex; <warehouse dir>/reports/progress_report_<year>.html (+ .pdf).",
)
def annual_progress_report(context: AssetExecutionContext, config: ReportConfig) -> MaterializeResult:
    # reuse: a report made from the same marts and code is kept (most of the step is Chromium's print)
    report = render_report(config.year, pdf=settings.REPORT_PDF != "off", reuse=True)
    context.log.info(f"progress report {report.year}: {report.path} ({report.size_bytes / 1e6:.1f} MB, "
                     f"{report.target_rows} target rows, {report.charts} charts); PDF: {report.pdf_path or _no_pdf()}"
                     + ("; kept: the marts and the report's code are unchanged" if report.reused else ""))
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(report.path)),
        "pdf": MetadataValue.path(str(report.pdf_path)) if report.pdf_path else f"not printed ({_no_pdf()})",
        "year": report.year,
        "targets": report.targets,
        "target_rows": report.target_rows,
        "charts": report.charts,
        **{f"official_{colour}": n for colour, n in report.official.items()},
        "barometer_2020": MetadataValue.json(report.barometer_2020),
        "barometer_2021": MetadataValue.json(report.barometer_2021),
        "departments": report.departments,
        "county_views": report.county_views,
        "illustrative_rows": report.illustrative_rows,
        "size_bytes": report.size_bytes,
        "reused": report.reused,
    })


@asset(
    key=AssetKey(["reports", "final_evaluation"]),
    group_name="reports",
    deps=[AssetKey(["marts", "fct_final_evaluation"]), AssetKey(["marts", "dim_region"]), PUBLISHED],
    pool="duckdb",
    kinds={"html", "pdf"},
    description="期末评估 Final evaluation of the plan (with the mid-term view): each target's final verdict, binding "
                "targets missed, the status path and the year first met; until the last year is delivered it says so. "
                "<warehouse dir>/reports/final_evaluation_<plan_id>.html (+ .pdf).",
)
def final_evaluation_report(context: AssetExecutionContext) -> MaterializeResult:
    done = render_final_evaluation(pdf=settings.REPORT_PDF != "off", reuse=True)
    context.log.info(f"final evaluation {done['plan_id']}: {done['path']}, {done['complete']} of {done['total']} "
                     "rows with a final verdict" + ("; kept: the marts and the code are unchanged" if done["reused"] else ""))
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(done["path"])),
        "plan_id": done["plan_id"],
        "final_year": done["final_year"],
        "rows_with_verdict": done["complete"],
        "rows": done["total"],
        "binding_missed": len(done["binding_missed"]),
        "reused": done["reused"],
    })
