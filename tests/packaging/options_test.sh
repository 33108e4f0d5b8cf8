#!/usr/bin/env bash
# The man page and the bash completion say what `--help` says: every option of every command is in both,
# and neither lists an option vnetdiag does not have.
#
#   options_test.sh VNETDIAG SOURCE_DIR
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/lib.sh"

vnetdiag=${1:?vnetdiag binary}
source_dir=${2:?source dir}
man_page=$source_dir/packaging/vnetdiag.1
completion=$source_dir/packaging/completion/vnetdiag.bash

# The long options a --help lists (the option column only, not the descriptions).
help_options() {
  "$vnetdiag" "$@" --help | sed -n 's/^  \{1,\}\(-[a-z],\)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' | sort -u
}

# What the completion offers after `vnetdiag WORDS... --`.
completion_options() {
  bash -c '
    source "$1"; shift
    COMP_WORDS=(vnetdiag "$@" --); COMP_CWORD=${#COMP_WORDS[@]}; ((COMP_CWORD--))
    _vnetdiag
    printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@" | sort -u
}

# The options the man page describes: the first line after each .TP.
man_options() {
  awk 'prev == ".TP" { print } { prev = $0 }' "$man_page" | grep -o '\\-\\-[a-z][a-z0-9\\-]*' |
    sed 's/\\-/-/g' | sort -u
}

status=0
all_help=$(mktemp)
trap 'rm -f "$all_help"' EXIT
for command in check targets probe; do
  help=$(help_options "$command")
  echo "$help" >>"$all_help"
  offered=$(completion_options "$command")
  if [[ $help != "$offered" ]]; then
    echo "completion of 'vnetdiag $command --' differs from its --help (< help, > completion):"
    diff <(echo "$help") <(echo "$offered") || true
    status=1
  fi
  man_text=$(sed 's/\\-/-/g' "$man_page")
  for option in $help; do
    grep -q -- "$option\\b" <<<"$man_text" || {
      echo "the man page does not describe $option ($command)"
      status=1
    }
  done
done
help_options >>"$all_help" # top level: --help, --version
for option in $(man_options); do
  grep -qx -- "$option" "$all_help" || {
    echo "the man page describes $option, which no --help lists"
    status=1
  }
done
# Without a command, vnetdiag runs check: the completion offers check's options (and --version).
default=$(completion_options)
for option in $(help_options check); do
  grep -qx -- "$option" <<<"$default" || {
    echo "completion without a command lacks check's $option"
    status=1
  }
done
# The config keys the man page names are those of docs/config.md.
config_md=$source_dir/docs/config.md
if [[ -f $config_md ]]; then
  man_config=$(sed -n '/^\.SH CONFIG FILE/,/^\.SH /p' "$man_page")
  # shellcheck disable=SC2016 # backquotes, not an expansion
  for key in $(sed -n 's/^### //p' "$config_md" | grep -o '`[a-z_]*`' | tr -d '`'); do
    grep -q "^\.BR $key\b" <<<"$man_config" || {
      echo "the man page's CONFIG FILE does not name the key $key of docs/config.md"
      status=1
    }
  done
fi
((status == 0)) || fail "the man page or the completion disagree with --help or docs/config.md"
note "man page and completion agree with --help for check, targets and probe"
