"""Configuration faults: one ConfigurationError that names the variable or parameter and the problem,
never the value; a pasted key with a trailing newline works; the key is read once per cache window.

Parameter faults run against the local SSM (moto's server); access denied and throttling, which moto
does not produce, against a scripted SSM endpoint that answers as the real service does.
"""

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from botocore.retries import standard

from local.pagerduty_emulator import Emulator
from local.ssm import DEMO_KEY, DEMO_PARAMETER, LocalSsm
from pagerduty_trigger import handler
from pagerduty_trigger.errors import ConfigurationError
from pagerduty_trigger.integration_key import KeyReader
from tests.support import load

pytestmark = pytest.mark.integration

DIRECT = {"summary": "Disk full on db-1", "source": "db-1"}
ALARM = load(Path("events") / "eventbridge-metric-alarm.json")
PARAMETER = "/pagerduty-trigger/test/config-faults"


def _raises_configuration_error(invoke: Callable[..., Any], event: Any = DIRECT) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as raised:
        invoke(event)
    return raised.value


@pytest.fixture
def parameter(ssm: LocalSsm, lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A parameter of the test's own, deleted afterwards; the function reads it."""
    monkeypatch.setenv("INTEGRATION_KEY_PARAMETER", PARAMETER)
    yield PARAMETER
    ssm.client().delete_parameter(Name=PARAMETER)


def test_missing_environment_variable_is_named(
    lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    monkeypatch.delenv("INTEGRATION_KEY_PARAMETER")
    error = _raises_configuration_error(invoke)
    assert "INTEGRATION_KEY_PARAMETER: is not set" in str(error)
    assert emulator.requests == []


def test_an_unreadable_powertools_switch_is_named_before_anything_is_sent(
    lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    """Powertools itself raised ValueError on it when flushing metrics: after the page had gone out."""
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "maybe")
    error = _raises_configuration_error(invoke, load(Path("events") / "eventbridge-metric-alarm.json"))
    assert "POWERTOOLS_METRICS_DISABLED: must be true or false" in str(error)
    assert emulator.requests == []


def test_the_key_itself_in_the_parameter_variable_is_refused_without_showing_it(
    lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, invoke: Callable[..., Any]
) -> None:
    """The key pasted where the parameter name belongs: the error must not echo it back as a 'name'."""
    monkeypatch.setenv("INTEGRATION_KEY_PARAMETER", DEMO_KEY)
    error = _raises_configuration_error(invoke)
    assert "INTEGRATION_KEY_PARAMETER: looks like the integration key itself" in str(error)
    assert DEMO_KEY not in str(error)


@pytest.mark.parametrize(
    "name",
    ["/pagerduty-trigger/demo/integration-kye", "/pagerduty-trigger/never-created", "pagerduty-trigger-key"],
    ids=["typo", "missing", "no-slash"],
)
def test_parameter_not_found_is_named_and_permanent(
    name: str,
    lambda_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    invoke: Callable[..., Any],
    emulator: Emulator,
) -> None:
    monkeypatch.setenv("INTEGRATION_KEY_PARAMETER", name)
    error = _raises_configuration_error(invoke, ALARM)
    assert error.name == name
    assert error.problem == "the SSM parameter does not exist (check its name and region)"
    assert error.retryable is False
    assert error.__cause__ is None  # one clear error, not a botocore traceback underneath
    assert emulator.requests == []


def test_invalid_parameter_name_is_named(
    lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, invoke: Callable[..., Any]
) -> None:
    monkeypatch.setenv("INTEGRATION_KEY_PARAMETER", "/aws/reserved")
    error = _raises_configuration_error(invoke)
    assert error.name == "/aws/reserved"
    assert error.retryable is False


@pytest.mark.parametrize("suffix", ["\n", "\r\n", "  \n", "\t"], ids=["lf", "crlf", "spaces-lf", "tab"])
def test_a_pasted_key_with_trailing_whitespace_works(
    suffix: str, parameter: str, ssm: LocalSsm, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    ssm.put(parameter, DEMO_KEY + suffix)
    result = invoke(DIRECT)
    assert result["success"] is True, result
    assert [r.body["routing_key"] for r in emulator.requests] == [DEMO_KEY]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("   ", "the SSM parameter is empty"),
        ("not-a-key", "is not a 32-character alphanumeric Events API v2 integration key (it has 9 characters)"),
        (DEMO_KEY[:-1], "(it has 31 characters)"),
        (DEMO_KEY + "0", "(it has 33 characters)"),
        (DEMO_KEY[:16] + " " + DEMO_KEY[16:], "(it has 33 characters)"),
        (DEMO_KEY[:-1] + "-", "is not a 32-character alphanumeric"),
        (
            "AQICAHhH2Jd2nCrAeP3rEfLZyM8r5oxVdQwIuDM7FBVzsFRMWwFH3mwKv0FhZCeXsZF1zJ3mSv1lAAAAfjB8BgkqhkiG9w0B",
            "looks like an undecrypted SecureString",
        ),
    ],
    ids=["blank", "not-a-key", "short", "long", "inner-space", "symbol", "ciphertext"],
)
def test_a_value_that_is_not_a_key_is_named_without_the_value(
    value: str, problem: str, *, parameter: str, ssm: LocalSsm, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    ssm.put(parameter, value, kind="String")
    error = _raises_configuration_error(invoke)
    assert error.name == parameter
    assert problem in error.problem
    if value.strip():
        assert value.strip() not in str(error)
    assert error.retryable is False
    assert emulator.requests == []


def test_the_key_is_read_once_per_cache_window_not_per_event(invoke: Callable[..., Any], emulator: Emulator) -> None:
    batch = load(Path("events") / "sns-multiple-records.json")
    invoke(DIRECT)
    invoke(ALARM)
    invoke(batch)
    deps = handler._deps
    assert deps is not None
    assert deps.keys.fetches == 1
    assert len(emulator.accepted()) == 2 + len(batch["Records"])


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_key_is_read_again_after_the_cache_window() -> None:
    clock = _Clock()
    reads: list[str] = []

    def fetch(name: str) -> object:
        reads.append(name)
        return DEMO_KEY + "\n"

    keys = KeyReader(DEMO_PARAMETER, 300, fetch=fetch, clock=clock)
    for _ in range(5):
        assert keys.get().reveal() == DEMO_KEY
    clock.now += 299
    keys.get()
    assert reads == [DEMO_PARAMETER]
    clock.now += 2
    keys.get()
    assert reads == [DEMO_PARAMETER] * 2


def test_a_failed_read_is_not_cached() -> None:
    answers: list[object] = ["", DEMO_KEY]
    keys = KeyReader(DEMO_PARAMETER, 300, fetch=lambda _: answers.pop(0), clock=_Clock())
    with pytest.raises(ConfigurationError):
        keys.get()
    assert keys.get().reveal() == DEMO_KEY


class ScriptedSsm:
    """An SSM endpoint that answers GetParameter from a script (the last answer repeats)."""

    def __init__(self, answers: list[tuple[int, dict[str, Any]]]) -> None:
        self.answers = answers
        self.calls = 0
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, body = scripted.answers[min(scripted.calls, len(scripted.answers) - 1)]
                scripted.calls += 1
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _found(value: str) -> tuple[int, dict[str, Any]]:
    arn = f"arn:aws:ssm:us-east-1:123456789012:parameter{DEMO_PARAMETER}"
    return 200, {"Parameter": {"Name": DEMO_PARAMETER, "Type": "SecureString", "Value": value, "ARN": arn}}


THROTTLED = (400, {"__type": "ThrottlingException", "message": "Rate exceeded"})
DENIED = (
    400,
    {
        "__type": "AccessDeniedException",
        "message": "User: arn:aws:sts::123456789012:assumed-role/fn is not authorized to perform: ssm:GetParameter",
    },
)
KMS_DENIED = (400, {"__type": "InvalidKeyId", "message": "The KMS key is disabled"})


@pytest.fixture
def scripted_ssm(lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., ScriptedSsm]]:
    servers: list[ScriptedSsm] = []
    # botocore's own backoff (up to seconds per retry) is not what these tests are about.
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)

    def start(*answers: tuple[int, dict[str, Any]]) -> ScriptedSsm:
        server = ScriptedSsm(list(answers))
        servers.append(server)
        monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", server.endpoint)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.mark.parametrize(
    ("answer", "problem"),
    [(DENIED, "access denied reading the SSM parameter"), (KMS_DENIED, "KMS key of the SecureString")],
    ids=["ssm-denied", "kms-denied"],
)
def test_access_denied_is_named_and_permanent(
    answer: tuple[int, dict[str, Any]],
    problem: str,
    scripted_ssm: Callable[..., ScriptedSsm],
    invoke: Callable[..., Any],
    emulator: Emulator,
) -> None:
    server = scripted_ssm(answer)
    error = _raises_configuration_error(invoke, ALARM)
    assert error.name == DEMO_PARAMETER
    assert problem in error.problem
    assert error.retryable is False
    assert server.calls == 1  # waiting cannot fix a permission
    assert emulator.requests == []


def test_throttling_is_retried_and_then_delivers(
    scripted_ssm: Callable[..., ScriptedSsm], invoke: Callable[..., Any], emulator: Emulator
) -> None:
    server = scripted_ssm(THROTTLED, THROTTLED, _found(DEMO_KEY + "\n"))
    result = invoke(DIRECT)
    assert result["success"] is True, result
    assert server.calls == 3
    assert [r.body["routing_key"] for r in emulator.requests] == [DEMO_KEY]


def test_throttling_that_persists_is_a_retryable_configuration_error(
    scripted_ssm: Callable[..., ScriptedSsm], invoke: Callable[..., Any], emulator: Emulator
) -> None:
    server = scripted_ssm(THROTTLED)
    error = _raises_configuration_error(invoke, ALARM)
    assert error.name == DEMO_PARAMETER
    assert "throttling" in error.problem
    assert error.retryable is True  # Lambda's async retry may succeed later
    assert 1 < server.calls <= 5  # retried by botocore (4 retries at most), not forever
    assert emulator.requests == []


def test_an_ssm_endpoint_that_never_answers_ends_before_the_lambda_deadline(
    lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    """botocore's own timeouts are per attempt (3 attempts of 1 s + 2 s); the read must follow the
    invocation's remaining time instead."""
    import socket

    silent = socket.create_server(("127.0.0.1", 0))  # accepts connections (backlog), never answers
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", f"http://127.0.0.1:{silent.getsockname()[1]}")
        with pytest.raises(ConfigurationError) as raised:
            invoke(DIRECT, timeout_seconds=2.5)  # 1.0 s left after the safety margin
    finally:
        silent.close()
    assert "remaining time" in str(raised.value)
    assert raised.value.retryable is True
    assert emulator.requests == []
