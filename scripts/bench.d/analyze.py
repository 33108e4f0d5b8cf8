#!/usr/bin/env python3
"""Summarises one `vnetdiag probe --json` output for scripts/bench.

Usage: analyze.py RESULT.json [--blackholed-prefix bh] [--budget MS]

Prints `key value` lines (one per fact) that scripts/bench reads:
  targets, healthy, unhealthy, deadline_targets, run_deadline_hit, concurrency, run_ms,
  error_status     every object anywhere in the result with "status": "error"
  emfile           every string anywhere in the result naming EMFILE / "Too many open files"
  internal_errors  targets with an internalError
  tcp_<status>     TCP attempts per status (connected, timeout, refused, ...)
  tls_<status>     TLS outcomes per status
  dns_<status>     resolver answers per status
  http_<status>    HTTP outcomes per status
and, for targets whose name starts with the black-holed prefix:
  bh_targets, bh_tcp_timeout, bh_tcp_ms_min, bh_tcp_ms_max, bh_target_ms_max
  ok_targets, ok_healthy, ok_target_ms_max
"""
import json
import sys
from collections import Counter


def walk(node, on_dict, on_str):
    if isinstance(node, dict):
        on_dict(node)
        for value in node.values():
            walk(value, on_dict, on_str)
    elif isinstance(node, list):
        for value in node:
            walk(value, on_dict, on_str)
    elif isinstance(node, str):
        on_str(node)


def main(argv):
    path = argv[1]
    prefix = None
    budget = None
    i = 2
    while i < len(argv):
        if argv[i] == "--blackholed-prefix":
            prefix = argv[i + 1]
            i += 2
        elif argv[i] == "--budget":
            budget = float(argv[i + 1])
            i += 2
        else:
            raise SystemExit(f"analyze.py: unknown argument {argv[i]}")

    try:
        with open(path, encoding="utf-8") as f:
            run = json.load(f)
    except (OSError, ValueError) as e:
        print(f"parse_error 1\n# {e}")
        return 0

    facts = Counter()
    counts = {"error_status": 0, "emfile": 0}

    def on_dict(d):
        if d.get("status") == "error":
            counts["error_status"] += 1

    def on_str(s):
        if "EMFILE" in s or "Too many open files" in s:
            counts["emfile"] += 1

    walk(run, on_dict, on_str)

    targets = run.get("targets", [])
    facts["targets"] = len(targets)
    facts["healthy"] = sum(1 for t in targets if t.get("healthy"))
    facts["unhealthy"] = facts["targets"] - facts["healthy"]
    facts["deadline_targets"] = sum(1 for t in targets if t.get("deadline"))
    facts["internal_errors"] = sum(1 for t in targets if t.get("internalError"))
    facts["run_deadline_hit"] = int(bool(run.get("deadlineHit")))
    facts["concurrency"] = run.get("concurrency", 0)
    facts["run_ms"] = run.get("ms", 0)
    for t in targets:
        for a in t.get("dns", []):
            facts["dns_" + a.get("status", "?")] += 1
        for c in t.get("tcp", []):
            facts["tcp_" + c.get("status", "?")] += 1
        if "tls" in t:
            facts["tls_" + t["tls"].get("status", "?")] += 1
        if "http" in t:
            facts["http_" + t["http"].get("status", "?")] += 1

    if prefix is not None:
        bh = [t for t in targets if t.get("host", "").startswith(prefix)]
        ok = [t for t in targets if not t.get("host", "").startswith(prefix)]
        bh_tcp = [c for t in bh for c in t.get("tcp", [])]
        timeouts = [c for c in bh_tcp if c.get("status") == "timeout"]
        facts["bh_targets"] = len(bh)
        facts["bh_tcp_timeout"] = len(timeouts)
        facts["bh_tcp_ms_min"] = min((c["ms"] for c in timeouts), default=0)
        facts["bh_tcp_ms_max"] = max((c["ms"] for c in timeouts), default=0)
        facts["bh_target_ms_max"] = max((t.get("ms", 0) for t in bh), default=0)
        facts["bh_healthy"] = sum(1 for t in bh if t.get("healthy"))
        facts["ok_targets"] = len(ok)
        facts["ok_healthy"] = sum(1 for t in ok if t.get("healthy"))
        facts["ok_target_ms_max"] = max((t.get("ms", 0) for t in ok), default=0)
        if budget is not None:
            # A black-holed connect should end at its budget, not well after it.
            facts["bh_tcp_over_budget"] = sum(1 for c in timeouts if c["ms"] > budget * 1.1)

    facts.update(counts)
    for key in sorted(facts):
        value = facts[key]
        if isinstance(value, float):
            value = f"{value:.1f}"
        print(f"{key} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
