"""Any other EventBridge event (GuardDuty, AWS Health, EC2, custom buses): trigger, or resolve when closed."""

import json
from collections.abc import Mapping
from typing import Any

from ..alert import Action, Alert, Outcome, Severity
from ..config import MappingPolicy
from ..limits import SUMMARY_MAX_CHARS
from ..reader import Obj, compact, items, json_safe, number, obj, text
from ..text import bounded_key, content_key, iso_timestamp, normalise_severity, truncate
from . import Source

NAME = "eventbridge"
CLIENT = "Amazon EventBridge"


def matches(event: Mapping[str, Any]) -> bool:
    return isinstance(event.get("detail-type"), str) and ("source" in event or "detail" in event)


# Samples forwarded by other tools sometimes drop the envelope's `source`; the detail-type still says it.
_SOURCE_OF = {"GuardDuty Finding": "aws.guardduty", "AWS Health Event": "aws.health"}


def _guardduty_resources(detail: Obj) -> list[str]:
    resource = obj(detail.get("resource"))
    instance = text(obj(resource.get("instanceDetails")).get("instanceId"))
    return [instance] if instance else [r for r in [text(resource.get("resourceType"))] if r]


def _guardduty_severity(detail: Obj) -> Severity | None:
    """GuardDuty scores findings 0.1-8.9 (newer ones up to 10): low < 4, medium < 7, high otherwise."""
    score = number(detail.get("severity"))
    if score is None:
        return None
    if score >= 7:
        return "critical"
    return "error" if score >= 4 else "warning"


_HEALTH_SEVERITY: dict[str, Severity] = {"issue": "error", "scheduledchange": "warning", "accountnotification": "info"}


def _health(detail: Obj) -> tuple[Severity | None, bool]:
    """Severity from the Health category, and whether the event says the issue is closed."""
    category = (text(detail.get("eventTypeCategory")) or "").lower()
    closed = (text(detail.get("statusCode")) or "").lower() == "closed"
    return _HEALTH_SEVERITY.get(category), closed


def _health_description(detail: Obj) -> str | None:
    for entry in items(detail.get("eventDescription")):
        described = text(obj(entry).get("latestDescription"))
        if described:
            return described
    return None


def parse(event: Mapping[str, Any], policy: MappingPolicy) -> list[Outcome]:
    detail_type = text(event.get("detail-type")) or "EventBridge event"
    source = text(event.get("source")) or _SOURCE_OF.get(detail_type, "aws.events")
    detail = obj(event.get("detail"))
    resources = [r for r in (text(x) for x in items(event.get("resources"))) if r]
    account = text(event.get("account")) or text(detail.get("accountId"))
    region = text(event.get("region"))

    severity: Severity | None = normalise_severity(detail.get("severity"))
    action: Action = "trigger"
    title = text(detail.get("title")) or text(detail.get("eventTypeCode"))
    identity = text(detail.get("id"))
    description = text(detail.get("description"))
    if detail_type == "GuardDuty Finding":
        severity = _guardduty_severity(detail)
        resources = resources or _guardduty_resources(detail)
    elif detail_type == "AWS Health Event":
        severity, closed = _health(detail)
        action = "resolve" if closed else "trigger"
        identity = text(detail.get("eventArn"))
        description = _health_description(detail)
    elif source == "aws.securityhub" or "findings" in detail:
        finding = obj(next(iter(items(detail.get("findings"))), None))
        severity = normalise_severity(obj(finding.get("Severity")).get("Label"))
        title = text(finding.get("Title")) or title
        identity = text(finding.get("Id")) or identity

    subject = title or ", ".join(resources[:3]) or text(detail.get("state")) or ""
    summary = f"{detail_type}: {subject}" if subject else detail_type
    # Updates to the same finding or Health event share a key; other events are keyed by their id,
    # which EventBridge keeps across its own retries.
    identity = identity or text(event.get("id"))
    if identity is None:
        identity = content_key("content", json.dumps(json_safe([resources, detail]), sort_keys=True))
    key_parts = [source, detail_type, account or "", identity]
    details = compact(
        {
            "detail_type": detail_type,
            "event_source": source,
            "description": description,
            "account": account,
            "region": region,
            "resources": resources,
            "event_id": text(event.get("id")),
            "detail": dict(detail) if detail else None,
        }
    )
    return [
        Alert(
            action=action,
            dedup_key=bounded_key(":".join(key_parts)),
            summary=truncate(" ".join(summary.split()), SUMMARY_MAX_CHARS),
            source=resources[0] if resources else source,
            severity=severity or policy.alarm_severity,
            origin=NAME,
            timestamp=iso_timestamp(event.get("time")),
            component=resources[0] if resources else None,
            group=source,
            class_=detail_type,
            custom_details=details,
            client=CLIENT,
        )
    ]


SOURCE = Source(NAME, synchronous=False, matches=matches, parse=parse)
