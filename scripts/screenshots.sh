#!/usr/bin/env bash
# The README's pictures of the UI: runs the browser tests (tests/EndToEnd/Browser, the soak left out), which save a
# viewport screenshot of each page they check in TestResults/screenshots, and copies the README's into docs/screenshots.
# Chromium is Debian's (/usr/bin/chromium); the tests use the published agent when TRACEFLEET_TEST_AGENT names it.
#
#   scripts/screenshots.sh              # build, run the browser tests, copy
#   scripts/screenshots.sh --copy-only  # copy what the last run of the browser tests saved
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh

# Page shown in the README, by the name the test saves it under.
shots=(fleet host-pagefaults-trend compare changes history alerts-firing fleet-dark)
largest_kb=200

if [[ ${1:-} != --copy-only ]]; then
  require_dotnet
  log "building the end-to-end tests (Release)"
  dotnet build tests/EndToEnd -c Release -nologo --verbosity quiet
  log "running the browser tests"
  rm -rf TestResults/screenshots
  dotnet test tests/EndToEnd -c Release --no-build --verbosity quiet --logger "console;verbosity=minimal" \
    --filter "FullyQualifiedName~Tracefleet.EndToEnd.Browser.&FullyQualifiedName!~HostPageSoakTests"
fi

mkdir -p docs/screenshots
for shot in "${shots[@]}"; do
  source_png="TestResults/screenshots/$shot.png"
  [[ -f $source_png ]] || { warn "$source_png is missing: did its test run and pass?"; exit 1; }
  cp "$source_png" "docs/screenshots/$shot.png"
  kb=$(( $(stat -c %s "$source_png") / 1024 ))
  ((kb <= largest_kb)) || warn "docs/screenshots/$shot.png is $kb kB (over $largest_kb kB)"
  echo "docs/screenshots/$shot.png  $kb kB"
done
