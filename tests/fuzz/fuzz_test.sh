#!/usr/bin/env bash
# The fuzz targets' ctest entries (tests/fuzz/CMakeLists.txt).
#   fuzz_test.sh run BINARY NAME SECONDS ARTIFACTS   fuzz from corpus/NAME for SECONDS; new inputs go to a
#                                                    temporary directory, a crash input to ARTIFACTS/NAME/
#   fuzz_test.sh replay BINARY NAME                  run regressions/NAME/* and corpus/NAME/* once each
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mode=$1 binary=$2 name=$3
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
dict=()
[[ -f $here/dict/$name.dict ]] && dict=(-dict="$here/dict/$name.dict")

case $mode in
  run)
    seconds=$4 artifacts=$5/$name
    mkdir -p "$artifacts"
    work=$(mktemp -d "${TMPDIR:-/tmp}/vnetdiag-fuzz-$name.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    exec_args=(-max_total_time="$seconds" -detect_leaks=1 -timeout=10 -rss_limit_mb=2048
               -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}")
    "$binary" "${exec_args[@]}" "$work" "$here/corpus/$name"
    ;;
  replay)
    mapfile -t inputs < <(find "$here/regressions/$name" "$here/corpus/$name" -type f 2>/dev/null | sort)
    if ((${#inputs[@]} == 0)); then
      echo "no inputs for $name" >&2
      exit 1
    fi
    "$binary" -detect_leaks=1 -timeout=10 "${inputs[@]}"
    ;;
  *)
    echo "usage: $0 run|replay BINARY NAME [SECONDS ARTIFACTS]" >&2
    exit 2
    ;;
esac
