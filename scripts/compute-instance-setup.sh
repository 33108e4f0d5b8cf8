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
# Upload it to the workspace's Notebooks files beside the tarball (vnetdiag-<version>-linux-x86_64.tar.gz)
# or the package (vnetdiag_<version>_amd64.deb) and the SHA256SUMS that came with it, or beside the
# vnetdiag binary, and optionally a vnetdiag-config.json. Azure ML runs it as root, in the folder it was
# uploaded to. Installing needs no network and no apt: the binary is static, the package's only
# dependency is ca-certificates, and the checksum is checked before anything is installed.
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
#   VNETDIAG_PACKAGE      the .deb or .tar.gz to install (default: beside this script, the newest
#                         vnetdiag_*.deb when dpkg is there, else the newest vnetdiag-*.tar.gz); its
#                         checksum must be in SHA256SUMS beside it (or in <file>.sha256)
#   VNETDIAG_BINARY       the vnetdiag to run, instead of installing or finding one
#
# Exit status: 0 when the policy passes; otherwise vnetdiag's own (1 Errors, 2 Warnings, 4 incomplete,
# 5 required targets not checked, 3 bad config or arguments), or 3 when vnetdiag could not be installed or
# found, or its checksum does not match (a damaged or altered upload is never installed).
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

# Tarballs install here: the layout inside them (bin/, lib/, share/) and their systemd units are made for it.
prefix=/usr/local

newest() { find "$here" -maxdepth 1 -name "$1" -printf '%T@ %p\n' 2>/dev/null | sort -rn | head -n1 | cut -d' ' -f2-; }

# Whether FILE's SHA-256 is the one SHA256SUMS (or FILE.sha256) beside it names. Says why not.
checksum_ok() {
  local file=$1 name sums expected actual
  name=$(basename "$file")
  if [[ -r $(dirname "$file")/SHA256SUMS ]]; then
    sums=$(dirname "$file")/SHA256SUMS
  elif [[ -r $file.sha256 ]]; then
    sums=$file.sha256
  else
    say "no checksum for $name: put the SHA256SUMS that came with it beside it" >&2
    return 1
  fi
  # sha256sum's format: "<hex>  <name>" (or " *<name>"); a .sha256 file may hold the hash alone.
  expected=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1; exit } NF == 1 { only = $1 } END { if (only) print only }' "$sums" | head -n1)
  if [[ -z $expected ]]; then
    say "$sums has no checksum for $name" >&2
    return 1
  fi
  actual=$(sha256sum <"$file" | cut -d' ' -f1)
  if [[ ${actual,,} != "${expected,,}" ]]; then
    say "checksum mismatch for $name: $sums says $expected, the file is $actual; not installing it (damaged or altered upload?)" >&2
    return 1
  fi
  say "checksum of $name verified ($sums)" >&2
}

# Unpacks the tarball's bin/, lib/ and share/ into $prefix; prints the installed binary.
install_tarball() {
  local tarball=$1 tmp top
  tmp=$(mktemp -d) || return 1
  if ! tar -xzf "$tarball" -C "$tmp" --no-same-owner; then
    rm -rf "$tmp"
    say "cannot unpack $tarball" >&2
    return 1
  fi
  top=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'vnetdiag-*' | head -n1)
  if [[ -z $top || ! -x $top/bin/vnetdiag ]]; then
    rm -rf "$tmp"
    say "$tarball does not hold vnetdiag-*/bin/vnetdiag" >&2
    return 1
  fi
  mkdir -p "$prefix" && cp -R "$top"/bin "$top"/lib "$top"/share "$prefix"/ || { rm -rf "$tmp"; return 1; }
  rm -rf "$tmp"
  printf '%s\n' "$prefix/bin/vnetdiag"
}

# The package or tarball beside this script, checked and installed (dpkg or tar only: no network); else a
# binary beside it; else one already installed.
find_vnetdiag() {
  if [[ -n ${VNETDIAG_BINARY:-} ]]; then
    printf '%s\n' "$VNETDIAG_BINARY"
    return 0
  fi
  local package=${VNETDIAG_PACKAGE:-${VNETDIAG_DEB:-}}
  if [[ -z $package ]] && command -v dpkg >/dev/null; then
    package=$(newest 'vnetdiag_*.deb')
  fi
  [[ -n $package ]] || package=$(newest 'vnetdiag-*.tar.gz')
  if [[ -n $package ]]; then
    say "installing $package" >&2
    checksum_ok "$package" || return 2
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo=sudo
    case $package in
      *.deb)
        # Its output goes to standard error: standard output is this function's answer.
        if DEBIAN_FRONTEND=noninteractive $sudo dpkg -i "$package" >&2 && command -v vnetdiag; then
          return 0
        fi
        say "dpkg could not install $package (it needs ca-certificates; see docs/compute-instance.md)" >&2
        ;;
      *.tar.gz)
        if [[ -n $sudo ]]; then
          say "installing $package into $prefix needs root" >&2
        elif install_tarball "$package"; then
          return 0
        fi
        ;;
      *) say "$package is neither a .deb nor a .tar.gz" >&2 ;;
    esac
  fi
  if [[ -x $here/vnetdiag ]]; then
    printf '%s\n' "$here/vnetdiag"
    return 0
  fi
  command -v vnetdiag
}

found=0
vnetdiag=$(find_vnetdiag) || found=$?
if ((found == 2)); then
  give_up "refusing to install: the checksum could not be verified (see above)"
elif ((found != 0)) || [[ -z $vnetdiag ]]; then
  give_up "no vnetdiag: put vnetdiag-<version>-linux-x86_64.tar.gz (or the .deb) and SHA256SUMS, or the vnetdiag binary, beside $0"
fi
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
