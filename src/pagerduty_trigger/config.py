"""Settings read once per cold start from the environment, validated into a typed object."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast
from urllib.parse import urlsplit

from .alert import Severity
from .errors import ConfigurationError
from .integration_key import is_key_shaped
from .limits import SEVERITIES

DEFAULT_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
DEFAULT_KEY_CACHE_SECONDS = 300
DEFAULT_HTTP_TIMEOUT_SECONDS = 5.0
_TRUE = ("1", "y", "yes", "t", "true", "on")  # the spellings Powertools accepts for its switches
_FALSE = ("0", "n", "no", "f", "false", "off")
_SWITCHES = ("POWERTOOLS_METRICS_DISABLED", "POWERTOOLS_DEV")

type InsufficientDataAction = Literal["ignore", "trigger"]


@dataclass(frozen=True, slots=True)
class MappingPolicy:
    """How alarm states become PagerDuty actions and severities."""

    alarm_severity: Severity = "critical"
    insufficient_data_action: InsufficientDataAction = "ignore"
    insufficient_data_severity: Severity = "warning"
    default_source: str = "pagerduty-trigger"


@dataclass(frozen=True, slots=True)
class Settings:
    integration_key_parameter: str
    events_url: str
    key_cache_seconds: int
    http_timeout_seconds: float
    policy: MappingPolicy
    # Direct invokes return their failure to the waiting caller; a caller that invokes asynchronously
    # (InvocationType=Event, a scheduler, an input transformer) never reads it, so it can ask for a raise.
    raise_direct_failures: bool = False
    # Powertools' switch, read here once: with it off, Powertools still keeps every value added, prints
    # them every 100 and formats the growing list on each add, so the function adds none.
    metrics_enabled: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "Settings":
        """Build settings, raising one ConfigurationError that names every bad variable."""
        problems: list[str] = []

        parameter = environ.get("INTEGRATION_KEY_PARAMETER", "").strip()
        if not parameter:
            problems.append("INTEGRATION_KEY_PARAMETER: is not set (name of the SSM parameter holding the key)")
        elif is_key_shaped(parameter):
            # The key pasted where its parameter's name belongs: every later error would name the
            # parameter, and so print the key.
            problems.append(
                "INTEGRATION_KEY_PARAMETER: looks like the integration key itself; set it to the name of the "
                "SSM parameter that holds the key"
            )

        events_url = environ.get("PAGERDUTY_EVENTS_URL", "").strip() or DEFAULT_EVENTS_URL
        parts = urlsplit(events_url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            problems.append("PAGERDUTY_EVENTS_URL: is not an http(s) URL")

        def severity(name: str, default: Severity) -> Severity:
            value = environ.get(name, "").strip().lower() or default
            if value not in SEVERITIES:
                problems.append(f"{name}: must be one of {', '.join(SEVERITIES)}")
                return default
            return cast(Severity, value)

        def number(name: str, default: float, low: float, high: float) -> float:
            raw = environ.get(name, "").strip()
            if not raw:
                return default
            try:
                value = float(raw)
            except ValueError:
                problems.append(f"{name}: is not a number")
                return default
            if not low <= value <= high:
                problems.append(f"{name}: must be between {low:g} and {high:g}")
                return default
            return value

        direct_failures = environ.get("DIRECT_INVOKE_FAILURES", "").strip().lower() or "return"
        if direct_failures not in ("return", "raise"):
            problems.append("DIRECT_INVOKE_FAILURES: must be return or raise")

        insufficient = environ.get("INSUFFICIENT_DATA_ACTION", "").strip().lower() or "ignore"
        if insufficient not in ("ignore", "trigger"):
            problems.append("INSUFFICIENT_DATA_ACTION: must be ignore or trigger")
            insufficient = "ignore"

        for name in _SWITCHES:
            if not _readable(environ, name):
                problems.append(f"{name}: must be true or false, without spaces")

        policy = MappingPolicy(
            alarm_severity=severity("ALARM_SEVERITY", "critical"),
            insufficient_data_action=cast(InsufficientDataAction, insufficient),
            insufficient_data_severity=severity("INSUFFICIENT_DATA_SEVERITY", "warning"),
            default_source=environ.get("AWS_LAMBDA_FUNCTION_NAME", "").strip() or "pagerduty-trigger",
        )
        settings = cls(
            integration_key_parameter=parameter,
            events_url=events_url,
            key_cache_seconds=int(number("KEY_CACHE_SECONDS", DEFAULT_KEY_CACHE_SECONDS, 0, 86_400)),
            http_timeout_seconds=number("HTTP_TIMEOUT_SECONDS", DEFAULT_HTTP_TIMEOUT_SECONDS, 0.1, 60),
            policy=policy,
            raise_direct_failures=direct_failures == "raise",
            metrics_enabled=metrics_enabled(environ) is True,
        )
        if problems:
            raise ConfigurationError("environment", "; ".join(problems))
        return settings


def _readable(environ: Mapping[str, str], name: str) -> bool:
    # Read as Powertools reads it: no trimming, and set but empty is not unset. Powertools raises on
    # anything else at the end of every invocation, after the page went out.
    return name not in environ or environ[name].lower() in _TRUE + _FALSE


def metrics_enabled(environ: Mapping[str, str]) -> bool | None:
    """Powertools' is_metrics_disabled() rule, negated: off when POWERTOOLS_METRICS_DISABLED says so, and in
    POWERTOOLS_DEV mode unless it says otherwise. None when Powertools cannot read a switch."""
    if not all(_readable(environ, name) for name in _SWITCHES):
        return None
    switch = environ.get("POWERTOOLS_METRICS_DISABLED", environ.get("POWERTOOLS_DEV", "false"))
    return switch.lower() not in _TRUE
