"""Departments and their targets, from marts.fct_department_targets (read-only).

    bayannur departments [--year Y] [--department ID] [--lang zh|en]

Each canonical department (marts.dim_department) with the targets it leads (牵头) and supports
(配合) and their official status for the year; a bureau under a commission (市能源局 under
市发展和改革委员会) is listed under it and its targets count once, in its own line and in the
commission's roll-up. rollup() gives the counts the report's department pages show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from orchestration.queries import _table, latest_tracked_year
from orchestration.reporting.labels import RULES
from orchestration.warehouse import connect

STATUSES = ("green", "yellow", "red", "not_available")
WORDS = {
    "zh": {"lead": "牵头", "supporting": "配合", "green": "绿", "yellow": "黄", "red": "红", "not_available": "无法评估",
           "no_rows": "{y}年没有部门目标记录", "unknown": "没有部门“{d}”", "title": "{y}年各部门目标进展（官方评价）",
           "header": ["角色", "指标", "地区", "评价", "规则"],
           "line": "{name} [{id}]{parent}：牵头{lead}项（按目标地区记录：{counts}）；配合{sup}项",
           "parent": "（隶属{p}）", "rollup": "  含下属单位合计：牵头{lead}项，配合{sup}项", "sep": "、"},
    "en": {"lead": "lead", "supporting": "supporting", "green": "green", "yellow": "yellow", "red": "red",
           "not_available": "n/a", "no_rows": "no department rows for {y}", "unknown": "no department '{d}'",
           "title": "Departments' targets and their official status, {y}",
           "header": ["role", "target", "region", "status", "rule"],
           "line": "{name} [{id}]{parent}: leads {lead} targets (target-region rows: {counts}); supports {sup}",
           "parent": " (under {p})", "rollup": "  with its bureaus: leads {lead}, supports {sup}", "sep": ", "},
}

ROWS_SQL = """
SELECT d.department_id, d.name_zh, d.name_en, d.parent_department_id, d.rollup_department_id,
       f.role, f.indicator_id, f.name_zh AS target_zh, f.name_en AS target_en, f.region_code,
       r.name_zh AS region_zh, r.name_en AS region_en, f.category, f.official_status, f.official_rule, f.is_met
FROM marts.dim_department d
LEFT JOIN marts.fct_department_targets f ON f.department_id = d.department_id AND f.year = ?
LEFT JOIN marts.dim_region r ON r.region_code = f.region_code
ORDER BY coalesce(d.parent_department_id, d.department_id), d.parent_department_id NULLS FIRST, d.department_id,
         f.role, f.indicator_id, f.region_code
"""


@dataclass
class DepartmentSummary:
    department_id: str
    name_zh: str
    name_en: str
    parent_department_id: str | None
    # distinct targets (indicator_id) led / supported, and target-region rows by official status
    lead_targets: set[str] = field(default_factory=set)
    supporting_targets: set[str] = field(default_factory=set)
    lead_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    rows: list[dict] = field(default_factory=list)


def _rows(con: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    cur = con.execute(ROWS_SQL, [year])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def summarise(rows: list[dict], rolled_up: bool = False) -> dict[str, DepartmentSummary]:
    """Per department (or, rolled_up, per commission with its bureaus): targets and status counts."""
    out: dict[str, DepartmentSummary] = {}
    names = {r["department_id"]: r for r in rows}
    for r in rows:
        key = r["rollup_department_id"] if rolled_up else r["department_id"]
        head = names[key]
        s = out.setdefault(key, DepartmentSummary(key, head["name_zh"], head["name_en"],
                                                  None if rolled_up else head["parent_department_id"]))
        if r["indicator_id"] is None:
            continue
        s.rows.append(r)
        if r["role"] == "lead":
            s.lead_targets.add(r["indicator_id"])
            s.lead_status[r["official_status"]] += 1
        else:
            s.supporting_targets.add(r["indicator_id"])
    return out


def rollup(con: duckdb.DuckDBPyConnection, year: int, rolled_up: bool = False) -> dict[str, DepartmentSummary]:
    return summarise(_rows(con, year), rolled_up)


def departments(year: int | None = None, department: str | None = None, lang: str = "zh") -> str:
    w = WORDS[lang]
    with connect(read_only=True) as con:
        year = year or latest_tracked_year(con)
        rows = _rows(con, year)
    if not any(r["indicator_id"] for r in rows):
        raise LookupError(w["no_rows"].format(y=year))
    own, rolled = summarise(rows), summarise(rows, rolled_up=True)
    if department and department not in own:
        raise LookupError(w["unknown"].format(d=department))
    lines = [w["title"].format(y=year), ""]
    for dep_id, s in own.items():
        if department and department not in (dep_id, s.parent_department_id):
            continue
        name = s.name_zh if lang == "zh" else s.name_en
        parent = own[s.parent_department_id] if s.parent_department_id else None
        lines.append(w["line"].format(
            name=name, id=dep_id, lead=len(s.lead_targets), sup=len(s.supporting_targets),
            parent=w["parent"].format(p=parent.name_zh if lang == "zh" else parent.name_en) if parent else "",
            counts=w["sep"].join(f"{w[c]}{'' if lang == 'zh' else ' '}{n}" for c, n in s.lead_status.items())))
        r = rolled.get(dep_id)
        if r and len(r.lead_targets) != len(s.lead_targets):
            lines.append(w["rollup"].format(lead=len(r.lead_targets), sup=len(r.supporting_targets)))
        table = [[w[x["role"]], x["target_zh"] if lang == "zh" else x["target_en"],
                  x["region_zh"] if lang == "zh" else x["region_en"], w[x["official_status"]],
                  RULES.get(x["official_rule"], x["official_rule"]) if lang == "zh" else x["official_rule"]]
                 for x in s.rows]
        if table:
            lines += ["  " + line for line in _table(w["header"], table).splitlines()]
        lines.append("")
    return "\n".join(lines).rstrip()
