"""AWS region codes from the display names that SNS alarm notifications carry, and console hosts."""

import re

_DISPLAY_NAMES = {
    "us east (n. virginia)": "us-east-1",
    "us east (ohio)": "us-east-2",
    "us west (n. california)": "us-west-1",
    "us west (oregon)": "us-west-2",
    "africa (cape town)": "af-south-1",
    "asia pacific (hong kong)": "ap-east-1",
    "asia pacific (hyderabad)": "ap-south-2",
    "asia pacific (jakarta)": "ap-southeast-3",
    "asia pacific (malaysia)": "ap-southeast-5",
    "asia pacific (melbourne)": "ap-southeast-4",
    "asia pacific (mumbai)": "ap-south-1",
    "asia pacific (osaka)": "ap-northeast-3",
    "asia pacific (seoul)": "ap-northeast-2",
    "asia pacific (singapore)": "ap-southeast-1",
    "asia pacific (sydney)": "ap-southeast-2",
    "asia pacific (thailand)": "ap-southeast-7",
    "asia pacific (tokyo)": "ap-northeast-1",
    "asia pacific (taipei)": "ap-east-2",
    "asia pacific (new zealand)": "ap-southeast-6",
    "canada (central)": "ca-central-1",
    "canada west (calgary)": "ca-west-1",
    "eu (frankfurt)": "eu-central-1",
    "eu (ireland)": "eu-west-1",
    "eu (london)": "eu-west-2",
    "eu (milan)": "eu-south-1",
    "eu (paris)": "eu-west-3",
    "eu (spain)": "eu-south-2",
    "eu (stockholm)": "eu-north-1",
    "eu (zurich)": "eu-central-2",
    "israel (tel aviv)": "il-central-1",
    "mexico (central)": "mx-central-1",
    "middle east (bahrain)": "me-south-1",
    "middle east (uae)": "me-central-1",
    "south america (sao paulo)": "sa-east-1",
    "south america (são paulo)": "sa-east-1",
    "aws govcloud (us-east)": "us-gov-east-1",
    "aws govcloud (us-west)": "us-gov-west-1",
    "aws govcloud (us)": "us-gov-west-1",
    "china (beijing)": "cn-north-1",
    "china (ningxia)": "cn-northwest-1",
}
_CODE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


_PLACE = re.compile(r"\(([^)]*)\)$")
# The place in parentheses alone names the region, for the spellings AWS has used over the years
# ("EU (Ireland)", "Europe (Ireland)", "EU - Ireland", "US (Virginia)").
_BY_PLACE = {m.group(1): code for name, code in _DISPLAY_NAMES.items() if (m := _PLACE.search(name))}
_BY_PLACE.update({"virginia": "us-east-1", "northern virginia": "us-east-1", "california": "us-west-1"})
for _ambiguous in ("us-east", "us-west", "us", "central"):
    _BY_PLACE.pop(_ambiguous, None)


def region_code(name: str | None) -> str | None:
    """The region code for a code or a display name ("EU (Ireland)", "EU - Ireland"), else None."""
    if not name:
        return None
    key = " ".join(name.strip().lower().split())
    if _CODE.match(key):
        return key
    if key in _DISPLAY_NAMES:
        return _DISPLAY_NAMES[key]
    place = _PLACE.search(key)
    place_name = place.group(1) if place else key.rpartition(" - ")[2]
    return _BY_PLACE.get(place_name.strip())


def partition_of(region: str | None) -> str:
    if region and region.startswith("us-gov-"):
        return "aws-us-gov"
    if region and region.startswith("cn-"):
        return "aws-cn"
    return "aws"


_CONSOLE_HOSTS = {"aws-us-gov": "console.amazonaws-us-gov.com", "aws-cn": "console.amazonaws.cn"}


def console_host(partition: str, region: str) -> str:
    """Host of the AWS console for a partition; the commercial one is per region."""
    return _CONSOLE_HOSTS.get(partition) or f"{region}.console.aws.amazon.com"
