"""Warm per-event cost in one process: our handler vs a raw urllib3 POST vs PagerDuty's own client.

Run by the benchmark as `python -m bench.warm CONFIG.json` in a fresh interpreter (cwd: the repo root,
PYTHONPATH=src), with the function's environment pointed at the loopback servers. Every round runs the
three senders once each, in a rotating order, each timed with perf_counter_ns around the one call; the
first rounds are discarded. Writes {name: [ns, ...]} to the output file named in the config.

- ours: lambda_handler(event, context): parse, normalise, build, send, Powertools decorators. The context
  object is made before the clock starts, as the Lambda runtime makes it before calling the handler.
- raw: urllib3 PoolManager.request("POST") of the prebuilt body (the bytes our handler sent), no parsing.
- pagerduty: pagerduty.EventsApiV2Client(routing_key).send_event(...) with the same fields. Its base URL
  is the `base_url` argument, but its `url` setter refuses anything but https://, so for the plain-http
  loopback emulator it is set on the attribute behind that property (`_url`) after construction.
- with "breakdown" in the config, where ours spends its time: the same handler with this event's parse
  (source table -> outcomes) taken from one earlier call ("ours_parsed"), and with the encoded body taken
  from one earlier call as well ("ours_prebuilt"). Everything else runs as in "ours": routing, logger,
  key cache, sender. The module attributes are swapped between calls, outside the timed call.
"""

import gc
import json
import sys
import time
from dataclasses import replace
from typing import Any


def _precomputed(event: Any, key: str) -> dict[str, tuple[Any, Any]]:
    """Source tables and build functions that return this event's outcomes (and body) made once."""
    from pagerduty_trigger import forwarder
    from pagerduty_trigger.handler import dependencies
    from pagerduty_trigger.sources import table

    source, _ = table.source_for(event)
    outcomes = source.parse(event, dependencies().settings.policy)
    parsed = tuple(replace(s, parse=lambda _event, _policy: outcomes) if s is source else s for s in table.SOURCES)
    built = forwarder.build(outcomes[0], key)  # the benchmark event makes one Alert
    return {"ours_parsed": (parsed, forwarder.build), "ours_prebuilt": (parsed, lambda _alert, _key: built)}


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as file:
        config = json.load(file)
    with open(config["event"], "rb") as file:
        event = json.load(file)
    with open(config["body"], "rb") as file:
        template: dict[str, Any] = json.load(file)  # our request body without routing_key
    key: str = config["key"]
    url: str = config["url"]

    import urllib3
    from pagerduty import EventsApiV2Client

    from local.lambda_context import LocalContext
    from pagerduty_trigger import forwarder
    from pagerduty_trigger.handler import lambda_handler
    from pagerduty_trigger.sources import table

    raw_body = json.dumps({"routing_key": key, **template}, ensure_ascii=False, separators=(",", ":")).encode()
    pool = urllib3.PoolManager(num_pools=2, maxsize=4, retries=False)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}

    client = EventsApiV2Client(key)
    client._url = url.rsplit("/v2/enqueue", 1)[0]  # https-only setter, see the docstring
    fields = {k: v for k, v in template.items() if k not in ("event_action", "dedup_key")}
    dedup_key = template.get("dedup_key")

    # The runtime makes the context before it calls the handler: made outside the timed call.
    contexts: list[LocalContext] = []

    def ours() -> bool:
        result: Any = lambda_handler(event, contexts.pop())
        return bool(result["success"])

    def raw() -> bool:
        return pool.request("POST", url, body=raw_body, headers=headers, retries=False).status == 202

    def pagerduty() -> bool:
        return bool(client.send_event("trigger", dedup_key=dedup_key, **fields))

    senders = {"ours": ours, "raw": raw, "pagerduty": pagerduty}
    # (source table, build) each handler run uses: the real ones, or ones that return a result made once.
    modules = {"ours": (table.SOURCES, forwarder.build)}
    if config.get("breakdown"):
        modules |= _precomputed(event, key)
        senders |= dict.fromkeys(modules, ours)
    names = list(senders)
    times: dict[str, list[int]] = {name: [] for name in names}
    warmup, rounds = config["warmup"], config["rounds"]
    gc.collect()
    for number in range(warmup + rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            send = senders[name]
            if send is ours:
                table.SOURCES, forwarder.build = modules[name]
                contexts.append(LocalContext())
            start = time.perf_counter_ns()
            ok = send()
            elapsed = time.perf_counter_ns() - start
            if not ok:
                raise RuntimeError(f"{name} was not accepted")
            if number >= warmup:
                times[name].append(elapsed)
    with open(config["out"], "w", encoding="utf-8") as file:
        json.dump(times, file)


if __name__ == "__main__":
    main()
