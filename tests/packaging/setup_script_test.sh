#!/usr/bin/env bash
# scripts/compute-instance-setup.sh against a local VNet (Knot and nginx on loopback, in a network
# namespace of the test's own), laid out as Azure ML runs it: the script in a folder of the Notebooks
# files with the vnetdiag binary (or a package) and vnetdiag-config.json beside it, run from that folder.
#
#   setup_script_test.sh error   VNETDIAG SOURCE_DIR   one required host down (Error) and one optional
#                                                       (Warning): the setup fails, exit 1; FAIL_ON=never passes
#   setup_script_test.sh warning VNETDIAG SOURCE_DIR   only the optional host down: the setup passes;
#                                                       FAIL_ON=warnings fails it with 2
#   setup_script_test.sh install VNETDIAG SOURCE_DIR   a .deb beside the script is checked against SHA256SUMS
#                                                       and installed with dpkg, never apt-get (stand-ins here,
#                                                       that record their calls); a damaged one is refused
# (The real package and tarball are installed in a Debian 11 root by tests/static/static_test.sh.)
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"
in_private_network "$@"

scenario=${1:?scenario}
export VNETDIAG=${2:?vnetdiag binary}
source_dir=${3:?source dir}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

local_vnet "$work/lab"
share=$work/cloudfiles/code/Users/admin
mkdir -p "$share"
cp "$source_dir/scripts/compute-instance-setup.sh" "$share/"
export VNETDIAG_REPORT_DIR=$work/var/log/vnetdiag
unset FAIL_ON VNETDIAG_BINARY VNETDIAG_CONFIG VNETDIAG_DEB VNETDIAG_COPY_REPORT_TO

# Runs the setup script as Azure ML does (from its folder, as root); sets $rc and $out.
run_setup() {
  rc=0
  out=$(cd "$share" && bash ./compute-instance-setup.sh "$@" 2>&1) || rc=$?
  echo "$out"
}

latest_report() {
  [[ -L $VNETDIAG_REPORT_DIR/latest.json ]] || fail "no latest.json link in $VNETDIAG_REPORT_DIR"
  readlink -f "$VNETDIAG_REPORT_DIR/latest.json"
}

case $scenario in
  error)
    cp "$VNETDIAG" "$share/vnetdiag"
    cp "$(lab_config "$work/lab" error app db optional)" "$share/vnetdiag-config.json"
    note "default policy (FAIL_ON=errors)"
    run_setup
    [[ $rc -eq 1 ]] || fail "the setup exited $rc with an Error planted, expected 1"
    grep -q 'verdict: Errors' <<<"$out" || fail "the verdict is not printed"
    grep -q 'FAIL_ON=errors: failing the setup' <<<"$out" || fail "the policy is not printed"
    # The planted fault is a refused port on a private (loopback) address: a private endpoint address that does
    # not answer, VND-NET-007 (issue 8: it names the stale record or missing route, not only the port).
    grep -q '^Error VND-NET-007' <<<"$out" || fail "the planted Error is not printed"
    grep -q '^  fix: ' <<<"$out" || fail "no fix printed"
    report=$(latest_report)
    [[ $(check_report "$report" "$source_dir") == 1 ]] || fail "the report's verdict is not Errors"
    grep -q "report: $report" <<<"$out" || fail "the report's path is not printed"
    note "FAIL_ON=never"
    FAIL_ON=never run_setup
    [[ $rc -eq 0 ]] || fail "FAIL_ON=never exited $rc"
    grep -q 'verdict: Errors' <<<"$out" || fail "the verdict is not printed with FAIL_ON=never"
    [[ $(find "$VNETDIAG_REPORT_DIR" -name 'report-*.json' | wc -l) -ge 1 ]] || fail "no reports kept"
    note "FAIL_ON=sometimes is refused"
    FAIL_ON=sometimes run_setup
    [[ $rc -eq 3 ]] || fail "a bad FAIL_ON exited $rc, expected 3"
    ;;
  warning)
    cp "$VNETDIAG" "$share/vnetdiag"
    cp "$(lab_config "$work/lab" warning app optional)" "$share/vnetdiag-config.json"
    note "default policy (FAIL_ON=errors)"
    run_setup
    [[ $rc -eq 0 ]] || fail "the setup exited $rc with only a Warning planted, expected 0"
    grep -q 'verdict: Warnings only (exit 2)' <<<"$out" || fail "the verdict is not printed"
    grep -q 'Warning VND-' <<<"$out" || fail "the Warning and its fix are not printed"
    [[ $(check_report "$(latest_report)" "$source_dir") == 2 ]] || fail "the report's verdict is not Warnings"
    note "FAIL_ON=warnings"
    FAIL_ON=warnings run_setup
    [[ $rc -eq 2 ]] || fail "FAIL_ON=warnings exited $rc with a Warning, expected 2"
    note "the same as arguments (Azure ML's arguments field), and a copy of the report beside the script"
    run_setup --fail-on warnings --copy-report-to vnetdiag-reports
    [[ $rc -eq 2 ]] || fail "--fail-on warnings exited $rc with a Warning, expected 2"
    [[ $(find "$share/vnetdiag-reports" -name 'report-*.json' | wc -l) -eq 1 ]] || fail "the report was not copied"
    ;;
  install)
    # A package beside the script with its checksum, and a dpkg that "installs" it: it records its arguments
    # and puts vnetdiag on PATH, as the real one puts /usr/bin/vnetdiag there. apt-get must not be used:
    # the instance may have no route to a package repository.
    : >"$share/vnetdiag_9.9.9_amd64.deb"
    (cd "$share" && sha256sum vnetdiag_9.9.9_amd64.deb >SHA256SUMS)
    cp "$(lab_config "$work/lab" install app)" "$share/vnetdiag-config.json"
    mkdir -p "$work/stub-bin"
    cat >"$work/stub-bin/dpkg" <<STUB
#!/bin/bash
echo "\$*" >>"$work/dpkg.calls"
ln -sf "$VNETDIAG" "$work/stub-bin/vnetdiag"
STUB
    cat >"$work/stub-bin/apt-get" <<STUB
#!/bin/bash
echo "\$*" >>"$work/apt-get.calls"
exit 100
STUB
    chmod +x "$work/stub-bin/dpkg" "$work/stub-bin/apt-get"
    PATH=$work/stub-bin:$PATH run_setup
    grep -qx -- "-i $share/vnetdiag_9.9.9_amd64.deb" "$work/dpkg.calls" ||
      fail "dpkg was not asked to install the package beside the script: $(cat "$work/dpkg.calls" 2>/dev/null)"
    [[ ! -e $work/apt-get.calls ]] || fail "apt-get was called: $(cat "$work/apt-get.calls")"
    grep -q 'checksum of vnetdiag_9.9.9_amd64.deb verified' <<<"$out" || fail "the checksum check is not printed"
    [[ $rc -eq 0 ]] || fail "the setup exited $rc on a healthy lab after installing"
    grep -q 'vnetdiag.* (commit' <<<"$out" || fail "the installed vnetdiag's version is not printed"

    note "a damaged package is refused before dpkg sees it, and fails the setup with 3"
    rm -f "$work/stub-bin/vnetdiag" "$work/dpkg.calls"
    echo damaged >>"$share/vnetdiag_9.9.9_amd64.deb"
    PATH=$work/stub-bin:$PATH run_setup
    [[ $rc -eq 3 ]] || fail "a package whose checksum does not match gave $rc, expected 3"
    grep -q 'checksum mismatch for vnetdiag_9.9.9_amd64.deb' <<<"$out" || fail "the mismatch is not named"
    grep -q 'refusing to install' <<<"$out" || fail "the refusal is not printed"
    [[ ! -e $work/dpkg.calls ]] || fail "dpkg was called on a damaged package: $(cat "$work/dpkg.calls")"
    FAIL_ON=never PATH=$work/stub-bin:$PATH run_setup
    [[ $rc -eq 0 ]] || fail "FAIL_ON=never with a damaged package gave $rc, expected 0"
    [[ ! -e $work/dpkg.calls ]] || fail "dpkg was called on a damaged package with FAIL_ON=never"

    note "a package without a checksum is refused too"
    rm -f "$share/SHA256SUMS"
    PATH=$work/stub-bin:$PATH run_setup
    [[ $rc -eq 3 ]] || fail "a package without SHA256SUMS gave $rc, expected 3"
    grep -q 'no checksum for vnetdiag_9.9.9_amd64.deb' <<<"$out" || fail "the missing checksum is not named"
    [[ ! -e $work/dpkg.calls ]] || fail "dpkg was called on a package without a checksum"
    rm -f "$share"/vnetdiag_*.deb

    note "a vnetdiag that does not run (say, its libraries are missing) fails the setup with 3"
    VNETDIAG_BINARY=/bin/false run_setup
    [[ $rc -eq 3 ]] || fail "a vnetdiag that cannot run gave $rc, expected 3"
    grep -q 'does not run here' <<<"$out" || fail "no message about the vnetdiag that does not run"
    VNETDIAG_BINARY=/bin/false FAIL_ON=never run_setup
    [[ $rc -eq 0 ]] || fail "FAIL_ON=never with a vnetdiag that cannot run gave $rc, expected 0"
    note "nothing to run: no package, no binary, none installed"
    PATH=/usr/bin:/bin run_setup
    if command -v vnetdiag >/dev/null 2>&1; then
      note "a vnetdiag is installed on this machine: the 'nothing to run' case is not testable here"
    else
      [[ $rc -eq 3 ]] || fail "with no vnetdiag at all the setup exited $rc, expected 3"
    fi
    ;;
  *) fail "unknown scenario $scenario" ;;
esac
note "setup script ($scenario) ok"
