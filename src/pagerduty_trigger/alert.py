"""The normalised Alert that every source produces, and the Skip that a policy may choose instead."""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, NamedTuple

type Action = Literal["trigger", "acknowledge", "resolve"]
type Severity = Literal["critical", "error", "warning", "info"]
type JSONValue = bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"] | None

_NO_DETAILS: Mapping[str, JSONValue] = MappingProxyType({})


# Link, Image and Alert are made for every event: NamedTuples are as immutable as frozen dataclasses and
# several times cheaper to create (a frozen dataclass sets each field through object.__setattr__).


class Link(NamedTuple):
    href: str
    text: str | None = None


class Image(NamedTuple):
    src: str
    href: str | None = None
    alt: str | None = None


class Alert(NamedTuple):
    """One PagerDuty alert event, independent of where it came from."""

    action: Action
    dedup_key: str  # every source makes one: ALARM and OK of one alarm must share it
    summary: str
    source: str
    severity: Severity
    origin: str
    timestamp: str | None = None
    component: str | None = None
    group: str | None = None
    class_: str | None = None
    custom_details: Mapping[str, JSONValue] = _NO_DETAILS
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()
    client: str | None = None
    client_url: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skip:
    """A deliberate decision not to call PagerDuty, with the reason logged and returned."""

    reason: str
    origin: str
    dedup_key: str | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """Input that cannot become a valid event: reported as a failure, never sent to PagerDuty."""

    field: str
    reason: str
    origin: str


type Outcome = Alert | Skip | Rejected
