"""Loopback servers for integration tests: the Events API v2 emulator and moto's SSM server."""

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local.lambda_context import LocalContext
from local.pagerduty_emulator import Emulator
from local.ssm import DEMO_KEY, DEMO_PARAMETER, LocalSsm

# boto3 must never find real credentials or a real region in tests.
for _name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
    os.environ.pop(_name, None)
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "PagerDutyTrigger")


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    server = Emulator().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ssm() -> Iterator[LocalSsm]:
    server = LocalSsm().start()
    server.put(DEMO_PARAMETER, DEMO_KEY)
    yield server
    server.stop()


@pytest.fixture
def lambda_env(emulator: Emulator, ssm: LocalSsm, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The function's environment pointed at the loopback servers; a fresh cold start per test."""
    from pagerduty_trigger import handler, integration_key

    env = {
        **ssm.environment(),
        "INTEGRATION_KEY_PARAMETER": DEMO_PARAMETER,
        "PAGERDUTY_EVENTS_URL": emulator.url,
        "AWS_LAMBDA_FUNCTION_NAME": "pagerduty-trigger",
        "POWERTOOLS_SERVICE_NAME": "pagerduty-trigger",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    emulator.reset()
    monkeypatch.setattr(handler, "_deps", None)
    monkeypatch.setattr(integration_key, "_clients", {})
    yield env
    emulator.reset()


@pytest.fixture
def invoke(lambda_env: dict[str, str]) -> Callable[..., Any]:
    """Run the real handler as Lambda would, with a fresh context per call."""
    from pagerduty_trigger.handler import lambda_handler

    def run(event: Any, timeout_seconds: float = 60.0) -> Any:
        return lambda_handler(event, LocalContext(timeout_seconds=timeout_seconds))

    return run
