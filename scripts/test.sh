#!/usr/bin/env bash
# Runs every Tracefleet test: unit, process, integration (real server, agent and SQLite on loopback)
# and end-to-end against the real kernel through bpftrace. Installs what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh

require_dotnet
ensure_tracing || warn "this machine cannot trace: the kernel probe test will fail"
# The browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
apt_install chromium || warn "cannot install chromium: the browser tests will fail"
# Real Prometheus and promtool for /metrics, Alertmanager for alert notifications, a real sshd for Solaris hosts over
# SSH, Redis and PostgreSQL for scale-out; the tests run their own instances.
apt_install_no_services prometheus prometheus-alertmanager openssh-server redis-server postgresql || warn "cannot install prometheus/prometheus-alertmanager/openssh-server/redis-server/postgresql: the Prometheus, Alertmanager, SSH, Redis and PostgreSQL tests will fail"
# faketime runs an agent with its clock off, for the clock-skew tests.
apt_install faketime || warn "cannot install faketime: the clock-skew tests will fail"
# NativeAOT links the published agent with clang.
apt_install clang || warn "cannot install clang: the published-agent test will fail"

log "restoring and building (Release)"
dotnet restore Platform.sln --verbosity quiet
dotnet build Platform.sln -c Release --no-restore --verbosity quiet -nologo

# The end-to-end tests run the agent as it ships: one native file, published once here (NativeAOT starts in a
# tenth of the JIT build's CPU, and they start a hundred agents). Without clang they fall back to the build's agent.
log "publishing the agent (NativeAOT) for the end-to-end tests"
if dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o artifacts/test-agent -nologo --verbosity quiet; then
  export TRACEFLEET_TEST_AGENT="$PWD/artifacts/test-agent/tracefleet-agent"
else
  warn "cannot publish the NativeAOT agent: the end-to-end tests run the build's agent and the published-agent test fails"
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
log "running tests"
status=0
# Failures are printed with their messages; TRX reports (and the browser tests' screenshots) stay in TestResults/.
# The soak compares how long the Host page takes to render in its first and last minute: a render's wall time also
# counts its waits for a core, which beside the other tests on 2 cores come and go with them, so it runs alone, after.
dotnet test Platform.sln -c Release --no-build --verbosity quiet --logger "console;verbosity=minimal" --logger "trx" \
  --results-directory TestResults --filter "FullyQualifiedName!~HostPageSoakTests" 2>&1 | tee "$results/output.txt" || status=$?
log "the Host page soak, alone (5 minutes)"
dotnet test tests/EndToEnd -c Release --no-build --verbosity quiet --logger "console;verbosity=minimal" --logger "trx" \
  --results-directory TestResults --filter "FullyQualifiedName~HostPageSoakTests" 2>&1 | tee -a "$results/output.txt" || status=$?

# One closing line over every test project, read from each project's summary.
passed=$(grep -oE 'Passed: +[0-9]+' "$results/output.txt" | awk '{ s += $2 } END { print s + 0 }')
failed=$(grep -oE 'Failed: +[0-9]+' "$results/output.txt" | awk '{ s += $2 } END { print s + 0 }')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$results/output.txt" | awk '{ s += $2 } END { print s + 0 }')
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
if ((passed == 0)); then
  echo "error: no test ran" >&2
  exit 1
fi
exit "$status"
