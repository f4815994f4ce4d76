"""Pure text helpers: character-safe truncation, timestamps, severities, stable keys."""

import hashlib
import re
from datetime import UTC, datetime

from .alert import Severity
from .limits import DEDUP_KEY_MAX_CHARS, SEVERITIES, TRUNCATION_MARKER

_ZWJ = "\u200d"


def _joins_previous(char: str) -> bool:
    """True for code points that belong to the character before them (never cut before one)."""
    code = ord(char)
    return (
        char == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tone modifiers
        or 0x0300 <= code <= 0x036F  # combining diacritical marks
        or 0x20D0 <= code <= 0x20FF  # combining marks for symbols (keycaps)
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
        or 0xDC00 <= code <= 0xDFFF  # a lone low surrogate from bad input
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def safe_cut(text: str, limit: int) -> int:
    """Largest index <= limit at which text can be cut without splitting a visible character."""
    if limit >= len(text):
        return len(text)
    cut = max(limit, 0)
    while cut > 0 and (_joins_previous(text[cut]) or text[cut - 1] == _ZWJ):
        cut -= 1
    if cut > 0 and _is_regional_indicator(text[cut]):
        run = 0  # flags are pairs of regional indicators: keep pairs whole
        while cut - run > 0 and _is_regional_indicator(text[cut - run - 1]):
            run += 1
        if run % 2 == 1:
            cut -= 1
    return cut


def truncate(text: str, limit: int, marker: str = TRUNCATION_MARKER) -> str:
    """Text of at most limit characters; a cut one ends with the marker."""
    if len(text) <= limit:
        return text
    return text[: safe_cut(text, limit - len(marker))] + marker


def clean_text(value: object) -> str:
    """A printable string from any value: lone surrogates replaced so the text encodes as UTF-8."""
    text = value if isinstance(value, str) else str(value)
    if text.isascii():
        return text
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_AWS_UTC = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\+0000")
_TIMESTAMP_FORMATS = (
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
)


def iso_timestamp(value: object) -> str | None:
    """ISO 8601 UTC timestamp from AWS's formats, or None when the value is not a readable time.

    AWS writes "+0000" offsets and some published samples carry stray spaces ("12: 56: 46"); white
    space never carries meaning in a timestamp, so it is removed before parsing.
    """
    if not isinstance(value, str):
        return None
    try:  # the common case, AWS's own "2026-11-28T03:12:44.318+0000", at a tenth of strptime's cost
        parsed = datetime.fromisoformat(value)
    except ValueError:
        pass
    else:
        # Already UTC to the millisecond: spelt the way _utc_iso spells it, without two conversions.
        return value[:23] + "Z" if _AWS_UTC.fullmatch(value) else _utc_iso(parsed)
    compact = "".join(value.split()).replace("Z", "+0000")
    for fmt in _TIMESTAMP_FORMATS:
        try:
            parsed = datetime.strptime(compact, fmt)
        except ValueError:
            continue
        return _utc_iso(parsed)
    return None


def _utc_iso(parsed: datetime) -> str | None:
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        utc = parsed.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset falls outside what datetime can hold
        return None
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


_SEVERITY_SYNONYMS: dict[str, Severity] = {
    "critical": "critical",
    "crit": "critical",
    "fatal": "critical",
    "emergency": "critical",
    "emerg": "critical",
    "alert": "critical",
    "page": "critical",
    "p1": "critical",
    "sev1": "critical",
    "error": "error",
    "err": "error",
    "high": "error",
    "major": "error",
    "p2": "error",
    "sev2": "error",
    "warning": "warning",
    "warn": "warning",
    "medium": "warning",
    "moderate": "warning",
    "minor": "warning",
    "p3": "warning",
    "sev3": "warning",
    "info": "info",
    "information": "info",
    "informational": "info",
    "notice": "info",
    "low": "info",
    "debug": "info",
    "p4": "info",
    "p5": "info",
    "sev4": "info",
    "sev5": "info",
}
assert set(_SEVERITY_SYNONYMS.values()) == set(SEVERITIES)


def normalise_severity(value: object) -> Severity | None:
    """One of the four PagerDuty severities from common spellings, or None when unrecognised."""
    if not isinstance(value, str):
        return None
    return _SEVERITY_SYNONYMS.get(value.strip().lower().replace("-", "").replace(" ", ""))


def bounded_key(readable: str) -> str:
    """A dedup key of at most 255 characters: the text itself, or a readable prefix plus its hash."""
    if len(readable) <= DEDUP_KEY_MAX_CHARS:
        return readable
    digest = hashlib.sha256(readable.encode("utf-8", "surrogatepass")).hexdigest()
    head = readable[: safe_cut(readable, DEDUP_KEY_MAX_CHARS - len(digest) - 1)]
    return f"{head}#{digest}"


def content_key(prefix: str, *parts: object) -> str:
    """A dedup key derived from content, so identical events coalesce and different ones do not."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}:{digest[:32]}"
