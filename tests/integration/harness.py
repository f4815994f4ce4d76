"""Fault-test harness: virtual time for backoff sleeps, and the function's printed output (logs, EMF)."""

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from pagerduty_trigger import handler
from pagerduty_trigger.config import Settings
from pagerduty_trigger.events_api import EventsApi
from pagerduty_trigger.forwarder import Dependencies
from pagerduty_trigger.integration_key import KeyReader


@dataclass
class VirtualTime:
    """Real monotonic time plus every sleep taken: HTTP calls still cost real time, waits cost none."""

    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return time.monotonic() + sum(self.slept)

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.slept.append(seconds)


def install(monkeypatch: pytest.MonkeyPatch) -> tuple[VirtualTime, Dependencies]:
    """Warm dependencies built from the current environment, as the handler would, on virtual time."""
    settings = Settings.from_env(os.environ)
    now = VirtualTime()
    deps = Dependencies(
        settings=settings,
        keys=KeyReader(settings.integration_key_parameter, settings.key_cache_seconds),
        api=EventsApi(settings.events_url, settings.http_timeout_seconds, sleep=now.sleep, clock=now.clock),
        clock=now.clock,
    )
    monkeypatch.setattr(handler, "_deps", deps)
    return now, deps


def log_lines(stdout: str) -> list[dict[str, Any]]:
    """The JSON lines the function printed: Powertools log records and EMF metric blobs."""
    lines = []
    for line in stdout.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def metric_total(stdout: str, name: str) -> float:
    """Sum of one EMF metric over the invocations in the output (a value is a number or a list)."""
    total = 0.0
    for line in log_lines(stdout):
        if "_aws" in line and name in line:
            value = line[name]
            total += sum(value) if isinstance(value, list) else value
    return total
