"""Headless Chromium for the report tests, the browser the reports are printed with (Debian's
chromium-headless-shell, else chromium): a rendered DOM, a screenshot kept in test-artifacts/, and a
printed PDF whose pages are counted."""

from __future__ import annotations

import os
import re
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from orchestration.reporting import render

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SKIP_NO_CHROMIUM = ("Chromium not found: install Debian's chromium-headless-shell package (apt-get install "
                    "chromium-headless-shell fonts-wqy-microhei) to run the report's browser tests")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--virtual-time-budget=20000"]


@pytest.fixture(scope="session")  # session: set up (or skipped) before the session's pipeline runs
def chromium() -> str:
    exe = render.chromium()
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true and Chromium is not installed: .ci/run installs Debian's chromium-headless-shell "
                        "before `make test`; the browser tests must run in CI")
        pytest.skip(SKIP_NO_CHROMIUM)
    return exe


def run(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def screenshot(exe: str, profile: Path, url: str, name: str, size=(1300, 5000)) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    shot.unlink(missing_ok=True)
    run(exe, profile, f"--screenshot={shot}", f"--window-size={size[0]},{size[1]}", url)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == size
    assert len(data) > 50_000, f"{shot} is only {len(data)} bytes: a blank page?"
    return shot


def pdf_pages(pdf: Path) -> int:
    """Pages of a PDF Chromium printed (its page objects; /Pages is the tree, not a page)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


class RenderedPage(HTMLParser):
    """Plotly's rendered SVGs inside each div.chart (by the plot's id) and rows by class."""

    def __init__(self):
        super().__init__()
        self.chart_svgs: dict[str, int] = {}
        self.row_classes: dict[str, int] = {}
        self._chart: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "tr":
            for c in classes:
                self.row_classes[c] = self.row_classes.get(c, 0) + 1
        if self._chart is None and tag == "div" and "plotly-graph-div" in classes:
            self._chart, self._depth = a["id"], 0
            self.chart_svgs[self._chart] = 0
        if self._chart is not None:
            if tag == "div":
                self._depth += 1
            if tag == "svg" and "main-svg" in classes:
                self.chart_svgs[self._chart] += 1

    def handle_endtag(self, tag):
        if self._chart is not None and tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self._chart = None
