"""`make demo` on a fresh clone: the demo runs every sample, shows what PagerDuty got, never the key."""

import subprocess
import sys

import pytest

from local.ssm import DEMO_KEY
from tests.support import ROOT, event_files

pytestmark = pytest.mark.integration


def test_demo_runs_every_sample_and_masks_the_key() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "local.demo"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for path in event_files():
        assert f"=== {path.name}" in done.stdout
    assert "PagerDuty got (202)" in done.stdout
    assert "resolved" in done.stdout.split("=== alert state in the local PagerDuty")[1]
    assert DEMO_KEY not in done.stdout + done.stderr
    assert f"{len(event_files())} events, 0 raised an error" in done.stdout
