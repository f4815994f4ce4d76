"""Settings are read once from a plain mapping and every bad variable is named in one error."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pagerduty_trigger.config import DEFAULT_EVENTS_URL, Settings
from pagerduty_trigger.errors import ConfigurationError


def test_defaults_with_only_the_parameter_name() -> None:
    settings = Settings.from_env({"INTEGRATION_KEY_PARAMETER": "/pd/key", "AWS_LAMBDA_FUNCTION_NAME": "pager"})
    assert settings.integration_key_parameter == "/pd/key"
    assert settings.events_url == DEFAULT_EVENTS_URL
    assert settings.key_cache_seconds == 300
    assert settings.policy.alarm_severity == "critical"
    assert settings.policy.insufficient_data_action == "ignore"
    assert settings.policy.default_source == "pager"


def test_options_are_normalised() -> None:
    settings = Settings.from_env(
        {
            "INTEGRATION_KEY_PARAMETER": " /pd/key ",
            "PAGERDUTY_EVENTS_URL": "https://events.eu.pagerduty.com/v2/enqueue",
            "ALARM_SEVERITY": "ERROR",
            "INSUFFICIENT_DATA_ACTION": "Trigger",
            "INSUFFICIENT_DATA_SEVERITY": "info",
            "KEY_CACHE_SECONDS": "60",
            "HTTP_TIMEOUT_SECONDS": "2.5",
        }
    )
    assert settings.integration_key_parameter == "/pd/key"
    assert settings.events_url.startswith("https://events.eu.")
    assert settings.policy.alarm_severity == "error"
    assert settings.policy.insufficient_data_action == "trigger"
    assert settings.policy.insufficient_data_severity == "info"
    assert (settings.key_cache_seconds, settings.http_timeout_seconds) == (60, 2.5)


def test_every_bad_variable_is_named_at_once() -> None:
    with pytest.raises(ConfigurationError) as raised:
        Settings.from_env(
            {
                "PAGERDUTY_EVENTS_URL": "events.pagerduty.com",
                "ALARM_SEVERITY": "loud",
                "INSUFFICIENT_DATA_ACTION": "maybe",
                "KEY_CACHE_SECONDS": "soon",
                "HTTP_TIMEOUT_SECONDS": "600",
            }
        )
    message = str(raised.value)
    for name in (
        "INTEGRATION_KEY_PARAMETER",
        "PAGERDUTY_EVENTS_URL",
        "ALARM_SEVERITY",
        "INSUFFICIENT_DATA_ACTION",
        "KEY_CACHE_SECONDS",
        "HTTP_TIMEOUT_SECONDS",
    ):
        assert name in message


def test_direct_invoke_failures_mode() -> None:
    base = {"INTEGRATION_KEY_PARAMETER": "/pd/key"}
    assert Settings.from_env(base).raise_direct_failures is False
    assert Settings.from_env({**base, "DIRECT_INVOKE_FAILURES": "RAISE"}).raise_direct_failures is True
    with pytest.raises(ConfigurationError, match="DIRECT_INVOKE_FAILURES"):
        Settings.from_env({**base, "DIRECT_INVOKE_FAILURES": "sometimes"})


@pytest.mark.parametrize(
    ("env", "enabled"),
    [
        ({}, True),
        ({"POWERTOOLS_METRICS_DISABLED": "true"}, False),
        ({"POWERTOOLS_METRICS_DISABLED": "Yes"}, False),
        ({"POWERTOOLS_METRICS_DISABLED": "0"}, True),
        ({"POWERTOOLS_DEV": "true"}, False),
        ({"POWERTOOLS_DEV": "true", "POWERTOOLS_METRICS_DISABLED": "false"}, True),
        ({"POWERTOOLS_DEV": "off"}, True),
    ],
)
def test_metrics_switch_follows_powertools(env: dict[str, str], enabled: bool) -> None:
    assert Settings.from_env({"INTEGRATION_KEY_PARAMETER": "/pd/key", **env}).metrics_enabled is enabled


@pytest.mark.parametrize("name", ["POWERTOOLS_METRICS_DISABLED", "POWERTOOLS_DEV"])
@pytest.mark.parametrize("value", ["maybe", "2", "disabled", "", " false", "no ", " Yes "])
def test_a_powertools_switch_it_cannot_read_is_named(name: str, value: str) -> None:
    """Powertools would raise ValueError on it at the end of every invocation, after the page went out."""
    with pytest.raises(ConfigurationError, match=f"{name}: must be true or false"):
        Settings.from_env({"INTEGRATION_KEY_PARAMETER": "/pd/key", name: value})


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "pagerduty-trigger PagerDutyTrigger"),
        ({"POWERTOOLS_SERVICE_NAME": "", "POWERTOOLS_METRICS_NAMESPACE": ""}, "pagerduty-trigger PagerDutyTrigger"),
        ({"POWERTOOLS_SERVICE_NAME": "paging", "POWERTOOLS_METRICS_NAMESPACE": "Team/Paging"}, "paging Team/Paging"),
    ],
    ids=["unset", "empty", "set"],
)
def test_powertools_service_and_namespace_variables_are_honoured(environment: dict[str, str], expected: str) -> None:
    """They are read when the module is imported, as in Lambda: hence a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POWERTOOLS_")}
    code = "from pagerduty_trigger.observability import logger, metrics; print(logger.service, metrics.namespace)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"), **environment},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.split("\n")[0] == expected
