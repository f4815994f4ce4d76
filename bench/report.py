"""The result table: metric, ours, baseline, ratio, target, pass/fail."""

from typing import Any

RSS_CEILING_MB = 96.0  # "well inside a 128 MB function": at most 75% of it


def _row(  # noqa: PLR0917 -- one table row
    metric: str, ours: str, baseline: str, ratio: float | None, target: str, ok: bool | None
) -> dict[str, Any]:
    return {
        "metric": metric,
        "ours": ours,
        "baseline": baseline,
        "ratio": None if ratio is None else round(ratio, 3),
        "target": target,
        "result": "info" if ok is None else ("PASS" if ok else "FAIL"),
    }


def rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for cold in result["cold_start"]:
        ours, floor = cold["ours"]["cold_ms"], cold["floor"]["cold_ms"]
        out.append(
            _row(
                f"cold start, {cold['variant']} (ms)",
                f"{ours:.1f}",
                f"{floor:.1f} floor",
                cold["ratio"],
                "<= 1.15x",
                cold["ratio"] <= 1.15,
            )
        )
    warm = result["warm"]
    ours_us = warm["ours"]["median_us"]
    out.append(
        _row(
            "warm event vs raw urllib3 POST (us)",
            f"{ours_us:.0f}",
            f"{warm['raw']['median_us']:.0f} raw",
            warm["ratio_vs_raw"],
            "<= 1.3x",
            warm["ratio_vs_raw"] <= 1.3,
        )
    )
    out.append(
        _row(
            "warm event vs pagerduty client (us)",
            f"{ours_us:.0f}",
            f"{warm['pagerduty']['median_us']:.0f} pd",
            warm["ratio_vs_pagerduty"],
            "< 1.0x",
            warm["ratio_vs_pagerduty"] < 1.0,
        )
    )
    # Where the time goes: the same handler with this event's parse, then its body too, made once.
    for name, what in (("ours_parsed", "parse"), ("ours_prebuilt", "parse and body")):
        if name in warm:
            out.append(
                _row(
                    f"warm event, {what} precomputed, vs raw (us)",
                    f"{warm[name]['median_us']:.0f}",
                    f"{warm['raw']['median_us']:.0f} raw",
                    warm[f"{name}_ratio_vs_raw"],
                    "(info: where the time goes)",
                    None,
                )
            )
    if "warm_as_deployed" in result:
        on = result["warm_as_deployed"]
        out.append(
            _row(
                "warm event as deployed (INFO log, EMF) vs raw (us)",
                f"{on['ours']['median_us']:.0f}",
                f"{on['raw']['median_us']:.0f} raw",
                on["ratio_vs_raw"],
                "(info)",
                None,
            )
        )
    many = result["many"]
    first = sorted(set().union(*(set(c["ours"]["ssm_calls_first_event"]) for c in result["cold_start"])))
    first_calls = first[0] if len(first) == 1 else max(first)
    warm_calls = max(many["ours"]["ssm_calls_total"]) - first_calls
    floor_warm = max(many["floor"]["ssm_calls_total"]) - first_calls
    n = many["invocations"] - 1
    out.append(
        _row(
            f"SSM calls, {n} warm invocations",
            f"{warm_calls} (+{first_calls} cold)",
            f"{floor_warm} floor",
            None,
            "0",
            warm_calls == 0 and first == [1],
        )
    )
    rss, floor_rss = many["ours"]["maxrss_mb"], many["floor"]["maxrss_mb"]
    out.append(
        _row(
            f"peak RSS after 1+{n} invocations (MB)",
            f"{rss:.1f}",
            f"{floor_rss:.1f} floor",
            many["rss_ratio"],
            f"<= 1.2x, <= {RSS_CEILING_MB:.0f} MB",
            many["rss_ratio"] <= 1.2 and rss <= RSS_CEILING_MB,
        )
    )
    art = result["artifact"]
    nopyc, pyc = art["without_bytecode"], art["with_bytecode"]
    out.append(
        _row(
            "artifact, no bytecode (MB unzipped / zip)",
            f"{nopyc['bytes'] / 1e6:.2f} / {nopyc['zip_bytes'] / 1e6:.2f}",
            f"{art['floor']['bytes'] / 1e3:.1f} kB floor",
            None,
            "(info; 250 MB limit)",
            None,
        )
    )
    out.append(
        _row(
            "artifact, with compileall (MB unzipped / zip)",
            f"{pyc['bytes'] / 1e6:.2f} / {pyc['zip_bytes'] / 1e6:.2f}",
            "",
            pyc["bytes"] / nopyc["bytes"],
            "(info)",
            None,
        )
    )
    return out


def render(table: list[dict[str, Any]]) -> str:
    headers = ("metric", "ours", "baseline", "ratio", "target", "result")
    cells = [[str(r[h]) if r[h] is not None else "-" for h in headers] for r in table]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    lines = [line, "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def notes(result: dict[str, Any]) -> str:
    lines = ["", "breakdown (medians, ms): interpreter start | handler import | first event | cold total"]
    for cold in result["cold_start"]:
        for name in ("ours", "floor"):
            c = cold[name]
            lines.append(
                f"  {cold['variant'][:52]:52} {name:5}  {c['interpreter_ms']:7.1f} | {c['import_ms']:7.1f} |"
                f" {c['first_event_ms']:7.1f} | {c['cold_ms']:7.1f}   all: {c['cold_ms_all']}"
            )
    warm = result["warm"]
    lines.append(
        "warm (us): "
        + ", ".join(f"{n} median {warm[n]['median_us']} p90 {warm[n]['p90_us']}" for n in ("ours", "raw", "pagerduty"))
    )
    lines.append(
        f"same request body everywhere: cold {result['cold_start_bodies']}, warm {result['warm_bodies']}"
        " (requests, distinct bodies, statuses)"
    )
    art = result["artifact"]["without_bytecode"]
    lines.append(f"artifact ({result['artifact_source']}): largest entries (bytes) {art['largest']}")
    lines.append(f"total {result['seconds']} s")
    return "\n".join(lines)
