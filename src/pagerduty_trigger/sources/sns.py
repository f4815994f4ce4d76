"""One SNS notification: an alarm message, an EventBridge event, a direct-invoke JSON, or any text."""

import json
from collections.abc import Callable, Mapping

from .. import alarms
from ..alert import Alert, Outcome
from ..config import MappingPolicy
from ..limits import SUMMARY_MAX_CHARS
from ..reader import Obj, compact, json_safe, obj, text
from ..text import clean_text, content_key, truncate
from . import direct

NAME = "sns"
CLIENT = "Amazon SNS"
_NOT_JSON = object()


def _decode(message: str) -> object:
    stripped = message.strip()
    if not stripped or stripped[0] not in '{["-0123456789tfn':
        return _NOT_JSON
    try:
        return json.loads(stripped)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _attributes(value: object) -> dict[str, str]:
    return {str(k): v for k, a in obj(value).items() if (v := text(obj(a).get("Value"))) is not None}


def parse_notification(
    sns: Obj, policy: MappingPolicy, dispatch: Callable[[Obj, MappingPolicy], list[Outcome]]
) -> list[Outcome]:
    """Outcomes for one notification; `dispatch` re-enters the source table for wrapped events."""
    raw = sns.get("Message")
    message = raw if isinstance(raw, str) else ("" if raw is None else json.dumps(json_safe(raw)))
    # A JSON value may stand in place of the string SNS sends; no Message at all reads as an empty one.
    decoded = _decode(message) if isinstance(raw, str) else (_NOT_JSON if raw is None else raw)
    topic = text(sns.get("TopicArn"))
    if isinstance(decoded, Mapping):
        if "AlarmName" in decoded and "NewStateValue" in decoded:
            return [alarms.to_outcome(alarms.from_sns_message(decoded), policy, NAME)]
        if isinstance(decoded.get("detail-type"), str) or isinstance(decoded.get("Records"), list):
            return dispatch(decoded, policy)
        if direct.looks_direct(decoded):
            return direct.parse(decoded, policy, default_source=topic, origin=NAME)
    return [_text_alert(sns, message, decoded, topic, policy)]


def _text_alert(sns: Obj, message: str, decoded: object, topic: str | None, policy: MappingPolicy) -> Alert:
    """Plain text, or JSON of no known shape: page with a readable summary and the raw content."""
    subject = text(sns.get("Subject"))
    if decoded is _NOT_JSON:
        body = " ".join(clean_text(message).split())
    else:
        body = json.dumps(json_safe(decoded), ensure_ascii=False, separators=(", ", ": "))
    if subject and body:
        summary = f"{subject}: {body}"
    else:
        summary = subject or body or f"Empty SNS notification from {topic or 'an unknown topic'}"
    return Alert(
        action="trigger",
        # Redelivery of the same notification updates one alert instead of opening another.
        dedup_key=content_key("sns", topic, subject, message),
        summary=truncate(summary, SUMMARY_MAX_CHARS),
        source=topic or "Amazon SNS",
        severity=policy.alarm_severity,
        origin=NAME,
        timestamp=None,
        class_="sns notification",
        custom_details=compact(
            {
                "message": message,
                "subject": subject,
                "topic_arn": topic,
                "message_id": text(sns.get("MessageId")),
                "sent_at": text(sns.get("Timestamp")),
                "message_attributes": _attributes(sns.get("MessageAttributes")),
            }
        ),
        client=CLIENT,
    )
