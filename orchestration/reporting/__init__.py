"""The reports the bureau publishes, rendered from the marts (read-only): the annual progress
report for the leadership (annual.py) and the final evaluation of a plan (final.py), as
self-contained HTML (templates/, plotly.js inlined) and, with Chromium, PDF (render.py).
Import from the modules (orchestration.reports gathers the entry points)."""
