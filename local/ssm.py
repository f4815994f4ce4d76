"""A local SSM Parameter Store (moto's server on a loopback port) holding the demo integration key."""

import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import boto3
from moto.server import ThreadedMotoServer

DEMO_PARAMETER = "/pagerduty-trigger/demo/integration-key"
# A made-up key of the right shape (32 alphanumerics); it opens nothing anywhere.
DEMO_KEY = "d3m0d3m0d3m0d3m0d3m0d3m0d3m0k3y0"
REGION = "us-east-1"
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


class LocalSsm:
    def __init__(self) -> None:
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)

    def start(self) -> "LocalSsm":
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log lines in test output
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    @property
    def endpoint(self) -> str:
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def environment(self) -> dict[str, str]:
        """Variables that point the standard boto3 chain at this endpoint, with throwaway credentials."""
        return {**FAKE_CREDENTIALS, "AWS_ENDPOINT_URL_SSM": self.endpoint, "AWS_DEFAULT_REGION": REGION}

    def client(self):  # type: ignore[no-untyped-def]
        return boto3.client(
            "ssm",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def put(self, name: str, value: str, kind: str = "SecureString") -> None:
        self.client().put_parameter(Name=name, Value=value, Type=kind, Overwrite=True)


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the block, restoring the previous values after it."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
