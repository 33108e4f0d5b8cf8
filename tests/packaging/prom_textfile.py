#!/usr/bin/env python3
"""Checks a Prometheus textfile as node-exporter's textfile collector reads it: the text exposition format
0.0.4, with every family's HELP and TYPE before its samples and all its samples together, valid names,
escaped label values, numeric values, no duplicate series, and no timestamps (the collector rejects them).

    prom_textfile.py FILE [METRIC...]   exit 0 when FILE is valid and has a sample of each METRIC
Uses `promtool check metrics` as well when promtool is installed (Debian: the prometheus package).
"""
import re
import shutil
import subprocess
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
VALUE = r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|Inf|NaN)"
LABEL_PAIR = rf'({LABEL})="((?:[^"\\\n]|\\\\|\\"|\\n)*)"'
SAMPLE = re.compile(rf"^({NAME})(?:\{{((?:{LABEL_PAIR})(?:,{LABEL_PAIR})*,?)?\}})? ({VALUE})$")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def family_of(name, declared):
    for suffix in ("_bucket", "_count", "_sum"):
        if name.endswith(suffix) and declared.get(name[: -len(suffix)]) in ("histogram", "summary"):
            return name[: -len(suffix)]
    return name


def check(path):
    errors = []
    declared, helped, seen_series, closed = {}, set(), set(), set()
    current = None
    samples = {}
    text = open(path, encoding="utf-8").read()
    if text and not text.endswith("\n"):
        errors.append("the file does not end with a newline")
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not re.fullmatch(NAME, name):
                    errors.append(f"{where}: bad metric name {name!r}")
                if name in closed:
                    errors.append(f"{where}: {parts[1]} for {name} after its samples were closed")
                if parts[1] == "HELP":
                    if name in helped:
                        errors.append(f"{where}: second HELP for {name}")
                    helped.add(name)
                else:
                    kind = parts[3].strip() if len(parts) > 3 else ""
                    if kind not in TYPES:
                        errors.append(f"{where}: bad TYPE {kind!r}")
                    if name in declared:
                        errors.append(f"{where}: second TYPE for {name}")
                    if name in samples:
                        errors.append(f"{where}: TYPE for {name} after its samples")
                    declared[name] = kind
                if current and current != name:
                    closed.add(current)
                current = name
            continue
        m = SAMPLE.match(line)
        if not m:
            errors.append(f"{where}: not a sample line (or it has a timestamp): {line!r}")
            continue
        name, labels = m.group(1), m.group(2) or ""
        family = family_of(name, declared)
        if family in closed:
            errors.append(f"{where}: sample of {family} apart from the rest of its family")
        if current and current != family:
            closed.add(current)
        current = family
        pairs = re.findall(LABEL_PAIR, labels)
        names = [p[0] for p in pairs]
        if len(names) != len(set(names)):
            errors.append(f"{where}: a label given twice")
        series = (name, tuple(sorted(pairs)))
        if series in seen_series:
            errors.append(f"{where}: duplicate series {name}{{{labels}}}")
        seen_series.add(series)
        samples.setdefault(family, 0)
        samples[family] += 1
    return errors, samples


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path, wanted = sys.argv[1], sys.argv[2:]
    errors, samples = check(path)
    for metric in wanted:
        if metric not in samples:
            errors.append(f"{path}: no sample of {metric}")
    promtool = shutil.which("promtool")
    if promtool:
        with open(path, "rb") as f:
            result = subprocess.run([promtool, "check", "metrics"], stdin=f, capture_output=True, text=True)
        # promtool's lint notes (e.g. counters without _total) are advice; a parse error is not.
        output = (result.stdout + result.stderr).strip()
        if "error while linting" in output or "text format parsing error" in output:
            errors.append(f"promtool check metrics: {output}")
        print(f"-- promtool check metrics: {output or 'ok'}")
    else:
        print("-- promtool not installed (Debian: prometheus): checked by this parser only")
    for e in errors:
        print(e, file=sys.stderr)
    if not errors:
        print(f"-- {path}: valid textfile, {sum(samples.values())} samples in {len(samples)} families")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
