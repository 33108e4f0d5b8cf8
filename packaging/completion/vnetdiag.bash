# bash completion for vnetdiag(1). Installed as /usr/share/bash-completion/completions/vnetdiag.
# The option lists follow `vnetdiag COMMAND --help`; tests/packaging checks that they agree.

_vnetdiag() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion || return
  else
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi

  local commands="check targets probe"
  local common="--help --dns-server --resolv-conf --hosts-file --ca-file --proxy --no-proxy --vnet-cidr
    --concurrency --dns-budget --connect-budget --proxy-budget --tls-budget --http-budget --deadline --verbose"
  local inputs="--workspace-json --config --workspace-id --region --storage-account --key-vault --acr
    --app-insights --notebook-host --compute-instance --cloud"
  local check_only="--json --prometheus --junit --markdown --format --color --fail-on --quiet --redact --arm-token-file"
  local probe_only="--json --tcp --no-http --method --path --header"

  # The command: the first word that is one; none means check (vnetdiag's default).
  local command="" i
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
      check | targets | probe)
        command=${words[i]}
        break
        ;;
    esac
  done

  # Values of options.
  case $prev in
    --workspace-json | --config | --resolv-conf | --hosts-file | --ca-file | --prometheus | --junit | --markdown | --arm-token-file)
      _vnetdiag_files
      return
      ;;
    --json)
      # check --json FILE writes the report; probe --json is a switch.
      if [[ $command != probe && $command != targets ]]; then
        _vnetdiag_files
        return
      fi
      ;;
    --format)
      mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur")
      return
      ;;
    --cloud)
      mapfile -t COMPREPLY < <(compgen -W "public china usgov" -- "$cur")
      return
      ;;
    --color)
      mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur")
      return
      ;;
    --fail-on)
      mapfile -t COMPREPLY < <(compgen -W "errors warnings" -- "$cur")
      return
      ;;
    --method)
      mapfile -t COMPREPLY < <(compgen -W "GET HEAD POST PUT OPTIONS" -- "$cur")
      return
      ;;
    --dns-server | --proxy | --no-proxy | --vnet-cidr | --concurrency | --*-budget | --deadline | --workspace-id | \
      --region | --storage-account | --key-vault | --acr | --app-insights | --notebook-host | --compute-instance | \
      --path | --header)
      return
      ;;
  esac

  local options
  case $command in
    check) options="$common $inputs $check_only" ;;
    targets) options="--help --json $inputs" ;;
    probe) options="$common $probe_only" ;;
    *) options="$common $inputs $check_only --version" ;;
  esac
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
  elif [[ -z $command ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
  fi
}

_vnetdiag_files() {
  if declare -F _filedir >/dev/null; then
    _filedir
  else
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
}

complete -F _vnetdiag vnetdiag
