"""Small builders of events in each AWS shape, for tests that vary one field at a time."""

import json
from typing import Any

ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-api-errors"


def alarm_detail(
    state: str = "ALARM",
    name: str = "orders-api-errors",
    *,
    reason: str = "Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).",
    description: str | None = "Orders API 5xx above 5 per minute",
    **extra: Any,
) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "alarmName": name,
        "state": {"value": state, "reason": reason, "timestamp": "2026-11-30T10:00:00.000+0000"},
        "previousState": {"value": "OK", "reason": "ok", "timestamp": "2026-11-30T09:00:00.000+0000"},
        "configuration": {
            "description": description,
            "metrics": [
                {
                    "id": "m1",
                    "metricStat": {
                        "metric": {
                            "namespace": "AWS/ApiGateway",
                            "name": "5XXError",
                            "dimensions": {"ApiName": "orders"},
                        },
                        "period": 60,
                        "stat": "Sum",
                    },
                    "returnData": True,
                }
            ],
        },
    }
    detail.update(extra)
    return detail


def eventbridge(
    detail: dict[str, Any], arn: str = ARN, detail_type: str = "CloudWatch Alarm State Change"
) -> dict[str, Any]:
    region, account = arn.split(":")[3], arn.split(":")[4]
    return {
        "version": "0",
        "id": "0d1c0a58-2a4b-4b4b-9a3c-5c7b1c0e9f11",
        "detail-type": detail_type,
        "source": "aws.cloudwatch",
        "account": account,
        "time": "2026-11-30T10:00:00Z",
        "region": region,
        "resources": [arn],
        "detail": detail,
    }


def alarm_action(detail: dict[str, Any], arn: str = ARN) -> dict[str, Any]:
    return {
        "source": "aws.cloudwatch",
        "alarmArn": arn,
        "accountId": arn.split(":")[4],
        "time": "2026-11-30T10:00:00.000+0000",
        "region": arn.split(":")[3],
        "alarmData": detail,
    }


def sns(
    message: Any, subject: str | None = None, topic: str = "arn:aws:sns:us-east-1:123456789012:ops"
) -> dict[str, Any]:
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{topic}:6f1f",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": "6a0c3b0e-1111-2222-3333-444455556666",
                    "TopicArn": topic,
                    "Subject": subject,
                    "Message": message if isinstance(message, str) else json.dumps(message),
                    "Timestamp": "2026-11-30T10:00:01.000Z",
                },
            }
        ]
    }


def sns_alarm_message(state: str = "ALARM", name: str = "orders-api-errors", arn: str | None = ARN) -> dict[str, Any]:
    message: dict[str, Any] = {
        "AlarmName": name,
        "AlarmDescription": "Orders API 5xx above 5 per minute",
        "AWSAccountId": "123456789012",
        "NewStateValue": state,
        "NewStateReason": "Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).",
        "StateChangeTime": "2026-11-30T10:00:00.000+0000",
        "Region": "US East (N. Virginia)",
        "OldStateValue": "OK",
        "Trigger": {
            "MetricName": "5XXError",
            "Namespace": "AWS/ApiGateway",
            "Statistic": "SUM",
            "Dimensions": [{"value": "orders", "name": "ApiName"}],
            "Period": 60,
            "EvaluationPeriods": 1,
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": 5.0,
        },
    }
    if arn is not None:
        message["AlarmArn"] = arn
    return message
