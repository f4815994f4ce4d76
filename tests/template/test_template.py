"""Checks on template.yaml after the SAM -> CloudFormation translation.

The template is translated offline with samtranslator (the library behind `sam validate` and the
CloudFormation transform), with a fake managed-policy loader, so no AWS call is made. A small
evaluator then resolves parameters, pseudo parameters and conditions for a given set of parameter
values, so the assertions look at what CloudFormation would actually create.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import pytest
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
ACCOUNT = "123456789012"
STACK = "pd-trigger-test"
US_URL = "https://events.pagerduty.com/v2/enqueue"
EU_URL = "https://events.eu.pagerduty.com/v2/enqueue"
FOURTEEN_DAYS = 1_209_600


class FakeManagedPolicyLoader:
    """Stands in for the IAM ListPolicies call samtranslator would otherwise make."""

    def __init__(self) -> None:
        self.calls = 0

    def load(self) -> dict[str, str]:
        self.calls += 1
        return {
            "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        }


@cache
def translated() -> dict[str, Any]:
    """The SAM template translated to CloudFormation (parameters and conditions left unresolved)."""
    sam = yaml_parse(TEMPLATE.read_text(encoding="utf-8"))
    # `sam package` replaces the local CodeUri with an S3 location before the transform runs.
    for resource in sam["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://example-bucket/pagerduty-trigger.zip"
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name="us-east-1"))
    loader = FakeManagedPolicyLoader()
    return translator.translate(sam, parameter_values={}, get_managed_policy_map=loader.load)


_NO_VALUE = object()


class Stack:
    """The translated template as deployed with the given parameters (intrinsics resolved).

    Resource references (Ref to a resource, Fn::GetAtt) stay symbolic so tests can follow them.
    """

    def __init__(self, region: str = "us-east-1", partition: str = "aws", **params: Any) -> None:
        self.cfn = copy.deepcopy(translated())
        declared = self.cfn["Parameters"]
        unknown = set(params) - set(declared)
        assert not unknown, f"not template parameters: {unknown}"
        self.params = {name: spec.get("Default") for name, spec in declared.items()}
        self.params.update(params)
        self.pseudo = {
            "AWS::Region": region,
            "AWS::Partition": partition,
            "AWS::AccountId": ACCOUNT,
            "AWS::StackName": STACK,
            "AWS::URLSuffix": "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com",
        }
        self.resources = {
            name: {**res, "Properties": self.resolve(res.get("Properties", {}))}
            for name, res in self.cfn["Resources"].items()
            if "Condition" not in res or self.condition(res["Condition"])
        }
        self.outputs = {
            name: self.resolve(out["Value"])
            for name, out in self.cfn.get("Outputs", {}).items()
            if "Condition" not in out or self.condition(out["Condition"])
        }

    # -- intrinsic functions ------------------------------------------------------------
    def condition(self, name: str) -> bool:
        value = self.resolve(self.cfn["Conditions"][name])
        assert isinstance(value, bool), f"condition {name} did not resolve to a bool: {value!r}"
        return value

    def _sub(self, text: str, extra: dict[str, Any]) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in extra:
                return str(extra[name])
            if name in self.pseudo:
                return self.pseudo[name]
            if name in self.params:
                return str(self.params[name])
            return match.group(0)  # a resource reference: stays symbolic

        return re.sub(r"\$\{([^}!]+)\}", replace, text)

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            items = [self.resolve(item) for item in node]
            return [item for item in items if item is not _NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, arg),) = node.items()
            handler = self._functions().get(key)
            if handler is not None:
                return handler(arg)
        resolved = {key: self.resolve(value) for key, value in node.items()}
        return {key: value for key, value in resolved.items() if value is not _NO_VALUE}

    def _functions(self) -> dict[str, Callable[[Any], Any]]:
        return {
            "Ref": self._ref,
            "Fn::If": lambda a: self.resolve(a[1] if self.condition(a[0]) else a[2]),
            "Fn::Equals": lambda a: self.resolve(a[0]) == self.resolve(a[1]),
            "Fn::Not": lambda a: not self.resolve(a[0]),
            "Fn::And": lambda a: all(self.resolve(x) for x in a),
            "Fn::Or": lambda a: any(self.resolve(x) for x in a),
            "Condition": self.condition,
            "Fn::Sub": lambda a: self._sub(a, {}) if isinstance(a, str) else self._sub(a[0], self.resolve(a[1])),
            "Fn::Join": lambda a: str(a[0]).join(str(x) for x in self.resolve(a[1])),
            "Fn::Split": lambda a: str(self.resolve(a[1])).split(a[0]),
            "Fn::Select": lambda a: self.resolve(a[1])[int(self.resolve(a[0]))],
        }

    def _ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.params:
            return self.params[name]
        return {"Ref": name}

    # -- lookups ----------------------------------------------------------------------------
    def of_type(self, cfn_type: str) -> dict[str, dict[str, Any]]:
        return {name: res for name, res in self.resources.items() if res["Type"] == cfn_type}

    def one(self, cfn_type: str) -> tuple[str, dict[str, Any]]:
        found = self.of_type(cfn_type)
        assert len(found) == 1, f"expected exactly one {cfn_type}, got {sorted(found)}"
        return next(iter(found.items()))

    def function(self) -> tuple[str, dict[str, Any]]:
        return self.one("AWS::Lambda::Function")

    def role_statements(self) -> list[dict[str, Any]]:
        _, fn = self.function()
        role_name = target(fn["Properties"]["Role"])
        role = self.resources[role_name]
        assert role["Type"] == "AWS::IAM::Role"
        statements: list[dict[str, Any]] = []
        for policy in role["Properties"].get("Policies", []):
            statements.extend(policy["PolicyDocument"]["Statement"])
        return statements

    def statements_for(self, action_prefix: str) -> list[dict[str, Any]]:
        return [s for s in self.role_statements() if any(a.startswith(action_prefix) for a in actions(s))]


def target(ref: Any) -> str:
    """The logical id a Ref / Fn::GetAtt points at."""
    assert isinstance(ref, dict), f"expected a reference, got {ref!r}"
    if "Ref" in ref:
        return str(ref["Ref"])
    if "Fn::GetAtt" in ref:
        value = ref["Fn::GetAtt"]
        return str(value[0] if isinstance(value, list) else value.split(".")[0])
    raise AssertionError(f"not a reference: {ref!r}")


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def actions(statement: dict[str, Any]) -> list[str]:
    return [str(a) for a in as_list(statement.get("Action", []))]


@pytest.fixture(scope="module")
def stack() -> Stack:
    return Stack()


# ---------------------------------------------------------------------------------- function
def test_exactly_one_function_with_the_contracted_handler_runtime_and_arch(stack: Stack) -> None:
    assert len(stack.of_type("AWS::Lambda::Function")) == 1
    _, fn = stack.function()
    props = fn["Properties"]
    assert props["Handler"] == "pagerduty_trigger.handler.lambda_handler"
    assert props["Runtime"] == "python3.13"
    assert props["Architectures"] == ["arm64"]
    assert props["LoggingConfig"]["LogFormat"] == "JSON"
    # platform REPORT lines (duration, max memory used) are INFO: keep them
    assert props["LoggingConfig"].get("SystemLogLevel", "INFO") in {"INFO", "DEBUG"}
    assert props["Timeout"] == 60
    assert 128 <= props["MemorySize"] <= 1024
    assert "Layers" not in props  # Powertools is bundled from src/requirements.txt


def test_function_environment_matches_the_code_contract(stack: Stack) -> None:
    _, fn = stack.function()
    env = fn["Properties"]["Environment"]["Variables"]
    assert env == {
        "INTEGRATION_KEY_PARAMETER": "/pagerduty-trigger/integration-key",
        "PAGERDUTY_EVENTS_URL": US_URL,
        "ALARM_SEVERITY": "critical",
        "INSUFFICIENT_DATA_ACTION": "ignore",
        "INSUFFICIENT_DATA_SEVERITY": "warning",
        "DIRECT_INVOKE_FAILURES": "return",
        "KEY_CACHE_SECONDS": 300,
        "POWERTOOLS_SERVICE_NAME": "pagerduty-trigger",
        "POWERTOOLS_METRICS_NAMESPACE": "PagerDutyTrigger",
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }
    eu = Stack(PagerDutyEventsUrl=EU_URL, AlarmSeverity="error", InsufficientDataAction="trigger")
    _, eu_fn = eu.function()
    eu_env = eu_fn["Properties"]["Environment"]["Variables"]
    assert eu_env["PAGERDUTY_EVENTS_URL"] == EU_URL
    assert eu_env["ALARM_SEVERITY"] == "error"
    assert eu_env["INSUFFICIENT_DATA_ACTION"] == "trigger"


def test_parameters_restrict_the_contract_values() -> None:
    params = translated()["Parameters"]
    assert params["PagerDutyEventsUrl"]["Default"] == US_URL
    assert sorted(params["PagerDutyEventsUrl"]["AllowedValues"]) == sorted([US_URL, EU_URL])
    for name in ("AlarmSeverity", "InsufficientDataSeverity"):
        assert sorted(params[name]["AllowedValues"]) == ["critical", "error", "info", "warning"]
    assert sorted(params["InsufficientDataAction"]["AllowedValues"]) == ["ignore", "trigger"]
    assert params["FunctionTimeoutSeconds"]["Default"] == 60
    assert params["LogRetentionDays"]["Type"] == "Number"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("/pagerduty/integration-key", True),
        ("pagerduty-key", True),
        ("/prod/team_a/pd.key", True),
        ("", False),
        ("has space", False),
        ("/trailing/", False),
    ],
)
def test_integration_key_name_pattern(value: str, ok: bool) -> None:
    pattern = translated()["Parameters"]["IntegrationKeyParameterName"]["AllowedPattern"]
    assert (re.fullmatch(pattern, value) is not None) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("", True),
        ("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", True),
        ("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd", True),
        ("arn:aws:kms:us-east-1:123456789012:alias/aws/ssm", False),
        ("*", False),
    ],
)
def test_kms_key_parameter_pattern(value: str, ok: bool) -> None:
    pattern = translated()["Parameters"]["IntegrationKeyKmsKeyArn"]["AllowedPattern"]
    assert (re.fullmatch(pattern, value) is not None) is ok


def test_log_group_has_retention_and_is_the_functions(stack: Stack) -> None:
    _, fn = stack.function()
    log_group_name = target(fn["Properties"]["LoggingConfig"]["LogGroup"])
    log_group = stack.resources[log_group_name]
    assert log_group["Type"] == "AWS::Logs::LogGroup"
    assert log_group["Properties"]["RetentionInDays"] == 30
    assert Stack(LogRetentionDays=90).resources[log_group_name]["Properties"]["RetentionInDays"] == 90
    (logs,) = stack.statements_for("logs:")
    assert target(logs["Resource"]) == log_group_name
    assert "logs:CreateLogGroup" not in actions(logs)


# ---------------------------------------------------------------------------------- triggers
def test_eventbridge_rule_matches_alarm_state_changes_of_all_alarms_by_default(stack: Stack) -> None:
    fn_name, _ = stack.function()
    _, rule = stack.one("AWS::Events::Rule")
    pattern = rule["Properties"]["EventPattern"]
    assert pattern["source"] == ["aws.cloudwatch"]
    assert sorted(pattern["detail-type"]) == [
        "CloudWatch Alarm Contributor State Change",
        "CloudWatch Alarm State Change",
    ]
    assert "alarmName" not in pattern.get("detail", {})
    (rule_target,) = rule["Properties"]["Targets"]
    assert target(rule_target["Arn"]) == fn_name
    retry = rule_target["RetryPolicy"]
    assert retry["MaximumRetryAttempts"] >= 1
    assert retry["MaximumEventAgeInSeconds"] >= 3600


def test_eventbridge_rule_filters_on_the_alarm_name_prefix_when_given() -> None:
    _, rule = Stack(AlarmNamePrefix="prod-").one("AWS::Events::Rule")
    pattern = rule["Properties"]["EventPattern"]
    assert pattern["detail"]["alarmName"] == [{"prefix": "prod-"}]
    assert pattern["source"] == ["aws.cloudwatch"]
    assert len(pattern["detail-type"]) == 2


def test_eventbridge_rule_is_enabled_by_default_and_can_be_disabled(stack: Stack) -> None:
    _, rule = stack.one("AWS::Events::Rule")
    assert rule["Properties"]["State"] == "ENABLED"
    _, disabled = Stack(AlarmRuleState="DISABLED").one("AWS::Events::Rule")
    assert disabled["Properties"]["State"] == "DISABLED"


def test_eventbridge_rule_never_matches_the_stacks_own_operator_alarms(stack: Stack) -> None:
    _, rule = stack.one("AWS::Events::Rule")
    (exclusion,) = rule["Properties"]["EventPattern"]["resources"]
    excluded_prefix = exclusion["anything-but"]["prefix"]
    alarms = stack.of_type("AWS::CloudWatch::Alarm")
    assert alarms
    for name, alarm in alarms.items():
        alarm_arn = f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:{alarm['Properties']['AlarmName']}"
        assert alarm_arn.startswith(excluded_prefix), f"{name} would be paged through the function"


def test_eventbridge_rule_has_a_dead_letter_queue_that_only_the_rule_may_write(stack: Stack) -> None:
    rule_name, rule = stack.one("AWS::Events::Rule")
    (rule_target,) = rule["Properties"]["Targets"]
    dlq = target(rule_target["DeadLetterConfig"]["Arn"])
    assert stack.resources[dlq]["Type"] == "AWS::SQS::Queue"
    policies = [
        p
        for p in stack.of_type("AWS::SQS::QueuePolicy").values()
        if dlq in [target(q) for q in p["Properties"]["Queues"]]
    ]
    assert len(policies) == 1
    statements = policies[0]["Properties"]["PolicyDocument"]["Statement"]
    (events,) = [s for s in statements if s.get("Principal") == {"Service": "events.amazonaws.com"}]
    assert events["Effect"] == "Allow"
    assert actions(events) == ["sqs:SendMessage"]
    assert target(events["Resource"]) == dlq
    source_arn = events["Condition"]["ArnEquals"]["aws:SourceArn"]
    assert source_arn == {"Fn::GetAtt": [rule_name, "Arn"]}


def test_eventbridge_may_invoke_the_function_only_from_the_rule(stack: Stack) -> None:
    fn_name, _ = stack.function()
    rule_name, _ = stack.one("AWS::Events::Rule")
    perms = [
        p["Properties"]
        for p in stack.of_type("AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "events.amazonaws.com"
    ]
    assert len(perms) == 1
    assert target(perms[0]["FunctionName"]) == fn_name
    assert target(perms[0]["SourceArn"]) == rule_name


def test_sns_topic_is_created_and_subscribed_by_default(stack: Stack) -> None:
    fn_name, _ = stack.function()
    subs = [s for s in stack.of_type("AWS::SNS::Subscription").values() if s["Properties"]["Protocol"] == "lambda"]
    assert len(subs) == 1
    sub = subs[0]["Properties"]
    assert target(sub["Endpoint"]) == fn_name
    topic = target(sub["TopicArn"])
    assert stack.resources[topic]["Type"] == "AWS::SNS::Topic"
    dlq = target(sub["RedrivePolicy"]["deadLetterTargetArn"])
    assert stack.resources[dlq]["Type"] == "AWS::SQS::Queue"
    perms = [
        p["Properties"]
        for p in stack.of_type("AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "sns.amazonaws.com"
    ]
    assert len(perms) == 1
    assert target(perms[0]["SourceArn"]) == topic
    assert stack.outputs["AlarmTopicArn"] == {"Ref": topic}


def test_existing_sns_topic_is_subscribed_instead_of_creating_one(stack: Stack) -> None:
    existing = f"arn:aws:sns:us-east-1:{ACCOUNT}:team-alarms"
    other = Stack(ExistingAlarmTopicArn=existing)
    assert len(other.of_type("AWS::SNS::Topic")) == len(stack.of_type("AWS::SNS::Topic")) - 1
    subs = [s for s in other.of_type("AWS::SNS::Subscription").values() if s["Properties"]["Protocol"] == "lambda"]
    assert [s["Properties"]["TopicArn"] for s in subs] == [existing]
    perms = [
        p["Properties"]
        for p in other.of_type("AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "sns.amazonaws.com"
    ]
    assert [p["SourceArn"] for p in perms] == [existing]
    assert other.outputs["AlarmTopicArn"] == existing


def test_cloudwatch_alarms_may_invoke_the_function_directly_but_only_from_this_account(stack: Stack) -> None:
    fn_name, _ = stack.function()
    perms = [
        p["Properties"]
        for p in stack.of_type("AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "lambda.alarms.cloudwatch.amazonaws.com"
    ]
    assert len(perms) == 1
    perm = perms[0]
    assert perm["Action"] == "lambda:InvokeFunction"
    assert target(perm["FunctionName"]) == fn_name
    assert perm["SourceAccount"] == ACCOUNT
    assert perm["SourceArn"] == f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"
    gov = Stack(region="us-gov-west-1", partition="aws-us-gov")
    (gov_perm,) = [
        p["Properties"]
        for p in gov.of_type("AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "lambda.alarms.cloudwatch.amazonaws.com"
    ]
    assert gov_perm["SourceArn"] == f"arn:aws-us-gov:cloudwatch:us-gov-west-1:{ACCOUNT}:alarm:*"


# ---------------------------------------------------------------------------------- failure path
def test_async_failures_go_to_an_sqs_on_failure_destination(stack: Stack) -> None:
    fn_name, _ = stack.function()
    _, config = stack.one("AWS::Lambda::EventInvokeConfig")
    props = config["Properties"]
    assert target(props["FunctionName"]) == fn_name
    assert props["MaximumRetryAttempts"] == 2
    assert props["MaximumEventAgeInSeconds"] >= 3600
    queue = target(props["DestinationConfig"]["OnFailure"]["Destination"])
    assert stack.resources[queue]["Type"] == "AWS::SQS::Queue"
    (send,) = stack.statements_for("sqs:")
    assert actions(send) == ["sqs:SendMessage"]
    assert send["Resource"] == {"Fn::GetAtt": [queue, "Arn"]}
    assert stack.outputs["FailureQueueUrl"] == {"Ref": queue}


def test_every_queue_is_encrypted_and_keeps_messages_14_days(stack: Stack) -> None:
    queues = stack.of_type("AWS::SQS::Queue")
    assert len(queues) >= 2
    for name, queue in queues.items():
        props = queue["Properties"]
        assert props.get("SqsManagedSseEnabled") is True or props.get("KmsMasterKeyId"), f"{name} unencrypted"
        assert props["MessageRetentionPeriod"] == FOURTEEN_DAYS, name


def test_alarms_watch_function_errors_and_both_failure_queues(stack: Stack) -> None:
    fn_name, _ = stack.function()
    _, config = stack.one("AWS::Lambda::EventInvokeConfig")
    on_failure = target(config["Properties"]["DestinationConfig"]["OnFailure"]["Destination"])
    _, rule = stack.one("AWS::Events::Rule")
    rule_dlq = target(rule["Properties"]["Targets"][0]["DeadLetterConfig"]["Arn"])
    watched: set[tuple[str, str, str]] = set()
    for alarm in stack.of_type("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        for dim in props.get("Dimensions", []):
            watched.add((props["Namespace"], props["MetricName"], target(dim["Value"])))
    assert ("AWS/Lambda", "Errors", fn_name) in watched
    assert ("AWS/SQS", "ApproximateNumberOfMessagesVisible", on_failure) in watched
    assert ("AWS/SQS", "ApproximateNumberOfMessagesVisible", rule_dlq) in watched


def test_alarms_notify_the_operator_topic_and_never_the_function(stack: Stack) -> None:
    fn_name, _ = stack.function()
    operator_topic = target(stack.outputs["OperatorTopicArn"])
    assert stack.resources[operator_topic]["Type"] == "AWS::SNS::Topic"
    subscribed_to_function = {
        target(s["Properties"]["TopicArn"])
        for s in stack.of_type("AWS::SNS::Subscription").values()
        if s["Properties"]["Protocol"] == "lambda"
    }
    assert operator_topic not in subscribed_to_function
    for name, alarm in stack.of_type("AWS::CloudWatch::Alarm").items():
        props = alarm["Properties"]
        assert props["AlarmActions"], name
        for key in ("AlarmActions", "OKActions", "InsufficientDataActions"):
            for action in props.get(key, []):
                assert action == {"Ref": operator_topic}, f"{name}.{key} -> {action!r}"
                assert target(action) != fn_name


# ---------------------------------------------------------------------------------- IAM
@pytest.mark.parametrize(
    ("name", "arn"),
    [
        ("/pagerduty/integration-key", f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/pagerduty/integration-key"),
        ("pagerduty-key", f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/pagerduty-key"),
        ("team/pd/key", f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/team/pd/key"),
    ],
)
def test_ssm_read_is_exactly_the_one_parameter(name: str, arn: str) -> None:
    stack = Stack(IntegrationKeyParameterName=name)
    (statement,) = stack.statements_for("ssm:")
    assert statement["Effect"] == "Allow"
    assert actions(statement) == ["ssm:GetParameter"]
    assert statement["Resource"] == arn
    _, fn = stack.function()
    assert fn["Properties"]["Environment"]["Variables"]["INTEGRATION_KEY_PARAMETER"] == name


def test_arns_follow_the_partition() -> None:
    china = Stack(region="cn-north-1", partition="aws-cn", IntegrationKeyParameterName="/pd/key")
    (statement,) = china.statements_for("ssm:")
    assert statement["Resource"] == f"arn:aws-cn:ssm:cn-north-1:{ACCOUNT}:parameter/pd/key"
    text = TEMPLATE.read_text(encoding="utf-8")
    assert not re.search(r"arn:aws:", text), "hard-coded partition in template.yaml"


def test_no_kms_permission_without_a_key(stack: Stack) -> None:
    assert stack.statements_for("kms:") == []


def test_kms_decrypt_only_on_the_given_key_and_only_through_ssm() -> None:
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    stack = Stack(IntegrationKeyKmsKeyArn=key)
    (statement,) = stack.statements_for("kms:")
    assert statement["Effect"] == "Allow"
    assert actions(statement) == ["kms:Decrypt"]
    assert statement["Resource"] == key
    assert statement["Condition"]["StringEquals"]["kms:ViaService"] == "ssm.us-east-1.amazonaws.com"


def test_kms_statement_sits_under_a_template_condition_on_the_key_parameter() -> None:
    cfn = translated()
    found: list[tuple[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "Fn::If" in node:
                cond, when_true, when_false = node["Fn::If"]
                if isinstance(when_true, dict) and "kms:Decrypt" in as_list(when_true.get("Action", [])):
                    found.append((cond, when_false))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    def contains_decrypt(node: Any) -> bool:
        return "kms:Decrypt" in repr(node)

    walk(cfn["Resources"])
    assert len(found) == 1
    cond, when_false = found[0]
    assert when_false == {"Ref": "AWS::NoValue"}
    assert cfn["Conditions"][cond] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "IntegrationKeyKmsKeyArn"}, ""]}]}
    # and nowhere else unconditionally
    roles = [r for r in cfn["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    for role in roles:
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                if "Fn::If" not in statement:
                    assert not contains_decrypt(statement)


@pytest.mark.parametrize(
    "params",
    [{}, {"IntegrationKeyKmsKeyArn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/abcd", "AlarmNamePrefix": "x"}],
)
def test_no_wildcard_resources_and_no_managed_policies(params: dict[str, str]) -> None:
    stack = Stack(**params)
    for name, role in stack.of_type("AWS::IAM::Role").items():
        assert not role["Properties"].get("ManagedPolicyArns"), f"{name} has managed policies"
    for statement in stack.role_statements():
        assert statement["Effect"] == "Allow"
        for resource in as_list(statement["Resource"]):
            assert resource != "*", statement
            assert not (isinstance(resource, str) and resource.endswith(":*")), statement
        for action in actions(statement):
            assert "*" not in action, statement


# ---------------------------------------------------------------------------------- outputs
def test_outputs(stack: Stack) -> None:
    fn_name, _ = stack.function()
    assert stack.outputs["FunctionArn"] == {"Fn::GetAtt": [fn_name, "Arn"]}
    assert stack.outputs["AlarmActionArn"] == {"Fn::GetAtt": [fn_name, "Arn"]}
    for required in ("FunctionArn", "AlarmTopicArn", "FailureQueueUrl", "AlarmActionArn"):
        assert required in stack.outputs
