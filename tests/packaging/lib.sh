# shellcheck shell=bash
# Shared by the packaging tests (bash). Source it; it sets `set -euo pipefail`.
#
#   in_private_network "$@"   re-runs the calling script in a network namespace of its own with only
#                             loopback up (and a PID namespace, so that every server it starts dies with
#                             it): whatever a test runs can reach 127.0.0.0/8 and nothing else
#   skip REASON               prints "SKIPPED: REASON" and exits 77 (ctest SKIP_RETURN_CODE)
#   fail MESSAGE              prints "FAILED: MESSAGE" and exits 1
#   local_vnet DIR            Knot and nginx on 127.61.x.x playing a small VNet (see below)
#   lab_config DIR NAME HOSTS...  a vnetdiag config that points every address vnetdiag would use at the lab
set -euo pipefail

skip() {
  echo "SKIPPED: $*"
  exit 77
}

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

note() { echo "-- $*"; }

# A clean environment for vnetdiag: no proxy, no compute-instance workspace from the machine running the tests.
unset https_proxy HTTPS_PROXY http_proxy HTTP_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
unset CI_WORKSPACE CI_RESOURCE_GROUP CI_NAME MLFLOW_TRACKING_URI

in_private_network() {
  if [[ ${VNETDIAG_TEST_NETNS:-} == 1 ]]; then
    ip link set lo up
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    skip "needs root to make a network namespace (the test suite runs as root: scripts/test)"
  fi
  if ! unshare --net --pid --fork --kill-child --mount-proc true 2>/dev/null; then
    skip "cannot create network and PID namespaces here (unshare --net --pid failed)"
  fi
  VNETDIAG_TEST_NETNS=1 exec unshare --net --pid --fork --kill-child --mount-proc bash "$0" "$@"
}

# Waits until COMMAND... succeeds, for at most SECONDS.
wait_for() {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# A test CA and one leaf certificate for NAMES... (DNS names), in DIR: ca.pem, leaf.pem (chain), leaf.key.
make_pki() {
  local dir=$1
  shift
  mkdir -p "$dir"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$dir/ca.key" -subj "/CN=vnetdiag packaging test CA" -days 2 -out "$dir/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/leaf.key" 2>/dev/null
  openssl req -new -key "$dir/leaf.key" -subj "/CN=$1" -out "$dir/leaf.csr" 2>/dev/null
  local san="" name
  for name in "$@"; do san+="${san:+,}DNS:$name"; done
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=$san" >"$dir/leaf.ext"
  openssl x509 -req -in "$dir/leaf.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/leaf.ext" -out "$dir/leaf.crt" 2>/dev/null
  cat "$dir/leaf.crt" "$dir/ca.pem" >"$dir/leaf.pem"
}

# The lab, all on loopback:
#   127.61.53.1:53   Knot, the VNet's DNS server, serving lab.vnetdiag.test:
#                      app.lab.vnetdiag.test       A 127.61.0.5   nginx, TLS, answers 200      (healthy)
#                      db.lab.vnetdiag.test        A 127.61.0.6   nothing listens: refused     (planted Error)
#                      optional.lab.vnetdiag.test  A 127.61.0.7   nothing listens: refused     (planted Warning:
#                                                                 configured as required: false)
#   DIR/pki/ca.pem   the CA that signed app's certificate
local_vnet() {
  local dir=$1
  mkdir -p "$dir/knot" "$dir/nginx/tmp"
  make_pki "$dir/pki" app.lab.vnetdiag.test

  cat >"$dir/knot/lab.vnetdiag.test.zone" <<'ZONE'
$ORIGIN lab.vnetdiag.test.
$TTL 60
@ SOA ns admin 1 3600 600 86400 60
@ NS ns
ns A 127.61.53.1
app A 127.61.0.5
db A 127.61.0.6
optional A 127.61.0.7
ZONE
  cat >"$dir/knot/knot.conf" <<CONF
server:
    listen: 127.61.53.1@53
    rundir: $dir/knot
    user: root:root
database:
    storage: $dir/knot
log:
  - target: stderr
    any: info
zone:
  - domain: lab.vnetdiag.test
    file: $dir/knot/lab.vnetdiag.test.zone
CONF
  knotd -c "$dir/knot/knot.conf" >"$dir/knot/knot.log" 2>&1 &
  wait_for 10 dig @127.61.53.1 +time=1 +tries=1 +short ns.lab.vnetdiag.test A ||
    fail "knotd did not answer on 127.61.53.1:53: $(tail -5 "$dir/knot/knot.log")"

  cat >"$dir/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
user root;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log info;
events { worker_connections 64; }
http {
  access_log $dir/nginx/access.log;
  client_body_temp_path $dir/nginx/tmp/client_body;
  proxy_temp_path $dir/nginx/tmp/proxy;
  fastcgi_temp_path $dir/nginx/tmp/fastcgi;
  uwsgi_temp_path $dir/nginx/tmp/uwsgi;
  scgi_temp_path $dir/nginx/tmp/scgi;
  default_type text/plain;
  server {
    listen 127.61.0.5:443 ssl;
    server_name app.lab.vnetdiag.test;
    ssl_certificate $dir/pki/leaf.pem;
    ssl_certificate_key $dir/pki/leaf.key;
    location / { return 200 "ok\n"; }
  }
}
CONF
  nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" >"$dir/nginx/stderr.log" 2>&1 &
  wait_for 10 tcp_open 127.61.0.5 443 || fail "nginx did not listen on 127.61.0.5:443: $(tail -5 "$dir/nginx/error.log")"
}

# lab_config DIR NAME HOST_SPEC...: writes DIR/NAME.json, a config with the lab's resolver, CA and hosts file,
# Azure DNS and the metadata service on loopback, and every target vnetdiag plans by itself skipped, so that
# only the lab's hosts are probed. HOST_SPEC is app, db or optional. Prints the file's path.
lab_config() {
  local dir=$1 name=$2 vnetdiag=${VNETDIAG:?set VNETDIAG to the binary}
  shift 2
  printf 'nameserver 127.61.53.1\n' >"$dir/resolv.conf"
  printf '127.0.0.1 localhost\n' >"$dir/hosts"
  local base="$dir/$name.base.json"
  python3 - "$base" "$dir" "$@" <<'PY'
import json, sys
path, lab, *hosts = sys.argv[1:]
spec = {
    "app": {"id": "lab.app", "host": "app.lab.vnetdiag.test", "service": "Lab app (healthy)",
            "private_endpoint": True, "expected_ips": ["127.61.0.5"],
            "http": {"target": "/", "reachable_statuses": [200]}},
    "db": {"id": "lab.db", "host": "db.lab.vnetdiag.test", "service": "Lab database (planted Error)"},
    "optional": {"id": "lab.optional", "host": "optional.lab.vnetdiag.test", "required": False,
                 "service": "Lab optional service (planted Warning)"},
}
config = {
    "vnet": ["127.61.0.0/16"],
    "resolv_conf": f"{lab}/resolv.conf",
    "hosts_file": f"{lab}/hosts",
    "ca_file": f"{lab}/pki/ca.pem",
    "azure_dns": "127.61.53.1",
    "metadata_url": "http://127.0.0.1:9",
    "proxy": {"url": ""},
    "budgets_ms": {"dns": 1000, "connect": 1000, "tls": 2000, "http": 2000, "deadline": 15000},
    "extra_hosts": [spec[h] for h in hosts],
}
json.dump(config, open(path, "w"), indent=2)
PY
  # Everything vnetdiag would check by itself (the cloud's endpoints, package repositories) is skipped.
  # `targets` only plans: it sends nothing.
  "$vnetdiag" targets --config "$base" --json >"$dir/$name.plan.json" 2>"$dir/$name.plan.err" ||
    fail "vnetdiag targets --config $base failed: $(cat "$dir/$name.plan.err")"
  python3 - "$base" "$dir/$name.plan.json" "$dir/$name.json" <<'PY'
import json, sys
base, plan, out = sys.argv[1:]
config = json.load(open(base))
ours = {h["id"] for h in config["extra_hosts"]}
planned = set()
for t in json.load(open(plan))["targets"]:
    planned.add(t["id"])
    planned.update(t.get("merged_untested", []))  # shown as one entry, each a target of its own
config["skip"] = sorted(planned - ours)
json.dump(config, open(out, "w"), indent=2)
PY
  printf '%s\n' "$dir/$name.json"
}

# Validates a JSON report: against reports/schema/report.schema.json with python3-jsonschema when both are
# there, else that it parses and has a verdict. Prints the verdict's exit code.
check_report() {
  local report=$1 source_dir=$2
  [[ -s $report ]] || fail "no report at $report"
  /usr/bin/python3 - "$report" "$source_dir/reports/schema/report.schema.json" <<'PY' || fail "invalid report $report"
import json, os, sys
report, schema = sys.argv[1:]
doc = json.load(open(report))
try:
    import jsonschema
except ImportError:
    jsonschema = None
if jsonschema and os.path.exists(schema):
    jsonschema.validate(doc, json.load(open(schema)))
    print(f"-- {report}: valid per {os.path.basename(schema)}", file=sys.stderr)
else:
    print(f"-- {report}: parsed (schema validation needs python3-jsonschema and {schema})", file=sys.stderr)
print(doc["verdict"]["exitCode"])
PY
}
