"""The loopback servers of the benchmark: the Events API v2 emulator (own process) and a counting SSM.

The emulator runs as `python -m local.pagerduty_emulator --port 0` in a subprocess, so the process being
measured never shares its interpreter (or GIL) with the server. moto's SSM server runs in a thread of the
benchmark driver, behind a WSGI wrapper that counts every SSM API call that reaches it: the count is taken
at the server, not by the code under test.
"""

import json
import logging
import subprocess
import sys
import threading
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class EmulatorProcess:
    """local.pagerduty_emulator in its own interpreter, on a free loopback port."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> "EmulatorProcess":
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "local.pagerduty_emulator", "--port", "0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()  # "PagerDuty Events API v2 emulator on http://..."
        if " on http://127.0.0.1:" not in line:
            self.stop()
            raise RuntimeError(f"emulator did not start: {line!r}")
        self.url = line.rsplit(" ", 1)[1]
        return self

    @property
    def base(self) -> str:
        return self.url.rsplit("/v2/enqueue", 1)[0]

    def _call(self, method: str, path: str) -> Any:
        data = b"" if method == "POST" else None
        request = urllib.request.Request(self.base + path, method=method, data=data)  # noqa: S310 -- loopback http
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())

    def reset(self) -> None:
        self._call("POST", "/_emulator/reset")

    def requests(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/_emulator/requests")
        return result

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
            self._proc = None


class _Counting:
    """WSGI wrapper: counts requests by their SSM action (X-Amz-Target: AmazonSSM.GetParameter)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith("AmazonSSM."):
            with self._lock:
                self.counts[target.removeprefix("AmazonSSM.")] += 1
        return self._app(environ, start_response)


class CountingSsm:
    """moto's server (all services; only SSM is used) on a free loopback port, counting SSM calls."""

    def __init__(self) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._app = _Counting(DomainDispatcherApplication(create_backend_app))
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "CountingSsm":
        self._thread.start()
        return self

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def calls(self, action: str = "GetParameter") -> int:
        return self._app.counts[action]

    def put(self, name: str, value: str) -> None:
        import boto3

        client = boto3.client(
            "ssm",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
