#!/usr/bin/env bash
# The fleet pieces: an alert rule and a dashboard query for every finding code (generated from
# reports/rules.cpp and up to date), the rules file valid for Prometheus, the Kubernetes manifest valid
# YAML, and docs/fleet.md naming every metric.
#
#   fleet_test.sh SOURCE_DIR
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"

source_dir=${1:?source dir}
rules=$source_dir/packaging/prometheus/vnetdiag.rules.yml

python3 "$source_dir/packaging/prometheus/generate.py" --check || fail "run packaging/prometheus/generate.py"

if command -v promtool >/dev/null; then
  promtool check rules "$rules" || fail "promtool check rules"
else
  note "promtool not installed (Debian: prometheus): the rules are checked as YAML and PromQL-shaped only"
fi

yaml_python=""
for python in python3 /usr/bin/python3; do
  if "$python" -c 'import yaml' 2>/dev/null; then
    yaml_python=$python
    break
  fi
done
if [[ -z $yaml_python ]]; then
  note "no python3 with the yaml module (Debian: python3-yaml): YAML not parsed"
else
  "$yaml_python" - "$rules" "$source_dir/packaging/k8s/cronjob.yaml" <<'PY' || fail "invalid YAML"
import re, sys, yaml
rules_path, k8s_path = sys.argv[1:]
doc = yaml.safe_load(open(rules_path))
alerts = [r for g in doc["groups"] for r in g["rules"]]
names = [r["alert"] for r in alerts]
assert len(names) == len(set(names)), "duplicate alert names"
for r in alerts:
    assert re.fullmatch(r"[a-zA-Z_:][a-zA-Z0-9_:]*", r["alert"]), r["alert"]
    assert r["expr"].count("(") == r["expr"].count(")"), r["expr"]
    assert "severity" in r["labels"], r["alert"]
kinds = [d["kind"] for d in yaml.safe_load_all(open(k8s_path))]
assert kinds == ["Namespace", "ConfigMap", "CronJob"], kinds
job = list(yaml.safe_load_all(open(k8s_path)))[2]
container = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
assert container["securityContext"]["readOnlyRootFilesystem"] is True
assert not container.get("ports"), "vnetdiag opens no port"
print(f"-- {len(alerts)} alert rules and the CronJob parse")
PY
fi

for metric in vnetdiag_probe_success vnetdiag_probe_duration_seconds vnetdiag_findings vnetdiag_run_incomplete vnetdiag_build_info \
  vnetdiag_last_run_timestamp_seconds; do
  grep -q "$metric" "$source_dir/docs/fleet.md" || fail "docs/fleet.md does not mention $metric"
done
note "fleet ok"
