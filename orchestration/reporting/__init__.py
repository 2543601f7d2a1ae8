"""The reports the bureau publishes, rendered from the marts (read-only): the annual progress
report for the leadership (annual.py) and the final evaluation of a plan (final.py), as
self-contained HTML (templates/, plotly.js inlined) and, with Chromium, PDF (render.py)."""

from orchestration.reporting.annual import ReportResult, build_report
from orchestration.reporting.final import build_final_evaluation
from orchestration.reporting.render import (
    final_evaluation_path, print_pdf, render_final_evaluation, render_html, render_report, report_path,
)

__all__ = ["ReportResult", "build_final_evaluation", "build_report", "final_evaluation_path", "print_pdf",
           "render_final_evaluation", "render_html", "render_report", "report_path"]
