"""One Lambda execution environment, run by path in a fresh interpreter (python -S -P child.py ...).

argv: handler module, event file, invocations. Imports the handler module (the init phase), then serves
the event `invocations` times (the first is the cold invocation), and prints one line
`BENCH {json}` with CLOCK_MONOTONIC stamps (comparable with the parent's), per-invocation times, the
results and ru_maxrss. Imports nothing but what the handler needs, plus json (Lambda's runtime parses
the event with json too) and resource at the end.
"""

import time

T_MAIN = time.monotonic_ns()

import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402


class Context:
    """What the Lambda runtime passes: the attributes Powertools reads, and the remaining time."""

    function_name = "pagerduty-trigger"
    function_version = "$LATEST"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:pagerduty-trigger"
    log_group_name = "/aws/lambda/pagerduty-trigger"
    log_stream_name = "bench"

    def __init__(self, number: int) -> None:
        self.aws_request_id = f"00000000-0000-4000-8000-{number:012d}"
        self._deadline = time.monotonic() + 30.0

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def main() -> None:
    module_name, event_path, invocations = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(event_path, "rb") as file:
        event = json.load(file)
    t_import = time.monotonic_ns()
    handler = importlib.import_module(module_name).lambda_handler
    t_imported = time.monotonic_ns()
    times = []
    results = []
    for number in range(invocations):
        start = time.monotonic_ns()
        result = handler(event, Context(number))
        times.append(time.monotonic_ns() - start)
        if number == 0 or not result.get("success"):
            results.append(result)
    t_end = time.monotonic_ns()
    import resource

    status = {}
    try:
        with open("/proc/self/status", encoding="ascii") as file:
            status = dict(line.split(":", 1) for line in file if line.startswith(("VmHWM", "VmRSS")))
    except OSError:
        pass
    out = {
        "t_main": T_MAIN,
        "t_import": t_import,
        "t_imported": t_imported,
        "t_first_done": t_imported + times[0],
        "t_end": t_end,
        "invocation_ns": times,
        "results": results,
        "failures": sum(1 for r in results if not r.get("success")),
        # ru_maxrss survives execve: it also holds the parent's RSS at fork time (a big benchmark driver), so
        # the peak of this interpreter alone is VmHWM; ru_maxrss is kept for reference.
        "ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "hwm_kb": int(status["VmHWM"].split()[0]) if "VmHWM" in status else None,
        "rss_kb": int(status["VmRSS"].split()[0]) if "VmRSS" in status else None,
        "modules": len(sys.modules),
    }
    sys.stdout.write("BENCH " + json.dumps(out, default=str) + "\n")


main()
