"""The progress report and the final evaluation: see the package orchestration/reporting/.
`bayannur report`, the report assets and the tests import from here."""

from orchestration.reporting.annual import ReportResult, build_report  # noqa: F401
from orchestration.reporting.final import build_final_evaluation  # noqa: F401
from orchestration.reporting.render import (  # noqa: F401
    final_evaluation_path, print_pdf, render_final_evaluation, render_html, render_report, report_path,
)
