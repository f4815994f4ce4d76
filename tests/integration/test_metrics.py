"""The EMF metrics the function prints: one line per invocation when on, none at all when off."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from local.pagerduty_emulator import Emulator
from pagerduty_trigger.errors import ConfigurationError, InvalidEventError
from tests.integration.harness import log_lines
from tests.support import load

pytestmark = pytest.mark.integration

ALARM = load(Path("events") / "eventbridge-metric-alarm.json")
OK = load(Path("events") / "eventbridge-metric-ok.json")


def _emf(stdout: str) -> list[dict[str, Any]]:
    return [line for line in log_lines(stdout) if "_aws" in line]


def test_every_invocation_prints_its_own_counts(
    invoke: Callable[..., Any], emulator: Emulator, output: pytest.CaptureFixture[str]
) -> None:
    for event in (ALARM, OK, ALARM):
        assert invoke(event)["success"] is True
    blobs = _emf(output.readouterr().out)
    assert [(b.get("EventsSent"), b.get("EventsTriggered"), b.get("EventsResolved")) for b in blobs] == [
        ([1.0], [1.0], None),
        ([1.0], None, [1.0]),
        ([1.0], [1.0], None),
    ]
    assert len(emulator.requests) == 3


def test_switched_off_metrics_print_nothing_however_many_events(
    invoke: Callable[..., Any],
    emulator: Emulator,
    output: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Powertools keeps values it will not publish and prints them once a metric holds 100 of them."""
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    for _ in range(150):
        assert invoke(ALARM)["success"] is True
    assert _emf(output.readouterr().out) == []
    assert len(emulator.requests) == 150


@pytest.mark.parametrize("failure", ["ConfigurationError", "InvalidEventError"])
def test_an_invocation_that_raises_still_prints_its_error_count(
    invoke: Callable[..., Any],
    emulator: Emulator,
    output: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
) -> None:
    """The alarm on these counts is how an operator learns that every event is failing."""
    error: type[Exception] = ConfigurationError
    event: object = ALARM
    if failure == "ConfigurationError":
        monkeypatch.delenv("INTEGRATION_KEY_PARAMETER")
    else:
        error, event = InvalidEventError, ["not", "an", "event"]
    for _ in range(2):
        with pytest.raises(error):
            invoke(event)
    assert [blob.get(f"{failure}s") for blob in _emf(output.readouterr().out)] == [[1.0], [1.0]]
    assert emulator.requests == []
