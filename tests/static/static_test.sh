#!/usr/bin/env bash
# The static release binary and its artefacts, run where a dynamically linked build cannot: a Debian 11
# root (glibc 2.31, OpenSSL 1.1.1, the generation of Ubuntu 20.04) made by scripts/test-roots, and an
# empty root holding only the binary, resolv.conf, hosts and a CA bundle. Each probe goes to a local VNet
# (Knot and nginx on loopback, tests/packaging/lib.sh) in a network namespace of the test's own.
#
#   static_test.sh deps VNETDIAG                   no dynamic section, no interpreter, no library needed
#   static_test.sh empty-root VNETDIAG             --version and a probe (DNS, TCP, TLS, HTTP) in the empty root,
#                                                  with --ca-file and with the bundle where RHEL keeps it
#   static_test.sh bullseye VNETDIAG               the same in the Debian 11 root, and its own trust store
#                                                  (a test CA added with update-ca-certificates) found
#   static_test.sh deb ARTEFACTS_DIR               the .deb: Depends, then dpkg -i, --version, dpkg --purge in
#                                                  the Debian 11 root, leaving nothing behind
#   static_test.sh setup ARTEFACTS_DIR SOURCE_DIR  the compute-instance setup script in the Debian 11 root
#                                                  with the tarball, then the .deb, beside it; damaged ones refused
#   static_test.sh tarball ARTEFACTS_DIR SOURCE_DIR  what the tarball holds, and SHA256SUMS
#   static_test.sh artefacts BUILD_DIR ARTEFACTS_DIR   makes them (packaging/release.sh, as scripts/package
#                                                  does), and links ARTEFACTS_DIR/vnetdiag.deb to the package
#
# The Debian 11 root is read-only here: each test lays a writable overlay over it, gone with the test.
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/../packaging/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
# chroot lives in /usr/sbin, which the clean environments below leave off PATH.
chroot=$(command -v chroot || echo /usr/sbin/chroot)

mode=${1:?mode}
shift

# Sets $lower to the cached root, or skips saying why there is none.
bullseye_root() {
  if ! lower=$(bash "$here/../../scripts/test-roots" --check 2>"$work/test-roots.err"); then
    skip "no Debian 11 root: $(tail -n1 "$work/test-roots.err") (scripts/install-deps makes it, as root, with debootstrap and the Debian archive)"
  fi
}

# A writable view of the cached root at $work/root: an overlay whose changes land in $work/upper.
overlay_root() {
  local lower=$1
  mkdir -p "$work/upper" "$work/overlay-work" "$work/root"
  mount -t overlay overlay -o "lowerdir=$lower,upperdir=$work/upper,workdir=$work/overlay-work" "$work/root" ||
    skip "cannot mount an overlay over $lower here"
  mount -t proc proc "$work/root/proc"
  mount --bind /dev "$work/root/dev"
}

# The lab's files, at the same paths inside the root (configs name them by absolute path).
bind_lab() {
  local root=$1
  mkdir -p "$root$work/lab"
  mount --bind "$work/lab" "$root$work/lab"
}

# Runs COMMAND... in ROOT with a clean environment; sets $rc and $out (stdout and stderr).
run_in() {
  local root=$1
  shift
  rc=0
  out=$(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    ${RUN_ENV:-} "$chroot" "$root" "$@" 2>&1) || rc=$?
  printf '%s\n' "$out"
}

# Checks the `probe --json` document in FILE: app.lab.vnetdiag.test resolved by the lab's server to
# 127.61.0.5 and connected, with the TLS status and HTTP code given ('-': no HTTP expected).
check_probe() {
  local file=$1 tls=$2 http=$3
  python3 - "$file" "$tls" "$http" <<'PY' || { cat "$file"; fail "the probe's JSON (above) is not what was expected"; }
import json, sys
path, want_tls, want_http = sys.argv[1:]
text = open(path).read()
doc = json.loads(text[text.index("{"):])
(t,) = doc["targets"]
answers = [a for a in t["dns"] if a["resolver"].startswith("127.61.53.1")]
assert answers, f"no answer from the lab's DNS server 127.61.53.1: {t['dns']}"
assert any("127.61.0.5" in json.dumps(a) for a in answers), f"127.61.0.5 not in the answers: {answers}"
assert any(c["status"] == "connected" for c in t["tcp"]), f"no TCP connection: {t['tcp']}"
assert t["tls"]["status"] == want_tls, f"TLS is {t['tls']['status']}, expected {want_tls}: {t['tls']}"
if want_http != "-":
    assert str(t["http"]["code"]) == want_http, f"HTTP {t['http'].get('code')}, expected {want_http}"
print(f"-- probe: DNS {answers[0]['status']} from {answers[0]['resolver']}, TLS {t['tls']['status']}, "
      f"HTTP {t.get('http', {}).get('code', '-')}")
PY
}

# Probes the lab's app from inside ROOT as /usr/local/bin/vnetdiag or VNETDIAG_IN_ROOT; extra arguments
# go to vnetdiag. The JSON lands in $work/probe.json; sets $rc.
probe_in() {
  local root=$1 bin=${VNETDIAG_IN_ROOT:-/usr/local/bin/vnetdiag}
  shift
  rc=0
  env -i PATH=/usr/bin:/bin LANG=C.UTF-8 ${RUN_ENV:-} "$chroot" "$root" "$bin" probe app.lab.vnetdiag.test \
    --deadline 10000 --json "$@" >"$work/probe.json" 2>"$work/probe.err" || rc=$?
  cat "$work/probe.err"
}

version_in() {
  local root=$1 bin=${VNETDIAG_IN_ROOT:-/usr/local/bin/vnetdiag}
  rc=0
  out=$(env -i PATH=/usr/bin:/bin ${RUN_ENV:-} "$chroot" "$root" "$bin" --version 2>&1) || rc=$?
  printf '%s\n' "$out"
  [[ $rc -eq 0 ]] || fail "vnetdiag --version exited $rc in $root"
  grep -Eq '^vnetdiag [0-9.]+ \(commit ([0-9a-f]+|unknown)\)$' <<<"$(head -n1 <<<"$out")" || fail "--version: no version line"
  grep -q ', statically linked$' <<<"$out" || fail "--version does not say the binary is statically linked"
}

deps() {
  local bin=$1
  note "$(file -b "$bin")"
  readelf -lW "$bin" | grep -q 'INTERP' && fail "the binary asks for a program interpreter: $(readelf -lW "$bin" | grep -A1 INTERP)"
  if readelf -dW "$bin" | grep -q 'NEEDED'; then
    fail "the binary needs shared libraries: $(readelf -dW "$bin" | grep NEEDED)"
  fi
  local ldd_out
  ldd_out=$(ldd "$bin" 2>&1 || true)
  note "ldd: $ldd_out"
  grep -Eq 'statically linked|not a dynamic executable' <<<"$ldd_out" || fail "ldd lists libraries: $ldd_out"
  readelf -hW "$bin" | grep -q 'DYN (Position-Independent Executable file)\|DYN (Shared object file)' ||
    note "not position-independent: $(readelf -hW "$bin" | grep Type)"
  strip -o "$work/stripped" "$bin"
  note "size: $(stat -c %s "$bin") bytes, $(stat -c %s "$work/stripped") stripped"
  note "deps ok"
}

# The lab (Knot on 127.61.53.1, nginx for app.lab.vnetdiag.test on 127.61.0.5) and the files a root
# needs to use it by default: /etc/resolv.conf naming the lab's server, /etc/hosts.
lab() {
  export VNETDIAG=$1
  local_vnet "$work/lab"
  printf 'nameserver 127.61.53.1\n' >"$work/resolv.conf"
  printf '127.0.0.1 localhost\n::1 localhost\n' >"$work/hosts"
}

empty_root() {
  local bin=$1 root=$work/empty
  lab "$bin"
  mkdir -p "$root/etc"
  install -m 0755 "$bin" "$root/vnetdiag"
  cp "$work/resolv.conf" "$work/hosts" "$root/etc/"
  cp "$work/lab/pki/ca.pem" "$root/ca.pem"
  note "the root holds: $(cd "$root" && find . -mindepth 1 -not -type d | sort | tr '\n' ' ')"
  local VNETDIAG_IN_ROOT=/vnetdiag

  note "--version"
  version_in "$root"
  grep -q '^trust store: none found' <<<"$out" || fail "the empty root has no trust store, --version says otherwise"

  note "a probe with --ca-file: DNS through resolv.conf's server, TCP, TLS and HTTP"
  probe_in "$root" --ca-file /ca.pem
  [[ $rc -eq 0 ]] || fail "the probe exited $rc in the empty root"
  check_probe "$work/probe.json" ok 200

  note "without --ca-file and no trust store, the certificate is not trusted (the probe can fail)"
  probe_in "$root"
  [[ $rc -eq 1 ]] || fail "the probe without a trust store exited $rc, expected 1"
  check_probe "$work/probe.json" untrusted-issuer -

  note "the bundle where RHEL and Azure Linux keep it is found without --ca-file"
  mkdir -p "$root/etc/pki/tls/certs"
  mv "$root/ca.pem" "$root/etc/pki/tls/certs/ca-bundle.crt"
  version_in "$root"
  grep -qx 'trust store: /etc/pki/tls/certs/ca-bundle.crt (1 certificate)' <<<"$out" || fail "--version does not name RHEL's bundle"
  probe_in "$root"
  [[ $rc -eq 0 ]] || fail "the probe with RHEL's bundle exited $rc"
  check_probe "$work/probe.json" ok 200

  note "and SUSE's, and SSL_CERT_FILE over both"
  mkdir -p "$root/etc/ssl" "$root/opt"
  mv "$root/etc/pki/tls/certs/ca-bundle.crt" "$root/etc/ssl/ca-bundle.pem"
  version_in "$root"
  grep -qx 'trust store: /etc/ssl/ca-bundle.pem (1 certificate)' <<<"$out" || fail "--version does not name SUSE's bundle"
  mv "$root/etc/ssl/ca-bundle.pem" "$root/opt/corp-ca.pem"
  RUN_ENV=SSL_CERT_FILE=/opt/corp-ca.pem version_in "$root"
  grep -qx 'trust store: /opt/corp-ca.pem from SSL_CERT_FILE (1 certificate)' <<<"$out" || fail "--version does not name SSL_CERT_FILE's bundle"
  RUN_ENV=SSL_CERT_FILE=/opt/corp-ca.pem probe_in "$root"
  [[ $rc -eq 0 ]] || fail "the probe with SSL_CERT_FILE exited $rc"
  check_probe "$work/probe.json" ok 200
  note "empty root ok"
}

bullseye() {
  local bin=$1 lower
  bullseye_root
  lab "$bin"
  overlay_root "$lower"
  local root=$work/root
  note "the root: $(cat "$root/etc/debian_version"), $(chroot "$root" /lib/x86_64-linux-gnu/libc.so.6 | head -n1), $(chroot "$root" openssl version)"
  install -m 0755 "$bin" "$root/usr/local/bin/vnetdiag"
  cp "$work/resolv.conf" "$work/hosts" "$root/etc/"
  cp "$work/lab/pki/ca.pem" "$root/tmp/lab-ca.pem"

  note "--version"
  version_in "$root"
  grep -Eqx 'trust store: /etc/ssl/certs/ca-certificates.crt \([1-9][0-9]* certificates\)' <<<"$out" ||
    fail "--version does not name Debian's bundle"

  note "a probe with --ca-file"
  probe_in "$root" --ca-file /tmp/lab-ca.pem
  [[ $rc -eq 0 ]] || fail "the probe exited $rc in the Debian 11 root"
  check_probe "$work/probe.json" ok 200

  note "the root's own store does not trust the lab's CA yet"
  probe_in "$root"
  [[ $rc -eq 1 ]] || fail "the probe trusted the lab before its CA was added: exit $rc"
  check_probe "$work/probe.json" untrusted-issuer -

  note "the lab's CA added the Debian way (update-ca-certificates) is trusted without --ca-file"
  cp "$work/lab/pki/ca.pem" "$root/usr/local/share/ca-certificates/vnetdiag-lab.crt"
  "$chroot" "$root" update-ca-certificates >/dev/null || fail "update-ca-certificates failed in the root"
  version_in "$root"
  probe_in "$root"
  [[ $rc -eq 0 ]] || fail "the probe did not trust the CA in the root's store: exit $rc"
  check_probe "$work/probe.json" ok 200
  note "Debian 11 root ok"
}

artefacts() {
  local build=$1 out=$2
  rm -rf "$out"
  bash "$here/../../packaging/release.sh" "$build" "$out" || fail "packaging/release.sh failed"
  local debs=("$out"/vnetdiag_*.deb)
  ln -s "$(basename "${debs[0]}")" "$out/vnetdiag.deb"
  ls -l "$out"
}

deb() {
  local deb=$1/vnetdiag.deb lower
  note "Depends: $(dpkg-deb -f "$deb" Depends)"
  [[ $(dpkg-deb -f "$deb" Depends) == ca-certificates ]] ||
    fail "a static binary's package depends on ca-certificates alone, not: $(dpkg-deb -f "$deb" Depends)"
  local extracted
  extracted=$(mktemp -d "$work/deb.XXXXXX")
  dpkg-deb -x "$deb" "$extracted"
  readelf -dW "$extracted/usr/bin/vnetdiag" | grep -q NEEDED && fail "the packaged binary needs shared libraries"

  bullseye_root
  overlay_root "$lower"
  local root=$work/root
  cp "$deb" "$root/tmp/vnetdiag.deb"
  note "dpkg -i"
  run_in "$root" dpkg -i /tmp/vnetdiag.deb
  [[ $rc -eq 0 ]] || fail "dpkg -i exited $rc in the Debian 11 root"
  run_in "$root" vnetdiag --version
  [[ $rc -eq 0 ]] || fail "the installed vnetdiag --version exited $rc"
  grep -q "^vnetdiag $(dpkg-deb -f "$deb" Version) " <<<"$out" || fail "--version does not name the package's version"
  grep -q '^trust store: /etc/ssl/certs/ca-certificates.crt' <<<"$out" || fail "--version does not name Debian's bundle"
  [[ -f $root/usr/share/man/man1/vnetdiag.1.gz && -f $root/lib/systemd/system/vnetdiag.timer ]] ||
    fail "the man page or the timer is not installed"

  note "dpkg --purge"
  run_in "$root" dpkg --purge vnetdiag
  [[ $rc -eq 0 ]] || fail "dpkg --purge exited $rc"
  run_in "$root" dpkg-query -W -f='${db:Status-Status}' vnetdiag
  [[ $out == not-installed || $rc -ne 0 ]] || fail "vnetdiag is still known to dpkg: $out"
  # What the overlay holds now is all that install and purge changed: dpkg's own records, and nothing else.
  rm -f "$work/upper/tmp/vnetdiag.deb"
  local left
  left=$(cd "$work/upper" && find . -mindepth 1 \( -type f -o -type l -o -type c \) |
    grep -Ev '^\./var/lib/dpkg/|^\./var/log/(dpkg|alternatives)\.log$|^\./var/cache/debconf/|^\./(proc|dev)/' || true)
  [[ -z $left ]] || fail "purge left files behind: $left"
  left=$(cd "$work/upper" && find . -mindepth 1 -type d | while read -r d; do [[ -d $lower/$d ]] || echo "$d"; done)
  [[ -z $left ]] || fail "purge left directories behind: $left"
  note "deb ok"
}

tarball() {
  local dir=$1 source=$2
  (cd "$dir" && sha256sum -c SHA256SUMS) || fail "SHA256SUMS does not match the artefacts"
  local tgz
  tgz=$(find "$dir" -maxdepth 1 -name 'vnetdiag-*-linux-*.tar.gz')
  [[ -n $tgz ]] || fail "no tarball in $dir"
  local listing
  listing=$(tar -tzvf "$tgz")
  echo "$listing"
  local name
  name=$(basename "$tgz" .tar.gz)
  local path
  for path in bin/vnetdiag share/man/man1/vnetdiag.1.gz share/bash-completion/completions/vnetdiag \
    share/vnetdiag/report.schema.json share/doc/vnetdiag/examples/config.example.json \
    lib/vnetdiag/vnetdiag-scheduled lib/systemd/system/vnetdiag.service lib/systemd/system/vnetdiag.timer \
    compute-instance-setup.sh; do
    grep -Eq " $name/$path\$" <<<"$listing" || fail "the tarball lacks $name/$path"
  done
  grep -Eq "^-rwxr-xr-x (root/root|0/0) .* $name/bin/vnetdiag\$" <<<"$listing" || fail "bin/vnetdiag is not root's 0755"
  local x
  x=$(mktemp -d "$work/tgz.XXXXXX")
  tar -xzf "$tgz" -C "$x"
  cmp "$x/$name/compute-instance-setup.sh" "$source/scripts/compute-instance-setup.sh" || fail "the setup script differs"
  grep -qx 'ExecStart=/usr/local/lib/vnetdiag/vnetdiag-scheduled run' "$x/$name/lib/systemd/system/vnetdiag.service" ||
    fail "the tarball's unit does not run the wrapper under /usr/local"
  readelf -dW "$x/$name/bin/vnetdiag" | grep -q NEEDED && fail "the tarball's binary needs shared libraries"
  readelf -SW "$x/$name/bin/vnetdiag" | grep -q '\.debug_info' && fail "the tarball's binary is not stripped"
  note "tarball ok ($(stat -c %s "$tgz") bytes)"
}

# Whether the newest report in ROOT found the lab healthy: its only finding may be the metadata service's
# (the lab has none: VND-ENV-003), and its app was checked and healthy. Prints the findings (the root has no python3 for the setup script to).
lab_healthy() {
  python3 - "$(readlink -f "$1/var/log/vnetdiag/latest.json")" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
others = []
for f in doc.get("findings", []):
    print(f"-- finding: {f['level']} {f['code']} {f['title']} | {f.get('evidence', '')}")
    if f["code"] != "VND-ENV-003":
        others.append(f["code"])
app = [t for t in doc["targets"] if t["host"] == "app.lab.vnetdiag.test"]
print(f"-- app.lab.vnetdiag.test: {'healthy' if app and app[0]['healthy'] else 'NOT healthy or not checked'}, "
      f"TLS {app[0].get('tls', {}).get('status') if app else '-'}, HTTP {app[0].get('http', {}).get('code') if app else '-'}")
sys.exit(1 if others or not (app and app[0]["healthy"]) else 0)
PY
}

# The setup script as Azure ML runs it (as root, from its folder), inside the Debian 11 root with the lab.
setup() {
  local dir=$1 source=$2 lower
  bullseye_root
  local deb tgz
  deb=$(find "$dir" -maxdepth 1 -name 'vnetdiag_*.deb')
  tgz=$(find "$dir" -maxdepth 1 -name 'vnetdiag-*.tar.gz')
  local x
  x=$(mktemp -d "$work/tgz.XXXXXX")
  tar -xzf "$tgz" -C "$x"
  # The lab's config is planned with the tarball's own binary.
  lab "$(find "$x" -path '*/bin/vnetdiag')"
  local config
  config=$(lab_config "$work/lab" setup app)
  overlay_root "$lower"
  local root=$work/root
  bind_lab "$root"
  cp "$work/resolv.conf" "$work/hosts" "$root/etc/"
  local share=/home/azureuser/cloudfiles/code/Users/admin
  mkdir -p "$root$share"
  cp "$source/scripts/compute-instance-setup.sh" "$config" "$root$share/"
  mv "$root$share/$(basename "$config")" "$root$share/vnetdiag-config.json"

  setup_in() {
    rc=0
    out=$(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 ${RUN_ENV:-} \
      "$chroot" "$root" bash -c "cd $share && bash ./compute-instance-setup.sh" 2>&1) || rc=$?
    printf '%s\n' "$out"
  }

  note "a damaged tarball is refused, and nothing is installed"
  cp "$tgz" "$root$share/"
  (cd "$dir" && grep " $(basename "$tgz")\$" SHA256SUMS) >"$root$share/SHA256SUMS"
  printf 'x' | dd of="$root$share/$(basename "$tgz")" bs=1 seek=1000 conv=notrunc status=none
  setup_in
  [[ $rc -eq 3 ]] || fail "the setup with a damaged tarball exited $rc, expected 3"
  grep -q 'checksum mismatch' <<<"$out" || fail "the mismatch is not named"
  [[ ! -e $root/usr/local/bin/vnetdiag ]] || fail "a damaged tarball was installed"

  note "the tarball, checked and unpacked into /usr/local, checks the lab: nothing wrong but the absent metadata service"
  cp "$tgz" "$root$share/"
  setup_in
  [[ $rc -eq 0 ]] || fail "the setup with the tarball exited $rc, expected 0"
  grep -q "checksum of $(basename "$tgz") verified" <<<"$out" || fail "the checksum check is not printed"
  lab_healthy "$root" || fail "the lab is not healthy (findings above)"
  [[ -x $root/usr/local/bin/vnetdiag && -f $root/usr/local/lib/systemd/system/vnetdiag.timer ]] ||
    fail "the tarball was not unpacked into /usr/local"
  [[ -L $root/var/log/vnetdiag/latest.json ]] || fail "no report in the root's /var/log/vnetdiag"
  rm -rf "$root/usr/local/bin/vnetdiag" "$root$share"/vnetdiag-*.tar.gz

  note "the .deb, checked and installed with dpkg (no apt, no network), checks the lab the same"
  cp "$deb" "$root$share/"
  (cd "$dir" && grep " $(basename "$deb")\$" SHA256SUMS) >"$root$share/SHA256SUMS"
  setup_in
  [[ $rc -eq 0 ]] || fail "the setup with the .deb exited $rc, expected 0"
  grep -q "checksum of $(basename "$deb") verified" <<<"$out" || fail "the checksum check is not printed"
  lab_healthy "$root" || fail "the lab is not healthy (findings above)"
  [[ -x $root/usr/bin/vnetdiag ]] || fail "the .deb was not installed"

  note "a damaged .deb is refused"
  "$chroot" "$root" dpkg --purge vnetdiag >/dev/null
  printf 'x' | dd of="$root$share/$(basename "$deb")" bs=1 seek=2000 conv=notrunc status=none
  setup_in
  [[ $rc -eq 3 ]] || fail "the setup with a damaged .deb exited $rc, expected 3"
  grep -q 'checksum mismatch' <<<"$out" || fail "the mismatch is not named"
  [[ ! -e $root/usr/bin/vnetdiag ]] || fail "a damaged .deb was installed"
  note "setup script ok"
}

case $mode in
  deps | tarball | artefacts) ;;
  *) in_private_network "$mode" "$@" ;;
esac
work=$(mktemp -d)
cleanup() {
  # The mounts go with the test's mount namespace; lazily unmount first so rm stays inside $work.
  { grep -o " $work/[^ ]*" /proc/self/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

case $mode in
  deps) deps "$@" ;;
  empty-root) empty_root "$@" ;;
  bullseye) bullseye "$@" ;;
  deb) deb "$@" ;;
  setup) setup "$@" ;;
  tarball) tarball "$@" ;;
  artefacts) artefacts "$@" ;;
  *) fail "unknown mode $mode" ;;
esac
