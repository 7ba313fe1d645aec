#!/usr/bin/env bash
# What running bpftrace probe scripts costs, measured under a fixed synthetic load. Run as root.
#
#   scripts/probe-cost.sh [--seconds S] [--warm-up W] [--rate R] MODE SCRIPT.bt [SCRIPT.bt ...]
#
# MODE says how the scripts run:
#   bare    each script in its own `bpftrace SCRIPT > FILE`, as an operator would run it in a terminal
#   merged  one bpftrace running the program scripts/bpftrace-merge.cs makes of them (BpftraceProgramMerge)
#   agent   the real agent (src/Agent/bin/Release/net10.0/tracefleet-agent, `dotnet build -c Release` first) running its
#           two built-in probes (the SCRIPT arguments are only named in the output), sending to a real server
#           (src/Server/bin/Release/net10.0/tracefleet-server) started on loopback with a fresh data directory and
#           anonymous agents allowed. Measured: the agent and its tracer children (the process tree, sampled every
#           time), not the server, which in a fleet runs on another machine. --merge-bpftrace on|off (default on),
#           after the mode, is passed to the agent. output_bytes_per_s is 0: the tracers' stdout goes to the agent.
#           TRACEFLEET_AGENT=PATH measures another build of the agent, such as the NativeAOT one it ships as
#           (`dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o DIR`, then PATH=DIR/tracefleet-agent).
# A mode is one function, start_MODE, that starts the processes and appends to `pids` (the processes whose CPU and
# memory count) and `outputs` (the files their stdout goes to); everything else is shared.
#
# The load, started before the tracers and stopped after them: one python3 process doing R iterations a second
# (default 500, paced in batches of 100), each: open+read+close a small file, mmap 64 KiB of a 4 MiB file at a moving
# offset and touch every page (file page faults), munmap, stat() and getppid(). The same R every run, so the tracers see
# the same event rate; what the load achieved is reported (load_iterations_per_s).
#
# After W seconds of warm-up (default 3: attach, first tables), S seconds (default 30) are measured. Output: one JSON
# line on stdout,
#   {"mode","scripts","seconds","processes","bpf_progs","cpu_percent","rss_mb","kernel_cpu_percent","bpf_runs_per_s",
#    "output_bytes_per_s","load_iterations_per_s"}
#   cpu_percent          user+system time of the tracer processes (/proc/PID/stat), % of one core
#   rss_mb               VmRSS of the tracer processes summed, the peak of one-second samples, MiB
#   kernel_cpu_percent   run_time_ns of the BPF programs they hold (/proc/PID/fdinfo prog_id), % of one core; this time
#                        is spent in whichever task fires the probe, not in the tracer. kernel.bpf_stats_enabled is set
#                        to 1 for the run and restored after.
#   bpf_runs_per_s       run_cnt of the same programs
#   output_bytes_per_s   bytes the tracers wrote to stdout
#   agent_cpu_percent, agent_rss_mb   (agent mode only) the agent process alone, without its tracers
# Progress and the tracers' stderr go to stderr. The machine's other work fires the same probes, so compare runs made
# back to back and repeat them.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30 warmup=3 rate=500
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --warm-up) warmup=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) break ;;
  esac
done
(($# >= 2)) || { echo "usage: $0 [--seconds S] [--warm-up W] [--rate R] bare|merged|agent [--merge-bpftrace on|off] SCRIPT.bt..." >&2; exit 2; }
mode=$1; shift
merge_bpftrace=on
if [[ $mode == agent && ${1:-} == --merge-bpftrace ]]; then merge_bpftrace=$2; shift 2; fi
scripts=("$@")
[[ $(id -u) == 0 ]] || { echo "probe-cost.sh: run as root (bpftrace, /proc/PID/fdinfo, kernel.bpf_stats_enabled)" >&2; exit 2; }
for s in "${scripts[@]}"; do [[ -r $s ]] || { echo "probe-cost.sh: cannot read $s" >&2; exit 2; }; done
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing

work=$(mktemp -d /tmp/probe-cost.XXXXXX)
pids=() outputs=() load_pid=""
stats_before=$(sysctl -n kernel.bpf_stats_enabled)

server_pid=""
cleanup() {
  # SIGTERM: background processes of a script ignore SIGINT; bpftrace runs END on either.
  for pid in "${pids[@]}" $load_pid $server_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}" $load_pid $server_pid; do wait "$pid" 2>/dev/null || true; done
  sysctl -qw kernel.bpf_stats_enabled="$stats_before" || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- modes: each starts its tracers and fills pids/outputs ---

start_bare() {
  local i=0 s
  for s in "${scripts[@]}"; do
    bpftrace "$s" >"$work/out.$i" 2>"$work/err.$i" &
    pids+=($!) outputs+=("$work/out.$i")
    i=$((i + 1))
  done
}

start_merged() {
  dotnet run scripts/bpftrace-merge.cs -- "${scripts[@]}" >"$work/merged.bt"
  bpftrace "$work/merged.bt" >"$work/out.0" 2>"$work/err.0" &
  pids+=($!) outputs+=("$work/out.0")
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_agent() {
  local agent=${TRACEFLEET_AGENT:-src/Agent/bin/Release/net10.0/tracefleet-agent} server=src/Server/bin/Release/net10.0/tracefleet-server
  [[ -x $agent && -x $server ]] || { echo "probe-cost.sh: build first: dotnet build Platform.sln -c Release" >&2; exit 2; }
  local web ingest
  web=$(free_port) ingest=$(free_port)
  "$server" --urls "http://127.0.0.1:$web" --Ingest:Url="http://127.0.0.1:$ingest" --Storage:Path="$work/server.db" \
    --Logging:LogLevel:Default=Warning --Auth:AllowAnonymousAgents=true >"$work/server.log" 2>&1 &
  server_pid=$!
  for ((i = 0; i < 60; i++)); do curl -fs "http://127.0.0.1:$web/healthz" >/dev/null && break; sleep 1; done
  curl -fs "http://127.0.0.1:$web/healthz" >/dev/null || { echo "probe-cost.sh: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
  "$agent" --server "http://127.0.0.1:$ingest" --host probe-cost --backend bpftrace --merge-bpftrace "$merge_bpftrace" \
    >"$work/agent.log" 2>&1 &
  pids+=($!) tree=1
  # bpftrace compiles for seconds before it loads its programs; the warm-up starts once they are all loaded.
  local last=-1 progs
  for ((i = 0; i < 90; i++)); do
    sleep 1
    read -r progs _ < <(bpf_stats)
    ((progs > 0 && progs == last)) && return
    last=$progs
  done
  echo "probe-cost.sh: the agent's tracers loaded no BPF programs within 90 s:" >&2; cat "$work/agent.log" >&2; exit 1
}

# --- the load ---

start_load() {
  head -c $((4 << 20)) /dev/urandom >"$work/mapped"
  echo hello >"$work/small"
  /usr/bin/python3 - "$work" "$rate" "$work/load-count" <<'PY' &
import mmap, os, sys, time
work, rate, count_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
small, big = os.path.join(work, "small"), os.path.join(work, "mapped")
fd = os.open(big, os.O_RDONLY)
size, chunk, page = os.fstat(fd).st_size, 64 << 10, mmap.PAGESIZE
done, base, offset, start = 0, 0, 0, time.monotonic()
try:
    while True:
        for _ in range(100):
            with open(small, "rb") as f:
                f.read()
            m = mmap.mmap(fd, chunk, prot=mmap.PROT_READ, offset=offset)
            for p in range(0, chunk, page):
                m[p]
            m.close()
            offset = (offset + chunk) % size
            os.stat(small)
            os.getppid()
            done += 1
        # Paced: the same work a second whatever the tracers cost. Time lost (the merge compiling, a busy machine) is
        # not made up with a burst later: the schedule restarts from now.
        ahead = (done - base) / rate - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)
        elif ahead < -0.2:
            base, start = done, time.monotonic()
        # Replaced whole, so a reader never sees a half-written count.
        with open(count_file + ".new", "w") as f:
            f.write(str(done))
        os.replace(count_file + ".new", count_file)
finally:
    os.close(fd)
PY
  load_pid=$!
}

load_count() { cat "$work/load-count" 2>/dev/null || echo 0; }

# --- sampling ---

tree=0
measured() { # the pids to measure: the tracers, or (agent mode) the agent and all its descendants now
  local pending=("${pids[@]}") pid
  while ((${#pending[@]})); do
    pid=${pending[0]} pending=("${pending[@]:1}")
    [[ -d /proc/$pid ]] || continue
    echo "$pid"
    ((tree)) && pending+=($(cat /proc/"$pid"/task/*/children 2>/dev/null))
  done
}

cpu_ticks() { # utime+stime of the tracers, in clock ticks
  local total=0 pid rest
  for pid in $(measured); do
    rest=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    rest=${rest##*) }
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

rss_kb() {
  local total=0 pid kb
  for pid in $(measured); do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

bpf_stats() { # "progs run_time_ns run_cnt" over the distinct programs the tracers hold
  local pid
  for pid in $(measured); do cat "/proc/$pid/fdinfo/"* 2>/dev/null; done | awk '
    /^prog_id:/ { id = $2 } /^run_time_ns:/ { t[id] = $2 } /^run_cnt:/ { c[id] = $2 }
    END { n = 0; for (i in t) { n++; tt += t[i]; cc += c[i] } printf "%d %d %d\n", n, tt, cc }'
}

out_bytes() { local total=0 f; for f in "${outputs[@]}"; do total=$((total + $(stat -c %s "$f"))); done; echo "$total"; }

# --- the run ---

declare -F "start_$mode" >/dev/null || { echo "probe-cost.sh: unknown mode $mode (bare, merged, agent)" >&2; exit 2; }
sysctl -qw kernel.bpf_stats_enabled=1
start_load
"start_$mode"
sleep "$warmup"
for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "probe-cost.sh: a tracer exited during warm-up:" >&2; cat "$work"/err.* >&2; exit 1; }
done

hz=$(getconf CLK_TCK)
root_ticks() { local rest; rest=$(cat "/proc/${pids[0]}/stat") rest=${rest##*) }; read -r -a f <<<"$rest"; echo $((f[11] + f[12])); }
root_rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/${pids[0]}/status"; }
t0=$(date +%s%N) ticks0=$(cpu_ticks) bytes0=$(out_bytes) load0=$(load_count) root0=$(root_ticks)
read -r progs run0 cnt0 < <(bpf_stats)
peak=$(rss_kb) root_peak=$(root_rss_kb)
for ((i = 0; i < seconds; i++)); do
  sleep 1
  kb=$(rss_kb); ((kb > peak)) && peak=$kb
  kb=$(root_rss_kb); ((kb > root_peak)) && root_peak=$kb
done
t1=$(date +%s%N) ticks1=$(cpu_ticks) bytes1=$(out_bytes) load1=$(load_count) root1=$(root_ticks)
read -r progs run1 cnt1 < <(bpf_stats)

if [[ $mode != agent ]]; then grep -hv RLIMIT_MEMLOCK "$work"/err.* >&2 || true; fi
names=$(printf '"%s",' "${scripts[@]##*/}")
label=$mode; [[ $mode == agent ]] && label="agent --merge-bpftrace $merge_bpftrace"
awk -v mode="$label" -v names="[${names%,}]" -v seconds="$seconds" -v procs="$(measured | wc -l)" -v progs="$progs" \
    -v ns=$((t1 - t0)) -v ticks=$((ticks1 - ticks0)) -v hz="$hz" -v peak="$peak" -v run=$((run1 - run0)) \
    -v cnt=$((cnt1 - cnt0)) -v bytes=$((bytes1 - bytes0)) -v load=$((load1 - load0)) \
    -v root=$((root1 - root0)) -v root_peak="$root_peak" 'BEGIN {
  s = ns / 1e9
  printf "{\"mode\":\"%s\",\"scripts\":%s,\"seconds\":%d,\"processes\":%d,\"bpf_progs\":%d,", mode, names, seconds, procs, progs
  printf "\"cpu_percent\":%.2f,\"rss_mb\":%.1f,\"kernel_cpu_percent\":%.2f,\"bpf_runs_per_s\":%.0f,", ticks / hz / s * 100, peak / 1024, run / ns * 100, cnt / s
  printf "\"output_bytes_per_s\":%.0f,\"load_iterations_per_s\":%.0f", bytes / s, load / s
  if (mode ~ /^agent/) printf ",\"agent_cpu_percent\":%.2f,\"agent_rss_mb\":%.1f", root / hz / s * 100, root_peak / 1024
  printf "}\n"
}'
