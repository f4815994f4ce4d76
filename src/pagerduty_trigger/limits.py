"""Events API v2 limits, each with its source.

https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ (field table),
https://developer.pagerduty.com/docs/events-api-v2/overview/ (size, rate limits).
"""

from typing import Final

SUMMARY_MAX_CHARS: Final = 1024  # payload.summary, in characters
DEDUP_KEY_MAX_CHARS: Final = 255  # dedup_key
EVENT_MAX_BYTES: Final = 512_000  # whole request body ("512 KB"; peers enforce 512,000 bytes)
ROUTING_KEY_LENGTH: Final = 32  # integration keys of Events API v2 integrations and rulesets
SEVERITIES: Final = ("critical", "error", "warning", "info")
EVENT_ACTIONS: Final = ("trigger", "acknowledge", "resolve")
TRUNCATION_MARKER: Final = "…"
# PagerDuty documents no length for these; the caps keep any one field from eating the body limit.
FIELD_MAX_CHARS: Final = 1024  # payload.source/component/group/class, client, link text, image alt
URL_MAX_CHARS: Final = 2048  # a longer link, image or client_url is left out rather than cut and broken
