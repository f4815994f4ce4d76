"""Alert -> Events API v2 request body: pure, with the size limit enforced before anything is sent."""

import json
from typing import NotRequired, TypedDict

from .alert import Alert, JSONValue
from .limits import EVENT_MAX_BYTES, FIELD_MAX_CHARS, SUMMARY_MAX_CHARS, TRUNCATION_MARKER, URL_MAX_CHARS
from .text import truncate

TRUNCATED_NOTE = "[truncated to fit PagerDuty's 512 KB event limit]"


class LinkBody(TypedDict):
    href: str
    text: NotRequired[str]


class ImageBody(TypedDict):
    src: str
    href: NotRequired[str]
    alt: NotRequired[str]


PayloadBody = TypedDict(
    "PayloadBody",
    {
        "summary": str,
        "source": str,
        "severity": str,
        "timestamp": NotRequired[str],
        "component": NotRequired[str],
        "group": NotRequired[str],
        "class": NotRequired[str],
        "custom_details": NotRequired[dict[str, JSONValue]],
    },
)


class EventBody(TypedDict):
    routing_key: str
    event_action: str
    dedup_key: NotRequired[str]
    payload: NotRequired[PayloadBody]
    links: NotRequired[list[LinkBody]]
    images: NotRequired[list[ImageBody]]
    client: NotRequired[str]
    client_url: NotRequired[str]


class Built(TypedDict):
    body: bytes
    truncated: bool


def _payload(alert: Alert) -> PayloadBody:
    payload: PayloadBody = {
        "summary": truncate(alert.summary, SUMMARY_MAX_CHARS),
        "source": truncate(alert.source, FIELD_MAX_CHARS),
        "severity": alert.severity,
    }
    if alert.timestamp:
        payload["timestamp"] = alert.timestamp
    if alert.component:
        payload["component"] = truncate(alert.component, FIELD_MAX_CHARS)
    if alert.group:
        payload["group"] = truncate(alert.group, FIELD_MAX_CHARS)
    if alert.class_:
        payload["class"] = truncate(alert.class_, FIELD_MAX_CHARS)
    if alert.custom_details:
        payload["custom_details"] = dict(alert.custom_details)
    return payload


def event_body(alert: Alert, routing_key: str) -> EventBody:
    """The request as a dict; acknowledge and resolve carry only what PagerDuty reads for them."""
    body: EventBody = {"routing_key": routing_key, "event_action": alert.action}
    if alert.dedup_key:
        body["dedup_key"] = alert.dedup_key
    if alert.action != "trigger":
        return body
    body["payload"] = _payload(alert)
    links = [_link(x.href, x.text) for x in alert.links if len(x.href) <= URL_MAX_CHARS]
    if links:
        body["links"] = links
    images = [_image(x.src, x.href, x.alt) for x in alert.images if len(x.src) <= URL_MAX_CHARS]
    if images:
        body["images"] = images
    if alert.client:
        body["client"] = truncate(alert.client, FIELD_MAX_CHARS)
    if alert.client_url and len(alert.client_url) <= URL_MAX_CHARS:
        body["client_url"] = alert.client_url
    return body


def _link(href: str, text: str | None) -> LinkBody:
    link: LinkBody = {"href": href}
    if text:
        link["text"] = truncate(text, FIELD_MAX_CHARS)
    return link


def _image(src: str, href: str | None, alt: str | None) -> ImageBody:
    image: ImageBody = {"src": src}
    if href and len(href) <= URL_MAX_CHARS:
        image["href"] = href
    if alt:
        image["alt"] = truncate(alt, FIELD_MAX_CHARS)
    return image


# Made once: json.dumps with any option set builds a new encoder on every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode(body: EventBody) -> bytes:
    return _ENCODER.encode(body).encode("utf-8")


def build(alert: Alert, routing_key: str, max_bytes: int = EVENT_MAX_BYTES) -> Built:
    """The encoded body, under max_bytes: the largest custom_details values are cut first, with a marker."""
    body = event_body(alert, routing_key)
    encoded = encode(body)
    if len(encoded) <= max_bytes:
        return {"body": encoded, "truncated": False}
    payload = body.get("payload")
    details = payload.get("custom_details") if payload else None
    if payload is not None and details:
        details = dict(details)
        payload["custom_details"] = details
        # A value's share of the body is exactly its own encoding, so the size is tracked by arithmetic
        # and the body encoded once more at the end: re-encoding it per value takes minutes for
        # thousands of keys, and the Lambda would time out with the page unsent.
        size = len(encoded)
        sizes = {k: len(encode_value(v)) for k, v in details.items()}
        for key in sorted(sizes, key=sizes.__getitem__, reverse=True):
            if size <= max_bytes:
                break
            cut = _cut(details[key], sizes[key] - (size - max_bytes))
            cut_size = len(encode_value(cut))
            if cut_size >= sizes[key]:
                break  # the rest are no larger: a marker would not make them smaller
            details[key] = cut
            size += cut_size - sizes[key]
        encoded = encode(body)
        if len(encoded) > max_bytes:
            payload["custom_details"] = {"note": TRUNCATED_NOTE}
            encoded = encode(body)
    for field in ("images", "links"):
        if len(encoded) > max_bytes and field in body:
            del body[field]
            encoded = encode(body)
    return {"body": encoded, "truncated": True}


def encode_value(value: JSONValue) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def _cut(value: JSONValue, max_bytes: int) -> str:
    """A string of the value (a string itself, else its JSON text) cut on a character boundary so that,
    with the marker and encoded as a JSON string, it takes at most max_bytes (or only the marker)."""
    raw = value.encode("utf-8", "replace") if isinstance(value, str) else encode_value(value)
    suffix = TRUNCATION_MARKER + TRUNCATED_NOTE
    keep = max(0, max_bytes - len(encode_value(suffix)))
    while True:
        cut = raw[:keep].decode("utf-8", "ignore") + suffix
        size = len(encode_value(cut))
        if size <= max_bytes or keep == 0:
            return cut
        # JSON escaping (quotes, backslashes, control characters) grew the text: keep proportionally less.
        keep = min(keep - 1, keep * max_bytes // size)
