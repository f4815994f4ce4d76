"""CloudWatch alarm state changes, from any delivery path, normalised into one AlarmChange.

EventBridge and alarm-action payloads carry the camelCase `detail`/`alarmData` shape; SNS carries
the PascalCase notification message. Both become an AlarmChange, and one policy turns that into an
Alert or a Skip, so the same alarm maps the same way (and to the same dedup key) on every path.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple
from urllib.parse import quote

from .alert import Action, Alert, JSONValue, Link, Outcome, Severity, Skip
from .config import MappingPolicy
from .errors import InvalidEventError
from .limits import SUMMARY_MAX_CHARS
from .reader import Obj, drop_empty, embedded_json, exact_text, items, json_safe, number, obj, text
from .regions import console_host, partition_of, region_code
from .text import bounded_key, clean_text, iso_timestamp, normalise_severity, truncate

CLIENT = "Amazon CloudWatch"
SEVERITY_TAGS = ("pagerduty-severity", "pagerduty_severity", "severity")
RUNBOOK_TAGS = ("runbook", "runbook-url", "runbook_url", "pagerduty-runbook")
_NOTHING: Mapping[str, str] = MappingProxyType({})


# The records built while one event is read (Arn, _Metric, AlarmChange) are NamedTuples: as immutable as
# frozen dataclasses, and four times cheaper to create, which counts on every warm invocation.


class Arn(NamedTuple):
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @classmethod
    def parse(cls, value: str | None) -> "Arn | None":
        parts = value.split(":", 5) if value else []
        if len(parts) != 6 or parts[0].strip() != "arn":
            return None
        # Published samples put spaces after colons ("us-east-1: 1111..."); the first five fields of an
        # ARN never hold spaces, the resource (an alarm name) may.
        return cls(parts[1].strip(), parts[2].strip(), parts[3].strip(), parts[4].strip(), parts[5])

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


class AlarmChange(NamedTuple):
    name: str
    arn: str
    state: str
    region: str | None
    account: str | None
    partition: str
    reason: str | None = None
    previous_state: str | None = None
    timestamp: str | None = None
    description: str | None = None
    suppressed_by: str | None = None
    muted_by: str | None = None
    tags: Mapping[str, str] = _NOTHING
    contributor_id: str | None = None
    # JSON-safe values only (read through `reader`): they go to custom_details without another pass.
    details: Mapping[str, JSONValue] = _NOTHING
    component: str | None = None
    group: str | None = None
    class_: str | None = None


def _identity(
    name: str | None, arn_text: str | None, region: str | None, account: str | None
) -> tuple[str, str, str | None, str | None, str]:
    """Name, canonical ARN, region, account and partition, whichever of them the event carries."""
    arn = Arn.parse(arn_text)
    if arn is not None:
        region = region_code(arn.region) or region_code(region) or arn.region or region
        account = arn.account or account
        name = name or arn.resource.removeprefix("alarm:")
        return name or "unnamed alarm", str(arn), region, account, arn.partition or "aws"
    region = region_code(region) or region
    partition = partition_of(region)
    name = name or "unnamed alarm"
    # No ARN (a bare message): build the one CloudWatch would have, so every path agrees on the key.
    return (
        name,
        f"arn:{partition}:cloudwatch:{region or ''}:{account or ''}:alarm:{name}",
        region,
        account,
        partition,
    )


def _tags(value: object) -> dict[str, str]:
    # Names are input too: they reach the component text, where a lone surrogate cannot be encoded.
    return {clean_text(k): t for k, v in obj(value).items() if (t := text(v)) is not None}


def _dimensions(value: object) -> dict[str, str]:
    """Dimensions as {name: value}: EventBridge sends an object, SNS a list of {name, value}."""
    if isinstance(value, Mapping):
        return _tags(value)
    out: dict[str, str] = {}
    for raw in items(value):
        entry = obj(raw)
        name = text(entry.get("name", entry.get("Name")))
        val = text(entry.get("value", entry.get("Value")))
        if name is not None and val is not None:
            out[name] = val
    return out


def _children(value: object) -> list[str]:
    """Triggering child alarms as "arn (STATE)": objects in practice, strings in the documented schema."""
    out: list[str] = []
    for raw in items(value):
        if isinstance(raw, str):
            out.append(clean_text(raw))
            continue
        child = obj(raw)
        arn = text(child.get("arn", child.get("Arn")))
        state = obj(child.get("state", child.get("State")))
        value_ = text(state.get("value", state.get("Value")))
        if arn:
            out.append(f"{arn} ({value_})" if value_ else arn)
    return out


class _Metric(NamedTuple):
    """What the alarm watches, read from either shape."""

    namespace: str | None = None
    name: str | None = None
    dimensions: Mapping[str, str] = _NOTHING
    statistic: str | None = None
    period: float | None = None
    expression: str | None = None
    label: str | None = None
    inputs: tuple[str, ...] = ()
    band: str | None = None  # the ANOMALY_DETECTION_BAND expression of an anomaly detection alarm


@dataclass(frozen=True, slots=True)
class _QueryFields:
    """Names of the metric query fields: camelCase on EventBridge and alarm actions, PascalCase in SNS."""

    expression: str
    return_data: str
    metric_stat: str
    metric: str
    id: str
    namespace: str
    name: str
    stat: str
    dimensions: str
    period: str
    label: str


CAMEL = _QueryFields(
    "expression",
    "returnData",
    "metricStat",
    "metric",
    "id",
    "namespace",
    "name",
    "stat",
    "dimensions",
    "period",
    "label",
)
PASCAL = _QueryFields(
    "Expression",
    "ReturnData",
    "MetricStat",
    "Metric",
    "Id",
    "Namespace",
    "MetricName",
    "Stat",
    "Dimensions",
    "Period",
    "Label",
)


def _metric_from_queries(queries: object, f: _QueryFields) -> _Metric:
    """The metric of a metrics[] list: the ReturnData query, and the inputs it is computed from."""
    returned: Obj = {}
    stat_queries: list[tuple[Obj, Obj]] = []
    band: str | None = None
    for raw in items(queries):
        query = obj(raw)
        expression_text = text(query.get(f.expression)) or ""
        if expression_text.upper().startswith("ANOMALY_DETECTION_BAND"):
            band = expression_text
            continue
        if query.get(f.return_data) is True and not returned:
            returned = query
        stat = obj(query.get(f.metric_stat))
        if stat:
            stat_queries.append((query, stat))
    expression = text(returned.get(f.expression))
    stat = obj(returned.get(f.metric_stat)) or (stat_queries[0][1] if stat_queries else {})
    metric = obj(stat.get(f.metric))
    inputs: tuple[str, ...] = ()
    if expression:  # metric math: name the metrics it is computed from
        inputs = tuple(_input(query, input_stat, f) for query, input_stat in stat_queries)
    return _Metric(
        namespace=text(metric.get(f.namespace)),
        name=text(metric.get(f.name)) if not expression else None,
        dimensions=_dimensions(metric.get(f.dimensions)),
        statistic=text(stat.get(f.stat)),
        period=number(stat.get(f.period)),
        expression=expression,
        label=text(returned.get(f.label)),
        inputs=inputs,
        band=band,
    )


def _input(query: Obj, stat: Obj, f: _QueryFields) -> str:
    metric = obj(stat.get(f.metric))
    return (
        f"{text(query.get(f.id))}: {text(metric.get(f.namespace))} {text(metric.get(f.name))} "
        f"({text(stat.get(f.stat))})"
    )


def _metric_details(metric: _Metric) -> dict[str, JSONValue]:
    return {
        "metric": f"{metric.namespace} {metric.name}" if metric.namespace and metric.name else metric.name,
        "expression": metric.expression,
        "label": metric.label,
        "statistic": metric.statistic,
        "period_seconds": metric.period,
        "dimensions": {**metric.dimensions},
        "inputs": [*metric.inputs],
        "anomaly_band": metric.band,
    }


def _classify(metric: _Metric, composite_rule: str | None) -> tuple[str | None, str | None, str | None]:
    """component, group, class: the resource, the namespace and what is measured."""
    if composite_rule:
        return None, None, "composite alarm"
    component = ", ".join(f"{k}={v}" for k, v in metric.dimensions.items()) or None
    return component, metric.namespace, metric.name or metric.label or metric.expression


def from_detail(detail: Obj, *, arn: str | None, region: str | None, account: str | None) -> AlarmChange:
    """An AlarmChange from the EventBridge `detail` / alarm-action `alarmData` shape."""
    state = obj(detail.get("state"))
    value = text(state.get("value"))
    if value is None:
        raise InvalidEventError("detail.state.value", "missing: not a CloudWatch alarm state change")
    previous = obj(detail.get("previousState"))
    config = obj(detail.get("configuration"))
    reason_data = obj(embedded_json(state.get("reasonData")))
    metric = _metric_from_queries(config.get("metrics"), CAMEL)
    rule = text(config.get("alarmRule"))
    contributor = obj(detail.get("alarmContributor"))
    mute = obj(detail.get("muteDetail"))
    name, arn_text, region, account, partition = _identity(exact_text(detail.get("alarmName")), arn, region, account)
    details: dict[str, JSONValue] = {
        **_metric_details(metric),
        "threshold": number(reason_data.get("threshold")),
        "comparison": text(config.get("comparisonOperator")),
        "recent_datapoints": json_safe(items(reason_data.get("recentDatapoints"))),
        "anomaly_band_lower": json_safe(items(reason_data.get("recentLowerThresholds"))),
        "anomaly_band_upper": json_safe(items(reason_data.get("recentUpperThresholds"))),
        "alarm_rule": rule,
        "triggering_alarms": [*_children(reason_data.get("triggeringAlarms"))],
        "actions_suppressor": text(config.get("actionsSuppressor")),
        "contributor": json_safe(contributor) or None,
    }
    component, group, class_ = _classify(metric, rule)
    contributor_attrs = ", ".join(f"{k}={v}" for k, v in _tags(contributor.get("attributes")).items())
    return AlarmChange(
        name=name,
        arn=arn_text,
        state=value.upper(),
        region=region,
        account=account,
        partition=partition,
        reason=text(state.get("reason")),
        previous_state=text(previous.get("value")),
        timestamp=iso_timestamp(state.get("timestamp")),
        description=text(config.get("description")),
        suppressed_by=text(state.get("actionsSuppressedBy")),
        muted_by=text(mute.get("mutedByArn")) or ("muteDetail" if mute else None),
        tags=_tags(detail.get("alarmTags")),
        contributor_id=text(contributor.get("id")),
        details=details,
        component=contributor_attrs or component,
        group=group,
        class_=class_,
    )


def from_sns_message(message: Obj) -> AlarmChange:
    """An AlarmChange from the PascalCase alarm notification that SNS delivers."""
    value = text(message.get("NewStateValue"))
    if value is None:
        raise InvalidEventError("Message.NewStateValue", "missing: not a CloudWatch alarm notification")
    trigger = obj(message.get("Trigger"))
    if text(trigger.get("MetricName")):
        metric = _Metric(
            namespace=text(trigger.get("Namespace")),
            name=text(trigger.get("MetricName")),
            dimensions=_dimensions(trigger.get("Dimensions")),
            statistic=text(trigger.get("ExtendedStatistic")) or text(trigger.get("Statistic")),
            period=number(trigger.get("Period")),
        )
    else:
        metric = _metric_from_queries(trigger.get("Metrics"), PASCAL)
    rule = text(message.get("AlarmRule"))
    name, arn_text, region, account, partition = _identity(
        exact_text(message.get("AlarmName")),
        exact_text(message.get("AlarmArn")),
        text(message.get("Region")),
        text(message.get("AWSAccountId")),
    )
    details: dict[str, JSONValue] = {
        **_metric_details(metric),
        "threshold": number(trigger.get("Threshold")),
        "threshold_metric_id": text(trigger.get("ThresholdMetricId")),
        "comparison": text(trigger.get("ComparisonOperator")),
        "evaluation_periods": number(trigger.get("EvaluationPeriods")),
        "alarm_rule": rule,
        "triggering_alarms": [*_children(message.get("TriggeringChildren"))],
    }
    component, group, class_ = _classify(metric, rule)
    return AlarmChange(
        name=name,
        arn=arn_text,
        state=value.upper(),
        region=region,
        account=account,
        partition=partition,
        reason=text(message.get("NewStateReason")),
        previous_state=text(message.get("OldStateValue")),
        timestamp=iso_timestamp(message.get("StateChangeTime")),
        description=text(message.get("AlarmDescription")),
        details=details,
        component=component,
        group=group,
        class_=class_,
    )


def dedup_key(change: AlarmChange) -> str:
    """The alarm ARN (plus contributor): the same on every path, never from state, time or reason."""
    key = change.arn if change.contributor_id is None else f"{change.arn}#contributor={change.contributor_id}"
    return bounded_key(key)


def _severity(change: AlarmChange, default: Severity) -> tuple[Severity, tuple[str, ...]]:
    for tag in SEVERITY_TAGS:
        if tag in change.tags:
            chosen = normalise_severity(change.tags[tag])
            if chosen is not None:
                return chosen, ()
            return default, (f"alarm tag {tag}={change.tags[tag]!r} is not a severity; used {default}",)
    return default, ()


def _links(change: AlarmChange) -> tuple[Link, ...]:
    links: list[Link] = []
    if change.region:
        host = console_host(change.partition, change.region)
        links.append(
            Link(
                href=f"https://{host}/cloudwatch/home?region={change.region}"
                f"#alarmsV2:alarm/{quote(change.name, safe='')}",
                text="CloudWatch alarm",
            )
        )
    for tag in RUNBOOK_TAGS:
        url = change.tags.get(tag, "")
        if url.startswith(("https://", "http://")):
            links.append(Link(href=url, text="Runbook"))
            break
    return tuple(links)


def to_outcome(change: AlarmChange, policy: MappingPolicy, origin: str) -> Outcome:
    """Apply the lifecycle policy: ALARM triggers, OK resolves, INSUFFICIENT_DATA by configuration."""
    key = dedup_key(change)
    state = change.state
    action: Action
    if state == "OK":
        action = "resolve"
        severity: Severity = "info"
        warnings: tuple[str, ...] = ()
    elif state == "INSUFFICIENT_DATA":
        if policy.insufficient_data_action == "ignore":
            return Skip(f"{change.name} is INSUFFICIENT_DATA; INSUFFICIENT_DATA_ACTION=ignore", origin, key)
        action = "trigger"
        severity, warnings = _severity(change, policy.insufficient_data_severity)
    else:
        # ALARM, and any state CloudWatch may add later: paging on the unknown beats missing a page.
        action = "trigger"
        severity, warnings = _severity(change, policy.alarm_severity)
    if action == "trigger" and change.suppressed_by:
        return Skip(f"{change.name}: actions suppressed by {change.suppressed_by}", origin, key)
    if action == "trigger" and change.muted_by:
        return Skip(f"{change.name}: muted by {change.muted_by}", origin, key)

    who = f"{change.name} [{change.component}]" if change.contributor_id and change.component else change.name
    summary = f"{state}: {who}" + (f" - {change.reason}" if change.reason else "")
    details: dict[str, JSONValue] = {
        "alarm_name": change.name,
        "alarm_arn": change.arn,
        "state": state,
        "previous_state": change.previous_state,
        "reason": change.reason,
        "description": change.description,
        "region": change.region,
        "account": change.account,
        **change.details,
    }
    if change.tags:
        details["tags"] = {**change.tags}
    links = _links(change)
    return Alert(
        action=action,
        dedup_key=key,
        summary=truncate(" ".join(summary.split()), SUMMARY_MAX_CHARS),
        source=change.arn,
        severity=severity,
        origin=origin,
        timestamp=change.timestamp,
        component=change.component,
        group=change.group,
        class_=change.class_,
        custom_details=drop_empty(details),
        links=links,
        client=CLIENT,
        client_url=links[0].href if change.region else None,
        warnings=warnings,
    )
