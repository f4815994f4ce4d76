"""Character-safe truncation, timestamps, severities and bounded keys."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pagerduty_trigger.limits import DEDUP_KEY_MAX_CHARS, SUMMARY_MAX_CHARS, TRUNCATION_MARKER
from pagerduty_trigger.text import bounded_key, iso_timestamp, normalise_severity, safe_cut, truncate

FAMILY = "👨\u200d👩\u200d👧"  # one visible emoji made of five code points
FLAG = "🇯🇵"  # two regional indicators
THUMBS = "👍🏽"  # emoji + skin tone modifier
ACCENT = "e\u0301"  # e + combining acute


def test_text_at_the_limit_is_left_alone() -> None:
    text = "x" * SUMMARY_MAX_CHARS
    assert truncate(text, SUMMARY_MAX_CHARS) == text


def test_text_over_the_limit_is_cut_with_a_visible_marker() -> None:
    cut = truncate("x" * (SUMMARY_MAX_CHARS + 1), SUMMARY_MAX_CHARS)
    assert len(cut) == SUMMARY_MAX_CHARS
    assert cut.endswith(TRUNCATION_MARKER)


@pytest.mark.parametrize("cluster", [FAMILY, FLAG, THUMBS, ACCENT, "🚨", "日"])
@pytest.mark.parametrize("offset", range(8))
def test_a_cut_never_splits_a_visible_character(cluster: str, offset: int) -> None:
    text = "a" * (20 + offset) + cluster * 10
    for limit in range(15, len(text)):
        kept = truncate(text, limit)[: -len(TRUNCATION_MARKER)] if len(text) > limit else text
        assert len(truncate(text, limit)) <= limit
        rest = kept[20 + offset :]
        assert len(rest) % len(cluster) == 0 and rest == cluster * (len(rest) // len(cluster)), (limit, kept)


def test_safe_cut_keeps_pairs_of_regional_indicators() -> None:
    text = FLAG * 3
    assert [safe_cut(text, n) for n in range(7)] == [0, 0, 2, 2, 4, 4, 6]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-28T03:12:44.318+0000", "2026-11-28T03:12:44.318Z"),
        ("2026-W48-6T03:12:44.318+0000", "2026-11-28T03:12:44.318Z"),  # a week date: AWS's length, not its form
        ("2026-11-28T03:12:44.3180000", "2026-11-28T03:12:44.318Z"),
        ("2026-11-28T03:12:44.318-0000", "2026-11-28T03:12:44.318Z"),
        ("0001-01-01T00:00:00.000+0000", "0001-01-01T00:00:00.000Z"),
        ("2026-02-29T03:12:44.318+0000", None),
        ("2026-11-28T03:12:44Z", "2026-11-28T03:12:44.000Z"),
        ("2023-08-04T12: 56: 46.138+0000", "2023-08-04T12:56:46.138Z"),
        ("2026-11-28T05:12:44.318+02:00", "2026-11-28T03:12:44.318Z"),
        ("2026-11-28T03:12:44", "2026-11-28T03:12:44.000Z"),
        ("yesterday", None),
        ("2026-13-45T99:00:00Z", None),
        ("", None),
        (1700000000, None),
        (None, None),
    ],
)
def test_timestamps_become_iso_8601_or_are_left_out(raw: object, expected: str | None) -> None:
    assert iso_timestamp(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CRITICAL", "critical"),
        (" Critical ", "critical"),
        ("warn", "warning"),
        ("WARNING", "warning"),
        ("high", "error"),
        ("err", "error"),
        ("low", "info"),
        ("informational", "info"),
        ("P1", "critical"),
        ("bogus", None),
        ("", None),
        (3, None),
        (None, None),
    ],
)
def test_severity_spellings(raw: object, expected: str | None) -> None:
    assert normalise_severity(raw) == expected


def test_short_keys_are_kept_and_long_keys_hashed_under_the_limit() -> None:
    assert bounded_key("arn:aws:cloudwatch:us-east-1:1:alarm:a") == "arn:aws:cloudwatch:us-east-1:1:alarm:a"
    long_a = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + "a" * 300
    long_b = long_a[:-1] + "b"
    key_a, key_b = bounded_key(long_a), bounded_key(long_b)
    assert len(key_a) <= DEDUP_KEY_MAX_CHARS and len(key_b) <= DEDUP_KEY_MAX_CHARS
    assert key_a != key_b
    assert key_a.startswith("arn:aws:cloudwatch:us-east-1:123456789012:alarm:aaa")
    assert bounded_key(long_a) == key_a


def test_a_str_subclass_is_read_as_its_characters_not_its_str() -> None:
    """Direct Python callers may pass str subclasses; their text is what they hold, as for plain str."""
    from pagerduty_trigger.reader import text

    class Shouting(str):
        def __str__(self) -> str:
            return "OVERRIDDEN"

    assert text(Shouting("  db-1  ")) == "db-1"


EMPTY_AND_KEPT: dict[str, object] = {
    "none": None,
    "blank": "",
    "no_items": [],
    "no_keys": {},
    "no_tuple": (),
    "zero": 0,
    "zero_float": 0.0,
    "false": False,
    "text": "x",
    "list_of_zero": [0],
    "nested_empty": {"a": None},
}
KEPT = ["zero", "zero_float", "false", "text", "list_of_zero", "nested_empty"]


def test_empty_entries_are_dropped_but_zero_and_false_are_values() -> None:
    from types import MappingProxyType

    from pagerduty_trigger.reader import compact, drop_empty

    assert list(drop_empty(EMPTY_AND_KEPT)) == KEPT
    assert list(compact({**EMPTY_AND_KEPT, "empty_mapping": MappingProxyType({})})) == KEPT
    assert compact({"zero": 0, "false": False}) == {"zero": 0, "false": False}


@given(
    st.datetimes(
        min_value=datetime(2, 1, 1),
        max_value=datetime(9998, 12, 31),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))]),
    )
)
def test_aws_own_timestamps_take_a_shortcut_to_the_same_text(moment: datetime) -> None:
    """AWS's "+0000" form to the millisecond is copied; every other form is converted: both must agree."""
    utc = moment.astimezone(UTC)
    for raw in (
        f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}+0000",  # %Y is not zero-padded
        moment.isoformat(timespec="milliseconds"),
        moment.isoformat(),
    ):
        parsed = datetime.fromisoformat(raw)
        full = parsed.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        assert iso_timestamp(raw) == full
