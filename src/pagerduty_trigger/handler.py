"""Lambda entry point: decorators over one call; dependencies built once per execution environment."""

import os
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from .config import Settings, metrics_enabled
from .errors import ConfigurationError, InvalidEventError
from .events_api import EventsApi
from .forwarder import INVOCATION_LOG_KEYS, BatchResult, Dependencies, Result, forward
from .integration_key import KeyReader
from .observability import logger, metrics

_deps: Dependencies | None = None


def dependencies() -> Dependencies:
    """Settings, key cache and HTTP pool, made on the first event and reused while the function is warm."""
    global _deps  # noqa: PLW0603 -- the warm-start cache is the point
    if _deps is None:
        settings = Settings.from_env(os.environ)
        _deps = Dependencies(
            settings=settings,
            keys=KeyReader(settings.integration_key_parameter, settings.key_cache_seconds),
            api=EventsApi(settings.events_url, settings.http_timeout_seconds),
        )
    return _deps


def _count_error(name: str) -> None:
    # Settings may be what failed, so the switch is read here; an unreadable one adds nothing, since
    # Powertools would raise on it at the flush and hide the error being reported.
    if metrics_enabled(os.environ):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


def _end_invocation() -> None:
    # The logger and the metrics outlive the invocation: its own log keys go with it (Powertools may log
    # the next event before forward() sets that one's), and its counts are printed.
    logger.remove_keys(INVOCATION_LOG_KEYS)
    # This is what @metrics.log_metrics does at the end, without the warning it raises for an invocation
    # that added nothing: every invocation with metrics switched off, at about 25 us each (make bench).
    if metrics.metric_set:
        metrics.flush_metrics()


# Not clear_state: rebuilding the formatter's keys on every invocation costs about 15 us (make bench);
# the keys that belong to one invocation are removed when it ends.
@logger.inject_lambda_context
def lambda_handler(event: Any, context: LambdaContext) -> Result | BatchResult:
    try:
        return forward(event, context, dependencies())
    except (ConfigurationError, InvalidEventError) as error:
        # Counted so that an alarm can watch for them; the error itself goes on to Lambda.
        _count_error(f"{type(error).__name__}s")
        logger.error(str(error), extra={"error_type": type(error).__name__})
        raise
    finally:
        _end_invocation()
