"""How alarms and other inputs become PagerDuty requests: lifecycle, keys, severity, content."""

import json
from dataclasses import replace
from typing import Any

import pytest

from pagerduty_trigger.alert import Alert, Skip
from pagerduty_trigger.errors import InvalidEventError
from pagerduty_trigger.limits import DEDUP_KEY_MAX_CHARS, SUMMARY_MAX_CHARS, TRUNCATION_MARKER
from pagerduty_trigger.sources.table import source_for
from tests.builders import ARN, alarm_action, alarm_detail, eventbridge, sns, sns_alarm_message
from tests.support import POLICY, requests_for


def outcomes(event: Any, policy: Any = POLICY) -> list[Any]:
    source, mapping = source_for(event)
    return source.parse(mapping, policy)


def one(event: Any, policy: Any = POLICY) -> dict[str, Any]:
    (body,) = requests_for(event, policy)
    return body


# Lifecycle ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("wrap", [eventbridge, alarm_action], ids=["eventbridge", "alarm-action"])
def test_alarm_triggers_and_ok_resolves_with_the_same_key(wrap: Any) -> None:
    opened = one(wrap(alarm_detail("ALARM")))
    closed = one(wrap(alarm_detail("OK", reason="back to normal")))
    assert (opened["event_action"], closed["event_action"]) == ("trigger", "resolve")
    assert opened["dedup_key"] == closed["dedup_key"] == ARN


def test_sns_alarm_uses_the_same_key_as_eventbridge() -> None:
    assert one(sns(sns_alarm_message()))["dedup_key"] == one(eventbridge(alarm_detail()))["dedup_key"]


def test_insufficient_data_does_not_page_and_never_resolves() -> None:
    (skip,) = outcomes(eventbridge(alarm_detail("INSUFFICIENT_DATA")))
    assert isinstance(skip, Skip)
    assert requests_for(sns(sns_alarm_message("INSUFFICIENT_DATA"))) == []


def test_insufficient_data_can_be_set_to_trigger_at_a_chosen_severity() -> None:
    policy = replace(POLICY, insufficient_data_action="trigger", insufficient_data_severity="info")
    body = one(eventbridge(alarm_detail("INSUFFICIENT_DATA")), policy)
    assert body["event_action"] == "trigger"
    assert body["payload"]["severity"] == "info"


def test_suppressed_composite_and_muted_alarms_do_not_page() -> None:
    suppressed = alarm_detail()
    suppressed["state"]["actionsSuppressedBy"] = "WaitPeriod"
    muted = alarm_detail(muteDetail={"mutedByArn": "arn:aws:cloudwatch:us-east-1:1:alarm-mute-rule:x"})
    for event in (eventbridge(suppressed), eventbridge(muted)):
        assert [type(o) for o in outcomes(event)] == [Skip]


def test_configuration_change_is_a_logged_skip() -> None:
    (skip,) = outcomes(eventbridge(alarm_detail(), detail_type="CloudWatch Alarm Configuration Change"))
    assert isinstance(skip, Skip)
    assert "Configuration Change" in skip.reason


# Dedup key -----------------------------------------------------------------------------------------


def test_same_name_in_another_region_or_account_gets_another_key() -> None:
    keys = {
        one(eventbridge(alarm_detail(), arn=arn))["dedup_key"]
        for arn in (
            ARN,
            ARN.replace("us-east-1", "eu-west-1"),
            ARN.replace("123456789012", "210987654321"),
        )
    }
    assert len(keys) == 3


def test_key_never_depends_on_state_time_or_reason() -> None:
    first = alarm_detail("ALARM", reason="one")
    second = alarm_detail("ALARM", reason="two")
    second["state"]["timestamp"] = "2026-12-01T00:00:00.000+0000"
    assert one(eventbridge(first))["dedup_key"] == one(eventbridge(second))["dedup_key"]


def test_long_alarm_names_give_a_bounded_readable_key() -> None:
    name = "n" * 255
    arn = f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"
    key = one(eventbridge(alarm_detail(name=name), arn=arn))["dedup_key"]
    assert len(key) <= DEDUP_KEY_MAX_CHARS
    assert key.startswith("arn:aws:cloudwatch:us-east-1:123456789012:alarm:nnn")
    assert one(alarm_action(alarm_detail("OK", name=name), arn=arn))["dedup_key"] == key


def test_bare_message_without_arn_gets_the_key_of_its_alarm() -> None:
    bare = sns_alarm_message(arn=None)
    assert one(bare)["dedup_key"] == ARN


def test_direct_invokes_without_a_key_do_not_share_one() -> None:
    keys = {one({"summary": s})["dedup_key"] for s in ("disk full", "cpu hot", "queue stuck")}
    assert len(keys) == 3


# Severity ------------------------------------------------------------------------------------------


def test_severity_tag_overrides_and_bad_tags_fall_back_with_a_warning() -> None:
    tagged = one(eventbridge(alarm_detail(alarmTags={"pagerduty-severity": "WARN"})))
    assert tagged["payload"]["severity"] == "warning"
    (alert,) = outcomes(eventbridge(alarm_detail(alarmTags={"pagerduty-severity": "purple"})))
    assert isinstance(alert, Alert)
    assert alert.severity == "critical"
    assert "purple" in alert.warnings[0]


def test_direct_severity_is_normalised() -> None:
    body = one({"summary": "export failed", "severity": "CRITICAL", "source": "batch"})
    assert body["payload"] == {"summary": "export failed", "severity": "critical", "source": "batch"}


# Content -------------------------------------------------------------------------------------------


def test_long_mixed_text_is_cut_safely_and_kept_whole_in_details() -> None:
    long_text = ("日本 ü 🚨 latency high; " * 200)[:3000]
    body = one(eventbridge(alarm_detail(reason=long_text, description=long_text)))
    summary = body["payload"]["summary"]
    assert len(summary) <= SUMMARY_MAX_CHARS
    assert summary.endswith(TRUNCATION_MARKER)
    summary.encode("utf-8")  # no lone surrogate from a split character
    assert body["payload"]["custom_details"]["description"] == long_text
    assert body["payload"]["custom_details"]["reason"] == long_text


def test_special_characters_survive_intact() -> None:
    name = "checkout-latency-🔥"
    description = 'p99 "slow" path\\api\tcheck\nsecond line'
    arn = f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"
    body = one(eventbridge(alarm_detail(name=name, description=description), arn=arn))
    assert json.loads(json.dumps(body, ensure_ascii=False)) == body
    assert body["payload"]["custom_details"]["description"] == description
    assert body["payload"]["custom_details"]["alarm_name"] == name
    assert body["links"][0]["href"].endswith("#alarmsV2:alarm/checkout-latency-%F0%9F%94%A5")


def test_context_for_the_responder() -> None:
    body = one(eventbridge(alarm_detail(alarmTags={"runbook": "https://runbooks.example.com/orders"})))
    payload = body["payload"]
    assert payload["summary"].startswith("ALARM: orders-api-errors - Threshold Crossed")
    assert payload["source"] == ARN
    assert (payload["component"], payload["group"], payload["class"]) == (
        "ApiName=orders",
        "AWS/ApiGateway",
        "5XXError",
    )
    assert payload["timestamp"] == "2026-11-30T10:00:00.000Z"
    details = payload["custom_details"]
    assert details["dimensions"] == {"ApiName": "orders"}
    assert details["previous_state"] == "OK"
    assert (details["region"], details["account"]) == ("us-east-1", "123456789012")
    assert [link["text"] for link in body["links"]] == ["CloudWatch alarm", "Runbook"]
    assert body["links"][1]["href"] == "https://runbooks.example.com/orders"
    assert body["client"] == "Amazon CloudWatch"
    assert body["client_url"] == body["links"][0]["href"]


def test_console_link_follows_the_partition() -> None:
    arn = "arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:orders-api-errors"
    body = one(eventbridge(alarm_detail(), arn=arn))
    assert body["links"][0]["href"].startswith(
        "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1"
    )


def test_malformed_timestamp_is_left_out() -> None:
    detail = alarm_detail()
    detail["state"]["timestamp"] = "not a time"
    assert "timestamp" not in one(eventbridge(detail))["payload"]


def test_metric_math_and_composite_alarms_describe_what_they_watch() -> None:
    math = alarm_detail()
    math["configuration"]["metrics"] = [
        {"id": "e1", "expression": "m1/m2*100", "label": "error %", "returnData": True},
        {
            "id": "m1",
            "metricStat": {"metric": {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {}}, "stat": "Sum"},
            "returnData": False,
        },
    ]
    payload = one(eventbridge(math))["payload"]
    assert payload["class"] == "error %"
    assert payload["custom_details"]["expression"] == "m1/m2*100"
    composite = alarm_detail()
    composite["configuration"] = {"alarmRule": "ALARM(a) OR ALARM(b)"}
    composite["state"]["reasonData"] = json.dumps(
        {"triggeringAlarms": [{"arn": "arn:aws:cloudwatch:us-east-1:1:alarm:a", "state": {"value": "ALARM"}}]}
    )
    details = one(eventbridge(composite))["payload"]["custom_details"]
    assert details["alarm_rule"] == "ALARM(a) OR ALARM(b)"
    assert details["triggering_alarms"] == ["arn:aws:cloudwatch:us-east-1:1:alarm:a (ALARM)"]


# Other inputs --------------------------------------------------------------------------------------


def test_sns_plain_text_without_subject() -> None:
    body = one(sns("disk full on db-1", subject=None))
    assert body["event_action"] == "trigger"
    assert body["payload"]["summary"] == "disk full on db-1"


@pytest.mark.parametrize(
    ("message", "summary"), [("1", "1"), ("null", "null"), ('[{"check": "db"}]', '[{"check": "db"}]')]
)
def test_sns_json_that_is_not_an_alarm_still_pages(message: str, summary: str) -> None:
    body = one(sns(message, subject=None))
    assert body["event_action"] == "trigger"
    assert body["payload"]["summary"] == summary
    assert body["payload"]["custom_details"]["message"] == message


def test_eventbridge_event_inside_sns_is_unwrapped() -> None:
    body = one(sns(eventbridge(alarm_detail("OK"))))
    assert (body["event_action"], body["dedup_key"]) == ("resolve", ARN)


@pytest.mark.parametrize(("score", "severity"), [(2.0, "warning"), (5.5, "error"), (8.0, "critical")])
def test_guardduty_severity_follows_its_score(score: float, severity: str) -> None:
    event = {
        "detail-type": "GuardDuty Finding",
        "source": "aws.guardduty",
        "id": "e1",
        "detail": {"id": "f1", "severity": score, "title": "probe"},
    }
    assert one(event)["payload"]["severity"] == severity


def test_health_event_opens_and_closes_one_incident() -> None:
    def health(status: str) -> dict[str, Any]:
        return {
            "detail-type": "AWS Health Event",
            "source": "aws.health",
            "account": "123456789012",
            "id": f"id-{status}",
            "detail": {
                "eventArn": "arn:aws:health:us-east-1::event/EC2/X/1",
                "statusCode": status,
                "eventTypeCategory": "issue",
            },
        }

    opened, closed = one(health("open")), one(health("closed"))
    assert (opened["event_action"], closed["event_action"]) == ("trigger", "resolve")
    assert opened["dedup_key"] == closed["dedup_key"]


def test_non_object_event_is_a_named_error() -> None:
    for event in (None, 1, "text", [1, 2]):
        with pytest.raises(InvalidEventError) as raised:
            source_for(event)
        assert raised.value.field == "event"


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"summary": 5}, "summary"),
        ({"event_action": "explode", "dedup_key": "k"}, "event_action"),
        ({"event_action": "resolve"}, "dedup_key"),
        ({"dedup_key": "k" * 256}, "dedup_key"),
        ({"links": [{"text": "no href"}]}, "links[0]"),
        ({"custom_details": {"a": 1}, "images": "x"}, "images"),
    ],
)
def test_bad_direct_input_names_the_field(event: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidEventError) as raised:
        outcomes(event)
    assert raised.value.field.startswith(field.split("[", maxsplit=1)[0])
    assert field.split("[", maxsplit=1)[0] in str(raised.value)


@pytest.mark.parametrize("message", [None, ""])
def test_sns_notification_without_a_message_says_so(message: str | None) -> None:
    event = sns("x")
    event["Records"][0]["Sns"]["Message"] = message
    body = one(event)
    assert body["payload"]["summary"] == "Empty SNS notification from arn:aws:sns:us-east-1:123456789012:ops"


@pytest.mark.parametrize("alarm_name", ["trailing space ", " leading space", "y" * 240 + " "])
def test_names_with_edge_spaces_keep_one_key_on_every_path(alarm_name: str) -> None:
    arn = f"arn:aws:cloudwatch:ap-southeast-2:345678901234:alarm:{alarm_name}"
    keys = {
        one(eventbridge(alarm_detail(name=alarm_name), arn=arn))["dedup_key"],
        one(alarm_action(alarm_detail(name=alarm_name), arn=arn))["dedup_key"],
        one(sns(sns_alarm_message(name=alarm_name, arn=arn)))["dedup_key"],
    }
    bare = sns_alarm_message(name=alarm_name, arn=None)
    bare["Region"] = "Asia Pacific (Sydney)"
    bare["AWSAccountId"] = "345678901234"
    keys.add(one(bare)["dedup_key"])
    assert len(keys) == 1, keys


def test_skip_reason_of_an_odd_detail_type_is_printable() -> None:
    (skip,) = outcomes(eventbridge(alarm_detail(), detail_type="CloudWatch Alarm \ud800 Change"))
    assert isinstance(skip, Skip)
    skip.reason.encode("utf-8")


# Numbers beyond the float range ------------------------------------------------------------------

BEYOND_FLOAT = 2**1024 - 1  # 1,024 bits: within json_safe's integer bound, but float() overflows


def _huge_eventbridge() -> dict[str, Any]:
    detail = alarm_detail()
    detail["state"]["reasonData"] = json.dumps({"threshold": BEYOND_FLOAT})
    detail["configuration"]["metrics"][0]["metricStat"]["period"] = BEYOND_FLOAT
    return eventbridge(detail)


def _huge_sns() -> dict[str, Any]:
    message = sns_alarm_message()
    message["Trigger"].update(Threshold=BEYOND_FLOAT, Period=BEYOND_FLOAT, EvaluationPeriods=BEYOND_FLOAT)
    return sns(message)


@pytest.mark.parametrize("event", [_huge_eventbridge(), _huge_sns()], ids=["eventbridge", "sns"])
def test_numbers_beyond_the_float_range_are_left_out_not_raised(event: dict[str, Any]) -> None:
    details = one(event)["payload"]["custom_details"]
    for field in ("threshold", "period_seconds", "evaluation_periods"):
        assert field not in details
