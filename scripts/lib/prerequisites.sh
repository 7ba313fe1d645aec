# Shared by run.sh and test.sh: installs what Tracefleet needs on a Debian machine with the .NET SDK.
# Installs only when running as root with apt-get; otherwise says what is missing and carries on.

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# apt_install PACKAGE... : installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  if ! is_root || ! command -v apt-get >/dev/null; then
    warn "not root or no apt-get: cannot install ${missing[*]}"
    return 1
  fi
  log "installing ${missing[*]}"
  if [[ -z ${TRACEFLEET_APT_UPDATED:-} ]]; then
    apt-get update -qq >/dev/null
    export TRACEFLEET_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

require_dotnet() {
  if ! command -v dotnet >/dev/null; then
    echo "error: the .NET 10 SDK is required (dotnet not on PATH)" >&2
    exit 1
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# ensure_tracing: bpftrace installed and tracefs mounted; returns non-zero when this machine cannot trace.
ensure_tracing() {
  is_root || { warn "not root: the kernel probes cannot run"; return 1; }
  command -v bpftrace >/dev/null || apt_install bpftrace || return 1
  if [[ ! -d /sys/kernel/tracing/events ]]; then
    mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || { warn "cannot mount tracefs"; return 1; }
  fi
  [[ -d /sys/kernel/tracing/events ]]
}

# apt_install_no_services PACKAGE...: as apt_install, but Debian's maintainer scripts do not start the services
# the packages ship (prometheus, sshd): the tests start their own, on loopback, with their own configuration.
apt_install_no_services() {
  local policy=/usr/sbin/policy-rc.d created='' status=0
  if is_root && [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# Written by Tracefleet test.sh while it installs packages: start no service.\nexit 101\n' >"$policy"
    chmod +x "$policy"
    created=1
  fi
  apt_install "$@" || status=$?
  [[ -n $created ]] && rm -f "$policy"
  return "$status"
}
