#!/usr/bin/env bash
# Runs Tracefleet on this machine: the server (UI, API, ingest) with a SQLite file under data/,
# a demo fleet of replay agents (Linux and Solaris captures under several host names) and, when
# this machine can trace (root, bpftrace, tracefs), a real agent probing the local kernel.
# Ctrl-C stops everything.
#
#   TRACEFLEET_WEB_URL     web UI and API          (default http://127.0.0.1:5080)
#   TRACEFLEET_INGEST_URL  gRPC ingest for agents  (default http://127.0.0.1:5081)
#   TRACEFLEET_DATA        data folder             (default data)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh

web_url=${TRACEFLEET_WEB_URL:-http://127.0.0.1:5080}
ingest_url=${TRACEFLEET_INGEST_URL:-http://127.0.0.1:5081}
data=${TRACEFLEET_DATA:-data}
captures=tests/fixtures/captures

require_dotnet
can_trace=1
ensure_tracing || can_trace=0

log "building (Release)"
dotnet build Platform.sln -c Release --verbosity quiet -nologo
server=src/Server/bin/Release/net10.0/tracefleet-server
agent=src/Agent/bin/Release/net10.0/tracefleet-agent

pids=()
stop() {
  trap - INT TERM EXIT
  log "stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# Host names are lowercase on the server (DNS compares them so): the token is made and looked up under that name.
local_host=$(hostname | tr '[:upper:]' '[:lower:]')
demo_hosts=(web-01 web-02 build-01 zfs-01 zfs-02 db-01)
((can_trace)) && demo_hosts+=("$local_host")

# One token per agent, made by the server's own command; the server is given only their digests.
declare -A tokens
token_settings=()
for host in "${demo_hosts[@]}"; do
  created=$("$server" token create "$host")
  tokens[$host]=$(sed -n "s/^token for $host: //p" <<<"$created")
  token_settings+=("--Auth:AgentTokens:$host=$(sed -n "s/^  Auth__AgentTokens__$host=//p" <<<"$created")")
done

# The database names every demo host's files: the data folder is this user's alone.
mkdir -p "$data/logs" "$data/agents"
chmod 700 "$data"
log "starting the server (database $data/tracefleet.db, logs in $data/logs)"
"$server" --urls "$web_url" --Ingest:Url="$ingest_url" --Storage:Path="$data/tracefleet.db" --Alerts:RulesFile=scripts/alerts/demo-rules.yaml "${token_settings[@]}" >"$data/logs/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "$web_url/healthz" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$data/logs/server.log" >&2; exit 1; }
  sleep 0.2
done

# demo_agent HOST OS SPEED CAPTURE...: a replay agent looping over captures, like a live host.
demo_agent() {
  local host=$1 os=$2 speed=$3
  shift 3
  local replays=()
  for capture in "$@"; do replays+=(--replay "$captures/$capture"); done
  TRACEFLEET_TOKEN=${tokens[$host]} "$agent" --server "$ingest_url" --host "$host" --os "$os" --speed "$speed" --loop "${replays[@]}" \
    >"$data/logs/agent-$host.log" 2>&1 &
  pids+=($!)
}

log "starting the demo fleet"
demo_agent web-01 linux 1 linux-stap-pfstat.txt linux-stap-kmemstat.txt
demo_agent web-02 linux 0.8 linux-stap-pfstat.txt linux-stap-kmemstat.txt
demo_agent build-01 linux 1.5 linux-stap-pfstat.txt
demo_agent zfs-01 solaris 1 solaris-dtrace-pfstat.txt solaris-dtrace-kmemstat.txt
demo_agent zfs-02 solaris 0.7 solaris-dtrace-pfstat.txt solaris-dtrace-kmemstat.txt
# Two of an operator's own probes (the shipped examples), learnt by the server from the agent's descriptors.
examples=$(dirname "$agent")/probes/examples
TRACEFLEET_TOKEN=${tokens[db-01]} "$agent" --server "$ingest_url" --host db-01 --os linux --loop --probes-dir "$examples" \
  --replay "$examples/syscalls_example.txt" --replay "$examples/blockio_example.txt" >"$data/logs/agent-db-01.log" 2>&1 &
pids+=($!)

if ((can_trace)); then
  log "starting a real agent on this kernel as host $local_host (bpftrace)"
  TRACEFLEET_TOKEN=${tokens[$local_host]} "$agent" --server "$ingest_url" --host "$local_host" --backend auto --state-dir "$data/agents/$local_host" \
    --probes pagefaults,kmem,syscalls,blockio --probes-dir "$examples" \
    >"$data/logs/agent-$local_host.log" 2>&1 &
  pids+=($!)
else
  warn "this machine cannot trace; only the demo fleet reports"
fi

cat <<INFO

  Tracefleet is running.
    UI and API   $web_url            (hosts: $web_url/api/hosts)
    top keys     $web_url/api/hosts/web-01/top?probe=pagefaults
    agents send  $ingest_url
  Ctrl-C stops everything.

INFO
wait "${pids[0]}"
