"""Write, audit, publish.

A run never writes the published warehouse (settings.WAREHOUSE_PATH, what readers, exports, the
report and BI open). It writes a working copy under <warehouse dir>/.work/ (working.py); when every
blocking check of the run has passed (audit in publish.py), the working file replaces the
published one in one rename; the serving targets registered in hooks.py then run on the newly
published file. recovery.py reclaims what a killed run left behind.
"""

from orchestration.publishing.working import PUBLISHED_KEY, STORAGE_VERSION, working_path

__all__ = ["PUBLISHED_KEY", "STORAGE_VERSION", "working_path"]
