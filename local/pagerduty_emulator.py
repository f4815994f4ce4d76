"""A loopback stand-in for PagerDuty's Events API v2: validates, answers like PagerDuty, keeps alert state.

Contract (PagerDuty's Events API v2 documentation): 202 with a dedup key for a valid event; 400 with
`errors[]` for an invalid one; acknowledge/resolve of a key with no open alert is accepted and dropped.
Tests script faults (status, body, delay) answered before the normal behaviour resumes.

Run alone: python -m local.pagerduty_emulator --port 8787
Control over HTTP: GET /_emulator/requests, GET /_emulator/alerts, POST /_emulator/script (JSON list of
{"status", "body", "content_type", "delay", "close"}; close drops the connection unanswered),
POST /_emulator/reset.
"""

import argparse
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ENQUEUE_PATH = "/v2/enqueue"
MAX_BODY_BYTES = 512_000
SUMMARY_MAX = 1024
DEDUP_MAX = 255
SEVERITIES = ("critical", "error", "warning", "info")
ACTIONS = ("trigger", "acknowledge", "resolve")
PAYLOAD_STRINGS = ("summary", "source", "component", "group", "class", "timestamp")


@dataclass
class Fault:
    status: int = 500
    body: str = '{"status":"error","message":"scripted fault"}'
    content_type: str = "application/json"
    delay: float = 0.0
    close: bool = False  # drop the connection without an answer


@dataclass
class Received:
    at: float
    raw_size: int
    content_type: str
    body: Any
    answered: int


@dataclass
class AlertState:
    dedup_key: str
    status: str  # triggered | acknowledged | resolved
    summary: str
    severity: str
    history: list[str] = field(default_factory=list)
    incidents_opened: int = 1


def validate(event: Any) -> list[str]:
    """Every reason PagerDuty would refuse the event; empty when it is valid."""
    if not isinstance(event, dict):
        return ["Event object is not a JSON object"]
    errors: list[str] = []
    key = event.get("routing_key")
    if not isinstance(key, str) or len(key) != 32:
        errors.append("'routing_key' must be a 32-character string")
    action = event.get("event_action")
    if action not in ACTIONS:
        errors.append("'event_action' must be one of trigger, acknowledge, resolve")
    dedup = event.get("dedup_key")
    if dedup is not None and (not isinstance(dedup, str) or not dedup or len(dedup) > DEDUP_MAX):
        errors.append(f"'dedup_key' must be a non-empty string of at most {DEDUP_MAX} characters")
    if action in ("acknowledge", "resolve") and not dedup:
        errors.append(f"'dedup_key' is required for {action}")
    payload = event.get("payload")
    if action == "trigger" or payload is not None:
        errors.extend(_validate_payload(payload))
    for name, required in (("links", "href"), ("images", "src")):
        value = event.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(
            isinstance(v, dict) and isinstance(v.get(required), str) for v in value
        ):
            errors.append(f"'{name}' must be a list of objects with a string '{required}'")
        elif name == "images" and not all(v["src"].startswith("https://") for v in value):
            errors.append("'images[].src' must be an https URL")
    for name in ("client", "client_url"):
        if name in event and not isinstance(event[name], str):
            errors.append(f"'{name}' must be a string")
    return errors


def _validate_payload(payload: Any) -> list[str]:
    if not isinstance(payload, dict):
        return ["'payload' is required for trigger and must be an object"]
    errors = []
    for name in PAYLOAD_STRINGS:
        if name in payload and not isinstance(payload[name], str):
            errors.append(f"'payload.{name}' must be a string")
    summary = payload.get("summary")
    if not isinstance(summary, str) or not summary:
        errors.append("'payload.summary' is required")
    elif len(summary) > SUMMARY_MAX:
        errors.append(f"'payload.summary' is longer than {SUMMARY_MAX} characters")
    if not isinstance(payload.get("source"), str) or not payload.get("source"):
        errors.append("'payload.source' is required")
    if payload.get("severity") not in SEVERITIES:
        errors.append("'payload.severity' must be one of critical, error, warning, info")
    timestamp = payload.get("timestamp")
    if isinstance(timestamp, str):
        try:
            datetime.fromisoformat(timestamp)
        except ValueError:
            errors.append("'payload.timestamp' is not an ISO 8601 date-time")
    if "custom_details" in payload and not isinstance(payload["custom_details"], dict):
        errors.append("'payload.custom_details' must be an object")
    return errors


class Emulator:
    """The server and its state; start() binds a free loopback port unless one is given."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._lock = threading.Lock()
        self.requests: list[Received] = []
        self.alerts: dict[tuple[str, str], AlertState] = {}
        self.script: deque[Fault] = deque()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{ENQUEUE_PATH}"

    def start(self) -> "Emulator":
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.alerts.clear()
            self.script.clear()

    def add_faults(self, *faults: Fault) -> None:
        with self._lock:
            self.script.extend(faults)

    def accepted(self) -> list[dict[str, Any]]:
        """Bodies of the events answered 202, in order."""
        with self._lock:
            return [r.body for r in self.requests if r.answered == 202]

    def alert(self, routing_key: str, dedup_key: str) -> AlertState | None:
        with self._lock:
            return self.alerts.get((routing_key, dedup_key))

    def _apply(self, event: dict[str, Any]) -> str:
        action = event["event_action"]
        key = event.get("dedup_key") or uuid.uuid4().hex
        slot = (event["routing_key"], key)
        current = self.alerts.get(slot)
        if action == "trigger":
            payload = event["payload"]
            if current is None or current.status == "resolved":
                opened = (current.incidents_opened + 1) if current else 1
                self.alerts[slot] = AlertState(
                    key, "triggered", payload["summary"], payload["severity"], ["trigger"], opened
                )
            else:
                current.summary, current.severity = payload["summary"], payload["severity"]
                current.history.append("trigger")
        elif current is not None and current.status != "resolved":
            current.status = "acknowledged" if action == "acknowledge" else "resolved"
            current.history.append(action)
        # else: PagerDuty accepts and silently drops a follow-up with no open alert.
        return key

    def handle(self, raw: bytes, content_type: str) -> tuple[int, str, str, float, bool]:
        """Status, body, content type, delay and whether to drop the connection, for one POST."""
        with self._lock:
            fault = self.script.popleft() if self.script else None
            try:
                event: Any = json.loads(raw)
            except ValueError:
                event = None
            if fault is not None:
                self.requests.append(Received(time.time(), len(raw), content_type, event, fault.status))
                return fault.status, fault.body, fault.content_type, fault.delay, fault.close
            errors = ["Request body is larger than 512 KB"] if len(raw) > MAX_BODY_BYTES else []
            if event is None:
                errors.append("Request body is not valid JSON")
            elif not content_type.startswith("application/json"):
                errors.append("Content-Type must be application/json")
            else:
                errors.extend(validate(event))
            if errors:
                self.requests.append(Received(time.time(), len(raw), content_type, event, 400))
                body = {"status": "invalid event", "message": "Event object is invalid", "errors": errors}
                return 400, json.dumps(body), "application/json", 0.0, False
            key = self._apply(event)
            self.requests.append(Received(time.time(), len(raw), content_type, event, 202))
            body = {"status": "success", "message": "Event processed", "dedup_key": key}
            return 202, json.dumps(body), "application/json", 0.0, False

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": [asdict(r) for r in self.requests],
                "alerts": [asdict(a) for a in self.alerts.values()],
            }

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
            # client's delayed ACK stall about one kept-alive request in ten by 40 ms.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: requests are recorded, not printed

            def _reply(self, status: int, body: str, content_type: str = "application/json") -> None:
                data = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    # A client that timed out on a scripted delay has gone: that is the fault under test.
                    self.close_connection = True

            def do_GET(self) -> None:
                snapshot = emulator.snapshot()
                if self.path == "/_emulator/requests":
                    self._reply(200, json.dumps(snapshot["requests"]))
                elif self.path == "/_emulator/alerts":
                    self._reply(200, json.dumps(snapshot["alerts"]))
                else:
                    self._reply(404, '{"message": "not found"}')

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path == "/_emulator/reset":
                    emulator.reset()
                    self._reply(200, "{}")
                elif self.path == "/_emulator/script":
                    try:
                        faults = [Fault(**f) for f in json.loads(raw)]
                    except (ValueError, TypeError) as error:
                        self._reply(400, json.dumps({"message": f"bad script: {error}"}))
                        return
                    emulator.add_faults(*faults)
                    self._reply(200, "{}")
                elif self.path == ENQUEUE_PATH:
                    status, body, content_type, delay, close = emulator.handle(
                        raw, self.headers.get("Content-Type", "")
                    )
                    if delay:
                        time.sleep(delay)
                    if close:
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    self._reply(status, body, content_type)
                else:
                    self._reply(404, '{"message": "not found"}')

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8787)
    args = parser.parse_args()
    emulator = Emulator(port=args.port).start()
    print(f"PagerDuty Events API v2 emulator on {emulator.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        emulator.stop()


if __name__ == "__main__":
    main()
