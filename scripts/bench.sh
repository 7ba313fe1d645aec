#!/usr/bin/env bash
# Load generator: a real server (own process, temporary database), N simulated agents over real gRPC
# (one process, one stream per host), a SignalR listener for live latency, and optionally D days of
# synthesized history for the query figure. The report goes to stderr; the LAST LINE of stdout is one
# JSON object with every figure (null where it could not be measured).
#
#   scripts/bench.sh [--hosts N] [--seconds S] [--keys K] [--history-days D] [--warm-up W] [--rules R] [--seed N] [--postgres] [--no-build]
#   (W seconds of load before the measured window, default 10: connection storm and JIT warm-up;
#   R alert rules, default 0, written by scripts/lib/bench_rules.py to a rules file the server loads;
#   N seeds every key's per-second values, drawn at random from that key's values in the captures, default 42)
#
# --postgres: the server stores in PostgreSQL instead of a SQLite file: a throwaway cluster of Debian's postgresql
# (installed when missing) in the run's temporary folder, on a free loopback port, with PostgreSQL's defaults (durable
# commits) but for max_connections, stopped and removed at the end (scripts/lib/postgres.sh). The history is synthesized
# into it and the load tool measures and packs it there; bytesPerSample counts its tables, TOAST and indexes (docs/PERFORMANCE.md).
#
# promBytesPerSample: the same samples (every one the generator sent, warm-up included), written as OpenMetrics
# counters after the measured window by replaying the seed, turned into Prometheus TSDB blocks by
# `promtool tsdb create-blocks-from openmetrics`; the blocks' size ÷ the samples written.
#   scripts/bench.sh --micro [BenchmarkDotNet arguments]     # the micro-benchmarks (tests/Benchmarks/Micro)
#
# agentCpuPercent/agentRssMb come from a real agent tracing this kernel with bpftrace for at least 60 s,
# alongside the load: only when --seconds is 60 or more and the machine can trace (root, bpftrace, tracefs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
source scripts/lib/postgres.sh

hosts=20 seconds=10 keys=200 days=0 warmup=10 rules=0 build=1 seed=42 postgres=0
if [[ ${1:-} == --micro ]]; then
  shift
  require_dotnet
  (($#)) || set -- --filter '*'
  exec dotnet run -c Release --project tests/Benchmarks/Micro -- "$@"
fi
while (($#)); do
  case $1 in
    --hosts) hosts=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    --history-days) days=$2; shift 2 ;;
    --warm-up) warmup=$2; shift 2 ;;
    --rules) rules=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --postgres) postgres=1; shift ;;
    --no-build) build=0; shift ;;
    *) echo "error: unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
[[ $rules =~ ^[0-9]+$ ]] || { echo "error: --rules takes a count of rules, not '$rules'" >&2; exit 2; }

require_dotnet
command -v promtool >/dev/null || apt_install_no_services prometheus || warn "no promtool: promBytesPerSample will be null"
# The tracing agent measured beside the load is the one hosts run: the NativeAOT file (README, "The agent as one
# file"), published when the run is long enough to measure it; the JIT build stands in when there is none.
aot_agent=src/Agent/bin/Release/aot/tracefleet-agent
if ((build)); then
  log "building (Release)"
  dotnet build tests/Benchmarks/Load -c Release --verbosity quiet -nologo >&2
  dotnet build src/Agent -c Release --verbosity quiet -nologo >&2
  if ((seconds >= 60)); then
    log "publishing the NativeAOT agent"
    dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o "$(dirname "$aot_agent")" --verbosity quiet -nologo >&2 \
      || warn "cannot publish the NativeAOT agent: measuring the JIT build"
  fi
fi

load=tests/Benchmarks/Load/bin/Release/net10.0/tracefleet-load
server=src/Server/bin/Release/net10.0/tracefleet-server
agent=src/Agent/bin/Release/net10.0/tracefleet-agent
[[ -x $aot_agent ]] && agent=$aot_agent
work=$(mktemp -d /tmp/tracefleet-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((postgres)); then pg_stop "$work/pg"; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
web="http://127.0.0.1:$(free_port)"
ingest="http://127.0.0.1:$(free_port)"
db="$work/bench.db"
# Where the server stores, as the server and the load tool are told it.
store="$db" store_args=(--db "$db") server_store=(--Storage:Path="$db")
if ((postgres)); then
  # The postgres user must get through to the cluster's folder; mktemp made this one owner-only.
  chmod a+x "$work"
  pg_port=$(free_port)
  log "starting PostgreSQL on 127.0.0.1:$pg_port ($work/pg)"
  # Room for the server's whole connection pool (Npgsql's default, 100, which a burst of agents' hellos fills) beside the
  # load tool's own connection; PostgreSQL's default max_connections is 100.
  pg_start "$work/pg" "$pg_port" "$work/postgres.log" -c max_connections=120 || { echo "error: PostgreSQL did not start" >&2; exit 1; }
  pg_createdb "$pg_port" tracefleet
  store="Host=127.0.0.1;Port=$pg_port;Username=$pg_role;Database=tracefleet"
  store_args=(--postgres "$store")
  server_store=(--Storage:Provider=Postgres --Storage:ConnectionString="$store")
fi

if ((days > 0)); then
  log "synthesizing $days days of history for $hosts hosts"
  "$load" synthesize "${store_args[@]}" --hosts "$hosts" --days "$days" --keys "$keys" >&2
fi

# The rule set's own log line ("Alert rules: N (N from the rules file)") is information: let it through.
rule_args=()
if ((rules > 0)); then
  python3 scripts/lib/bench_rules.py "$rules" >"$work/rules.yaml"
  rule_args=(--Alerts:RulesFile="$work/rules.yaml" --Logging:LogLevel:Tracefleet.Server.Alerts.AlertRuleSet=Information)
fi

log "starting the server ($web, ingest $ingest, $store, $rules alert rules)"
"$server" --urls "$web" --Ingest:Url="$ingest" "${server_store[@]}" --Auth:AllowAnonymousAgents=true \
  --Logging:LogLevel:Default=Warning "${rule_args[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
for _ in $(seq 1 120); do
  curl -fs "$web/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "error: the server exited" >&2; exit 1; }
  sleep 0.5
done

agent_args=()
if ((seconds >= 60)) && ensure_tracing 2>/dev/null; then
  log "starting a real agent ($agent, bpftrace) beside the load"
  "$agent" --server "$ingest" --host bench-tracer --backend bpftrace >"$work/agent.log" 2>&1 &
  pids+=("$!")
  agent_args=(--agent-pid "$!" --agent-seconds "$seconds")
else
  log "no agent figures: they need --seconds 60 or more and a machine that can trace"
fi

log "load: $hosts agents × 2 probes × $keys keys, 1 snapshot/s each, for $seconds s (+$warmup s warm-up); load $(cut -d' ' -f1-3 /proc/loadavg)"
"$load" run --ingest "$ingest" --web "$web" "${store_args[@]}" --hosts "$hosts" --seconds "$seconds" --keys "$keys" --warm-up "$warmup" \
  --captures tests/fixtures/captures --seed "$seed" --openmetrics "$work/samples.om" \
  --server-pid "$server_pid" "${agent_args[@]}" >"$work/result.json"

# After the load, so promtool does not compete with the server either.
prom_bytes=null
if command -v promtool >/dev/null; then
  if promtool tsdb create-blocks-from openmetrics "$work/samples.om" "$work/prom" >"$work/promtool.log" 2>&1; then
    prom_bytes=$(du -sb "$work/prom" | cut -f1)
  else
    warn "promtool could not build blocks: $(tail -n 3 "$work/promtool.log")"
  fi
fi
rm -f "$work/samples.om"

# What the rules did over the whole run (warm-up included): transitions stored and alerts firing now, the server's
# own host-silent alerts left out. History answers at most 5000 transitions: a count of 5000 means at least that.
if ((rules > 0)); then
  grep -E 'Alert rules:|Rules file' "$work/server.log" | sed 's/^/  server: /' >&2 || warn "the server logged no alert rules"
fi
curl -fs "$web/api/alerts/history?limit=5000" >"$work/history.json" || echo null >"$work/history.json"
curl -fs "$web/api/alerts" >"$work/alerts.json" || echo null >"$work/alerts.json"
python3 - "$work/result.json" "$rules" "$work/history.json" "$work/alerts.json" "$prom_bytes" <<'PY'
import json, sys
path, rules, history, alerts = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
prom_bytes = json.loads(sys.argv[5])
lines = open(path).read().strip().splitlines()
r = json.loads(lines[-1])
written = r.get("openMetricsSamples")
r["promBytesPerSample"] = round(prom_bytes / written, 2) if prom_bytes is not None and written else None
ours = lambda items: None if items is None else [a for a in items if a["rule"] != "HostSilent"]
r["rules"] = rules
r["alertTransitions"] = None if history is None else len(ours(history))
r["alertsFiring"] = None if alerts is None else sum(1 for a in ours(alerts) if a["state"] == "firing")
if rules > 0 and history is not None and alerts is not None:
    # Per kind of rule (its name without the number): which fire, and whether they resolve again.
    kinds = {}
    for e in ours(history):
        kinds.setdefault(e["rule"].rsplit("-", 1)[0], {}).setdefault(e["to"], 0)
        kinds[e["rule"].rsplit("-", 1)[0]][e["to"]] += 1
    for kind, counts in sorted(kinds.items()):
        print(f"  alerts {kind:<20} " + ", ".join(f"{n} {to}" for to, n in sorted(counts.items())), file=sys.stderr)
open(path, "w").write("\n".join(lines[:-1] + [json.dumps(r, separators=(",", ":"))]) + "\n")
PY

python3 - "$work/result.json" >&2 <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
for k, v in r.items():
    print(f"  {k:<20} {v}")
PY
tail -n 1 "$work/result.json"
