"""Every sample event maps to the request its tests/expected/ file holds (UPDATE_GOLDEN=1 rewrites them)."""

import json
import os
from pathlib import Path

import pytest

from tests.support import EXPECTED, TEST_KEY, event_files, load, masked, requests_for


@pytest.mark.parametrize("path", event_files(), ids=lambda p: p.stem)
def test_event_maps_to_its_expected_requests(path: Path) -> None:
    produced = [masked(body, TEST_KEY) for body in requests_for(load(path))]
    expected_path = EXPECTED / path.name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_path.write_text(json.dumps(produced, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert expected_path.exists(), f"no golden file for {path.name}: run UPDATE_GOLDEN=1 pytest and review it"
    assert produced == load(expected_path)


def test_every_golden_file_has_its_event() -> None:
    events = {p.name for p in event_files()}
    orphans = [p.name for p in EXPECTED.glob("*.json") if p.name not in events]
    assert not orphans
