"""Delivery faults, scripted on the loopback Events API: each ends as the issue states.

Transient faults are delivered exactly once (one incident); permanent ones end as a named error for
asynchronous sources and as the failure dict for direct invokes; nothing runs past the deadline.
Backoff sleeps run on virtual time (tests.integration.virtual_time) unless a test needs real waits.
"""

import io
import json
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import urllib3

from local.pagerduty_emulator import Emulator, Fault
from local.ssm import DEMO_KEY
from pagerduty_trigger.errors import DeliveryError
from pagerduty_trigger.events_api import MAX_ATTEMPTS, EventsApi
from pagerduty_trigger.forwarder import SAFETY_MARGIN_SECONDS
from tests.integration.harness import VirtualTime, install, log_lines, metric_total
from tests.support import load

pytestmark = pytest.mark.integration

ALARM = load(Path("events") / "eventbridge-metric-alarm.json")  # asynchronous source
DIRECT = {"summary": "Disk full on db-1", "severity": "critical", "source": "db-1"}  # synchronous
PD_400_JSON = json.dumps(
    {
        "status": "invalid event",
        "message": "Event object is invalid",
        "errors": ["Length of 'routing_key' is incorrect (should be 32 characters)"],
    }
)


def _statuses(emulator: Emulator) -> list[int]:
    return [r.answered for r in emulator.requests]


def _one_incident(emulator: Emulator) -> None:
    """PagerDuty ends with exactly one open incident, whatever was resent."""
    assert len(emulator.alerts) == 1
    (alert,) = emulator.alerts.values()
    assert alert.incidents_opened == 1
    assert alert.status == "triggered"


@pytest.mark.parametrize(
    "statuses",
    [[429, 429], [500, 502, 503], [502, 504]],
    ids=["429-429-202", "500-502-503-202", "502-504-202"],
)
def test_transient_answers_are_retried_until_delivered_once(
    statuses: list[int],
    now: VirtualTime,
    invoke: Callable[..., Any],
    emulator: Emulator,
    output: pytest.CaptureFixture[str],
) -> None:
    emulator.add_faults(*(Fault(status=s) for s in statuses))
    result = invoke(ALARM)
    assert result["success"] is True, result
    assert _statuses(emulator) == [*statuses, 202]
    _one_incident(emulator)
    assert len(now.slept) == len(statuses)
    out = output.readouterr().out
    assert metric_total(out, "EventsRetried") == len(statuses)
    assert metric_total(out, "EventsSent") == 1


def test_rate_limited_forever_stops_after_the_attempt_limit_and_raises(
    now: VirtualTime, invoke: Callable[..., Any], emulator: Emulator, output: pytest.CaptureFixture[str]
) -> None:
    emulator.add_faults(*(Fault(status=429, body='{"status":"throttle event"}') for _ in range(50)))
    started = now.clock()
    with pytest.raises(DeliveryError) as raised:
        invoke(ALARM, timeout_seconds=900)
    assert raised.value.retryable is True
    assert "throttle event" in str(raised.value)
    assert len(emulator.requests) == MAX_ATTEMPTS
    # A wait is only worth taking before another attempt: none after the last one.
    assert len(now.slept) == MAX_ATTEMPTS - 1
    assert metric_total(output.readouterr().out, "EventsRetried") == MAX_ATTEMPTS - 1
    assert now.clock() < started + 900 - SAFETY_MARGIN_SECONDS


@pytest.mark.parametrize("timeout_seconds", [4.0, 6.0, 10.0])
def test_rate_limited_forever_stops_before_the_deadline(
    timeout_seconds: float, now: VirtualTime, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    emulator.add_faults(*(Fault(status=429) for _ in range(50)))
    started = now.clock()
    with pytest.raises(DeliveryError):
        invoke(ALARM, timeout_seconds=timeout_seconds)
    assert 1 <= len(emulator.requests) <= MAX_ATTEMPTS
    assert now.clock() < started + timeout_seconds - SAFETY_MARGIN_SECONDS


def test_rate_limited_forever_in_real_time_returns_within_a_short_lambda(
    invoke: Callable[..., Any], emulator: Emulator
) -> None:
    """Real sleeps, a 3-second Lambda: the invocation ends (with the named error) instead of hanging."""
    emulator.add_faults(*(Fault(status=429) for _ in range(50)))
    with pytest.raises(DeliveryError) as raised:
        invoke(ALARM, timeout_seconds=3.0)
    assert raised.value.retryable is True
    assert raised.value.failed == raised.value.total == 1


def test_direct_invoke_rate_limited_forever_returns_the_failure_dict(
    now: VirtualTime, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    emulator.add_faults(*(Fault(status=429, body='{"status":"throttle event"}') for _ in range(50)))
    result = invoke(DIRECT)
    assert result["success"] is False
    assert result["status"] == 429
    assert "throttle event" in result["error"]
    assert result["dedup_key"]


@pytest.mark.parametrize("timeout", ["0.3"])
def test_a_response_slower_than_the_timeout_is_retried_and_delivered_once(
    timeout: str,
    lambda_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    invoke: Callable[..., Any],
    emulator: Emulator,
) -> None:
    monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", timeout)
    now, _ = install(monkeypatch)
    # PagerDuty took the event but answered too late: the resend carries the same dedup key.
    emulator.add_faults(Fault(status=202, body='{"status":"success"}', delay=2.0))
    result = invoke(DIRECT)
    assert result["success"] is True, result
    assert len(emulator.requests) == 2
    assert len({r.body["dedup_key"] for r in emulator.requests}) == 1
    _one_incident(emulator)
    assert len(now.slept) == 1


def test_responses_always_slower_than_the_timeout_end_before_the_deadline(
    lambda_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    invoke: Callable[..., Any],
    emulator: Emulator,
) -> None:
    monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "0.3")
    emulator.add_faults(*(Fault(status=202, delay=1.0) for _ in range(30)))
    result = invoke(DIRECT, timeout_seconds=3.0)  # real time: 1.5 s of budget after the safety margin
    assert result["success"] is False
    assert result["status"] is None
    assert "ReadTimeoutError" in result["error"]


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v2/enqueue"


def test_connection_refused_raises_a_retryable_delivery_error(
    lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, invoke: Callable[..., Any]
) -> None:
    monkeypatch.setenv("PAGERDUTY_EVENTS_URL", _closed_port_url())
    now, _ = install(monkeypatch)
    with pytest.raises(DeliveryError) as raised:
        invoke(ALARM)
    assert raised.value.retryable is True
    assert "network error" in str(raised.value)
    assert len(now.slept) == MAX_ATTEMPTS - 1


def test_connection_refused_on_a_direct_invoke_returns_the_failure_dict(
    lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, invoke: Callable[..., Any]
) -> None:
    monkeypatch.setenv("PAGERDUTY_EVENTS_URL", _closed_port_url())
    install(monkeypatch)
    result = invoke(DIRECT)
    assert result == {
        "success": False,
        "message": "Failed to trigger incident",
        "status": None,
        "error": result["error"],
        "dedup_key": result["dedup_key"],
    }
    assert result["error"].startswith("network error")


def test_a_dropped_connection_is_retried_and_delivered_once(
    now: VirtualTime, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    emulator.add_faults(Fault(close=True))
    result = invoke(ALARM)
    assert result["success"] is True
    assert len(emulator.requests) == 2
    _one_incident(emulator)


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (PD_400_JSON, "application/json", "Length of 'routing_key' is incorrect"),
        ("Bad Request: malformed event", "text/plain", "Bad Request: malformed event"),
        ("", "text/plain", "HTTP 400 with an empty body"),
    ],
    ids=["json-errors", "plain-text", "empty"],
)
def test_a_400_is_not_retried_and_raises_with_pagerdutys_reason(
    body: str,
    content_type: str,
    reason: str,
    *,
    now: VirtualTime,
    invoke: Callable[..., Any],
    emulator: Emulator,
    output: pytest.CaptureFixture[str],
) -> None:
    emulator.add_faults(Fault(status=400, body=body, content_type=content_type))
    with pytest.raises(DeliveryError) as raised:
        invoke(ALARM)
    assert raised.value.retryable is False
    assert reason in str(raised.value)
    assert len(emulator.requests) == 1
    assert now.slept == []
    errors = [line for line in log_lines(output.readouterr().out) if line.get("level") == "ERROR"]
    assert len(errors) == 1
    (logged,) = errors
    assert logged["status"] == 400
    assert reason in logged["error"]
    assert logged["dedup_key"] == emulator.requests[0].body["dedup_key"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(PD_400_JSON, "application/json"), ("<html><body>400 Bad Request</body></html>", "text/html")],
    ids=["json-errors", "plain-text"],
)
def test_a_400_on_a_direct_invoke_returns_the_failure_dict(
    body: str, content_type: str, now: VirtualTime, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    emulator.add_faults(Fault(status=400, body=body, content_type=content_type))
    result = invoke(DIRECT)
    assert result["success"] is False
    assert result["status"] == 400
    assert result["error"]
    assert len(emulator.requests) == 1


@pytest.mark.parametrize("status", [401, 403, 404, 408, 413])
def test_other_4xx_are_never_retried(
    status: int, now: VirtualTime, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    emulator.add_faults(Fault(status=status, body="nope", content_type="text/plain"))
    with pytest.raises(DeliveryError) as raised:
        invoke(ALARM)
    assert raised.value.retryable is False
    assert len(emulator.requests) == 1


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("", "application/json"), ("OK", "text/plain"), ("<html>accepted</html>", "text/html"), ("[1]", "x/y")],
    ids=["empty", "text", "html", "json-list"],
)
def test_202_with_an_empty_or_non_json_body_is_success(
    body: str, content_type: str, now: VirtualTime, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    emulator.add_faults(Fault(status=202, body=body, content_type=content_type))
    result = invoke(DIRECT)
    assert result["success"] is True
    assert result["dedup_key"] == emulator.requests[0].body["dedup_key"]
    assert len(emulator.requests) == 1


def test_every_record_is_attempted_before_the_batch_raises(
    now: VirtualTime, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    batch = load(Path("events") / "sns-multiple-records.json")
    records = len(batch["Records"])
    assert records >= 2
    emulator.add_faults(Fault(status=400, body=PD_400_JSON))
    with pytest.raises(DeliveryError) as raised:
        invoke(batch)
    assert (raised.value.failed, raised.value.total) == (1, records)
    assert raised.value.retryable is False
    assert _statuses(emulator) == [400] + [202] * (records - 1)


def test_a_batch_with_one_transient_failure_is_retryable(
    now: VirtualTime, invoke: Callable[..., Any], emulator: Emulator
) -> None:
    """Resending the whole batch is safe: the records already accepted keep their dedup keys."""
    batch = load(Path("events") / "sns-multiple-records.json")
    emulator.add_faults(*(Fault(status=503) for _ in range(MAX_ATTEMPTS)))
    with pytest.raises(DeliveryError) as first:
        invoke(batch)
    assert first.value.retryable is True
    sent_first = [r.body["dedup_key"] for r in emulator.requests if r.answered == 202]
    invoke(batch)  # Lambda's async retry of the same event
    sent_again = [r.body["dedup_key"] for r in emulator.requests[-len(batch["Records"]) :]]
    assert set(sent_first) <= set(sent_again)
    assert all(alert.incidents_opened == 1 for alert in emulator.alerts.values())
    assert all(routing == DEMO_KEY for routing, _ in emulator.alerts)


class _RecordingPool:
    """Stands in for urllib3's pool: records the timeout of each request and answers 202."""

    def __init__(self) -> None:
        self.timeouts: list[urllib3.Timeout] = []

    def request(self, method: str, url: str, **kwargs: Any) -> urllib3.BaseHTTPResponse:
        self.timeouts.append(kwargs["timeout"])
        return urllib3.HTTPResponse(body=io.BytesIO(b'{"status":"success"}'), status=202, preload_content=False)


@pytest.mark.parametrize("remaining", [0.4, 2.0, 4.0])
def test_connect_and_read_together_never_outlast_the_time_left(remaining: float) -> None:
    """A slow connect followed by a slow read must still end by the deadline, not at twice the time left."""
    clock = VirtualTime()
    pool = _RecordingPool()
    api = EventsApi("http://pagerduty.invalid/v2/enqueue", 5.0, pool=pool, clock=clock.clock, sleep=clock.sleep)  # type: ignore[arg-type]
    start = clock.clock()
    assert api.send(b"{}", deadline=start + remaining).accepted
    (timeout,) = pool.timeouts
    assert timeout.total is not None
    assert timeout.total <= remaining
    assert timeout.connect_timeout <= remaining


def test_direct_invokes_can_ask_to_raise_for_asynchronous_callers(
    lambda_env: dict[str, str], invoke: Callable[..., Any], emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pagerduty_trigger.errors import InvalidEventError

    monkeypatch.setenv("DIRECT_INVOKE_FAILURES", "raise")
    install(monkeypatch)  # warm dependencies read from this environment
    emulator.add_faults(Fault(status=400, body=PD_400_JSON))
    with pytest.raises(DeliveryError):
        invoke(DIRECT)
    with pytest.raises(InvalidEventError) as raised:
        invoke({"summary": "x", "event_action": "explode"})
    assert raised.value.field == "event_action"


class _DripServer:
    """Answers each POST with a status line at once and then a 40-byte body, one byte per 0.1 s,
    counting the bytes each connection took before the client hung up."""

    BODY = b'{"status":"success","message":"drip..."}'

    def __init__(self, status: int) -> None:
        self.status = status
        self.sent: list[int] = []
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/v2/enqueue"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._answer, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[1])
            while len(body) < length:
                body += conn.recv(65536)
            sent = 0
            try:
                conn.sendall(b"HTTP/1.1 %d X\r\nContent-Length: %d\r\n\r\n" % (self.status, len(self.BODY)))
                for byte in self.BODY:
                    conn.sendall(bytes([byte]))
                    sent += 1
                    time.sleep(0.1)
            except OSError:
                pass
            self.sent.append(sent)

    def close(self) -> None:
        """Stop listening and wait until each connection's answer has ended (the client hung up)."""
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=10)


@pytest.mark.parametrize("status", [500, 202])
def test_a_body_dripped_slowly_cannot_hold_an_attempt_past_its_timeout(status: int) -> None:
    server = _DripServer(status)
    try:
        api = EventsApi(server.url, timeout_seconds=0.3, sleep=lambda _: None)
        delivery = api.send(b'{"event_action":"trigger"}', deadline=time.monotonic() + 1.2)
    finally:
        server.close()
    assert delivery.accepted is (status == 202)
    if status == 202:
        assert delivery.attempts == 1  # the status line decided it; the lost body causes no resend
    else:
        assert delivery.retryable is True
    assert server.sent  # every connection was cut long before its 40 bytes had dripped out
    assert all(sent < len(_DripServer.BODY) for sent in server.sent), server.sent


def test_a_key_echoed_in_a_long_error_body_is_masked_before_it_is_shortened(
    now: VirtualTime, invoke: Callable[..., Any], emulator: Emulator, output: pytest.CaptureFixture[str]
) -> None:
    for padding in (1972, 1990, 1999, 10):
        emulator.add_faults(Fault(status=400, body=json.dumps({"message": "p" * padding + DEMO_KEY})))
        result = invoke(DIRECT)
        printed = output.readouterr()
        seen = json.dumps(result) + printed.out + printed.err
        assert not any(DEMO_KEY[i : i + 8] in seen for i in range(len(DEMO_KEY) - 7)), padding
