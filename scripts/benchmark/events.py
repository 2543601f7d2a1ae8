"""What a run wrote to its Dagster instance: events per phase, per step, per type, and step times."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RunProfile:
    run_id: str
    status: str
    events: int
    before_first_step: int
    by_type: Counter = field(default_factory=Counter)
    by_phase: Counter = field(default_factory=Counter)
    phase_seconds: Counter = field(default_factory=Counter)
    phase_steps: Counter = field(default_factory=Counter)
    step_seconds: dict[str, float] = field(default_factory=dict)
    run_seconds: float = 0.0
    asset_checks: int = 0
    materialisations: int = 0
    after_published: float | None = None  # seconds from warehouse/published's materialisation to the run's end


def phase_of(step_key: str | None) -> str:
    """Ingestion steps, the dbt build, dbt docs, other steps; None: run-level events."""
    if not step_key:
        return "run (no step)"
    if "on_time" in step_key:
        return "on-time check steps"
    if step_key.startswith("raw__") or step_key == "ingest_deliveries":
        return "ingestion steps"
    if "docs" in step_key:
        return "dbt docs"
    if step_key.startswith("dbt") or "dbt_models" in step_key:
        return "dbt build"
    return f"step {step_key}"


def profiles(dagster_home: Path) -> list[RunProfile]:
    """Every run of the instance in `dagster_home`, oldest first."""
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    instance = DagsterInstance.from_ref(InstanceRef.from_dir(str(dagster_home)))
    try:
        runs = sorted(instance.get_runs(), key=lambda r: instance.get_run_record_by_id(r.run_id).create_timestamp)
        return [profile(instance, r) for r in runs]
    finally:
        instance.dispose()


def profile(instance, run) -> RunProfile:
    logs = instance.all_logs(run.run_id)
    result = RunProfile(run.run_id, run.status.value, len(logs), 0)
    started: dict[str, float] = {}
    first_step_at = published_at = None
    stamps = [e.timestamp for e in logs]
    for entry in logs:
        event = entry.dagster_event
        kind = event.event_type_value if event else "LOG_MESSAGE"
        result.by_type[kind] += 1
        result.by_phase[phase_of(entry.step_key)] += 1
        if kind == "STEP_START":
            started[entry.step_key] = entry.timestamp
            result.phase_steps[phase_of(entry.step_key)] += 1
            first_step_at = first_step_at or entry.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and entry.step_key in started:
            seconds = entry.timestamp - started[entry.step_key]
            result.step_seconds[entry.step_key] = seconds
            result.phase_seconds[phase_of(entry.step_key)] += seconds
        elif kind == "ASSET_CHECK_EVALUATION":
            result.asset_checks += 1
        elif kind == "ASSET_MATERIALIZATION":
            result.materialisations += 1
            if event.asset_key.path == ["warehouse", "published"]:
                published_at = entry.timestamp
    if first_step_at is not None:
        result.before_first_step = sum(1 for t in stamps if t < first_step_at)
        result.phase_seconds["before the first step"] = first_step_at - min(stamps)
    result.run_seconds = (max(stamps) - min(stamps)) if stamps else 0.0
    if published_at is not None:
        result.after_published = max(stamps) - published_at
    return result


def describe(p: RunProfile) -> list[str]:
    lines = [f"run {p.run_id[:8]} {p.status}: {p.events} events in {p.run_seconds:.1f} s; "
             f"{p.before_first_step} before the first step; {p.asset_checks} asset check evaluations; "
             f"{p.materialisations} materialisations"]
    lines.append("  events by phase: " + ", ".join(
        f"{k} {v}" + (f" ({p.phase_steps[k]} steps)" if p.phase_steps[k] > 1 else "") for k, v in p.by_phase.most_common()))
    share = {k: v / p.run_seconds * 100 for k, v in p.phase_seconds.items()} if p.run_seconds else {}
    lines.append("  seconds by phase: " + ", ".join(
        f"{k} {v:.1f} s ({share.get(k, 0):.0f} %)" for k, v in p.phase_seconds.most_common()))
    lines.append("  events by type: " + ", ".join(f"{k} {v}" for k, v in p.by_type.most_common(12)))
    slow = sorted(p.step_seconds.items(), key=lambda kv: -kv[1])[:6]
    lines.append("  slowest steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in slow))
    return lines
