"""Report assets: the annual progress report, rendered from the marts after dbt has built them."""

from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, MetadataValue, asset

from orchestration.publishing.working import PUBLISHED_KEY
from orchestration.reports import render_report


class ReportConfig(Config):
    """Run config of the report: the year to report on (2021-2025); none = the latest tracked year."""

    year: int | None = None


@asset(
    key=AssetKey(["reports", "annual_progress_report"]),
    group_name="reports",
    deps=[AssetKey(["marts", "fct_target_tracking"]), AssetKey(["marts", "dim_indicator"]),
          AssetKey(["marts", "dim_region"]), AssetKey(list(PUBLISHED_KEY))],
    pool="duckdb",
    # After the swap: reads the newly published file (read-only), never a run's working file.
    kinds={"html", "plotly"},
    description="年度进展报告 Annual progress report: self-contained HTML (Chinese first, English alongside) with the "
                "barometer summary of every target and a chart per Table-1 indicator, written to "
                "<warehouse dir>/reports/progress_report_<year>.html.",
)
def annual_progress_report(context: AssetExecutionContext, config: ReportConfig) -> MaterializeResult:
    report = render_report(config.year)
    context.log.info(f"progress report {report.year}: {report.path} ({report.size_bytes / 1e6:.1f} MB, "
                     f"{report.target_rows} target rows, {report.charts} charts)")
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(report.path)),
        "year": report.year,
        "targets": report.targets,
        "target_rows": report.target_rows,
        "charts": report.charts,
        **{f"barometer_2020_{colour}": n for colour, n in report.barometer_2020.items()},
        "barometer_2021": MetadataValue.json(report.barometer_2021),
        "illustrative_rows": report.illustrative_rows,
        "size_bytes": report.size_bytes,
    })
