"""Parses a JUnit XML file with xml.etree and prints what it holds as JSON, after checking that the
counts on <testsuites> and each <testsuite> match their test cases. Usage: junit_summary.py FILE.
Exit 1 (with the reason on stderr) when the file is not well-formed or the counts disagree."""
import json
import sys
import xml.etree.ElementTree as ET


def state(case):
    if case.find("failure") is not None:
        return "failed"
    if case.find("error") is not None:
        return "error"
    if case.find("skipped") is not None:
        return "skipped"
    return "passed"


def verdict(case):
    """The element saying why the case did not pass: <failure>, <error> or <skipped>; None when it passed."""
    for tag in ("failure", "error", "skipped"):
        if case.find(tag) is not None:
            return case.find(tag)
    return None


def main(path):
    root = ET.parse(path).getroot()
    if root.tag != "testsuites":
        raise SystemExit(f"root element is <{root.tag}>, not <testsuites>")
    cases = []
    system_out = {}
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root.findall("testsuite"):
        mine = [{"suite": suite.get("name"), "classname": c.get("classname"), "name": c.get("name"),
                 "time": float(c.get("time")), "state": state(c),
                 "type": (verdict(c).get("type", "") if verdict(c) is not None else ""),
                 "message": (verdict(c).get("message", "") if verdict(c) is not None else ""),
                 "text": (verdict(c).text or "" if verdict(c) is not None else ""),
                 "systemOut": (c.find("system-out").text or "" if c.find("system-out") is not None else "")}
                for c in suite.findall("testcase")]
        counted = {"tests": len(mine), "failures": sum(c["state"] == "failed" for c in mine),
                   "errors": sum(c["state"] == "error" for c in mine),
                   "skipped": sum(c["state"] == "skipped" for c in mine)}
        for key, value in counted.items():
            if int(suite.get(key)) != value:
                raise SystemExit(f"suite {suite.get('name')}: {key}={suite.get(key)} but {value} cases")
            totals[key] += value
        cases += mine
        out = suite.find("system-out")
        if out is not None:
            system_out[suite.get("name")] = out.text or ""
    for key, value in totals.items():
        if int(root.get(key)) != value:
            raise SystemExit(f"testsuites: {key}={root.get(key)} but {value} cases")
    print(json.dumps({"tests": totals["tests"], "failures": totals["failures"], "errors": totals["errors"],
                      "skipped": totals["skipped"], "time": float(root.get("time")),
                      "suiteTimes": {s.get("name"): float(s.get("time")) for s in root.findall("testsuite")},
                      "cases": cases, "systemOut": system_out}))


if __name__ == "__main__":
    main(sys.argv[1])
