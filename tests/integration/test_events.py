"""The real handler, over real loopback sockets, on every sample event: what PagerDuty receives."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from local.pagerduty_emulator import Emulator
from local.ssm import DEMO_KEY
from tests.support import EXPECTED, assert_valid_request, event_files, load, masked

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("path", event_files(), ids=lambda p: p.stem)
def test_handler_sends_the_expected_requests(path: Path, invoke: Callable[..., Any], emulator: Emulator) -> None:
    response = invoke(load(path))
    received = emulator.requests
    assert all(r.answered == 202 for r in received), [r.answered for r in received]
    for r in received:
        assert_valid_request(json.dumps(r.body, ensure_ascii=False).encode())
    assert [masked(r.body, DEMO_KEY) for r in received] == load(EXPECTED / path.name)
    results = response.get("results", [response])
    assert all(r["success"] for r in results), response
    if not received:
        assert all(r["status"] == "skipped" for r in results), response


LIFECYCLES = [
    ("eventbridge-metric-alarm.json", "eventbridge-metric-ok.json"),
    ("sns-metric-alarm.json", "sns-metric-ok.json"),
    ("alarm-action-metric-alarm.json", "alarm-action-metric-ok.json"),
    ("eventbridge-contributor-alarm.json", "eventbridge-contributor-ok.json"),
    ("eventbridge-health-open.json", "eventbridge-health-closed.json"),
    ("direct-invoke.json", "direct-invoke-resolve.json"),
]


@pytest.mark.parametrize(("opening", "clearing"), LIFECYCLES, ids=lambda name: name.split(".")[0])
def test_clearing_event_resolves_the_incident_it_opened(
    opening: str, clearing: str, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    invoke(load(Path("events") / opening))
    invoke(load(Path("events") / clearing))
    actions = [r.body["event_action"] for r in emulator.requests]
    keys = {r.body["dedup_key"] for r in emulator.requests}
    assert actions == ["trigger", "resolve"]
    assert len(keys) == 1
    alert = emulator.alert(DEMO_KEY, keys.pop())
    assert alert is not None
    assert alert.status == "resolved"
    assert alert.history == ["trigger", "resolve"]


def test_same_alarm_has_one_key_on_every_path(invoke: Callable[..., Any], emulator: Emulator) -> None:
    for name in ("eventbridge-metric-alarm", "sns-metric-alarm", "alarm-action-metric-alarm", "sqs-sns-alarm"):
        invoke(load(Path("events") / f"{name}.json"))
    assert len({r.body["dedup_key"] for r in emulator.requests}) == 1
    assert len(emulator.alerts) == 1
    (alert,) = emulator.alerts.values()
    assert alert.incidents_opened == 1
    assert alert.history == ["trigger"] * 4
