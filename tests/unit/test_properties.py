"""Property tests: any JSON value as the event ends as valid requests or a named InvalidEventError.

Events of every source shape are generated (real samples with fields replaced by hostile values,
SNS and SQS batches around text, JSON and alarm messages, direct invokes with wrong types, arbitrary
JSON, lone surrogates, strings over 600 KB). Every body must pass the Events API v2 schema, the
emulator's checks and the 512,000-byte limit. FUZZ_EXAMPLES sets the examples per test (`make fuzz`).
"""

import json
import os
from copy import deepcopy
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from local.pagerduty_emulator import validate
from pagerduty_trigger import payload
from pagerduty_trigger.alert import Alert, Rejected
from pagerduty_trigger.errors import InvalidEventError
from pagerduty_trigger.limits import EVENT_MAX_BYTES, TRUNCATION_MARKER
from pagerduty_trigger.payload import TRUNCATED_NOTE, build
from pagerduty_trigger.sources import direct
from pagerduty_trigger.sources.table import source_for
from tests.support import POLICY, TEST_KEY, assert_valid_request, event_files, load, requests_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
SAMPLES = [load(path) for path in event_files()]


def _nest(depth: int) -> Any:
    value: Any = "bottom"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


surrogates = st.integers(0xD800, 0xDFFF).map(chr)
texts = st.one_of(
    st.text(max_size=40),
    st.text(st.one_of(st.characters(), surrogates), max_size=40),
    st.sampled_from(["", " ", "\n", "ALARM", "OK", "INSUFFICIENT_DATA", "trigger", "resolve", "critical", "https://"]),
    st.sampled_from(["2024-01-01T00:00:00Z", "0001-01-01T00:00:00+0100", "9999-12-31T23:59:59-0100"]),
)
huge = st.builds(
    lambda chunk, count: chunk * count,
    st.sampled_from(["x", "é", "🚨", '"', "\\", "\x01", "\ud800", "👩‍👩‍👧", "a\u0301"]),
    st.integers(600_000 // 4, 700_000),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**400, max_value=10**2000),
    st.floats(),
    texts,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)
hostile = st.one_of(json_values, st.just(None), huge) | st.deferred(lambda: deep)
deep = st.integers(30, 200).map(_nest)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = deepcopy(value)  # not a JSON round trip: it would pair up lone surrogates in keys
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


@st.composite
def mutated_samples(draw: st.DrawFn) -> Any:
    """A real sample event with a few fields (anywhere, at any depth) replaced by hostile values."""
    event = draw(st.sampled_from(SAMPLES))
    for _ in range(draw(st.integers(0, 4))):
        path = draw(st.sampled_from(_paths(event)))
        event = _replace(event, path, draw(hostile))
    if isinstance(event, dict) and draw(st.booleans()):
        event = {**event, draw(texts): draw(json_values)}  # an unknown field
    return event


alarm_messages = st.sampled_from(
    [
        json.loads(r["Sns"]["Message"])
        for s in SAMPLES
        for r in s.get("Records", [])
        if "AlarmName" in r.get("Sns", {}).get("Message", "")
    ]
).flatmap(lambda message: st.builds(lambda p, v: _replace(message, p, v), st.sampled_from(_paths(message)), hostile))
messages = st.one_of(
    texts,
    huge,
    json_values.map(json.dumps),
    alarm_messages.map(json.dumps),
    mutated_samples().map(json.dumps),
    json_values,  # a Message that is not a string at all
)
sns_records = st.fixed_dictionaries(
    {
        "EventSource": st.just("aws:sns"),
        "Sns": st.fixed_dictionaries({"Message": messages}, optional={"Subject": texts, "TopicArn": texts}),
    }
)
sqs_records = st.fixed_dictionaries(
    {
        "eventSource": st.just("aws:sqs"),
        "body": st.one_of(messages, sns_records.map(lambda r: json.dumps({"Type": "Notification", **r["Sns"]}))),
    },
    optional={"eventSourceARN": texts},
)
batches = st.builds(
    lambda records: {"Records": records}, st.lists(st.one_of(sns_records, sqs_records, json_values), max_size=3)
)

direct_fields = {
    "summary": st.one_of(texts, huge),
    "severity": texts,
    "source": texts,
    "component": texts,
    "group": texts,
    "class": texts,
    "event_action": st.sampled_from(["trigger", "acknowledge", "resolve", " Trigger ", "snooze"]),
    "dedup_key": st.one_of(texts, st.text(min_size=250, max_size=260)),
    "custom_details": st.one_of(json_values, st.dictionaries(texts, st.one_of(huge, json_values), max_size=3)),
    "links": st.lists(st.fixed_dictionaries({"href": texts}, optional={"text": texts}), max_size=3),
    "images": st.lists(st.fixed_dictionaries({"src": texts}, optional={"href": texts, "alt": texts}), max_size=3),
    "timestamp": texts,
    "client": texts,
    "client_url": texts,
}
direct_invokes = st.fixed_dictionaries(
    {}, optional={name: st.one_of(strategy, strategy, json_values) for name, strategy in direct_fields.items()}
)
events = st.one_of(mutated_samples(), direct_invokes, batches, json_values, deep, huge)


def _check(event: Any) -> list[dict[str, Any]]:
    """The contract: a named input error, or requests PagerDuty accepts."""
    try:
        bodies = requests_for(event)
    except InvalidEventError as error:
        assert error.field
        assert error.reason
        return []
    for body in bodies:
        assert validate(body) == [], body
    return bodies


@FUZZ
@given(events)
@example(None)
@example(1)
@example("x")
@example([])
@example({"\ud800": None})
@example({"AlarmName": "a", "NewStateValue": "ALARM", "Trigger": {"MetricName": "m", "Dimensions": {"\ud800": 0}}})
@example({"summary": "x", "timestamp": "0001-01-01T00:00:00+0100"})
@example({"summary": "x", "custom_details": {"alarm": "x", "blob": '"' * 600_000}})
def test_any_event_yields_valid_requests_or_a_named_error(event: Any) -> None:
    _check(event)


@FUZZ
@given(mutated_samples())
def test_mutated_samples_yield_valid_requests_or_a_named_error(event: Any) -> None:
    _check(event)


@FUZZ
@given(batches)
def test_batches_yield_valid_requests_or_a_named_error(event: Any) -> None:
    _check(event)


@FUZZ
@given(direct_invokes)
def test_direct_invokes_yield_valid_requests_or_a_named_error(event: Any) -> None:
    _check(event)


# Each example builds strings over 600 KB (about 35 ms): at 10,000 examples this one property alone took
# seven minutes of `make fuzz`. The event properties above carry the 10,000-event fuzz; this one checks
# the trimming arithmetic, which a thousand oversized bodies exercise as well.
@settings(FUZZ, max_examples=min(EXAMPLES, 1000))
@given(st.dictionaries(st.text(max_size=8), st.one_of(huge, json_values), min_size=1, max_size=6), texts)
def test_oversized_details_are_trimmed_largest_first_and_the_page_still_goes(
    details: dict[str, Any], extra: str
) -> None:
    source, mapping = source_for({"summary": f"big {extra}", "custom_details": details})
    (alert,) = source.parse(mapping, POLICY)
    assert isinstance(alert, Alert)
    untrimmed = len(payload.encode(payload.event_body(alert, TEST_KEY)))
    built = build(alert, TEST_KEY)
    body = assert_valid_request(built["body"])
    assert validate(body) == []
    assert built["truncated"] is (untrimmed > EVENT_MAX_BYTES)
    if built["truncated"]:
        kept = body["payload"]["custom_details"]
        assert any(isinstance(v, str) and v.endswith(TRUNCATION_MARKER + TRUNCATED_NOTE) for v in kept.values())


def test_a_value_that_grows_when_escaped_is_cut_without_losing_the_other_details() -> None:
    """Quotes double under JSON escaping: the cut must account for it, not drop every detail."""
    event = {"summary": "x", "custom_details": {"alarm": "db-1", "blob": '"' * 600_000, "n": 3}}
    (body,) = _check(event)
    kept = body["payload"]["custom_details"]
    assert kept["alarm"] == "db-1"
    assert kept["n"] == 3
    assert kept["blob"].startswith('""""')
    assert kept["blob"].endswith(TRUNCATION_MARKER + TRUNCATED_NOTE)


def test_thousands_of_details_are_trimmed_in_a_bounded_number_of_encodings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Re-encoding the whole body once per detail took minutes for 8,000 keys: the Lambda timed out."""
    calls = 0
    real_encode = payload.encode

    def counting(body: payload.EventBody) -> bytes:
        nonlocal calls
        calls += 1
        return real_encode(body)

    monkeypatch.setattr(payload, "encode", counting)
    details = {f"k{i}": "v" * 70 for i in range(8000)}
    alert = Alert("trigger", "k", "many details", "src", "critical", "test", custom_details=details)
    built = build(alert, TEST_KEY)
    body = assert_valid_request(built["body"])
    assert built["truncated"] is True
    assert len(body["payload"]["custom_details"]) == 8000
    assert calls <= 3


def test_batches_nested_without_end_are_a_named_error() -> None:
    """Records inside SNS messages inside Records: deep enough, the parser itself must not recurse out."""
    event: Any = {"summary": "bottom"}
    for _ in range(400):
        event = {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": event}}]}
    source, mapping = source_for(event)
    (outcome,) = source.parse(mapping, POLICY)
    assert isinstance(outcome, Rejected)
    assert "nested" in outcome.reason


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+0100", "9999-12-31T23:59:59-0100"])
def test_timestamps_at_the_ends_of_the_calendar_are_left_out(stamp: str) -> None:
    (body,) = _check({"summary": "x", "timestamp": stamp})
    assert "timestamp" not in body["payload"]
    alarm = next(s for s in SAMPLES if s.get("source") == "aws.cloudwatch" and "detail" in s)
    for body in _check(_replace(alarm, ("detail", "state", "timestamp"), stamp)):
        assert "timestamp" not in body["payload"]


def test_direct_fields_cover_the_schema() -> None:
    assert set(direct_fields) == set(direct.FIELDS)
