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
from orchestration.warehouse import connect

STATUSES = ("green", "yellow", "red", "not_available")
WORDS = {
    "zh": {"lead": "牵头", "supporting": "配合", "green": "绿", "yellow": "黄", "red": "红", "not_available": "无法评估",
           "under": "隶属", "items": "项", "no_rows": "{y}年没有部门目标记录", "unknown": "没有部门“{d}”",
           "header": ["角色", "指标", "地区", "评价", "规则"], "title": "{y}年各部门目标进展（官方评价）",
           "rollup": "（含下属单位合计）"},
    "en": {"lead": "lead", "supporting": "supporting", "green": "green", "yellow": "yellow", "red": "red",
           "not_available": "n/a", "under": "under", "items": "", "no_rows": "no department rows for {y}",
           "unknown": "no department '{d}'", "header": ["role", "target", "region", "status", "rule"],
           "title": "Departments' targets and their official status, {y}", "rollup": " (with its bureaus)"},
}

ROWS_SQL = """
SELECT d.department_id, d.name_zh, d.name_en, d.parent_department_id, d.rollup_department_id,
       f.role, f.indicator_id, f.name_zh AS target_zh, f.name_en AS target_en, f.region_code,
       f.category, f.official_status, f.official_rule, f.is_met
FROM marts.dim_department d
LEFT JOIN marts.fct_department_targets f ON f.department_id = d.department_id AND f.year = ?
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
        parent = f" ({w['under']} {own[s.parent_department_id].name_zh if lang == 'zh' else own[s.parent_department_id].name_en})" \
            if s.parent_department_id else ""
        counts = "，".join(f"{w[c]}{n}" for c, n in s.lead_status.items()) if lang == "zh" else \
            ", ".join(f"{w[c]} {n}" for c, n in s.lead_status.items())
        lines.append(f"{name} [{dep_id}]{parent}: {w['lead']} {len(s.lead_targets)}{w['items']} ({counts}); "
                     f"{w['supporting']} {len(s.supporting_targets)}{w['items']}")
        r = rolled.get(dep_id)
        if r and len(r.lead_targets) != len(s.lead_targets):
            lines.append(f"  {w['rollup']}: {w['lead']} {len(r.lead_targets)}{w['items']}, "
                         f"{w['supporting']} {len(r.supporting_targets)}{w['items']}")
        table = [[w[x["role"]], x["target_zh"] if lang == "zh" else x["target_en"], x["region_code"],
                  w[x["official_status"]], x["official_rule"]] for x in s.rows]
        if table:
            lines += ["  " + line for line in _table(w["header"], table).splitlines()]
        lines.append("")
    return "\n".join(lines).rstrip()
