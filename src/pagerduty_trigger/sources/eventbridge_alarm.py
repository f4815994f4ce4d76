"""EventBridge `CloudWatch Alarm State Change` and `... Contributor State Change` events."""

from collections.abc import Mapping
from typing import Any

from .. import alarms
from ..alert import Outcome, Skip
from ..config import MappingPolicy
from ..reader import exact_text, items, obj, text
from ..text import clean_text
from . import Source

NAME = "eventbridge-alarm"
STATE_CHANGES = ("CloudWatch Alarm State Change", "CloudWatch Alarm Contributor State Change")


def matches(event: Mapping[str, Any]) -> bool:
    detail_type = event.get("detail-type")
    return (
        event.get("source") == "aws.cloudwatch"
        and isinstance(detail_type, str)
        and (detail_type.startswith("CloudWatch Alarm"))
    )


def parse(event: Mapping[str, Any], policy: MappingPolicy) -> list[Outcome]:
    detail_type = str(event.get("detail-type"))
    if detail_type not in STATE_CHANGES:
        return [Skip(f"{clean_text(detail_type)} is not a state change", NAME)]
    # Some published samples carry the alarm under `alarmData` (the alarm-action name) instead of `detail`.
    detail = obj(event.get("detail")) or obj(event.get("alarmData"))
    resources = [r for r in (exact_text(x) for x in items(event.get("resources"))) if r]
    change = alarms.from_detail(
        detail,
        arn=resources[0] if resources else None,
        region=text(event.get("region")),
        account=text(event.get("account")),
    )
    return [alarms.to_outcome(change, policy, NAME)]


SOURCE = Source(NAME, synchronous=False, matches=matches, parse=parse)
