"""The common questions, answered from the warehouse without SQL (all read-only):

    bayannur status INDICATOR [--year Y] [--region R]   where one target stands, with the explanation
    bayannur barometer [--year Y] [--rule 2020|2021]    the barometer of every target for a year
    bayannur deliveries                                 what arrived (per delivery) and what was rejected
    bayannur sql [QUERY]                                a read-only SQL session (or one query)

Each takes --lang zh (default) or en. INDICATOR is an indicator_id or part of its Chinese or
English name.
"""

from __future__ import annotations

import unicodedata

import duckdb

from orchestration.warehouse import connect

COLOURS = {"zh": {"green": "绿", "yellow": "黄", "red": "红", "not_available": "—"},
           "en": {"green": "green", "yellow": "yellow", "red": "red", "not_available": "n/a"}}
WORDS = {
    "zh": {"indicator": "指标", "region": "地区", "actual": "进展值", "required": "要求值", "target": "目标值",
           "barometer": "晴雨表", "status": "数据", "no_match": "没有与“{q}”匹配的指标", "many": "有多个指标与“{q}”匹配：",
           "no_rows": "{y}年没有跟踪结果", "summary": "{y}年，{n}个目标（{rule}年规则）：", "arrived": "已交付数据",
           "rejected": "被拒绝的交付", "none_rejected": "没有被拒绝的交付。", "rows": "行", "years": "年份",
           "files": "文件", "loaded": "最近载入", "unknown": "raw/ 中无合同读取的文件",
           "none_unknown": "raw/ 中没有未知文件。", "why": "原因"},
    "en": {"indicator": "indicator", "region": "region", "actual": "progress", "required": "required", "target": "target",
           "barometer": "barometer", "status": "data", "no_match": "no indicator matches '{q}'",
           "many": "several indicators match '{q}':", "no_rows": "no tracking rows for {y}",
           "summary": "{y}, {n} targets ({rule} rule):", "arrived": "Delivered data", "rejected": "Rejected deliveries",
           "none_rejected": "No delivery was rejected.", "rows": "rows", "years": "years", "files": "files",
           "loaded": "last loaded", "unknown": "Files under raw/ that no contract reads",
           "none_unknown": "No unknown file under raw/.", "why": "why"},
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header: list[str], rows: list[list]) -> str:
    """A plain text table whose columns line up with Chinese (double-width) text too."""
    cells = [[("" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v))) for v in row]
             for row in [header, *rows]]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def latest_tracked_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """The latest year with any row that could be judged (tracking_status <> 'not_available')."""
    return con.execute("SELECT max(year) FROM marts.fct_target_tracking "
                       "WHERE tracking_status <> 'not_available'").fetchone()[0]


def status(query: str, year: int | None, region: str | None, lang: str) -> str:
    w = WORDS[lang]
    with connect(read_only=True) as con:
        matches = con.execute(
            "SELECT indicator_id, name_zh, name_en FROM marts.dim_indicator WHERE indicator_id = ? "
            "OR (NOT EXISTS (SELECT 1 FROM marts.dim_indicator WHERE indicator_id = ?) "
            "AND (name_zh LIKE '%' || ? || '%' OR lower(name_en) LIKE '%' || lower(?) || '%')) ORDER BY 1",
            [query, query, query, query]).fetchall()
        if not matches:
            raise LookupError(w["no_match"].format(q=query))
        if len(matches) > 1:
            return "\n".join([w["many"].format(q=query), *(f"  {i}  {zh}  {en}" for i, zh, en in matches)])
        indicator = matches[0][0]
        year = year or latest_tracked_year(con)
        rows = con.execute(
            f"SELECT region_code, actual_value, required_value, target_value, barometer_2020, barometer_2021, "
            f"data_status, explanation_{lang} FROM marts.fct_target_tracking "
            "WHERE indicator_id = ? AND year = ? AND (? IS NULL OR region_code = ?) ORDER BY region_code",
            [indicator, year, region, region]).fetchall()
    if not rows:
        return w["no_rows"].format(y=year)
    return "\n\n".join(r[-1] for r in rows)


def barometer(year: int | None, rule: str, lang: str) -> str:
    w, colours = WORDS[lang], COLOURS[lang]
    with connect(read_only=True) as con:
        year = year or latest_tracked_year(con)
        rows = con.execute(
            f"SELECT t.name_{lang}, r.name_{lang}, t.progress_value, t.required_value, t.target_value, "
            f"t.barometer_{rule}, t.data_status FROM marts.fct_target_tracking AS t "
            "JOIN marts.dim_region AS r USING (region_code) WHERE t.year = ? "
            "ORDER BY NOT t.in_table1, t.indicator_id, t.region_code", [year]).fetchall()
    if not rows:
        return w["no_rows"].format(y=year)
    counts = {c: sum(1 for r in rows if r[5] == c) for c in colours}
    head = w["summary"].format(y=year, n=len(rows), rule=rule) + "  " + "  ".join(
        f"{colours[c]} {n}" for c, n in counts.items())
    body = _table([w["indicator"], w["region"], w["actual"], w["required"], w["target"], w["barometer"], w["status"]],
                  [[*r[:5], colours[r[5]], r[6]] for r in rows])
    return head + "\n" + body


def deliveries(lang: str) -> str:
    w = WORDS[lang]
    with connect(read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' ORDER BY 1").fetchall()]
        arrived = [[t, *con.execute(
            f'SELECT count(*), min(year) || \'-\' || max(year), count(DISTINCT _source_file), '
            f'strftime(max(_loaded_at), \'%Y-%m-%d %H:%M\') FROM raw."{t}"').fetchone()] for t in tables]
        has_audit = con.execute("SELECT count(*) FROM information_schema.tables "
                                "WHERE table_schema = 'audit' AND table_name = 'rejected_deliveries'").fetchone()[0]
        rejected = con.execute(
            "SELECT strftime(rejected_at, '%Y-%m-%d %H:%M'), source || '__' || dataset, file, problem_count, "
            "split_part(problems, chr(10), 1) FROM audit.rejected_deliveries ORDER BY rejected_at DESC"
        ).fetchall() if has_audit else []
    out = [w["arrived"], _table(["delivery", w["rows"], w["years"], w["files"], w["loaded"]], arrived), "",
           w["rejected"]]
    out.append(_table(["rejected_at", "delivery", "file", "problems", "first problem"], [list(r) for r in rejected])
               if rejected else w["none_rejected"])
    # What lies in raw/ now, whatever the warehouse knows: nothing there is silent.
    from orchestration.deliveries import unknown_files

    unknown = unknown_files()
    out += ["", w["unknown"], _table(["file", w["why"]], [[f"raw/{rel}", why] for rel, why in unknown])
            if unknown else w["none_unknown"]]
    return "\n".join(out)


def sql(query: str | None, csv_path: str | None = None) -> int:
    """One query (every row, or --csv FILE), or an interactive read-only session
    (orchestration/sql_session.py: .tables, .csv FILE, paging, history)."""
    from orchestration import sql_session

    with connect(read_only=True) as con:
        if query:
            sql_session.show(con.sql(query), csv_path)
            return 0
        return sql_session.interactive(con)
