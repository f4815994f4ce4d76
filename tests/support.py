"""Shared test helpers: the request contract, the pure pipeline, sample events."""

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from pagerduty_trigger.alert import Alert
from pagerduty_trigger.config import MappingPolicy
from pagerduty_trigger.limits import EVENT_MAX_BYTES
from pagerduty_trigger.payload import build
from pagerduty_trigger.sources.table import source_for

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
EXPECTED = ROOT / "tests" / "expected"
TEST_KEY = "T3stK3yT3stK3yT3stK3yT3stK3y0000"
ROUTING_KEY_PLACEHOLDER = "<routing-key>"
POLICY = MappingPolicy(default_source="pagerduty-trigger")


def event_files() -> list[Path]:
    return sorted(EVENTS.glob("*.json"))


def load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = load(ROOT / "tests" / "data" / "events-v2-request.schema.json")
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def assert_valid_request(raw: bytes) -> dict[str, Any]:
    """The body must pass the Events API v2 schema and the documented limits; returns it decoded."""
    assert len(raw) <= EVENT_MAX_BYTES, f"body is {len(raw)} bytes"
    body = json.loads(raw.decode("utf-8"))
    errors = sorted(_validator().iter_errors(body), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors]
    timestamp = body.get("payload", {}).get("timestamp")
    if timestamp is not None:
        assert datetime.fromisoformat(timestamp).tzinfo is not None, timestamp
    return body


def requests_for(event: Any, policy: MappingPolicy = POLICY, key: str = TEST_KEY) -> list[dict[str, Any]]:
    """What the function would send for an event, without any I/O: validated request bodies."""
    source, mapping = source_for(event)
    bodies = []
    for outcome in source.parse(mapping, policy):
        if isinstance(outcome, Alert):
            bodies.append(assert_valid_request(build(outcome, key)["body"]))
    return bodies


def masked(body: dict[str, Any], key: str) -> dict[str, Any]:
    assert body["routing_key"] == key
    return {**body, "routing_key": ROUTING_KEY_PLACEHOLDER}
