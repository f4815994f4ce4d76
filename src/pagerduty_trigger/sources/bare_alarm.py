"""A CloudWatch alarm notification message sent as the whole event (no SNS envelope)."""

from collections.abc import Mapping
from typing import Any

from .. import alarms
from ..alert import Outcome
from ..config import MappingPolicy
from . import Source

NAME = "alarm-message"


def matches(event: Mapping[str, Any]) -> bool:
    return "AlarmName" in event and "NewStateValue" in event


def parse(event: Mapping[str, Any], policy: MappingPolicy) -> list[Outcome]:
    return [alarms.to_outcome(alarms.from_sns_message(event), policy, NAME)]


SOURCE = Source(NAME, synchronous=True, matches=matches, parse=parse)
