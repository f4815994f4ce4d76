"""`make demo`: the real handler on every events/*.json against local SSM and the local PagerDuty."""

import json
import sys
from pathlib import Path
from typing import Any

from .lambda_context import LocalContext
from .pagerduty_emulator import Emulator
from .ssm import DEMO_KEY, DEMO_PARAMETER, LocalSsm, environment

EVENTS = Path(__file__).resolve().parent.parent / "events"


def masked(body: Any) -> Any:
    """The request as PagerDuty got it, with the routing key shown only by its last 4 characters."""
    if isinstance(body, dict) and isinstance(body.get("routing_key"), str):
        return {**body, "routing_key": "..." + body["routing_key"][-4:]}
    return body


def clearing_last(path: Path) -> tuple[bool, str]:
    """Events that clear an incident (OK, closed, resolve) run after the ones that open it."""
    return any(word in path.stem for word in ("-ok", "-closed", "-resolve")), path.name


def main(argv: list[str]) -> int:
    """Every events/*.json, or the event files named on the command line, in that order."""
    paths = [Path(a) for a in argv] or sorted(EVENTS.glob("*.json"), key=clearing_last)
    emulator = Emulator().start()
    ssm = LocalSsm().start()
    ssm.put(DEMO_PARAMETER, DEMO_KEY)
    env = {
        **ssm.environment(),
        "INTEGRATION_KEY_PARAMETER": DEMO_PARAMETER,
        "PAGERDUTY_EVENTS_URL": emulator.url,
        "AWS_LAMBDA_FUNCTION_NAME": "pagerduty-trigger",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
    failures = 0
    with environment(env):
        from pagerduty_trigger.handler import lambda_handler  # noqa: PLC0415 -- after the environment is set

        for path in paths:
            seen = len(emulator.requests)
            event = json.loads(path.read_text())
            print(f"\n=== {path.name}")
            try:
                response: Any = lambda_handler(event, LocalContext())
            except Exception as error:  # the demo shows the named error the Lambda would raise
                response = {"raised": type(error).__name__, "message": str(error)}
                failures += 1
            print("response:", json.dumps(response, ensure_ascii=False))
            for received in emulator.requests[seen:]:
                print(f"PagerDuty got ({received.answered}):", json.dumps(masked(received.body), ensure_ascii=False))
            if len(emulator.requests) == seen:
                print("PagerDuty got: nothing (no call made)")
    print("\n=== alert state in the local PagerDuty")
    for alert in emulator.alerts.values():
        print(f"{alert.status:13} {alert.dedup_key}  ({' -> '.join(alert.history)})")
    emulator.stop()
    ssm.stop()
    print(f"\n{len(paths)} events, {failures} raised an error")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    sys.exit(main(sys.argv[1:]))
