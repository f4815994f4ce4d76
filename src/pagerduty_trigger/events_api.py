"""The only HTTP code: POST to the Events API, classify the answer, retry what a retry can fix.

Retry rules (https://developer.pagerduty.com/docs/events-api-v2/overview/#response-codes--retry-logic):
202 accepted; 400 invalid, never retried; 429 rate limited and 5xx, retried with backoff; network
errors and timeouts, retried. Attempts stop before the Lambda's remaining time runs out.
"""

import contextlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

import urllib3

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0
MAX_ATTEMPTS = 8
CONNECT_TIMEOUT_SECONDS = 3.0
MAX_RESPONSE_BYTES = 64 * 1024  # PagerDuty answers in a few hundred bytes; a bigger error page is cut here


@dataclass(frozen=True, slots=True)
class Delivery:
    """How one event ended: accepted, or the last answer PagerDuty (or the network) gave."""

    accepted: bool
    status: int | None  # None: no HTTP answer (connection error, timeout, deadline)
    error: str | None
    attempts: int
    retryable: bool  # a later Lambda retry could succeed


def _error_text(status: int, raw: bytes) -> str:
    """PagerDuty's reason: `message` and `errors[]` of a JSON body, or the plain text it sent.

    Not shortened here: the caller masks the key first, since a cut could leave part of an echoed key
    that no longer matches it.
    """
    text = raw.decode("utf-8", "replace").strip()
    try:
        decoded = json.loads(text)
    except (ValueError, RecursionError):
        return text or f"HTTP {status} with an empty body"
    if isinstance(decoded, dict):
        parts = [str(decoded.get("message") or "")]
        errors = decoded.get("errors")
        if isinstance(errors, list):
            parts.extend(str(e) for e in errors)
        reason = "; ".join(p for p in parts if p)
        if reason:
            return reason
    return text


class _BodyTimeoutError(Exception):
    """The answer's body did not arrive before the attempt's time was up."""


def _read_body(response: urllib3.BaseHTTPResponse, until: float, clock: Callable[[], float]) -> bytes:
    """The body, a chunk at a time, so a server that drips it cannot hold the attempt past `until`:
    urllib3's read timeout applies to each socket read, not to the whole body."""
    chunks: list[bytes] = []
    size = 0
    complete = False
    try:
        while size < MAX_RESPONSE_BYTES:
            left = until - clock()
            if left <= 0:
                raise _BodyTimeoutError
            sock = getattr(getattr(response, "connection", None), "sock", None)
            if sock is not None:
                sock.settimeout(left)
            chunk = response.read1(MAX_RESPONSE_BYTES - size)
            if not chunk:
                complete = True
                break
            chunks.append(chunk)
            size += len(chunk)
            if getattr(response, "length_remaining", None) == 0:
                complete = True  # Content-Length reached: no need to ask the socket for the end
                break
    finally:
        if not complete:
            response.close()  # the rest is unread: this connection cannot serve another request
        response.release_conn()
    return b"".join(chunks)


def _attempt_timeout(seconds: float) -> urllib3.Timeout:
    # total caps connect + read together: separate connect and read limits could each take the
    # remaining time and so end the attempt past the deadline.
    return urllib3.Timeout(total=seconds, connect=min(CONNECT_TIMEOUT_SECONDS, seconds), read=seconds)


_HEADERS = MappingProxyType({"Content-Type": "application/json", "Accept": "application/json"})


class EventsApi:
    """Sends encoded events over one connection pool that outlives warm invocations."""

    def __init__(
        self,
        url: str,
        timeout_seconds: float,
        *,
        pool: urllib3.PoolManager | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._url = url
        self._timeout = timeout_seconds
        self._full_timeout = _attempt_timeout(timeout_seconds)  # the usual case, made once
        self._pool = pool or urllib3.PoolManager(num_pools=2, maxsize=4, retries=False)
        self._sleep = sleep
        self._clock = clock
        self._rng = rng

    def send(self, body: bytes, deadline: float, on_retry: Callable[[str], None] | None = None) -> Delivery:
        """POST until accepted, permanently refused, out of attempts or out of time (deadline: clock)."""
        attempt = 0
        status: int | None = None
        error = "no attempt made: no time left before the Lambda deadline"
        while attempt < MAX_ATTEMPTS:
            remaining = deadline - self._clock()
            if remaining <= 0.05:
                break
            attempt += 1
            read_timeout = min(self._timeout, remaining)
            until = self._clock() + read_timeout
            timeout = self._full_timeout if read_timeout == self._timeout else _attempt_timeout(read_timeout)
            try:
                response = self._pool.request(
                    "POST",
                    self._url,
                    body=body,
                    headers=_HEADERS,
                    timeout=timeout,
                    redirect=False,
                    retries=False,
                    preload_content=False,
                )
                status = response.status
                if status == 202:
                    # Accepted once the status line says so: a body lost after it must not cause a resend.
                    # The body is read only to free the connection: its dedup_key is the one that was sent.
                    with contextlib.suppress(urllib3.exceptions.HTTPError, _BodyTimeoutError):
                        _read_body(response, until, self._clock)
                    return Delivery(True, 202, None, attempt, False)
                error = _error_text(status, _read_body(response, until, self._clock))
            except urllib3.exceptions.HTTPError as exc:
                status, error = None, f"network error: {type(exc).__name__}"
            except _BodyTimeoutError:
                error = f"HTTP {status}: the answer's body did not arrive within the timeout"
            if status is not None and status not in RETRYABLE_STATUSES and status < 500:
                return Delivery(False, status, error, attempt, False)
            if attempt == MAX_ATTEMPTS:
                break  # no retry follows: waiting (and reporting a retry) would only burn the Lambda's time
            delay = self._backoff(attempt)
            if self._clock() + delay >= deadline - 0.05:
                break
            if on_retry is not None:
                on_retry(error if status is None else f"HTTP {status}")
            self._sleep(delay)
        return Delivery(False, status, error, attempt, True)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter: a burst of retries does not hit PagerDuty in step."""
        ceiling: float = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** (attempt - 1))
        return self._rng() * ceiling
