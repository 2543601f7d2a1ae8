"""The progress report and the final evaluation: see the package orchestration/reporting/.
`bayannur report` and the report assets import from here."""

from orchestration.reporting import (  # noqa: F401
    ReportResult, build_final_evaluation, build_report, final_evaluation_path, print_pdf, render_final_evaluation,
    render_html, render_report, report_path,
)
