#!/usr/bin/env bash
# The release artefacts of a built tree (scripts/package builds the static one and calls this):
#
#   packaging/release.sh BUILD_DIR OUT_DIR
#
#   OUT_DIR/vnetdiag_<version>_<arch>.deb             the Debian package (CPack: packaging/cpack.cmake)
#   OUT_DIR/vnetdiag-<version>-linux-<machine>.tar.gz  the same files for /usr/local, for any Linux:
#       vnetdiag-<version>-linux-<machine>/
#         bin/vnetdiag  share/man/man1/vnetdiag.1.gz  share/bash-completion/completions/vnetdiag
#         share/vnetdiag/report.schema.json  share/doc/vnetdiag/examples/config.example.json
#         lib/vnetdiag/vnetdiag-scheduled  lib/systemd/system/vnetdiag.{service,timer}
#         compute-instance-setup.sh
#   OUT_DIR/SHA256SUMS                                 sha256sum's format, for both
#
# Prints the three paths on standard output; everything else goes to standard error. Two runs on one
# commit make the same tarball (sorted, owned by root, dated by the commit, gzip -n).
set -euo pipefail
build=$(realpath "${1:?build dir}")
out=${2:?output dir}
source_dir=$(cd "$(dirname "$0")/.." && pwd)

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[[ -n $version ]] || { echo "packaging/release.sh: $build is not a configured build tree" >&2; exit 1; }
[[ -x $build/agent/vnetdiag ]] || { echo "packaging/release.sh: $build/agent/vnetdiag is not built" >&2; exit 1; }
mkdir -p "$out"
out=$(realpath "$out")
rm -f "$out"/vnetdiag_*.deb "$out"/vnetdiag-*.tar.gz "$out/SHA256SUMS"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cpack --config "$build/CPackConfig.cmake" -B "$work/cpack" >&2
debs=("$work"/cpack/vnetdiag_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || { echo "packaging/release.sh: cpack made no single .deb" >&2; exit 1; }
cp "${debs[0]}" "$out/"
deb=$out/$(basename "${debs[0]}")

name=vnetdiag-$version-linux-$(uname -m)
DESTDIR=$work/stage cmake --install "$build" --prefix /usr/local --strip >&2
mv "$work/stage/usr/local" "$work/$name"
install -m 0755 "$source_dir/scripts/compute-instance-setup.sh" "$work/$name/"
epoch=$(git -C "$source_dir" log -1 --format=%ct 2>/dev/null || echo 0)
tarball=$out/$name.tar.gz
tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mode=u+w,go-w --mtime="@$epoch" -cf - "$name" |
  gzip -9n >"$tarball"

(cd "$out" && sha256sum "$(basename "$deb")" "$(basename "$tarball")" >SHA256SUMS)
printf '%s\n' "$deb" "$tarball" "$out/SHA256SUMS"
