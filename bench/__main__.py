"""`make bench`: cold start, warm overhead, SSM calls, peak RSS and artifact size, each against its baseline.

Every figure is measured side by side in this run and reported as a ratio to its baseline; the table is
printed and the whole result (with every sample) is written to bench/results/latest.json. Not a test:
the exit status is 0 whatever the ratios (use --strict to fail on a missed target).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import cold, layout, report
from .servers import ROOT, CountingSsm, EmulatorProcess

EVENT = ROOT / "events" / "eventbridge-metric-alarm.json"
RESULTS = ROOT / "bench" / "results"
PARAMETER = "/pagerduty-trigger/bench/integration-key"
KEY = "b3nchb3nchb3nchb3nchb3nchb3nch01"  # made up, 32 alphanumerics: opens nothing anywhere


def function_env(ssm: CountingSsm, emulator: EmulatorProcess, body: Path) -> dict[str, str]:
    """The function's configuration, pointed at the loopback servers; boto3 sees no real config."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_SSM": ssm.endpoint,
        "AWS_CONFIG_FILE": "/nonexistent/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_LAMBDA_FUNCTION_NAME": "pagerduty-trigger",
        "INTEGRATION_KEY_PARAMETER": PARAMETER,
        "PAGERDUTY_EVENTS_URL": emulator.url,
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "PagerDutyTrigger",
        "BENCH_FLOOR_BODY": str(body),
    }


def distinct_bodies(emulator: EmulatorProcess) -> tuple[int, int, list[int]]:
    """(requests, distinct bodies, statuses) the emulator saw since its last reset."""
    seen = emulator.requests()
    bodies = {json.dumps(r["body"], sort_keys=True) for r in seen}
    return len(seen), len(bodies), sorted({r["answered"] for r in seen})


def capture_body(lay: layout.Layout, env: dict[str, str], ssm: CountingSsm, emulator: EmulatorProcess) -> Any:
    """Our handler's request body for the event, as the emulator received it."""
    emulator.reset()
    path = (lay.path("artifact-pyc"), lay.path("runtime-pyc"))
    cold.run_child(lay.child, cold.OURS, EVENT, 1, env=cold.child_env(env, path), ssm=ssm)
    (received,) = emulator.requests()
    body = received["body"]
    if received["answered"] != 202 or body.get("routing_key") != KEY:
        raise RuntimeError(f"unexpected first request: {received}")
    return body


def warm(
    env: dict[str, str],
    body: Path,
    url: str,
    *,
    rounds: int,
    warmup: int,
    tmp: Path,
    tag: str,
    src: Path = ROOT / "src",
    breakdown: bool = False,
) -> dict[str, Any]:
    out = tmp / f"warm-{tag}.json"
    config = tmp / f"warm-{tag}-config.json"
    config.write_text(
        json.dumps(
            {
                "event": str(EVENT),
                "body": str(body),
                "key": KEY,
                "url": url,
                "rounds": rounds,
                "warmup": warmup,
                "out": str(out),
                "breakdown": breakdown,
            }
        )
    )
    run_env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(src), str(ROOT)])}
    run_env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench.warm", str(config)],
        cwd=ROOT,
        env=run_env,
        stdout=subprocess.DEVNULL,  # as deployed, the log and EMF lines go here, as they go to CloudWatch
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"warm worker failed: {done.stderr[-2000:]}")
    times: dict[str, list[int]] = json.loads(out.read_text())
    summary: dict[str, Any] = {"rounds": rounds, "warmup": warmup}
    for name, values in times.items():
        ordered = sorted(values)
        summary[name] = {
            "median_us": round(statistics.median(values) / 1e3, 1),
            "p10_us": round(ordered[len(ordered) // 10] / 1e3, 1),
            "p90_us": round(ordered[len(ordered) * 9 // 10] / 1e3, 1),
            "p99_us": round(ordered[len(ordered) * 99 // 100] / 1e3, 1),
        }
    summary["ratio_vs_raw"] = round(summary["ours"]["median_us"] / summary["raw"]["median_us"], 3)
    summary["ratio_vs_pagerduty"] = round(summary["ours"]["median_us"] / summary["pagerduty"]["median_us"], 3)
    summary["overhead_vs_raw_us"] = round(summary["ours"]["median_us"] - summary["raw"]["median_us"], 1)
    for name in ("ours_parsed", "ours_prebuilt"):
        if name in summary:
            summary[f"{name}_ratio_vs_raw"] = round(summary[name]["median_us"] / summary["raw"]["median_us"], 3)
    return summary


def main() -> int:  # noqa: PLR0915 -- one linear script
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--cold-reps", type=int, default=8, help="cold starts of each handler per variant")
    parser.add_argument("--warm-rounds", type=int, default=2000, help="timed rounds of the warm comparison")
    parser.add_argument("--invocations", type=int, default=1000, help="warm invocations for SSM calls and RSS")
    parser.add_argument("--rss-reps", type=int, default=3, help="processes of each handler for SSM calls and RSS")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke run, not for numbers")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args()
    if args.quick:
        args.cold_reps, args.warm_rounds, args.invocations, args.rss_reps = 2, 200, 200, 1

    started = time.monotonic()
    emulator = EmulatorProcess().start()
    ssm = CountingSsm().start()
    result: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
        "event": EVENT.name,
    }
    try:
        ssm.put(PARAMETER, KEY)
        with tempfile.TemporaryDirectory(prefix="pagerduty-trigger-bench-") as tmp_name:
            tmp = Path(tmp_name)
            print("building the artifact and runtime trees ...", flush=True)
            lay, how = layout.build(tmp)
            result["artifact_source"] = how
            result["artifact"] = {
                "without_bytecode": layout.tree_size(lay.path("artifact-nopyc")),
                "with_bytecode": layout.tree_size(lay.path("artifact-pyc")),
                "floor": layout.tree_size(lay.path("floor-nopyc")),
            }
            body_file = tmp / "body.json"
            body_file.write_text("{}")
            env = function_env(ssm, emulator, body_file)
            body = capture_body(lay, env, ssm, emulator)
            body_file.write_text(json.dumps({k: v for k, v in body.items() if k != "routing_key"}))

            variants = [
                cold.Variant(
                    "pyc everywhere",
                    (lay.path("artifact-pyc"), lay.path("runtime-pyc")),
                    (lay.path("floor-pyc"), lay.path("runtime-pyc")),
                ),
                cold.Variant(
                    "no pyc (artifact + boto3)",
                    (lay.path("artifact-nopyc"), lay.path("runtime-nopyc")),
                    (lay.path("floor-nopyc"), lay.path("runtime-nopyc")),
                ),
                cold.Variant(
                    "no pyc in artifact only",
                    (lay.path("artifact-nopyc"), lay.path("runtime-pyc")),
                    (lay.path("floor-nopyc"), lay.path("runtime-pyc")),
                ),
            ]
            result["cold_start"] = []
            emulator.reset()
            for variant in variants:
                print(f"cold start: {variant.name} ...", flush=True)
                result["cold_start"].append(
                    cold.cold_starts(lay.child, EVENT, variant, env=env, ssm=ssm, repetitions=args.cold_reps)
                )
            result["cold_start_bodies"] = distinct_bodies(emulator)

            print("SSM calls and peak RSS ...", flush=True)
            emulator.reset()
            result["many"] = cold.many_invocations(
                lay.child,
                EVENT,
                variants[0],
                env=env,
                ssm=ssm,
                invocations=args.invocations,
                repetitions=args.rss_reps,
            )
            result["many"]["bytecode_left_behind"] = sum(
                layout.bytecode_files(lay.path(n)) for n in ("artifact-nopyc", "runtime-nopyc", "floor-nopyc")
            )

            print("warm per-event cost ...", flush=True)
            emulator.reset()
            warmup = max(20, args.warm_rounds // 20)
            result["warm"] = warm(
                env,
                body_file,
                emulator.url,
                rounds=args.warm_rounds,
                warmup=warmup,
                tmp=tmp,
                tag="metrics-off",
                breakdown=True,
            )
            result["warm_bodies"] = distinct_bodies(emulator)
            emulator.reset()
            # The template's settings: EMF metrics on, and one INFO log line per event.
            deployed_env = {**env, "POWERTOOLS_METRICS_DISABLED": "false", "POWERTOOLS_LOG_LEVEL": "INFO"}
            rounds = max(100, args.warm_rounds // 4)
            result["warm_as_deployed"] = warm(
                deployed_env, body_file, emulator.url, rounds=rounds, warmup=warmup, tmp=tmp, tag="as-deployed"
            )

    finally:
        ssm.stop()
        emulator.stop()
    result["seconds"] = round(time.monotonic() - started, 1)
    rows = report.rows(result)
    result["table"] = rows
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(report.render(rows))
    print(report.notes(result))
    print(f"\nwritten: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    missed = [r for r in rows if r["result"] == "FAIL"]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
