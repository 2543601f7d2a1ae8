"""Write the 发改委 project-ledger sample deliveries (raw/projects/) and their provenance files.

Two datasets:
- project_ledger_{year}.xlsx (2021-2024): the ledger of the plan's boxed projects (专栏1-8, plus
  the few quantified tasks of the plan's main text that the ledger also follows), as it stood on
  31 December of the year.
- closures_2021_2024.csv (GB18030): coal-fired boilers and ore furnaces (矿热炉) to close or
  retrofit, by county, planned and done to date, one row per year, county, equipment and action.

Planned quantities are the plan's (巴彦淖尔市"十四五"应对气候变化规划, cited per project below);
every progress figure, status, planned completion year, and every closures number is
illustrative: no ledger or closure list was found published.

Run: `.venv/bin/python -m scripts.samples.projects --force`.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from scripts.samples._common import arguments, may_write, save_workbook, write_csv, write_provenance

SOURCE = "projects"
PLAN = "巴彦淖尔市“十四五”应对气候变化规划（2021—2025年）"
YEARS = (2021, 2022, 2023, 2024)
LICENCE = "Public government plan (政府信息公开); ledger progress assembled for this project"

# 专栏 cell text, as the ledger prints it (merged over the rows of the box's projects).
BOXES = {
    "1": "专栏1\n创建低碳试点",
    "2": "专栏2\n低碳农业",
    "3": "专栏3\n低碳能源",
    "4": "专栏4\n低碳循环产业",
    "5": "专栏5\n低碳城市",
    "6": "专栏6\n生态系统碳汇",
    "7": "专栏7\n资源节约集约利用",
    "8": "专栏8\n防灾减灾能力建设",
    "T": "规划正文\n重点任务",  # quantified tasks of the main text that are not in a box
}

# (project_id, box, project name, place as written, planned quantity, unit, planned completion
# year, note). Planned quantity and unit are the plan's (None: the plan sets no number); the
# planned completion year is 2025 (end of the plan period) unless an illustrative earlier year
# is given. A name of None continues the merged name cell of the row above.
PROJECTS = [
    # 专栏1 (1), no quantity in the plan.
    ("P1-01", "1", "杭锦后旗低碳旗县试点项目", "杭后旗", None, None, 2025, "固废回收、低碳建筑、低碳交通等"),
    # 专栏1 (2), no quantity in the plan.
    ("P1-02", "1", "“河套·彤锣湾”现代绿色循环农业近零碳排放园区", "临河区", None, None, 2025, None),
    # 专栏2 (1), no quantity in the plan; all counties implement it.
    ("P2-01", "2", "低碳农业技术推广", "全市", None, None, 2025, "各旗县区落实"),
    # 专栏2 (2); the quantity is the plan's main text (第四章二): 高标准农田建设面积达到1014万亩
    # by 2025, a cumulative area.
    ("P2-02", "2", "高标准农田建设项目", "全市", 1014, "万亩", 2025, "规划正文：到2025年累计达到1014万亩"),
    # 专栏3 (1): 100万千瓦, of which 85万千瓦 in 磴口县 and 15万千瓦 in 乌拉特前旗 (one name cell
    # merged over the two sites). Completion years 2023 illustrative.
    ("P3-01a", "3", "巴彦淖尔100万千瓦光储+生态治理项目", "磴口县", 85, "万千瓦", 2023, "沙漠+光伏"),
    ("P3-01b", "3", None, "乌前旗", 15, "万千瓦", 2023, "矿山+光伏"),
    # 专栏3 (2), no quantity in the plan.
    ("P3-02", "3", "乌兰布和沙漠大型风电光伏基地", "磴口县", None, None, 2025, "配合自治区建设"),
    # 专栏3 (3): 年产10万吨生物质燃料; completion 2022 illustrative.
    ("P3-03", "3", "景丰泰年产10万吨生物质燃料项目", "杭锦后旗", 10, "万吨/年", 2022, "秸秆成型燃料"),
    # 专栏4: 淘汰25000kVA及以下矿热炉 in 乌拉特前旗、乌拉特中旗等重点区域 (implemented by the
    # 乌拉特前旗 and 乌拉特后旗 governments): no number in the plan; progress in 台 matches the
    # closures CSV. Completion 2024 illustrative.
    ("P4-01a", "4", "淘汰25000kVA及以下矿热炉", "乌拉特前旗", None, "台", 2024, "见淘汰整治台账"),
    ("P4-01b", "4", None, "乌拉特中旗①", None, "台", 2024, "见淘汰整治台账"),
    ("P4-01c", "4", None, "乌拉特后旗", None, "台", 2024, "见淘汰整治台账"),
    # 专栏5 (1), no quantity in the plan.
    ("P5-01", "5", "巴彦淖尔市人居环境整治项目", "全市", None, None, 2025, "垃圾、污水、厕所"),
    # 专栏5 (2); the quantity is the plan's main text (第四章五): 重点领域（公交）新能源车辆保有量
    # 达到469辆 by 2025.
    ("P5-02", "5", "低碳公交系统建设项目", "全市", 469, "辆", 2025, "规划正文：新能源公交保有量469辆"),
    # 专栏6 (1), no quantity in the plan.
    ("P6-01", "6", "巴彦淖尔市森林质量修复提升工程", "全市", None, None, 2025, None),
    # 专栏6 (2): 2021-2025年计划完成造林任务82.5万亩.
    ("P6-02", "6", "巴彦淖尔市林业生态修复建设项目", "全市", 82.5, "万亩", 2025, "人工造林、飞播、封育"),
    # 专栏6 (3); the quantity is the plan's main text (第四章七): 完成退化草原生态修复任务100万亩.
    ("P6-03", "6", "巴彦淖尔市草原生态保护建设项目", "全市", 100, "万亩", 2025, "规划正文：退化草原修复100万亩"),
    # 专栏6 (4), no quantity in the plan.
    ("P6-04", "6", "巴彦淖尔市森林草原综合保护建设工程", "全市", None, None, 2025, "森林草原防火"),
    # 专栏7 (1), no quantity in the plan.
    ("P7-01", "7", "水源涵养与水土保持建设项目", "全市", None, None, 2025, None),
    # 专栏7 (2): 永济灌域、义长灌域298万亩灌溉面积范围内.
    ("P7-02", "7", "河套灌区大型灌区续建配套与现代化改造工程", "全市", 298, "万亩", 2025, "永济、义长灌域"),
    # 专栏7 (3): 建设规模739.39万亩，其中新增200万亩高效节水水肥一体化工程.
    ("P7-03a", "7", "河套灌区整区域推进高标准农田建设试点示范项目", "全市", 739.39, "万亩", 2025, None),
    ("P7-03b", "7", "其中：新增高效节水水肥一体化工程", "全市", 200, "万亩", 2025, None),
    # 专栏8 (1)-(4), no quantities in the plan.
    ("P8-01", "8", "巴彦淖尔市水利设施防御灾害能力提升工程", "全市", None, None, 2025, None),
    ("P8-02", "8", "巴彦淖尔市公共安全工程", "全市", None, None, 2025, None),
    ("P8-03", "8", "巴彦淖尔市气象防灾减灾工程", "全市", None, None, 2025, None),
    ("P8-04", "8", "巴彦淖尔市智慧气象支撑工程", "全市", None, None, 2025, None),
    # Main text (第四章五, buildings): 完成既有建筑节能改造90万平方米 by 2025.
    ("PT-01", "T", "既有建筑节能改造", "全市", 90, "万平方米", 2025, None),
    # Main text (第四章, air pollution): close the coal boilers within 15 km of 30万千瓦+ CHP plants
    # by the end of 2025; no number in the plan. Progress = the closures CSV's county sum.
    ("PT-02", "T", "热电联产供热半径15公里内燃煤锅炉关停整合", "全市", None, "台", 2025, "见淘汰整治台账"),
    # Same paragraph: 65蒸吨/小时及以上燃煤锅炉基本完成超低排放改造; no number in the plan.
    ("PT-03", "T", "65蒸吨/小时及以上燃煤锅炉超低排放改造", "全市", None, "台", 2025, "见淘汰整治台账"),
]

# Illustrative progress: project_id -> {year: (quantity done to date, status text)}. None: "—".
# Statuses are the ledger's words; the contract maps them to codes.
_ONGOING = {y: (None, "持续推进") for y in YEARS}
PROGRESS = {
    "P1-01": {2021: (None, "在建"), 2022: (None, "在建"), 2023: (None, "在建"), 2024: (None, "在建")},
    "P1-02": {2021: (None, "前期工作"), 2022: (None, "在建"), 2023: (None, "在建"), 2024: (None, "建成投产")},
    "P2-01": _ONGOING,
    "P2-02": {2021: (780, "在建"), 2022: (852, "在建"), 2023: (921, "在建"), 2024: (986, "在建")},
    "P3-01a": {2021: (20, "在建"), 2022: (55, "在建"), 2023: (85, "建成投产"), 2024: (85, "建成投产")},
    "P3-01b": {2021: (0, "未开工"), 2022: (5, "在建"), 2023: (15, "建成投产"), 2024: (15, "建成投产")},
    "P3-02": {2021: (None, "前期工作"), 2022: (None, "前期工作"), 2023: (None, "在建"), 2024: (None, "在建")},
    "P3-03": {2021: (0, "在建"), 2022: (10, "建成投产"), 2023: (10, "建成投产"), 2024: (10, "建成投产")},
    # Furnaces closed to date: the same numbers as CLOSURES below.
    "P4-01a": {2021: (2, "在建"), 2022: (4, "在建"), 2023: (6, "已关停"), 2024: (6, "已关停")},
    "P4-01b": {2021: (0, "未开工"), 2022: (2, "在建"), 2023: (3, "在建"), 2024: (4, "已关停")},
    "P4-01c": {2021: (0, "未开工"), 2022: (1, "在建"), 2023: (2, "在建"), 2024: (3, "已关停")},
    "P5-01": _ONGOING,
    "P5-02": {2021: (300, "在建"), 2022: (352, "在建"), 2023: (401, "在建"), 2024: (438, "在建")},
    "P6-01": _ONGOING,
    "P6-02": {2021: (16.8, "在建"), 2022: (33.9, "在建"), 2023: (50.6, "在建"), 2024: (67.2, "在建")},
    "P6-03": {2021: (21, "在建"), 2022: (43, "在建"), 2023: (62, "在建"), 2024: (81, "在建")},
    "P6-04": _ONGOING,
    "P7-01": _ONGOING,
    "P7-02": {2021: (45, "在建"), 2022: (102, "在建"), 2023: (168, "在建"), 2024: (225, "在建")},
    "P7-03a": {2021: (120.5, "在建"), 2022: (268.3, "在建"), 2023: (415.0, "在建"), 2024: (560.2, "在建")},
    "P7-03b": {2021: (30, "在建"), 2022: (72, "在建"), 2023: (118, "在建"), 2024: (155, "在建")},
    "P8-01": _ONGOING,
    "P8-02": {2021: (None, "前期工作"), 2022: (None, "在建"), 2023: (None, "在建"), 2024: (None, "已完成")},
    "P8-03": _ONGOING,
    "P8-04": {2021: (None, "前期工作"), 2022: (None, "在建"), 2023: (None, "在建"), 2024: (None, "在建")},
    "PT-01": {2021: (18.5, "在建"), 2022: (37.2, "在建"), 2023: (55.0, "在建"), 2024: (71.6, "在建")},
    # Boilers closed to date, summed over the counties of CLOSURES: 8+2+3+4, 15+5+6+8, ...
    "PT-02": {2021: (17, "在建"), 2022: (34, "在建"), 2023: (48, "在建"), 2024: (56, "在建")},
    # Boilers retrofitted to date: 1+0, 2+1, 3+2, 4+3.
    "PT-03": {2021: (1, "在建"), 2022: (3, "在建"), 2023: (5, "在建"), 2024: (7, "在建")},
}

# How the clerk typed some cells, year by year (quirks, not data): full-width digits, and the
# place of a few projects written differently in later years.
FULL_WIDTH = {(2022, "P6-02", "done"), (2022, "P3-01a", "done"), (2023, "P5-02", "done"),
              (2023, "P3-01a", "year"), (2024, "P7-03a", "planned")}
PLACE_IN = {(2023, "P3-02"): "磴口", (2024, "P3-01b"): "乌拉特前旗", (2024, "P1-01"): "杭锦后旗"}

# Coal boilers and ore furnaces: (county as written, equipment, action, unit of capacity,
# planned count, planned capacity, {year: (done count, done capacity)}). All illustrative: the plan
# names the tasks (thresholds 25000kVA, 15 km, 65蒸吨/小时) but gives no counts. None: "—".
CLOSURES = [
    ("临河区", "燃煤锅炉", "关停整合", "蒸吨/小时", 24, 312,
     {2021: (8, 96), 2022: (15, 190), 2023: (21, 268), 2024: (24, 312)}),
    ("五原县", "燃煤锅炉", "关停整合", "蒸吨/小时", 9, 98,
     {2021: (2, 20), 2022: (5, 52), 2023: (7, 76), 2024: (9, 98)}),
    ("杭后旗", "燃煤锅炉", "关停整合", "蒸吨/小时", 11, 120,
     {2021: (3, 30), 2022: (6, 64), 2023: (9, 98), 2024: (10, 110)}),
    ("乌前旗", "燃煤锅炉", "关停整合", "蒸吨/小时", 14, 176,
     {2021: (4, 48), 2022: (8, 100), 2023: (11, 138), 2024: (13, 164)}),
    ("临河区", "燃煤锅炉", "超低排放改造", "蒸吨/小时", 4, 390,
     {2021: (1, 65), 2022: (2, 195), 2023: (3, 325), 2024: (4, 390)}),
    ("乌前旗", "燃煤锅炉", "超低排放改造", "蒸吨/小时", 3, 285,
     {2021: (0, None), 2022: (1, 130), 2023: (2, 220), 2024: (3, 285)}),
    ("乌拉特前旗", "矿热炉", "淘汰", "千伏安", 6, 83000,
     {2021: (2, 25000), 2022: (4, 50000), 2023: (6, 83000), 2024: (6, 83000)}),
    ("乌中旗", "矿热炉", "淘汰", "千伏安", 4, 37600,
     {2021: (0, None), 2022: (2, 12600), 2023: (3, 25100), 2024: (4, 37600)}),
    ("后旗", "矿热炉", "淘汰", "千伏安", 3, 75000,
     {2021: (0, None), 2022: (1, 25000), 2023: (2, 50000), 2024: (3, 75000)}),
]
CLOSURE_NOTES = {("临河区", "燃煤锅炉", "关停整合"): "热电联产集中供热替代",
                 ("乌拉特前旗", "矿热炉", "淘汰"): "硅铁、电石矿热炉"}

_FW = str.maketrans("0123456789.", "０１２３４５６７８９．")


def num(value, full_width: bool = False):
    """A number as the cell holds it; None becomes the ledger's '—'."""
    if value is None:
        return "—"
    if full_width:
        return f"{value:g}".translate(_FW)  # typed as text with full-width digits
    return value


def write_ledger(year: int, path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目台账"
    ws["A1"] = "巴彦淖尔市“十四五”应对气候变化规划重点项目推进台账"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:K1")
    ws["A2"] = f"（截至{year}年12月31日）"
    ws.merge_cells("A2:F2")
    ws["I2"] = "填报单位：巴彦淖尔市发展和改革委员会"
    # Two-row header: group titles merged over their sub-columns, single titles merged down.
    for col, title in zip("ABCDE", ["序号", "专栏", "项目编号", "项目名称", "建设地点"]):
        ws[f"{col}3"] = title
        ws.merge_cells(f"{col}3:{col}4")
    ws["F3"], ws["F4"], ws["G4"] = "规划建设规模", "数量", "单位"
    ws.merge_cells("F3:G3")
    ws["H3"], ws["H4"], ws["I4"] = "截至年末进展", "累计完成量", "建设状态"
    ws.merge_cells("H3:I3")
    for col, title in zip("JK", ["计划建成年份", "备注"]):
        ws[f"{col}3"] = title
        ws.merge_cells(f"{col}3:{col}4")

    first = 5
    box_start: dict[str, int] = {}
    name_start = None
    for i, (pid, box, name, place, planned, unit, done_by, note) in enumerate(PROJECTS):
        r = first + i
        done, status = PROGRESS[pid][year]
        ws.cell(r, 1, i + 1)
        if box not in box_start:  # the 专栏 cell is written once and merged over its projects
            box_start[box] = r
            ws.cell(r, 2, BOXES[box])
        ws.cell(r, 3, pid)
        if name is not None:
            if name_start is not None and r - 1 > name_start:
                ws.merge_cells(start_row=name_start, start_column=4, end_row=r - 1, end_column=4)
            name_start = r
            ws.cell(r, 4, name)
        ws.cell(r, 5, PLACE_IN.get((year, pid), place))
        ws.cell(r, 6, num(planned, (year, pid, "planned") in FULL_WIDTH))
        ws.cell(r, 7, unit or "—")
        ws.cell(r, 8, num(done, (year, pid, "done") in FULL_WIDTH))
        ws.cell(r, 9, status)
        ws.cell(r, 10, num(done_by, (year, pid, "year") in FULL_WIDTH))
        ws.cell(r, 11, note)
    last = first + len(PROJECTS) - 1
    if name_start is not None and last > name_start:
        ws.merge_cells(start_row=name_start, start_column=4, end_row=last, end_column=4)
    ends = sorted(box_start.values())[1:] + [last + 1]
    for start, end in zip(sorted(box_start.values()), ends):
        if end - 1 > start:
            ws.merge_cells(start_row=start, start_column=2, end_row=end - 1, end_column=2)
        ws.cell(start, 2).alignment = Alignment(vertical="center", wrap_text=True)

    notes = [
        f"注：1. 规划建设规模摘自《{PLAN}》专栏1—8及正文；“—”表示规划未明确量化指标。",
        "    2. 累计完成量为“十四五”以来截至当年年末的累计数，单位同规划建设规模。",
        "    3. 矿热炉、燃煤锅炉分旗县区进度见《燃煤锅炉及矿热炉淘汰整治台账》。",
        "    ① 规划原文为“乌拉特前旗、乌拉特中旗等重点区域”，落实单位含乌拉特后旗人民政府。",
    ]
    for k, text in enumerate(notes, start=last + 1):
        ws.cell(k, 1, text)
    for col, width in zip("ABCDEFGHIJK", [6, 12, 9, 40, 12, 9, 9, 11, 10, 12, 28]):
        ws.column_dimensions[col].width = width
    save_workbook(wb, path, datetime(year + 1, 1, 20))


def write_closures(path) -> None:
    rows: list[list[object]] = [
        ["巴彦淖尔市燃煤锅炉及矿热炉淘汰整治台账（2021—2024年）"],
        ["年份", "旗县区", "设备类别", "整治方式", "计划数量（台）", "计划容量", "容量单位",
         "累计完成数量（台）", "累计完成容量", "备注"],
    ]
    for year in YEARS:
        for place, kind, action, unit, n_plan, cap_plan, done in CLOSURES:
            n_done, cap_done = done[year]
            # kVA totals are exported with thousands separators; one count is typed full-width.
            fmt = (lambda v: "—" if v is None else f"{v:,}") if unit == "千伏安" else (lambda v: num(v))
            n_cell = num(n_done, full_width=(year, place, action) == (2023, "乌前旗", "关停整合"))
            rows.append([f"{year}年", place, kind, action, n_plan, fmt(cap_plan), unit, n_cell,
                         fmt(cap_done), CLOSURE_NOTES.get((place, kind, action), "")])
    rows += [
        [],
        ["注：1. 燃煤锅炉关停整合指30万千瓦及以上热电联产电厂供热半径15公里范围内的燃煤锅炉。"],
        ["2. 超低排放改造对象为65蒸吨/小时及以上燃煤锅炉；矿热炉指25000千伏安及以下矿热炉。"],
        ["3. 完成数量、容量均为2021年以来累计数；“—”表示尚无完成量。"],
    ]
    write_csv(path, rows, "gb18030")


def main() -> int:
    args = arguments(__doc__)
    folder = args.raw_dir / SOURCE
    common = dict(source=SOURCE, publisher="巴彦淖尔市发展和改革委员会", department_zh="发展和改革委员会",
                  licence=LICENCE)
    for year in YEARS:
        path = folder / f"project_ledger_{year}.xlsx"
        if not may_write(path, args.force):
            continue
        write_ledger(year, path)
        write_provenance(
            path, **common,
            title=f"“十四五”应对气候变化规划重点项目推进台账（截至{year}年末，样例交付）",
            received=f"{year + 1}-01-20",
            status="illustrative",
            citation=(f"planned quantities and units: {PLAN}, 专栏1-8 (85 + 15万千瓦 光储, 10万吨/年 生物质燃料, "
                      "82.5万亩 造林, 298万亩 灌区, 739.39 / 200万亩 高标准农田) and its main text (1014万亩 "
                      "高标准农田, 469辆 新能源公交, 100万亩 草原修复, 90万平方米 建筑节能改造), grade A; "
                      "progress, statuses and completion years: none (illustrative)"),
            illustrative={"regions": "all",
                          "reason": "no ledger of the plan's projects was found published; every row's "
                                    "progress, status and planned completion year is illustrative (its "
                                    "planned quantity is the plan's)"},
        )
    path = folder / "closures_2021_2024.csv"
    if may_write(path, args.force):
        write_closures(path)
        write_provenance(
            path, **common,
            title="燃煤锅炉及矿热炉淘汰整治台账（2021—2024年，样例交付，GB18030 导出）",
            received="2025-01-20",
            status="illustrative",
            citation=(f"none for the numbers; the tasks and thresholds are {PLAN}: 专栏4 (淘汰25000kVA及以下"
                      "矿热炉, 乌拉特前旗、乌拉特中旗等) and 第四章 (30万千瓦及以上热电联产供热半径15公里内"
                      "燃煤锅炉关停整合; 65蒸吨/小时及以上燃煤锅炉超低排放改造), grade A"),
            illustrative={"regions": "all",
                          "reason": "the plan gives no counts or capacities; every number is illustrative"},
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
