"""`Records` batches: SNS notifications, and SQS messages that carry SNS notifications or raw text."""

from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from ..alert import Outcome, Rejected
from ..config import MappingPolicy
from ..errors import InvalidEventError
from ..reader import embedded_json, obj, text
from . import Source, sns

NAME = "records"
# SQS carrying SNS carrying an event is the deepest AWS delivery path; a batch nested far deeper is
# hostile input and must end as a named error, not as a RecursionError from the parser.
MAX_NESTING = 8
_nesting: ContextVar[int] = ContextVar("records_nesting", default=0)


def matches(event: Mapping[str, Any]) -> bool:
    return isinstance(event.get("Records"), list)


def _dispatch(event: Mapping[str, Any], policy: MappingPolicy) -> list[Outcome]:
    from .table import source_for  # noqa: PLC0415 -- the table imports this module

    source, event = source_for(event)
    return source.parse(event, policy)


def parse_record(record: object, policy: MappingPolicy) -> list[Outcome]:
    record = obj(record)
    origin = (text(record.get("EventSource")) or text(record.get("eventSource")) or "").lower()
    if origin == "aws:sns" or isinstance(record.get("Sns"), Mapping):
        return sns.parse_notification(obj(record.get("Sns")), policy, _dispatch)
    if origin == "aws:sqs":
        body = record.get("body")
        notification = obj(embedded_json(body))
        if notification.get("Type") == "Notification" and "Message" in notification:
            return sns.parse_notification(notification, policy, _dispatch)
        queue = text(record.get("eventSourceARN"))
        return sns.parse_notification({"Message": body, "TopicArn": queue}, policy, _dispatch)
    raise InvalidEventError("Records[].EventSource", f"unsupported record source {origin or 'missing'!r}")


def parse(event: Mapping[str, Any], policy: MappingPolicy) -> list[Outcome]:
    depth = _nesting.get()
    if depth >= MAX_NESTING:
        raise InvalidEventError("Records", f"batches nested more than {MAX_NESTING} levels deep")
    token = _nesting.set(depth + 1)
    try:
        outcomes: list[Outcome] = []
        for index, record in enumerate(event.get("Records") or []):
            try:
                outcomes.extend(parse_record(record, policy))
            except InvalidEventError as error:
                # One bad record must not stop the others from paging; it is reported as a failure.
                outcomes.append(Rejected(f"Records[{index}].{error.field}", error.reason, NAME))
        return outcomes
    finally:
        _nesting.reset(token)


SOURCE = Source(NAME, synchronous=False, matches=matches, parse=parse)
