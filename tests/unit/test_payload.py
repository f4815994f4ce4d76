"""The builder: only the fields PagerDuty reads, and never a body over the size limit."""

import json

from pagerduty_trigger.alert import Alert, Image, Link
from pagerduty_trigger.limits import EVENT_MAX_BYTES, FIELD_MAX_CHARS, TRUNCATION_MARKER
from pagerduty_trigger.payload import TRUNCATED_NOTE, build
from tests.support import TEST_KEY, assert_valid_request


def alert(**fields: object) -> Alert:
    base: dict[str, object] = {
        "action": "trigger",
        "dedup_key": "k1",
        "summary": "disk full",
        "source": "db-1",
        "severity": "error",
        "origin": "test",
    }
    base.update(fields)
    return Alert(**base)  # type: ignore[arg-type]


def test_resolve_carries_only_key_action_and_dedup_key() -> None:
    body = assert_valid_request(build(alert(action="resolve"), TEST_KEY)["body"])
    assert body == {"routing_key": TEST_KEY, "event_action": "resolve", "dedup_key": "k1"}


def test_trigger_carries_everything_known_and_nothing_empty() -> None:
    built = build(
        alert(
            component="disk",
            class_="capacity",
            custom_details={"used": "97%"},
            links=(Link("https://runbooks.example.com/disk", "Runbook"),),
            images=(Image("https://graphs.example.com/disk.png"),),
            client="tests",
        ),
        TEST_KEY,
    )
    body = assert_valid_request(built["body"])
    assert built["truncated"] is False
    assert body["payload"] == {
        "summary": "disk full",
        "source": "db-1",
        "severity": "error",
        "component": "disk",
        "class": "capacity",
        "custom_details": {"used": "97%"},
    }
    assert body["links"] == [{"href": "https://runbooks.example.com/disk", "text": "Runbook"}]
    assert body["images"] == [{"src": "https://graphs.example.com/disk.png"}]
    assert "group" not in body["payload"]


def test_largest_details_are_cut_first_and_the_page_still_goes() -> None:
    details = {"small": "keep me", "medium": "m" * 200_000, "huge": "🚨" * 300_000}
    built = build(alert(custom_details=details), TEST_KEY)
    body = assert_valid_request(built["body"])
    assert built["truncated"] is True
    kept = body["payload"]["custom_details"]
    assert kept["small"] == "keep me"
    assert kept["medium"] == "m" * 200_000
    assert kept["huge"].endswith(TRUNCATION_MARKER + TRUNCATED_NOTE)
    assert len(built["body"]) <= EVENT_MAX_BYTES


def test_many_mid_sized_details_are_all_trimmed_as_needed() -> None:
    details = {f"k{i}": "x" * 60_000 for i in range(20)}
    built = build(alert(custom_details=details), TEST_KEY)
    assert_valid_request(built["body"])
    assert built["truncated"] is True


def test_free_text_fields_are_capped_and_overlong_urls_left_out() -> None:
    built = build(
        alert(source="s" * 700_000, component="c" * 5000, links=(Link("https://x.example/" + "a" * 5000),)),
        TEST_KEY,
    )
    body = assert_valid_request(built["body"])
    assert len(body["payload"]["source"]) == FIELD_MAX_CHARS
    assert len(body["payload"]["component"]) == FIELD_MAX_CHARS
    assert "links" not in body


def test_body_is_utf8_json_with_characters_intact() -> None:
    text = 'quote " backslash \\ tab \t newline \n emoji 🔥 日本'
    body = json.loads(build(alert(summary=text, custom_details={"d": text}), TEST_KEY)["body"].decode("utf-8"))
    assert body["payload"]["custom_details"]["d"] == text
