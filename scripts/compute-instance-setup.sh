#!/bin/bash
# vnetdiag as an Azure Machine Learning compute-instance setup script (creation or startup script).
# Checks, while the instance is being set up, that it reaches everything the workspace needs, keeps the
# JSON report for a support engineer, prints the verdict and the fixes, and fails the setup only on
# Errors (by default). Usage and Azure ML setup: docs/compute-instance.md.
#
#   compute-instance-setup.sh [--fail-on errors|warnings|never] [--copy-report-to DIR]
#                             [more `vnetdiag check` arguments...]
#
# (The options are the variables FAIL_ON and VNETDIAG_COPY_REPORT_TO below, for the arguments field of
# Azure ML's setup script form, which takes no variables.)
#
# Upload it to the workspace's Notebooks files beside either the package (vnetdiag_<version>_amd64.deb)
# or the vnetdiag binary, and optionally a vnetdiag-config.json. Azure ML runs it as root, in the folder
# it was uploaded to.
#
# Environment:
#   FAIL_ON=errors     (--fail-on errors) fail the setup (exit non-zero) on Errors; pass on Warnings (the default)
#   FAIL_ON=warnings   fail on Errors, Warnings, or an incomplete check
#   FAIL_ON=never      always pass; the verdict is only printed and kept in the report
#   VNETDIAG_REPORT_DIR   where reports go (default /var/log/vnetdiag): report-<UTC time>.json, and
#                         latest.json pointing at the newest
#   VNETDIAG_CONFIG       settings file (default: vnetdiag-config.json beside this script, else
#                         /etc/vnetdiag/config.json, if either exists)
#   VNETDIAG_COPY_REPORT_TO  (--copy-report-to DIR) also copy the report into this directory (e.g. one in the Notebooks files)
#   VNETDIAG_DEB          the package to install (default: the newest vnetdiag_*.deb beside this script)
#   VNETDIAG_BINARY       the vnetdiag to run, instead of installing or finding one
#
# Exit status: 0 when the policy passes; otherwise vnetdiag's own (1 Errors, 2 Warnings, 4 incomplete,
# 5 required targets not checked, 3 bad config or arguments), or 3 when vnetdiag could not be installed or found.
set -uo pipefail

me="vnetdiag-setup"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail_on=${FAIL_ON:-errors}
copy_to=${VNETDIAG_COPY_REPORT_TO:-}
report_dir=${VNETDIAG_REPORT_DIR:-/var/log/vnetdiag}

say() { printf '%s: %s\n' "$me" "$*"; }

while (($#)); do
  case $1 in
    --fail-on) fail_on=${2:-}; shift 2 || shift ;;
    --fail-on=*) fail_on=${1#*=}; shift ;;
    --copy-report-to) copy_to=${2:-}; shift 2 || shift ;;
    --copy-report-to=*) copy_to=${1#*=}; shift ;;
    *) break ;;
  esac
done

case $fail_on in
  errors | warnings | never) ;;
  *)
    say "FAIL_ON (--fail-on) must be errors, warnings or never (it is '$fail_on')"
    exit 3
    ;;
esac

# When vnetdiag cannot run at all, that is a deployment problem: it fails the setup unless FAIL_ON=never.
give_up() {
  say "$*"
  if [[ $fail_on == never ]]; then
    say "FAIL_ON=never: the setup goes on without a connectivity check"
    exit 0
  fi
  exit 3
}

# The package beside this script, installed with its dependencies; else a binary beside it; else one
# already installed.
find_vnetdiag() {
  if [[ -n ${VNETDIAG_BINARY:-} ]]; then
    printf '%s\n' "$VNETDIAG_BINARY"
    return 0
  fi
  local deb=${VNETDIAG_DEB:-}
  if [[ -z $deb ]]; then
    deb=$(find "$here" -maxdepth 1 -name 'vnetdiag_*.deb' -printf '%T@ %p\n' 2>/dev/null | sort -rn | head -n1 | cut -d' ' -f2-)
  fi
  if [[ -n $deb ]]; then
    say "installing $deb" >&2
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo=sudo
    # apt-get installs a local .deb with the dependencies it lacks (from the package repositories, if
    # this machine can reach them). Its output goes to standard error: standard output is this answer.
    if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$deb" >&2; then
      say "apt-get could not install $deb (was it built for this release? see docs/compute-instance.md)" >&2
    fi
    if command -v vnetdiag >/dev/null; then
      command -v vnetdiag
      return 0
    fi
  fi
  if [[ -x $here/vnetdiag ]]; then
    printf '%s\n' "$here/vnetdiag"
    return 0
  fi
  command -v vnetdiag
}

vnetdiag=$(find_vnetdiag) || give_up "no vnetdiag: put vnetdiag_<version>_amd64.deb or the vnetdiag binary beside $0"
if ! version=$("$vnetdiag" --version 2>&1); then
  give_up "$vnetdiag does not run here: $version"
fi
say "$(head -n1 <<<"$version")"

config=${VNETDIAG_CONFIG:-}
if [[ -z $config ]]; then
  for candidate in "$here/vnetdiag-config.json" /etc/vnetdiag/config.json; do
    if [[ -r $candidate ]]; then
      config=$candidate
      break
    fi
  done
fi

mkdir -p "$report_dir" || give_up "cannot create $report_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="$report_dir/report-$stamp.json"
[[ -e $report ]] && report="$report_dir/report-$stamp-$$.json"

args=(check --quiet --json "$report")
[[ -n $config ]] && args+=(--config "$config")
args+=("$@")
say "running: $vnetdiag ${args[*]}"
rc=0
"$vnetdiag" "${args[@]}" || rc=$?

if [[ -s $report ]]; then
  ln -sfn "$(basename "$report")" "$report_dir/.latest.json.$$" && mv -Tf "$report_dir/.latest.json.$$" "$report_dir/latest.json"
  if [[ -n $copy_to ]]; then
    if mkdir -p "$copy_to" && cp -- "$report" "$copy_to/"; then
      say "report copied to $copy_to/$(basename "$report")"
    else
      say "could not copy the report to $copy_to"
    fi
  fi
  # Every finding with its fix, from the report (--quiet above printed the verdict and the Errors' titles).
  python=$(command -v python3 || true)
  if [[ -n $python ]]; then
    "$python" - "$report" <<'EOF' || true
import json, sys
doc = json.load(open(sys.argv[1]))
for f in doc.get("findings", []):
    print(f"{f.get('level', '?')} {f.get('code', '')}: {f.get('title', '')}")
    if f.get("fix"):
        print(f"  fix: {f['fix']}")
EOF
  fi
fi

case $rc in
  0) verdict="healthy" ;;
  1) verdict="Errors" ;;
  2) verdict="Warnings only" ;;
  3) verdict="bad arguments or config: nothing was checked" ;;
  4) verdict="incomplete: the deadline was reached" ;;
  5) verdict="required targets not checked (see 'Not checked' in the report)" ;;
  *) verdict="vnetdiag failed (exit $rc)" ;;
esac
if [[ -s $report ]]; then
  say "verdict: $verdict (exit $rc); report: $report (latest: $report_dir/latest.json)"
else
  say "verdict: $verdict (exit $rc); no report written"
fi

fail=0
case $fail_on:$rc in
  never:*) fail=0 ;;
  *:0) fail=0 ;;
  errors:2 | errors:4 | errors:5) fail=0 ;;
  *) fail=1 ;;
esac
if ((fail)); then
  say "FAIL_ON=$fail_on: failing the setup"
  exit "$rc"
fi
if ((rc != 0)); then
  say "FAIL_ON=$fail_on: the setup goes on"
fi
exit 0
