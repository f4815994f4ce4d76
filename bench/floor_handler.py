"""The floor: a bare handler doing only what ours must do, with plain boto3 + urllib3.

One SSM read (get_parameter, WithDecryption) cached like ours for the warm window, then one POST of the
same request body our handler sends (the benchmark captures it from the emulator and passes it in without
the routing key). No parsing, no validation, no retries, no logging, no metrics: the lowest cost any
handler of this shape can have. Copied into a throwaway artifact directory by the benchmark.
"""

import json
import os
import time

import boto3
import urllib3

_ssm = boto3.client("ssm")
_http = urllib3.PoolManager()
_URL = os.environ["PAGERDUTY_EVENTS_URL"]
_PARAMETER = os.environ["INTEGRATION_KEY_PARAMETER"]
_CACHE_SECONDS = 300
with open(os.environ["BENCH_FLOOR_BODY"], "rb") as _file:
    _TEMPLATE = json.load(_file)
_key: tuple[float, str] | None = None


def lambda_handler(event, context):  # type: ignore[no-untyped-def]
    global _key  # noqa: PLW0603
    now = time.monotonic()
    if _key is None or now - _key[0] >= _CACHE_SECONDS:
        _key = (now, _ssm.get_parameter(Name=_PARAMETER, WithDecryption=True)["Parameter"]["Value"])
    body = json.dumps({"routing_key": _key[1], **_TEMPLATE}, ensure_ascii=False, separators=(",", ":"))
    response = _http.request("POST", _URL, body=body.encode(), headers={"Content-Type": "application/json"})
    if response.status != 202:
        raise RuntimeError(f"PagerDuty answered {response.status}")
    return {"success": True, "status": response.status}
