"""Fresh-interpreter runs: cold start (init + first event), and 1 + N invocations for SSM calls and RSS."""

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .servers import CountingSsm

OURS = "pagerduty_trigger.handler"
FLOOR = "floor_handler"


@dataclass(frozen=True)
class Variant:
    """One way of laying out the function: which artifact and runtime trees (with or without bytecode)."""

    name: str
    ours: tuple[Path, ...]  # PYTHONPATH of our function: artifact first, then the runtime
    floor: tuple[Path, ...]


def child_env(base: Mapping[str, str], path: tuple[Path, ...]) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", **base}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in path)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # like a read-only /var/task: no run leaves bytecode behind
    return env


def run_child(
    child: Path, module: str, event: Path, invocations: int, *, env: Mapping[str, str], ssm: CountingSsm
) -> dict[str, Any]:
    """One execution environment; SSM calls counted at the server while it ran."""
    before = ssm.calls()
    t_spawn = time.monotonic_ns()
    done = subprocess.run(
        [sys.executable, "-S", "-P", str(child), module, str(event), str(invocations)],
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    t_exit = time.monotonic_ns()
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{module} child failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    out: dict[str, Any] = json.loads(lines[-1][len("BENCH ") :])
    if out["failures"]:
        raise RuntimeError(f"{module} did not deliver: {out['results']}")
    out["t_spawn"] = t_spawn
    out["t_exit"] = t_exit
    out["ssm_calls"] = ssm.calls() - before
    out["cold_ms"] = (out["t_first_done"] - t_spawn) / 1e6
    out["init_ms"] = (out["t_imported"] - t_spawn) / 1e6
    out["import_ms"] = (out["t_imported"] - out["t_import"]) / 1e6
    out["first_event_ms"] = out["invocation_ns"][0] / 1e6
    out["interpreter_ms"] = (out["t_main"] - t_spawn) / 1e6
    return out


def median(values: list[float]) -> float:
    return statistics.median(values)


def cold_starts(
    child: Path, event: Path, variant: Variant, *, env: Mapping[str, str], ssm: CountingSsm, repetitions: int
) -> dict[str, Any]:
    """ours, floor, floor, ours, ours, floor ... (ABBA order: neither always runs first), after one
    discarded pair that warms the page cache; medians of each phase."""
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "floor": []}
    paths = {"ours": (OURS, variant.ours), "floor": (FLOOR, variant.floor)}
    for name in ("ours", "floor"):
        module, path = paths[name]
        run_child(child, module, event, 1, env=child_env(env, path), ssm=ssm)
    for rep in range(repetitions):
        order = ("ours", "floor") if rep % 2 == 0 else ("floor", "ours")
        for name in order:
            module, path = paths[name]
            runs[name].append(run_child(child, module, event, 1, env=child_env(env, path), ssm=ssm))
    summary: dict[str, Any] = {"variant": variant.name, "repetitions": repetitions}
    for name, results in runs.items():
        summary[name] = {
            key: round(median([r[key] for r in results]), 2)
            for key in ("cold_ms", "interpreter_ms", "import_ms", "first_event_ms", "init_ms")
        }
        summary[name]["cold_ms_all"] = [round(r["cold_ms"], 1) for r in results]
        summary[name]["ssm_calls_first_event"] = sorted({r["ssm_calls"] for r in results})
        summary[name]["modules"] = results[0]["modules"]
    summary["ratio"] = round(summary["ours"]["cold_ms"] / summary["floor"]["cold_ms"], 3)
    return summary


def many_invocations(
    child: Path,
    event: Path,
    variant: Variant,
    *,
    env: Mapping[str, str],
    ssm: CountingSsm,
    invocations: int,
    repetitions: int,
) -> dict[str, Any]:
    """1 cold + `invocations` warm events per fresh process: SSM calls seen by the server and ru_maxrss."""
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "floor": []}
    paths = {"ours": (OURS, variant.ours), "floor": (FLOOR, variant.floor)}
    for rep in range(repetitions):
        order = ("ours", "floor") if rep % 2 == 0 else ("floor", "ours")
        for name in order:
            module, path = paths[name]
            runs[name].append(run_child(child, module, event, invocations + 1, env=child_env(env, path), ssm=ssm))
    summary: dict[str, Any] = {"variant": variant.name, "invocations": invocations + 1, "repetitions": repetitions}
    for name, results in runs.items():
        # calls during the warm ones = all calls of the process minus the cold first event's (1 expected)
        summary[name] = {
            "maxrss_mb": round(median([r["hwm_kb"] / 1024 for r in results]), 2),
            "maxrss_mb_all": [round(r["hwm_kb"] / 1024, 2) for r in results],
            "ru_maxrss_mb_all": [round(r["ru_maxrss_kb"] / 1024, 2) for r in results],
            "final_rss_mb_all": [round(r["rss_kb"] / 1024, 2) for r in results],
            "ssm_calls_total": [r["ssm_calls"] for r in results],
            "warm_invocation_us_median": round(median([median(r["invocation_ns"][1:]) / 1e3 for r in results]), 1),
        }
    summary["rss_ratio"] = round(summary["ours"]["maxrss_mb"] / summary["floor"]["maxrss_mb"], 3)
    return summary
