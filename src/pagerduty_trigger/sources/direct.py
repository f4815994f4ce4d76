"""A direct invoke with the function's own fields (summary, severity, source, ... event_action)."""

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, cast

import fastjsonschema  # Powertools' validation engine, compiled once instead of per event

from ..alert import Action, Alert, Image, JSONValue, Link, Outcome
from ..config import MappingPolicy
from ..errors import InvalidEventError
from ..limits import DEDUP_KEY_MAX_CHARS, EVENT_ACTIONS, SUMMARY_MAX_CHARS
from ..reader import json_safe, text
from ..text import clean_text, content_key, iso_timestamp, normalise_severity, truncate
from . import Source

NAME = "direct"
DEFAULT_SUMMARY = "Critical system alert"
_STRING = {"type": "string"}
_LINK = {
    "type": "object",
    "properties": {"href": {"type": "string", "minLength": 1}, "text": _STRING},
    "required": ["href"],
}
_IMAGE = {
    "type": "object",
    "properties": {"src": {"type": "string", "minLength": 1}, "href": _STRING, "alt": _STRING},
    "required": ["src"],
}
SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "summary": _STRING,
        "severity": _STRING,
        "source": _STRING,
        "component": _STRING,
        "group": _STRING,
        "class": _STRING,
        "event_action": _STRING,
        "dedup_key": {"type": "string", "minLength": 1, "maxLength": DEDUP_KEY_MAX_CHARS},
        "custom_details": {},
        "links": {"type": "array", "items": _LINK},
        "images": {"type": "array", "items": _IMAGE},
        "timestamp": _STRING,
        "client": _STRING,
        "client_url": _STRING,
    },
}
FIELDS = frozenset(SCHEMA["properties"])


@cache
def _validator() -> Callable[[object], object]:
    """The compiled schema, built on the first direct invoke: alarm paths never pay for it."""
    return fastjsonschema.compile(SCHEMA)


def matches(event: Mapping[str, Any]) -> bool:
    return True  # the catch-all: any other object is read as a direct invoke


def looks_direct(message: Mapping[str, Any]) -> bool:
    """An object that uses this function's own field names (e.g. inside an SNS message)."""
    return bool(FIELDS.intersection(message)) and ("summary" in message or "event_action" in message)


def _check(event: Mapping[str, Any]) -> None:
    try:
        _validator()(event)
    except fastjsonschema.JsonSchemaValueException as error:
        field = (error.name or "data").removeprefix("data").lstrip(".") or "event"
        reason = (error.message or "is invalid").removeprefix(error.name or "").strip()
        raise InvalidEventError(field, reason) from None


def parse(
    event: Mapping[str, Any],
    policy: MappingPolicy,
    *,
    default_source: str | None = None,
    origin: str = NAME,
) -> list[Outcome]:
    _check(event)
    warnings: list[str] = []
    action = event.get("event_action", "trigger").strip().lower()
    if action not in EVENT_ACTIONS:
        raise InvalidEventError("event_action", f"must be one of {', '.join(EVENT_ACTIONS)}")
    dedup_key = text(event.get("dedup_key"))
    if dedup_key is None and action != "trigger":
        raise InvalidEventError("dedup_key", f"is required to {action} an incident")

    severity = normalise_severity(event.get("severity", policy.alarm_severity))
    if severity is None:
        severity = policy.alarm_severity
        warnings.append(f"severity {clean_text(event['severity'])!r} is not a severity; used {severity}")

    timestamp = None
    if "timestamp" in event:
        timestamp = iso_timestamp(event["timestamp"])
        if timestamp is None:
            warnings.append("timestamp is not an ISO 8601 date-time; left out")

    summary = text(event.get("summary")) or DEFAULT_SUMMARY
    source = text(event.get("source")) or default_source or policy.default_source
    component, group, class_ = (text(event.get(name)) for name in ("component", "group", "class"))

    details = event.get("custom_details")
    safe_details = json_safe(details)
    custom: dict[str, JSONValue] = {}
    if isinstance(safe_details, dict):
        custom.update(safe_details)
    elif safe_details is not None:
        custom["details"] = safe_details
    # Field names are input too: a lone surrogate in one would make the body unencodable.
    extra = {clean_text(k): json_safe(v) for k, v in event.items() if k not in FIELDS}
    if extra:
        # Unknown fields are kept where the responder can see them rather than dropped.
        custom.setdefault("extra_fields", extra)

    links = tuple(Link(clean_text(x["href"]), text(x.get("text"))) for x in event.get("links", ()))
    images: list[Image] = []
    for index, image in enumerate(event.get("images", ())):
        if not str(image["src"]).startswith("https://"):
            warnings.append(f"images[{index}].src is not an https URL; left out (PagerDuty requires https)")
            continue
        images.append(Image(clean_text(image["src"]), text(image.get("href")), text(image.get("alt"))))

    if dedup_key is None:
        # No caller key: derive one from what the alert is about, so a retried invoke updates the
        # same alert while different alerts never share a key.
        dedup_key = content_key("direct", source, summary, component, group, class_)
    return [
        Alert(
            action=cast(Action, action),
            dedup_key=dedup_key,  # text() and content_key() give clean text
            summary=truncate(summary, SUMMARY_MAX_CHARS),
            source=clean_text(source),
            severity=severity,
            origin=origin,
            timestamp=timestamp,
            component=component,
            group=group,
            class_=class_,
            custom_details=custom,
            links=links,
            images=tuple(images),
            client=text(event.get("client")),
            client_url=text(event.get("client_url")),
            warnings=tuple(warnings),
        )
    ]


SOURCE = Source(NAME, synchronous=True, matches=matches, parse=parse)
