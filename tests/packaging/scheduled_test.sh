#!/usr/bin/env bash
# The scheduled check's wrapper (packaging/systemd/vnetdiag-scheduled), run as vnetdiag.service runs it but
# with the state directory, config and binary in a temporary directory, against a local VNet (Knot and
# nginx on loopback, in a network namespace of the test's own): reports, latest.json, rotation, the
# Prometheus textfile and its publication, and a missing config.
#
#   scheduled_test.sh VNETDIAG SOURCE_DIR
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"
in_private_network "$@"

export VNETDIAG=${1:?vnetdiag binary}
source_dir=${2:?source dir}
wrapper=$source_dir/packaging/systemd/vnetdiag-scheduled
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

local_vnet "$work/lab"
config=$(lab_config "$work/lab" scheduled app optional)

export STATE_DIRECTORY=$work/state VNETDIAG_CONFIG=$config VNETDIAG_KEEP=2 VNETDIAG_BINARY=$VNETDIAG
export VNETDIAG_WORKSPACE_JSON=$work/no-workspace.json
mkdir -p "$STATE_DIRECTORY"

for run in 1 2 3; do
  note "run $run"
  rc=0
  bash "$wrapper" run || rc=$?
  [[ $rc -eq 0 ]] || fail "run $run exited $rc: a run that reaches a verdict must leave the service successful"
  sleep 1.1  # distinct modification times for the rotation
done

mapfile -t reports < <(find "$STATE_DIRECTORY/reports" -name 'report-*.json' | sort)
[[ ${#reports[@]} -eq 2 ]] || fail "VNETDIAG_KEEP=2 but ${#reports[@]} reports are kept: ${reports[*]}"
[[ -L $STATE_DIRECTORY/latest.json ]] || fail "latest.json is not a symbolic link"
latest=$(readlink -f "$STATE_DIRECTORY/latest.json")
newest=$(find "$STATE_DIRECTORY/reports" -name 'report-*.json' -printf '%T@ %p\n' | sort -rn | head -n1 | cut -d' ' -f2-)
[[ $latest == "$(readlink -f "$newest")" ]] || fail "latest.json points at $latest, not the newest report $newest"
exit_code=$(check_report "$STATE_DIRECTORY/latest.json" "$source_dir")
[[ $exit_code == 2 ]] || fail "the lab with one optional host down should give Warnings (2), the report says $exit_code"
if find "$STATE_DIRECTORY" -name '.*' | grep -q .; then
  fail "temporary files left in the state directory: $(find "$STATE_DIRECTORY" -name '.*')"
fi

note "the Prometheus textfile"
prom=$STATE_DIRECTORY/vnetdiag.prom
[[ -s $prom ]] || fail "no textfile at $prom"
cat "$prom"
python3 "$(dirname "$0")/prom_textfile.py" "$prom" vnetdiag_probe_success vnetdiag_probe_duration_seconds \
  vnetdiag_findings vnetdiag_run_incomplete || fail "the textfile is not valid"
grep -q 'vnetdiag_probe_success{[^}]*target="lab.app"[^}]*} 1' "$prom" || fail "lab.app's probe is not a success in the textfile"
grep -q 'vnetdiag_probe_success{[^}]*target="lab.optional"[^}]*} 0' "$prom" || fail "lab.optional's failure is not in the textfile"

note "publish copies the textfile into VNETDIAG_TEXTFILE_DIR, readable by node-exporter"
mkdir -p "$work/textfile"
VNETDIAG_TEXTFILE_DIR=$work/textfile bash "$wrapper" publish || fail "publish failed"
cmp "$prom" "$work/textfile/vnetdiag.prom" || fail "the published textfile differs"
[[ $(stat -c %a "$work/textfile/vnetdiag.prom") == 644 ]] || fail "the published textfile is not 0644"
[[ $(find "$work/textfile" -type f | wc -l) -eq 1 ]] || fail "publish left other files: $(ls -A "$work/textfile")"
bash "$wrapper" publish || fail "publish without VNETDIAG_TEXTFILE_DIR must do nothing and succeed"

note "a run as the service's sandbox has it: an unprivileged user without capabilities or new privileges,"
note "every file system read-only but the state directory (DynamicUser, NoNewPrivileges, ProtectSystem=strict)"
sandboxed=$work/sandboxed-state
mkdir -p "$sandboxed"
chown 65534:65534 "$sandboxed"
# The service user runs copies, as it runs the installed /usr/lib/vnetdiag and /usr/bin: the checkout and
# its build tree may sit where only root may enter (a clone under /root, mode 0700).
mkdir -p "$work/installed"
install -m 0755 "$wrapper" "$work/installed/vnetdiag-scheduled"
install -m 0755 "$VNETDIAG" "$work/installed/vnetdiag"
chmod 0755 "$work" "$work/installed" "$work/lab" "$work/lab/pki"
chmod 0644 "$config" "$work/lab/resolv.conf" "$work/lab/hosts" "$work/lab/pki/ca.pem"
rc=0
# shellcheck disable=SC2016 # expanded by the inner bash
STATE_DIRECTORY=$sandboxed VNETDIAG_BINARY=$work/installed/vnetdiag unshare --mount --propagation private bash -c '
  set -e
  mount --bind "$STATE_DIRECTORY" "$STATE_DIRECTORY"
  awk "{ print \$2 }" /proc/self/mounts | grep -Ev "^/(proc|sys|dev)(/|\$)" | while read -r point; do
    [[ $point == "$STATE_DIRECTORY" ]] || mount -o remount,bind,ro "$point" 2>/dev/null || true
  done
  if touch /tmp/.vnetdiag-rw-probe 2>/dev/null || touch /.vnetdiag-rw-probe 2>/dev/null; then
    echo "the file system is still writable: the sandbox is not in place" >&2
    exit 99
  fi
  exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs \
    bash "$0" run' "$work/installed/vnetdiag-scheduled" || rc=$?
[[ $rc -eq 0 ]] || fail "the sandboxed run exited $rc"
[[ -s $sandboxed/latest.json && -s $sandboxed/vnetdiag.prom ]] || fail "the sandboxed run wrote no report or textfile"
[[ $(stat -c %u "$(readlink -f "$sandboxed/latest.json")") == 65534 ]] || fail "the report is not the service user's"
check_report "$sandboxed/latest.json" "$source_dir" >/dev/null

note "a missing config fails the service with a message"
rc=0
out=$(VNETDIAG_CONFIG=$work/absent.json bash "$wrapper" run 2>&1) || rc=$?
echo "$out"
[[ $rc -eq 3 ]] || fail "a missing config exited $rc, expected 3"
grep -q 'config.example.json' <<<"$out" || fail "the message does not say where the example config is"

note "a config vnetdiag rejects fails the service with vnetdiag's exit status"
echo '{"vnet": "not a list"}' >"$work/bad.json"
rc=0
VNETDIAG_CONFIG=$work/bad.json bash "$wrapper" run || rc=$?
[[ $rc -eq 3 ]] || fail "a bad config exited $rc, expected 3"
note "scheduled ok"
