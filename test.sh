#!/usr/bin/env bash
# The test command: installs what the tests need (PostgreSQL binaries, Chromium, npm test tools) when missing,
# then runs every test project and prints one closing line "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
bash scripts/ensure-test-prereqs.sh
log="$(mktemp)"
status=0
dotnet test TmLakehouse.sln -c Release --nologo 2>&1 | tee "$log" || status=$?
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | grep -Eo '[0-9]+' | paste -sd+ - | bc 2>/dev/null || echo 0)
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | grep -Eo '[0-9]+' | paste -sd+ - | bc 2>/dev/null || echo 0)
rm -f "$log"
echo "Tests: ${passed:-0} passed, ${failed:-0} failed"
exit $status
