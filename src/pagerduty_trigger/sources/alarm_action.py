"""The payload CloudWatch sends when an alarm action invokes the function directly."""

from collections.abc import Mapping
from typing import Any

from .. import alarms
from ..alert import Outcome
from ..config import MappingPolicy
from ..reader import exact_text, obj, text
from . import Source

NAME = "alarm-action"


def matches(event: Mapping[str, Any]) -> bool:
    return event.get("source") == "aws.cloudwatch" and "alarmData" in event and "detail-type" not in event


def parse(event: Mapping[str, Any], policy: MappingPolicy) -> list[Outcome]:
    change = alarms.from_detail(
        obj(event.get("alarmData")),
        arn=exact_text(event.get("alarmArn")),
        region=text(event.get("region")),
        account=text(event.get("accountId")),
    )
    return [alarms.to_outcome(change, policy, NAME)]


SOURCE = Source(NAME, synchronous=False, matches=matches, parse=parse)
