"""What the log lines carry: the Lambda context and correlation id of their own invocation, never an
earlier one's (a warm logger keeps its keys from one invocation to the next)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from local.lambda_context import LocalContext
from pagerduty_trigger.errors import DeliveryError, InvalidEventError
from pagerduty_trigger.handler import lambda_handler
from pagerduty_trigger.observability import logger
from tests.integration.harness import log_lines
from tests.support import load

pytestmark = pytest.mark.integration

ALARM = load(Path("events") / "eventbridge-metric-alarm.json")
DIRECT = load(Path("events") / "direct-invoke.json")
BATCH = load(Path("events") / "sns-multiple-records.json")
ALARM_ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-p99-latency"
CONTEXT_KEYS = ("function_name", "function_arn", "function_memory_size", "function_request_id", "cold_start")


def _records(stdout: str) -> list[dict[str, Any]]:
    return [line for line in log_lines(stdout) if "_aws" not in line]


def test_a_log_line_carries_its_invocation_and_alert(
    lambda_env: dict[str, str], output: pytest.CaptureFixture[str]
) -> None:
    context = LocalContext()
    assert lambda_handler(ALARM, context)["success"] is True
    (accepted,) = [r for r in _records(output.readouterr().out) if r["message"] == "PagerDuty accepted the event"]
    assert all(key in accepted for key in CONTEXT_KEYS)
    assert accepted["function_request_id"] == context.aws_request_id
    assert accepted["function_arn"] == context.invoked_function_arn
    assert accepted["event_source"] == "eventbridge-alarm"
    assert accepted["correlation_id"] == ALARM_ARN  # the dedup key, once the alert has one


@pytest.mark.parametrize(
    "later",
    [["not", "an", "object"], None, "a string"],
    ids=["list", "null", "string"],
)
def test_an_invocation_that_fails_early_does_not_log_the_previous_ones_keys(
    lambda_env: dict[str, str], output: pytest.CaptureFixture[str], later: object
) -> None:
    assert lambda_handler(ALARM, LocalContext())["success"] is True
    output.readouterr()
    context = LocalContext()
    with pytest.raises(InvalidEventError):
        lambda_handler(later, context)
    (error,) = _records(output.readouterr().out)
    assert error["level"] == "ERROR"
    assert error["function_request_id"] == context.aws_request_id
    assert error["cold_start"] is False
    assert "correlation_id" not in error
    assert "event_source" not in error


def test_each_invocation_logs_its_own_source_and_correlation_id(
    invoke: Callable[..., Any], output: pytest.CaptureFixture[str]
) -> None:
    assert invoke(ALARM)["success"] is True
    assert invoke(DIRECT)["success"] is True
    first, second = [r for r in _records(output.readouterr().out) if r["message"] == "PagerDuty accepted the event"]
    assert (first["event_source"], second["event_source"]) == ("eventbridge-alarm", "direct")
    assert second["cold_start"] is False
    assert first["function_request_id"] != second["function_request_id"]
    assert second["correlation_id"] == second["dedup_key"] != first["correlation_id"]


def test_the_event_powertools_logs_first_carries_no_key_of_the_previous_invocation(
    lambda_env: dict[str, str], output: pytest.CaptureFixture[str]
) -> None:
    """POWERTOOLS_LOGGER_LOG_EVENT=true logs the event before the handler's own code runs."""
    logging_events = logger.inject_lambda_context(log_event=True)(lambda_handler.__wrapped__)
    assert logging_events(ALARM, LocalContext())["success"] is True
    output.readouterr()
    context = LocalContext()
    assert logging_events(DIRECT, context)["success"] is True
    (event_line,) = [r for r in _records(output.readouterr().out) if r["message"] == DIRECT]
    assert event_line["function_request_id"] == context.aws_request_id
    assert "event_source" not in event_line
    assert "correlation_id" not in event_line


def test_a_rejected_record_is_logged_under_its_events_id_not_the_alert_sent_before_it(
    invoke: Callable[..., Any], output: pytest.CaptureFixture[str]
) -> None:
    sent, _ = BATCH["Records"]
    event = {"Records": [sent, {"EventSource": "aws:kinesis", "kinesis": {}}]}
    with pytest.raises(DeliveryError):
        invoke(event)
    records = _records(output.readouterr().out)
    (accepted,) = [r for r in records if r["message"] == "PagerDuty accepted the event"]
    (rejected,) = [r for r in records if r["message"] == "Invalid event"]
    assert accepted["correlation_id"] == accepted["dedup_key"]
    assert rejected["correlation_id"] == sent["Sns"]["MessageId"] != accepted["correlation_id"]
