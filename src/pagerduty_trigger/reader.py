"""Typed, forgiving reads from untrusted JSON: a wrong type reads as absent, never as a crash."""

import json
import math
from collections.abc import Mapping
from typing import Any

from .alert import JSONValue
from .text import clean_text

type Obj = Mapping[str, Any]

MAX_DEPTH = 24
_MAX_INT_BITS = 1024
_EMPTY: Obj = {}


def obj(value: object) -> Obj:
    # JSON gives dicts, and None for what is missing: exact tests spare the slow abstract Mapping check.
    if type(value) is dict:
        return value
    if value is None:
        return _EMPTY
    return value if isinstance(value, Mapping) else _EMPTY


def items(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def text(value: object) -> str | None:
    """A non-blank string (numbers are spelled out); anything else is None."""
    if isinstance(value, str):  # the common case first
        stripped = value.strip()
        if not stripped:
            return None
        return stripped if stripped.isascii() else clean_text(stripped)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return clean_text(value) if _finite(value) else None
    return None


def exact_text(value: object) -> str | None:
    """A non-blank string kept exactly as sent: alarm names and ARNs may end in spaces, and trimming them
    on one delivery path but not another would give the same alarm two dedup keys."""
    return clean_text(value) if isinstance(value, str) and value.strip() else None


def number(value: object) -> float | None:
    if type(value) is float:  # what json.loads gives for most numbers in alarm events
        return value if math.isfinite(value) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and _finite(value):
        try:
            return float(value)
        except OverflowError:  # an integer beyond the largest float (2**1024 and up)
            return None
    return None


def _finite(value: float) -> bool:
    if isinstance(value, int):
        return value.bit_length() <= _MAX_INT_BITS
    return math.isfinite(value)


def embedded_json(value: object) -> object:
    """Decode a JSON document carried as a string (reasonData, SNS Message); None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return None


def json_safe(value: object, depth: int = 0) -> JSONValue:
    """A copy that json.dumps accepts and UTF-8 can encode: clean strings, finite numbers, bounded depth."""
    if type(value) is str:  # by far the most common value: skip the isinstance chain
        return clean_text(value)
    if type(value) is float:
        return value if math.isfinite(value) else str(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        # Python refuses to print integers of more than 4,300 digits; no real detail needs that many.
        return value if value.bit_length() <= _MAX_INT_BITS else "[integer too large]"
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return clean_text(value)
    if depth >= MAX_DEPTH:
        return "[nested too deep]"
    if type(value) is dict or isinstance(value, Mapping):
        return {clean_text(k): json_safe(v, depth + 1) for k, v in value.items()}
    if type(value) is list or isinstance(value, list | tuple):
        return [json_safe(v, depth + 1) for v in value]
    return clean_text(value)


# Empty: None, and text or a container with nothing in it. 0 and False are values and stay. Tested as
# "truthy, or falsy but not one of these": comparing every value with five empty ones costs far more.
_CAN_BE_EMPTY = (str, list, dict, tuple, Mapping)


def drop_empty[V](details: Mapping[str, V]) -> dict[str, V]:
    """Drop absent and empty entries so the incident shows only what is known."""
    return {k: v for k, v in details.items() if v or (v is not None and not isinstance(v, _CAN_BE_EMPTY))}


def compact(details: Mapping[str, object]) -> dict[str, JSONValue]:
    """drop_empty() for values read as they came: what is kept is made JSON-safe."""
    return {k: json_safe(v) for k, v in drop_empty(details).items()}
