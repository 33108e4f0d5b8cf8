#!/usr/bin/env bash
# The packaged systemd units: `systemd-analyze verify` on them as installed (extracted from the package
# into a temporary root), and the sandbox's exposure as `systemd-analyze security` rates it.
#
#   systemd_test.sh DEB      exit 77 (ctest: skipped) with the reason when systemd-analyze is not here
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"

deb=${1:?package}
command -v systemd-analyze >/dev/null ||
  skip "systemd-analyze is not installed (Debian package 'systemd'): the units were not verified"
note "$(systemd-analyze --version | head -n1)"

# A root holding this machine's units (verify loads the targets ours depend on) and the package on top:
# verify then also checks that ExecStart's program is there, in that root, without installing anything.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/lib/systemd/system"
for dir in /lib/systemd/system /usr/lib/systemd/system; do
  [[ -d $dir ]] && cp -r --no-dereference "$dir/." "$root/lib/systemd/system/"
done
dpkg-deb -x "$deb" "$root"
units=(/lib/systemd/system/vnetdiag.service /lib/systemd/system/vnetdiag.timer)

out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no --root="$root" "${units[@]}" 2>&1) || {
  echo "$out"
  fail "systemd-analyze verify failed"
}
# verify warns (exit 0) about unknown keys and the like: any word about our units fails the test.
echo "$out"
if grep -E 'vnetdiag\.(service|timer)' <<<"$out"; then
  fail "systemd-analyze verify found problems in the units"
fi
note "systemd-analyze verify: the units are valid"

# The exposure score: 0 is fully sandboxed, 10 is unprotected; systemd calls below 2 "OK".
if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
  report=$(systemd-analyze security --offline=yes --root="$root" --no-pager "${units[0]}" 2>&1 || true)
  score=$(grep -Eo 'Overall exposure level for [^:]*: [0-9.]+' <<<"$report" | grep -Eo '[0-9.]+$' || true)
  grep -E '^✗' <<<"$report" || true
  [[ -n $score ]] || fail "systemd-analyze security gave no exposure level: $report"
  awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }' || fail "exposure level $score is above 2.5: the sandbox is weaker than intended"
  note "systemd-analyze security: exposure $score"
else
  note "this systemd-analyze has no 'security --offline': exposure not rated"
fi
