#!/usr/bin/env bash
# The Debian package: built, inspected, linted, and its binary run from a temporary root.
#
#   deb_test.sh build CPACK CPACK_CONFIG OUT   run CPack on a build tree; leaves OUT/vnetdiag.deb
#   deb_test.sh contents DEB SOURCE_DIR [static]  control fields, computed Depends (ca-certificates alone
#                                              for the static build's), files, units, man page,
#                                              completion, example config
#   deb_test.sh lintian DEB                    lintian without errors (exit 77: lintian not installed)
#   deb_test.sh runs DEB                       the extracted binary: --version, and probes on loopback only
#   deb_test.sh all DEB SOURCE_DIR             contents, lintian and runs (e.g. on scripts/package's .deb)
#
# ctest packages the tree it was built in (the dev preset: sanitizers on, so its Depends also name
# libasan/libubsan); scripts/package builds the static release package, which tests/static/ checks (with
# `deb_test.sh contents DEB SOURCE_DIR static` and lintian among others).
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"

mode=${1:?mode}
shift

build() {
  local cpack=$1 config=$2 out=$3
  [[ -f $config ]] || fail "$config is missing: the build tree was configured without packaging/cpack.cmake"
  rm -rf "$out"
  mkdir -p "$out"
  "$cpack" --config "$config" -B "$out/cpack" || fail "cpack failed"
  local debs=("$out"/cpack/vnetdiag_*.deb)
  [[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected one vnetdiag_*.deb in $out/cpack"
  cp "${debs[0]}" "$out/vnetdiag.deb"
  note "built $(basename "${debs[0]}") ($(stat -c %s "${debs[0]}") bytes)"
}

field() { dpkg-deb -f "$1" "$2"; }

contents() {
  local deb=$1 source=$2 linkage=${3:-dynamic}
  [[ -f $deb ]] || fail "no package at $deb"
  local version arch
  version=$(sed -n 's/^project(vnetdiag VERSION \([0-9.]*\).*/\1/p' "$source/CMakeLists.txt")
  arch=$(dpkg --print-architecture)

  note "control fields"
  dpkg-deb -I "$deb"
  [[ $(field "$deb" Package) == vnetdiag ]] || fail "Package is $(field "$deb" Package)"
  [[ $(field "$deb" Version) == "$version" ]] || fail "Version $(field "$deb" Version), project version $version"
  [[ $(field "$deb" Architecture) == "$arch" ]] || fail "Architecture $(field "$deb" Architecture), machine $arch"
  [[ $(field "$deb" Section) == net ]] || fail "Section is $(field "$deb" Section), not net"
  [[ -n $(field "$deb" Maintainer) ]] || fail "no Maintainer"
  [[ -n $(field "$deb" Description) ]] || fail "no Description"
  local depends
  depends=$(field "$deb" Depends)
  note "Depends: $depends"
  if [[ $linkage == static ]]; then
    # dpkg-shlibdeps finds no library in a static binary: the CA bundle is all it needs.
    [[ $depends == ca-certificates ]] || fail "the static package's Depends is not ca-certificates alone: $depends"
  else
    # Computed by dpkg-shlibdeps: the libraries the binary links, with versions; ca-certificates by hand.
    local dep
    for dep in 'libc-ares2 (>= ' 'libssl3 (>= ' 'libc6 (>= ' 'libstdc++6 (>= ' 'ca-certificates'; do
      [[ $depends == *"$dep"* ]] || fail "Depends lacks '$dep': $depends"
    done
  fi

  note "maintainer scripts"
  local control
  control=$(mktemp -d)
  dpkg-deb -e "$deb" "$control"
  for f in postinst prerm postrm md5sums; do
    [[ -f $control/$f ]] || fail "control area lacks $f"
  done
  for f in postinst prerm postrm; do
    sh -n "$control/$f" || fail "$f is not valid sh"
    if grep -v '^[[:space:]]*#' "$control/$f" | grep -Eq '(systemctl|deb-systemd-helper)[^#]*[[:space:]](enable|unmask)'; then
      fail "$f enables a unit: the timer must stay disabled"
    fi
  done

  note "files"
  local listing
  listing=$(dpkg-deb -c "$deb")
  echo "$listing"
  local -a want=(
    ./usr/bin/vnetdiag
    ./usr/share/man/man1/vnetdiag.1.gz
    ./usr/share/bash-completion/completions/vnetdiag
    ./lib/systemd/system/vnetdiag.service
    ./lib/systemd/system/vnetdiag.timer
    ./usr/lib/vnetdiag/vnetdiag-scheduled
    ./usr/share/doc/vnetdiag/examples/config.example.json
    ./usr/share/doc/vnetdiag/copyright
    ./usr/share/doc/vnetdiag/changelog.gz
    ./usr/share/vnetdiag/prometheus/vnetdiag.rules.yml
  )
  if [[ -f $source/reports/schema/report.schema.json ]]; then
    want+=(./usr/share/vnetdiag/report.schema.json)
  fi
  local path
  for path in "${want[@]}"; do
    grep -Eq "^[-rwx]{10} root/root +[0-9]+ [0-9-]+ [0-9:]+ ${path//./\\.}\$" <<<"$listing" ||
      fail "package lacks $path (owned by root)"
  done
  grep -Eq '^-rwxr-xr-x root/root .* \./usr/bin/vnetdiag$' <<<"$listing" || fail "vnetdiag is not 0755"
  grep -Eq '^-rwxr-xr-x root/root .* \./usr/lib/vnetdiag/vnetdiag-scheduled$' <<<"$listing" ||
    fail "vnetdiag-scheduled is not 0755"
  if grep -Eq ' \./etc/' <<<"$listing"; then
    fail "the package ships files under /etc (no conffiles: the config is the administrator's)"
  fi

  local root
  root=$(mktemp -d)
  dpkg-deb -x "$deb" "$root"

  note "systemd units"
  local service=$root/lib/systemd/system/vnetdiag.service timer=$root/lib/systemd/system/vnetdiag.timer
  if grep -n '@[A-Z_]*@' "$service" "$timer"; then fail "unexpanded @VARIABLES@ in the units"; fi
  grep -qx 'ExecStart=/usr/lib/vnetdiag/vnetdiag-scheduled run' "$service" || fail "ExecStart is not the installed wrapper"
  local setting
  for setting in DynamicUser=yes StateDirectory=vnetdiag NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes \
    PrivateTmp=yes; do
    grep -qx "$setting" "$service" || fail "vnetdiag.service lacks $setting"
  done
  if grep -Eq '^(ReadWritePaths|ReadWriteDirectories)=' "$service"; then
    fail "vnetdiag.service makes more than its state directory writable"
  fi
  grep -qx 'EnvironmentFile=-/etc/default/vnetdiag' "$service" || fail "the service does not read /etc/default/vnetdiag"
  grep -qx 'WantedBy=timers.target' "$timer" || fail "the timer cannot be enabled"

  note "man page"
  local warnings
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$root/usr/share/man/man1/vnetdiag.1.gz" 2>&1 >/dev/null || true)
  [[ -z $warnings ]] || fail "man page warnings: $warnings"
  zcat "$root/usr/share/man/man1/vnetdiag.1.gz" | grep -q '^\.SH EXIT STATUS' || fail "man page lacks EXIT STATUS"
  zcat "$root/usr/share/doc/vnetdiag/changelog.gz" | head -n1 | grep -q "^vnetdiag ($version)" ||
    fail "changelog.gz does not start with version $version"

  note "bash completion"
  bash -c "source '$root/usr/share/bash-completion/completions/vnetdiag' && complete -p vnetdiag" |
    grep -q -- '-F _vnetdiag vnetdiag' || fail "the completion does not register for vnetdiag"

  note "example config, planned (vnetdiag targets sends nothing)"
  local out
  out=$("$root/usr/bin/vnetdiag" targets --config "$root/usr/share/doc/vnetdiag/examples/config.example.json" 2>&1) ||
    fail "the example config is rejected: $out"
  grep -q 'pypi.fabrikam.internal' <<<"$out" || fail "the example config's extra host is not planned: $out"
  rm -rf "$root" "$control"
  note "contents ok"
}

lintian_check() {
  local deb=$1
  command -v lintian >/dev/null ||
    skip "lintian is not installed (Debian package 'lintian'; scripts/install-deps should install it with the test packages)"
  note "$(lintian --version)"
  # Errors fail; warnings and notes are printed for the record.
  lintian --fail-on error --display-level '>=info' --tag-display-limit 0 "$deb" || fail "lintian reports errors"
  note "lintian: no errors"
}

runs() {
  local deb=$1
  in_private_network runs "$deb"
  local root
  root=$(mktemp -d)
  runs_root=$root
  trap 'rm -rf "$runs_root"' EXIT
  dpkg-deb -x "$deb" "$root"
  local vnetdiag=$root/usr/bin/vnetdiag

  note "--version"
  local version
  version=$("$vnetdiag" --version) || fail "--version failed"
  echo "$version"
  head -n1 <<<"$version" | grep -Eq "^vnetdiag $(dpkg-deb -f "$deb" Version) \(commit ([0-9a-f]+|unknown)\)$" ||
    fail "--version does not name the package's version and a commit"
  grep -Eq '^built with c-ares [0-9.]+, OpenSSL [0-9.]+.*, Boost [0-9.]+' <<<"$version" ||
    fail "--version does not name c-ares, OpenSSL and Boost"

  note "a loopback check: probe a listener on 127.0.0.1 and a closed port"
  local web=$root/www
  mkdir -p "$web"
  echo ok >"$web/index.html"
  python3 -m http.server --bind 127.0.0.1 --directory "$web" 8080 >"$root/http.log" 2>&1 &
  wait_for 10 tcp_open 127.0.0.1 8080 || fail "python3 -m http.server did not start"
  : >"$root/hosts"
  : >"$root/resolv.conf"
  local common=(--tcp --hosts-file "$root/hosts" --resolv-conf "$root/resolv.conf" --dns-server 127.0.0.1:9
    --proxy '' --deadline 10000)
  local out rc=0
  out=$("$vnetdiag" probe 127.0.0.1:8080 "${common[@]}" --json 2>"$root/probe.err") || rc=$?
  echo "$out"
  [[ $rc -eq 0 ]] || fail "probe of a listening port exited $rc: $(cat "$root/probe.err")"
  python3 -c 'import json, sys; json.load(sys.stdin)' <<<"$out" || fail "probe --json printed no JSON document"
  grep -q '"connected"' <<<"$out" || fail "the probe's JSON does not show a connected TCP phase"
  rc=0
  out=$("$vnetdiag" probe 127.0.0.1:9 "${common[@]}" 2>&1) || rc=$?
  echo "$out"
  [[ $rc -eq 1 ]] || fail "probe of a closed port exited $rc, expected 1"
  grep -qi 'refused' <<<"$out" || fail "the closed port is not reported as refused"
  note "runs ok"
}

case $mode in
  build) build "$@" ;;
  contents) contents "$@" ;;
  lintian) lintian_check "$@" ;;
  runs) runs "$@" ;;
  all)
    contents "$1" "$2"
    (lintian_check "$1") || [[ $? -eq 77 ]] || exit 1
    runs "$1"
    ;;
  *) fail "unknown mode $mode" ;;
esac
