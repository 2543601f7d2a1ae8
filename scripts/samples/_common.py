"""What every sample-delivery writer shares: fixed workbook times, CSV encodings, provenance files.

The writers (scripts/samples/<source>.py) are run by a maintainer when the sample changes:
`.venv/bin/python -m scripts.samples.<source>`; raw files once delivered are not rewritten unless
--force is given. The pipeline never runs them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
RAW = ROOT / "raw"


def arguments(doc: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=RAW)
    parser.add_argument("--force", action="store_true", help="overwrite existing deliveries")
    return parser.parse_args()


def may_write(path: Path, force: bool) -> bool:
    if path.exists() and not force:
        print(f"{path.name}: exists, left as delivered")
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    return True


def save_workbook(wb, path: Path, when: datetime) -> None:
    """Save with every time stamp fixed, so the same sample gives the same bytes (same sha256).

    openpyxl stamps the zip entries and dcterms:modified with the current time on save: both are
    rewritten here."""
    wb.properties.created = wb.properties.modified = when
    wb.save(path)
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            dst.writestr(fixed, data)


def write_csv(path: Path, rows: list[list[object]], encoding: str) -> None:
    """A CSV export as departments send them: 'gb18030' or 'utf-8-sig' (UTF-8 with a BOM)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_provenance(path: Path, **fields) -> dict:
    """<file>.provenance.yml beside the delivery; `file` and `sha256` are filled in here."""
    spec = {"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), **fields}
    for required in ("source", "publisher", "title", "status", "licence", "citation"):
        if required not in spec:
            raise ValueError(f"{path.name}: provenance needs '{required}'")
    prov = path.with_name(path.name + ".provenance.yml")
    prov.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"{path.name}: written ({spec['status']})")
    return spec
