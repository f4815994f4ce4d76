"""Fixtures of the fault tests (tests.integration.harness): virtual time and the function's output."""

import logging
import sys

import pytest

from pagerduty_trigger.observability import logger
from tests.integration.harness import VirtualTime, install


class _CurrentStdout:
    """Writes to whatever sys.stdout is at the time, as the Lambda runtime's stdout would be."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


@pytest.fixture
def output(capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> pytest.CaptureFixture[str]:
    """Everything the function prints, logs included: Powertools' handler keeps the stdout it was made
    with (an earlier, possibly closed, capture), so it is pointed at the current one."""
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    monkeypatch.setattr(handler, "stream", _CurrentStdout())
    return capfd


@pytest.fixture
def now(lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> VirtualTime:
    """Warm dependencies from the test's environment, with backoff sleeps on virtual time."""
    virtual, _ = install(monkeypatch)
    return virtual
