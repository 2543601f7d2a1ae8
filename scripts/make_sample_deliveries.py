"""Write the bundled sample deliveries under raw/ and the provenance file beside each.

Run once by a maintainer when the sample changes (`uv run python scripts/make_sample_deliveries.py`);
the pipeline never runs it, and raw files once delivered are not rewritten: the script refuses to
overwrite a file unless --force is given.

City figures are the published ones (shared reference: published_figures.md); every value no
publication gives is illustrative and the provenance file says which rows those are.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import yaml
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parent.parent
COUNTIES = ["临河区", "五原县", "磴口县", "乌拉特前旗", "乌拉特中旗", "乌拉特后旗", "杭锦后旗"]

# City GDP at current prices (亿元): total, primary, secondary, tertiary; then the volume indices
# (上年=100) of the total and of the three sectors. None = not published for that year.
CITY = {
    # 巴彦淖尔市2020年国民经济和社会发展统计公报 (2021-03-24), preliminary (初步核算).
    2020: ((874.0, 221.5, 256.6, 395.9), (98.5, 103.8, 94.3, 98.7)),
    # 巴彦淖尔市2021年国民经济和社会发展统计公报 (2022-04-06), preliminary.
    2021: ((982.7, 244.9, 328.0, 409.8), (104.3, 105.4, 103.2, 104.3)),
    # Illustrative: no 2022 figures were found.
    2022: ((1086.4, 272.3, 372.5, 441.6), (104.0, 105.0, 103.6, 103.8)),
    # Total 1161.10 from a secondary page (grade C); sectors and indices illustrative.
    2023: ((1161.1, 280.0, 405.2, 475.9), (106.0, 105.8, 107.1, 105.3)),
    # Illustrative.
    2024: ((1215.0, 287.4, 430.1, 497.5), (105.2, 104.6, 106.0, 104.9)),
}
PUBLISHED = {
    2020: dict(title="巴彦淖尔市2020年国民经济和社会发展统计公报", published="2021-03-24",
               status="preliminary", grade="A"),
    2021: dict(title="巴彦淖尔市2021年国民经济和社会发展统计公报", published="2022-04-06",
               status="preliminary", grade="A"),
}
# Illustrative split of city GDP among the counties: share of total GDP, and a tilt of the
# primary/secondary sector shares against the city's (agricultural counties vs industrial ones),
# and a deviation of the volume index from the city's. No county figures were found.
COUNTY_MODEL = {
    "临河区": (0.330, (-0.08, -0.02), 0.3),
    "五原县": (0.120, (+0.12, -0.06), -0.2),
    "磴口县": (0.080, (+0.02, +0.05), 0.4),
    "乌拉特前旗": (0.160, (-0.03, +0.08), -0.1),
    "乌拉特中旗": (0.100, (+0.04, +0.06), 0.2),
    "乌拉特后旗": (0.090, (-0.12, +0.20), -0.3),
    "杭锦后旗": (0.120, (+0.10, -0.04), 0.0),
}


def county_rows(year: int) -> list[tuple]:
    (total, prim, sec, _), (idx, *_sector_idx) = CITY[year]
    rows = []
    for name, (share, (tilt_p, tilt_s), didx) in COUNTY_MODEL.items():
        gdp = round(total * share, 1)
        p = round(gdp * (prim / total + tilt_p), 1)
        s = round(gdp * (sec / total + tilt_s), 1)
        t = round(gdp - p - s, 1)
        rows.append((name, gdp, p, s, t, round(idx + didx, 1), None, None, None))
    return rows


def write_workbook(year: int, path: Path) -> None:
    (total, prim, sec, ter), (idx, ip, is_, it) = CITY[year]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "地区生产总值"
    ws["A1"] = f"表3-2  {year}年各旗县区地区生产总值"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:I1")
    ws["I2"] = "单位：亿元"
    ws["I2"].alignment = Alignment(horizontal="right")
    # Two-row header: group titles merged over their columns, as the yearbook prints them.
    ws["A3"], ws["B3"], ws["F3"] = "地  区", "地区生产总值", "地区生产总值指数（上年=100）"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:E3")
    ws.merge_cells("F3:I3")
    for col, name in zip("BCDEFGHI", ["合计", "第一产业", "第二产业", "第三产业"] * 2):
        ws[f"{col}4"] = name
    rows = [("巴彦淖尔市", total, prim, sec, ter, idx, ip, is_, it)] + county_rows(year)
    for r, values in enumerate(rows, start=5):
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c, value="—" if v is None else v)
    note_row = 5 + len(rows)
    ws.cell(row=note_row, column=1, value="注：1. 地区生产总值按当年价格计算，指数按可比价格计算。")
    status = PUBLISHED.get(year, {}).get("status")
    ws.cell(row=note_row + 1, column=1,
            value=f"    2. {year}年数据为{'初步核算数' if status == 'preliminary' else '示意数据（非公布数）'}。")
    for col, width in zip("ABCDEFGHI", [14, 12, 10, 10, 10, 12, 10, 10, 10]):
        ws.column_dimensions[col].width = width
    # Fixed document times so that the same sample gives the same bytes, hence the same sha256.
    wb.properties.created = wb.properties.modified = datetime(year + 1, 4, 1)
    wb.save(path)


def provenance(year: int, path: Path) -> dict:
    pub = PUBLISHED.get(year)
    spec = {
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "source": "statistics",
        "publisher": "巴彦淖尔市统计局",
        "department_zh": "统计局",
        "title": f"{year}年各旗县区地区生产总值（样例交付）",
        "received": f"{year + 1}-05-01",
        "licence": "Public government statistics (政府信息公开); sample assembled for this project",
    }
    if pub:
        spec |= {
            "status": pub["status"],
            "published": pub["published"],
            "citation": f"{pub['title']} ({pub['published']}), grade {pub['grade']}: the city row "
                        "(total, sectors and indices) as published",
            "illustrative": {
                "regions": COUNTIES,
                "reason": "no county figures were found; county rows split the city total by "
                          "assumed shares and are illustrative",
            },
        }
    else:
        spec |= {
            "status": "illustrative",
            "citation": (
                "GDP total 1161.10亿元 from a secondary page (163.com, grade C); everything else "
                "illustrative" if year == 2023 else "none: no figures for this year were found"
            ),
            "illustrative": {
                "regions": "all",
                "reason": "no published sector values or comparable-price growth for this year; "
                          "the rows are illustrative",
            },
        }
    return spec


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=ROOT / "raw")
    parser.add_argument("--force", action="store_true", help="overwrite existing deliveries")
    args = parser.parse_args()
    folder = args.raw_dir / "statistics"
    folder.mkdir(parents=True, exist_ok=True)
    for year in sorted(CITY):
        path = folder / f"regional_gdp_{year}.xlsx"
        if path.exists() and not args.force:
            print(f"{path.name}: exists, left as delivered")
            continue
        write_workbook(year, path)
        meta = provenance(year, path)
        prov = path.with_name(path.name + ".provenance.yml")
        prov.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
        print(f"{path.name}: written ({meta['status']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
