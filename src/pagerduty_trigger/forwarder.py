"""Parse -> normalise -> build -> send, for every alert of one event; the handler calls only this."""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

from aws_lambda_powertools.metrics import MetricUnit

from .alert import Alert, Outcome, Rejected, Skip
from .config import Settings
from .errors import DeliveryError, InvalidEventError
from .events_api import RETRYABLE_STATUSES, EventsApi
from .integration_key import KeyReader
from .observability import logger, metrics
from .payload import build
from .sources.table import source_for

SAFETY_MARGIN_SECONDS = 1.5  # left for logging, metrics and the response after the last attempt
ERROR_TEXT_MAX_CHARS = 2000  # of PagerDuty's reason, in logs, errors and responses
_PAST = {"trigger": "triggered", "acknowledge": "acknowledged", "resolve": "resolved"}
INVOCATION_LOG_KEYS = ("event_source", "correlation_id")  # set by forward(), for one invocation only


class Result(TypedDict):
    success: bool
    message: str
    status: str | int | None
    dedup_key: NotRequired[str | None]
    error: NotRequired[str]
    warnings: NotRequired[list[str]]


class BatchResult(TypedDict):
    success: bool
    message: str
    status: str
    results: list[Result]


@dataclass(frozen=True, slots=True)
class Dependencies:
    """What one warm execution environment builds once and reuses for every event."""

    settings: Settings
    keys: KeyReader
    api: EventsApi
    clock: Callable[[], float] = time.monotonic

    def count(self, name: str) -> None:
        """One more `name` in this invocation's EMF line (none when metrics are switched off)."""
        if self.settings.metrics_enabled:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


def _deadline(deps: Dependencies, context: Any) -> float:
    remaining_ms = context.get_remaining_time_in_millis() if context is not None else 30_000
    return deps.clock() + remaining_ms / 1000 - SAFETY_MARGIN_SECONDS


def _skip_result(skip: Skip, deps: Dependencies) -> Result:
    logger.info("Skipped: no PagerDuty call", extra={"reason": skip.reason, "dedup_key": skip.dedup_key})
    deps.count("EventsSkipped")
    return {
        "success": True,
        "message": f"Skipped: {skip.reason}",
        "status": "skipped",
        "dedup_key": skip.dedup_key,
    }


def _rejected_result(rejected: Rejected, deps: Dependencies) -> Result:
    logger.error("Invalid event", extra={"field": rejected.field, "reason": rejected.reason})
    deps.count("EventsFailedInvalid")
    reason = f"{rejected.field}: {rejected.reason}"
    return {"success": False, "message": f"Invalid event: {reason}", "status": 400, "error": reason}


def _send(alert: Alert, deps: Dependencies, deadline: float) -> Result:
    for warning in alert.warnings:
        logger.warning(warning, extra={"dedup_key": alert.dedup_key})
    key = deps.keys.get(deadline)
    built = build(alert, key.reveal())
    if built["truncated"]:
        deps.count("EventsTruncated")
        logger.warning("Event trimmed to fit the 512 KB limit", extra={"dedup_key": alert.dedup_key})

    def on_retry(reason: str) -> None:
        deps.count("EventsRetried")
        logger.warning("PagerDuty did not accept the event; retrying", extra={"reason": reason})

    delivery = deps.api.send(built["body"], deadline, on_retry)
    if delivery.accepted:
        deps.count("EventsSent")
        deps.count(f"Events{_PAST[alert.action].capitalize()}")
        logger.info(
            "PagerDuty accepted the event",
            extra={"event_action": alert.action, "dedup_key": alert.dedup_key, "attempts": delivery.attempts},
        )
        result: Result = {
            "success": True,
            "message": f"Incident {_PAST[alert.action]} successfully",
            "dedup_key": alert.dedup_key,
            "status": "success",
        }
        if alert.warnings:
            result["warnings"] = list(alert.warnings)
        return result
    # PagerDuty's reason is untrusted text that is logged, raised and returned; a proxy or an error page
    # that echoes the request would carry the key into all three.
    error = (delivery.error or "").replace(key.reveal(), str(key))[:ERROR_TEXT_MAX_CHARS]
    reason = "Retryable" if delivery.retryable else "Rejected"
    deps.count(f"EventsFailed{reason}")
    logger.error(
        "PagerDuty did not accept the event",
        extra={
            "event_action": alert.action,
            "dedup_key": alert.dedup_key,
            "status": delivery.status,
            "error": error,
            "attempts": delivery.attempts,
            "retryable": delivery.retryable,
        },
    )
    return {
        "success": False,
        "message": f"Failed to {alert.action} incident",
        "status": delivery.status,
        "error": error,
        "dedup_key": alert.dedup_key,
    }


def _result(outcome: Outcome, deps: Dependencies, deadline: float, event_id: str | None) -> Result:
    # The lines of each outcome carry its own dedup key; a rejected record, which has none, the event's id.
    key = None if isinstance(outcome, Rejected) else outcome.dedup_key
    logger.set_correlation_id(key or event_id)
    if isinstance(outcome, Skip):
        return _skip_result(outcome, deps)
    if isinstance(outcome, Rejected):
        return _rejected_result(outcome, deps)
    return _send(outcome, deps, deadline)


def _event_id(event: Mapping[str, Any]) -> str | None:
    if isinstance(event.get("id"), str):
        return str(event["id"])
    records = event.get("Records")
    first = records[0] if isinstance(records, list) and records and isinstance(records[0], Mapping) else {}
    sns = first.get("Sns")
    message_id = sns.get("MessageId") if isinstance(sns, Mapping) else first.get("messageId")
    return message_id if isinstance(message_id, str) else None


def _retryable(result: Result) -> bool:
    status = result["status"]
    return status is None or (isinstance(status, int) and (status in RETRYABLE_STATUSES or status >= 500))


def forward(event: object, context: Any, deps: Dependencies) -> Result | BatchResult:
    """Send every alert the event holds. Asynchronous sources raise DeliveryError when any failed, after
    all were attempted; direct invokes return the failure dict, because their caller is waiting for it
    (unless DIRECT_INVOKE_FAILURES=raise)."""
    source, mapping = source_for(event)
    event_id = _event_id(mapping)
    logger.append_keys(event_source=source.name, correlation_id=event_id)
    try:
        outcomes = source.parse(mapping, deps.settings.policy)
    except InvalidEventError as error:
        if not source.synchronous or deps.settings.raise_direct_failures:
            raise
        return _rejected_result(Rejected(error.field, error.reason, source.name), deps)
    deadline = _deadline(deps, context)
    results = [_result(outcome, deps, deadline, event_id) for outcome in outcomes]

    failed = [r for r in results if not r["success"]]
    if failed and (not source.synchronous or deps.settings.raise_direct_failures):
        raise DeliveryError(
            len(failed),
            len(results),
            [f"{r['message']}: {r.get('error', '')}" for r in failed],
            retryable=any(_retryable(r) for r in failed),
        )
    if len(results) == 1 and "Records" not in mapping:
        return results[0]
    return {
        "success": not failed,
        "message": f"{len(results) - len(failed)} of {len(results)} events handled",
        "status": "success" if not failed else "failed",
        "results": results,
    }
