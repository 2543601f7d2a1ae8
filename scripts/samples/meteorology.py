"""Write the meteorological bureau's (气象局) sample delivery under raw/meteorology/.

Run by a maintainer when the sample changes: `.venv/bin/python -m scripts.samples.meteorology --force`.

Published: 气象服务公众覆盖率 92 % in 2020 (the plan, 表1, indicator 12; target 95 % in 2025).
2021-2024 are illustrative. The plan names no warning-reach (预警信息覆盖率) figure, so the
delivery has none.
"""

from __future__ import annotations

from scripts.samples._common import arguments, may_write, write_csv, write_provenance

PLAN = "巴彦淖尔市“十四五”应对气候变化规划 (2021-2025), 表1 主要指标体系, indicator 12"

# (year as exported, coverage as exported, remark, published?)
COVERAGE = [
    ("2020年", "92%", "规划基期值", True),              # the plan, 表1: 92 (2020)
    ("2021年", "92.6%", "年度公众气象服务评价", False),  # illustrative
    ("2022年", "９３．３", "年度公众气象服务评价", False),  # illustrative; full-width digits as typed
    ("2023年", "94.0%", "年度公众气象服务评价", False),  # illustrative
    ("2024年", "94.5%", "", False),                     # illustrative; remark left blank
]


def main() -> int:
    args = arguments(__doc__)
    path = args.raw_dir / "meteorology" / "weather_service.csv"
    if not may_write(path, args.force):
        return 0
    rows: list[list[object]] = [
        ["巴彦淖尔市气象服务公众覆盖率（2020—2024年）"],  # a title line above the header
        ["年份", "气象服务公众覆盖率（%）", "备注"],
    ]
    published = []
    for year, value, remark, is_published in COVERAGE:
        rows.append([year, value, remark])
        if is_published:
            published.append(len(rows))  # its CSV line number
    rows.append(["注：覆盖率由年度公众气象服务评价调查得出；2025年目标值为95%。"])
    write_csv(path, rows, "utf-8-sig")  # exported from a spreadsheet as UTF-8 with a BOM
    write_provenance(
        path, source="meteorology", publisher="巴彦淖尔市气象局", department_zh="气象局",
        title="气象服务公众覆盖率 2020-2024（样例交付）", received="2025-01-15",
        status="final", licence="Public government information (政府信息公开); sample assembled for this project",
        citation=f"2020: 92 % ({PLAN}, grade A); 2021-2024 illustrative (no published value found)",
        illustrative={"except_rows": published, "reason": "no yearly coverage after 2020 was found"},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
