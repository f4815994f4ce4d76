"""The only SSM code: reads the integration key (SecureString, decrypted) with a warm-start cache."""

import logging
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import cache
from typing import Any

from .errors import ConfigurationError
from .limits import ROUTING_KEY_LENGTH

_KEY = re.compile(rf"^[A-Za-z0-9]{{{ROUTING_KEY_LENGTH}}}$")
# KMS ciphertext blobs, base64-encoded, start with these bytes: what an undecrypted SecureString reads as.
_CIPHERTEXT_PREFIXES = ("AQICAH", "AQECAH")


class IntegrationKey:
    """Holds the key; its repr and str show only the last 4 characters."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The key itself: for the request body only."""
        return self._value

    def __repr__(self) -> str:
        return f"IntegrationKey(...{self._value[-4:]})"

    __str__ = __repr__


def is_key_shaped(value: str) -> bool:
    """True for a string that has the form of an integration key (so must never be shown)."""
    return bool(_KEY.match(value))


def check_key(parameter: str, raw: object) -> IntegrationKey:
    """A usable key from the parameter's value, or a ConfigurationError that never shows the value."""
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigurationError(parameter, "the SSM parameter is empty")
    value = raw.strip()
    if value.startswith(_CIPHERTEXT_PREFIXES) and len(value) > ROUTING_KEY_LENGTH:
        raise ConfigurationError(
            parameter, "the value looks like an undecrypted SecureString (check kms:Decrypt for its key)"
        )
    if not _KEY.match(value):
        raise ConfigurationError(
            parameter,
            f"the value is not a {ROUTING_KEY_LENGTH}-character alphanumeric Events API v2 integration key "
            f"(it has {len(value)} characters)",
        )
    return IntegrationKey(value)


# botocore error codes that waiting cannot fix, with what the operator should check.
_PERMANENT = {
    "ParameterNotFound": "the SSM parameter does not exist (check its name and region)",
    "ParameterVersionNotFound": "the SSM parameter version does not exist",
    "AccessDeniedException": "access denied reading the SSM parameter (check ssm:GetParameter and kms:Decrypt)",
    "AccessDenied": "access denied reading the SSM parameter",
    "ValidationException": "the SSM parameter name is invalid",
    "InvalidKeyId": "the KMS key of the SecureString cannot be used (check kms:Decrypt)",
    "KMSAccessDeniedException": "access denied decrypting the SecureString (check kms:Decrypt)",
    "UnrecognizedClientException": "the AWS credentials are not valid",
}


class KeyReader:
    """Reads and caches the key; the cache lives as long as the warm execution environment."""

    def __init__(
        self,
        parameter: str,
        max_age_seconds: int,
        fetch: Callable[[str], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._parameter = parameter
        self._max_age = max_age_seconds
        self._fetch = fetch or _fetch_with_botocore()
        self._clock = clock
        self._cached: tuple[float, IntegrationKey] | None = None
        self.fetches = 0

    def get(self, deadline: float | None = None) -> IntegrationKey:
        """The key, from the cache or SSM; a read still unanswered at `deadline` (clock time) is given up,
        so a hung SSM endpoint cannot run the invocation past Lambda's timeout."""
        now = self._clock()
        if self._cached is not None and now - self._cached[0] < self._max_age:
            return self._cached[1]
        self.fetches += 1
        key = check_key(self._parameter, self._read(deadline))
        self._cached = (now, key)
        return key

    def _read(self, deadline: float | None) -> object:
        try:
            if deadline is None:
                return self._fetch(self._parameter)
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise ConfigurationError(
                    self._parameter,
                    "the Lambda's remaining time ran out before SSM could be read; retry",
                    retryable=True,
                )
            # botocore's timeouts apply per attempt and cannot follow the Lambda's remaining time.
            return _reader_thread().submit(self._fetch, self._parameter).result(timeout=remaining)
        except ConfigurationError:
            raise
        except FutureTimeout:
            raise ConfigurationError(
                self._parameter, "SSM did not answer within the Lambda's remaining time; retry", retryable=True
            ) from None
        except Exception as error:  # any SDK failure becomes one named error, never a raw traceback
            raise _as_configuration_error(self._parameter, error) from None


@cache
def _reader_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="ssm-read")


def _error_code(error: BaseException) -> str | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        response: Any = getattr(current, "response", None)
        if isinstance(response, dict):
            code = response.get("Error", {}).get("Code")
            if isinstance(code, str):
                return code
        current = current.__cause__ or current.__context__
    return None


def _as_configuration_error(parameter: str, error: BaseException) -> ConfigurationError:
    code = _error_code(error)
    if code in _PERMANENT:
        return ConfigurationError(parameter, _PERMANENT[code])
    if code is not None and ("Throttl" in code or code in ("TooManyUpdates", "InternalServerError")):
        return ConfigurationError(parameter, f"SSM is throttling or failing ({code}); retry", retryable=True)
    kind = code or type(error).__name__
    return ConfigurationError(parameter, f"could not read the SSM parameter ({kind})", retryable=True)


def _fetch_with_botocore() -> Callable[[str], object]:
    """GetParameter, decrypted, through botocore's standard chain (credentials, region and
    AWS_ENDPOINT_URL_SSM from the environment).

    Powertools Parameters would also import its AppConfig, DynamoDB and Secrets Manager providers and
    all of boto3 for this one call: about 60 ms more cold start (make bench). The caching it would add
    is KeyReader's. Timeouts and attempts are small because the PagerDuty call still needs the time.
    """

    def fetch(name: str) -> object:
        client = _clients.get("ssm")
        if client is None:
            import botocore.session  # noqa: PLC0415 -- only on the first key read, not at import
            from botocore.config import Config  # noqa: PLC0415

            # botocore logs every response body at DEBUG, and GetParameter's holds the decrypted key:
            # a DEBUG root logger (Lambda's log-level setting) would write the key to CloudWatch Logs.
            logging.getLogger("botocore.parsers").setLevel(logging.INFO)
            config = Config(connect_timeout=1, read_timeout=2, retries={"mode": "standard", "max_attempts": 3})
            client = _clients.setdefault("ssm", botocore.session.get_session().create_client("ssm", config=config))
        response = client.get_parameter(Name=name, WithDecryption=True)
        return response.get("Parameter", {}).get("Value")

    return fetch


_clients: dict[str, Any] = {}
