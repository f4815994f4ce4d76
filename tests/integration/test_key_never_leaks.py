"""The integration key never appears in a log line, exception, traceback, response or metric.

Every scenario (success, each delivery failure, each configuration fault) runs the real handler with
the function's logger and the root logger (botocore, urllib3) at DEBUG, and captures all of it.
"""

import json
import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from local.pagerduty_emulator import Emulator, Fault
from local.ssm import DEMO_KEY, LocalSsm
from pagerduty_trigger.events_api import MAX_ATTEMPTS
from pagerduty_trigger.integration_key import IntegrationKey
from pagerduty_trigger.observability import logger
from tests.integration.harness import install
from tests.support import load

pytestmark = pytest.mark.integration

DIRECT = {"summary": "Disk full on db-1", "source": "db-1", "custom_details": {"free": "0%"}}
ALARM = load(Path("events") / "eventbridge-metric-alarm.json")
OWN_PARAMETER = "/pagerduty-trigger/test/leak"
ECHO = f'{{"routing_key":"{DEMO_KEY}","event_action":"trigger"}}'


@dataclass(frozen=True)
class Scenario:
    event: Any
    faults: tuple[Fault, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    value: str | None = None  # the parameter's value, in a parameter of the test's own
    virtual_time: bool = True
    timeout_seconds: float = 60.0


SCENARIOS = {
    "success-direct": Scenario(DIRECT),
    "success-alarm": Scenario(ALARM),
    "success-key-with-newline": Scenario(DIRECT, value=DEMO_KEY + "\n"),
    "retried-then-delivered": Scenario(ALARM, faults=(Fault(status=429), Fault(status=500))),
    "429-forever": Scenario(ALARM, faults=tuple(Fault(status=429) for _ in range(MAX_ATTEMPTS))),
    "400-json": Scenario(ALARM, faults=(Fault(status=400, body='{"errors":["routing_key is invalid"]}'),)),
    "400-echoes-the-request": Scenario(ALARM, faults=(Fault(status=400, body=ECHO, content_type="text/plain"),)),
    "direct-400-echoes-the-request": Scenario(DIRECT, faults=(Fault(status=400, body=f"bad key {DEMO_KEY}"),)),
    "500-echoes-the-request": Scenario(DIRECT, faults=tuple(Fault(status=500, body=ECHO) for _ in range(MAX_ATTEMPTS))),
    "slow-answer": Scenario(
        DIRECT,
        faults=tuple(Fault(status=202, delay=1.0) for _ in range(10)),
        env=(("HTTP_TIMEOUT_SECONDS", "0.3"),),
        virtual_time=False,
        timeout_seconds=2.5,
    ),
    "dropped-connection": Scenario(ALARM, faults=tuple(Fault(close=True) for _ in range(MAX_ATTEMPTS))),
    "connection-refused": Scenario(ALARM, env=(("PAGERDUTY_EVENTS_URL", "http://127.0.0.1:9/v2/enqueue"),)),
    "invalid-event": Scenario({"event_action": "snooze"}),
    "not-an-object": Scenario([DEMO_KEY[:8]]),
    "missing-variable": Scenario(ALARM, env=(("INTEGRATION_KEY_PARAMETER", ""),)),
    "key-as-parameter-name": Scenario(ALARM, env=(("INTEGRATION_KEY_PARAMETER", DEMO_KEY),)),
    "key-as-parameter-name-with-newline": Scenario(ALARM, env=(("INTEGRATION_KEY_PARAMETER", DEMO_KEY + "\n"),)),
    "parameter-not-found": Scenario(ALARM, env=(("INTEGRATION_KEY_PARAMETER", "/pagerduty-trigger/nope"),)),
    "value-is-the-key-plus-one": Scenario(ALARM, value=DEMO_KEY + "X"),
    "value-is-the-key-with-quotes": Scenario(ALARM, value=f'"{DEMO_KEY}"'),
    "value-is-key-and-more": Scenario(DIRECT, value=f"routing key: {DEMO_KEY}"),
    "value-is-blank": Scenario(ALARM, value=" \n"),
    "value-is-ciphertext": Scenario(ALARM, value="AQICAH" + DEMO_KEY + "=="),
}


@pytest.fixture
def debug_everything(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The function's logger and every library logger at DEBUG, as Lambda's log-level setting can do."""
    caplog.set_level(logging.DEBUG)
    previous = logger.log_level
    logger.setLevel(logging.DEBUG)
    yield caplog
    logger.setLevel(previous)


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_key_appears_nowhere(
    name: str,
    *,
    lambda_env: dict[str, str],
    ssm: LocalSsm,
    emulator: Emulator,
    invoke: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    output: pytest.CaptureFixture[str],
    debug_everything: pytest.LogCaptureFixture,
) -> None:
    scenario = SCENARIOS[name]
    for variable, value in scenario.env:
        monkeypatch.setenv(variable, value)
    if scenario.value is not None:
        ssm.put(OWN_PARAMETER, scenario.value, kind="String")
        monkeypatch.setenv("INTEGRATION_KEY_PARAMETER", OWN_PARAMETER)
    if scenario.virtual_time and not any(v == "" or v.startswith(DEMO_KEY) for _, v in scenario.env):
        install(monkeypatch)  # settings are read here, so only where they are valid
    emulator.add_faults(*scenario.faults)
    debug_everything.clear()  # the test's own setup (putting the parameter) is not the function's output
    output.readouterr()

    seen: list[str] = []
    try:
        response = invoke(scenario.event, timeout_seconds=scenario.timeout_seconds)
    except Exception as error:
        seen.append(f"raised {type(error).__name__}: {error}")
        seen.append("".join(traceback.format_exception(error)))
        seen.append(repr(error.args))
    else:
        seen.append(f"returned {json.dumps(response, ensure_ascii=False)}")
        seen.append(repr(response))
    captured = output.readouterr()
    seen += [captured.out, captured.err, debug_everything.text]
    seen += [json.dumps(r.__dict__, default=repr) for r in debug_everything.records]

    everything = "\n".join(seen)
    if scenario.faults or name.startswith("success"):
        assert '"level":"' in captured.out  # the function's own log lines were captured
        assert any(line.startswith('{"_aws"') for line in captured.out.splitlines())  # and its metrics
    assert DEMO_KEY not in everything
    assert DEMO_KEY.lower() not in everything.lower()
    if scenario.value is not None and scenario.value.strip() not in ("", DEMO_KEY):
        assert scenario.value.strip() not in everything
    if "echoes" in name:
        assert str(IntegrationKey(DEMO_KEY)) in everything  # masked to its last 4 characters
