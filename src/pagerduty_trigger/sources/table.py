"""Picks the source for an event; order matters, the catch-all direct invoke comes last."""

from collections.abc import Mapping
from typing import Any

from ..errors import InvalidEventError
from . import Source, alarm_action, bare_alarm, direct, eventbridge_alarm, eventbridge_other, records

SOURCES: tuple[Source, ...] = (
    records.SOURCE,
    eventbridge_alarm.SOURCE,
    alarm_action.SOURCE,
    eventbridge_other.SOURCE,
    bare_alarm.SOURCE,
    direct.SOURCE,
)


def source_for(event: object) -> tuple[Source, Mapping[str, Any]]:
    if not isinstance(event, Mapping):
        kind = "null" if event is None else type(event).__name__
        raise InvalidEventError("event", f"expected a JSON object, got {kind}")
    for source in SOURCES:
        if source.matches(event):
            return source, event
    raise AssertionError("direct.SOURCE matches every object")  # pragma: no cover
