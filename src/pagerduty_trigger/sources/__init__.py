"""The ordered table of event sources: the first whose `matches` accepts the event parses it."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..alert import Outcome
from ..config import MappingPolicy


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    synchronous: bool  # the caller waits for the answer: failures are returned, not raised
    matches: Callable[[Mapping[str, Any]], bool]
    parse: Callable[[Mapping[str, Any], MappingPolicy], list[Outcome]]
