"""Arrivals: a sensor that notices a new or changed delivery in raw/ and materialises what depends
on it, once per delivery.

Each evaluation lists the files the contracts match, hashes them (with their provenance files)
and compares with the cursor, a JSON map of file -> digest. A new or changed file becomes one run
of its ingestion asset(s) for the year(s) it holds (the year in its name; a several-year file: all
years) and every asset downstream, dbt models and checks included. The run key is the file and
its digest, so the same bytes never trigger twice, even after the cursor is reset.

With no cursor yet (the sensor's first evaluation) every delivery present is new: one run loads
them all, so a warehouse behind raw/ catches up once the sensor is switched on.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster import AssetKey, AssetSelection, RunRequest, SensorEvaluationContext, SensorResult, SkipReason, sensor

from orchestration import settings
from orchestration.assets.ingestion import years_config
from orchestration.deliveries import load_contracts, provenance_path, refusal, unknown_files
from orchestration.schedules import materialize_all

UNKNOWN = "unknown:"  # cursor keys of files no contract reads


def scan(raw_dir: Path) -> dict[str, dict]:
    """Every delivery under raw_dir: relative path -> {digest, tables, years}.

    The digest covers the file and its provenance file; a file whose provenance has not landed
    yet is left out (it is picked up when the provenance arrives). An entry that cannot be a
    delivery (a directory, a symbolic link) is digested by its name and the reason, so that its
    run reports the error instead of the sensor failing on it."""
    found: dict[str, dict] = {}
    for contract in load_contracts():
        for path, year in contract.deliveries(raw_dir):
            rel = path.relative_to(raw_dir).as_posix()
            if (why := refusal(path, raw_dir)) is not None:
                entry = found.setdefault(rel, {"tables": [], "years": set()})
                entry["tables"].append(contract.table)
                entry["years"] |= {year} if year else set(settings.YEARS)
                entry["digest"] = hashlib.sha256(f"refused:{why}".encode()).hexdigest()
                continue
            prov = provenance_path(path)
            if not prov.exists():
                continue
            entry = found.setdefault(rel, {"tables": [], "years": set()})
            entry["tables"].append(contract.table)
            entry["years"] |= {year} if year else set(settings.YEARS)
            if "digest" not in entry:
                digest = hashlib.sha256(path.read_bytes())
                digest.update(hashlib.sha256(prov.read_bytes()).digest())
                entry["digest"] = digest.hexdigest()
    return found


def year_range(years: set[str]) -> str:
    """The tracked years a delivery holds as "FIRST-LAST" (every tracked year when it names none)."""
    tracked = sorted(y for y in years if y in settings.YEARS) or list(settings.YEARS)
    return tracked[0] if tracked[0] == tracked[-1] else f"{tracked[0]}-{tracked[-1]}"


def downstream_of(tables: list[str], asset_graph) -> list[AssetKey]:
    """The tables' ingestion assets and every asset downstream of them (dbt models, checks, publish)."""
    raw_keys = [AssetKey(["raw", t]) for t in sorted(set(tables))]
    resolved = AssetSelection.assets(*raw_keys).downstream().resolve(asset_graph)
    return sorted(resolved, key=lambda k: k.to_user_string())


def run_request(context: SensorEvaluationContext, run_key: str, tables: list[str] | None, years: set[str],
                label: str) -> RunRequest | None:
    """A run of the tables' ingestion assets and everything downstream; tables None: every asset
    (seeds included, which a first load needs)."""
    if not any(y in settings.YEARS for y in years):
        # A year outside the configured ones is an error of the delivery, reported by its run.
        context.log.warning(f"{label}: no tracked year ({settings.YEARS[0]}-{settings.YEARS[-1]}); "
                            "running its table over every year so that the error is reported")
    span = year_range(years)
    return RunRequest(
        run_key=run_key,
        asset_selection=downstream_of(tables, context.repository_def.asset_graph) if tables is not None else None,
        # One run over the years the file holds: the ingestion step loads a range in one transaction.
        run_config=years_config(span),
        tags={"bayannur/years": span, "bayannur/delivery": label},
    )


@sensor(
    job=materialize_all,
    minimum_interval_seconds=60,
    description="Materialises a new or changed delivery in raw/ (its ingestion asset for the years it "
                "holds, then the dbt models and checks downstream), once per delivery.",
)
def raw_arrivals(context: SensorEvaluationContext):
    current = scan(settings.RAW_DIR)
    digests = {rel: e["digest"] for rel, e in current.items()}
    # Unknown files are not silent: logged once when they appear (kept in the cursor by name).
    unknown = {f"{UNKNOWN}{rel}": why for rel, why in unknown_files(settings.RAW_DIR)}
    seen_before = json.loads(context.cursor) if context.cursor else {}
    for key, why in sorted(unknown.items()):
        if key not in seen_before:
            context.log.warning(f"unknown file raw/{key.removeprefix(UNKNOWN)}: {why}")
    digests |= {key: "unknown" for key in unknown}
    if context.cursor is None:
        if not current:
            return SensorResult(skip_reason=SkipReason(f"no deliveries in {settings.RAW_DIR}"), cursor=json.dumps({}))
        delivered = {rel: e["digest"] for rel, e in current.items()}
        everything = hashlib.sha256(json.dumps(delivered, sort_keys=True).encode()).hexdigest()
        request = run_request(context, f"initial:{everything}", None, set(settings.YEARS),
                              f"initial load of {len(current)} deliveries")
        return SensorResult(run_requests=[request] if request else [], cursor=json.dumps(digests, sort_keys=True))
    seen = json.loads(context.cursor)
    requests = []
    for rel, entry in sorted(current.items()):
        if seen.get(rel) == entry["digest"]:
            continue
        context.log.info(f"{'changed' if rel in seen else 'new'} delivery: {rel}")
        request = run_request(context, f"{rel}:{entry['digest']}", entry["tables"], entry["years"], rel)
        if request:
            requests.append(request)
    for rel in sorted(set(seen) - set(current) - set(digests)):
        if rel.startswith(UNKNOWN):
            continue
        context.log.info(f"delivery gone from raw/: {rel} (its loaded rows stay until its years are rerun)")
    if not requests:
        return SensorResult(skip_reason=SkipReason("no new or changed delivery"),
                            cursor=json.dumps(digests, sort_keys=True))
    return SensorResult(run_requests=requests, cursor=json.dumps(digests, sort_keys=True))
