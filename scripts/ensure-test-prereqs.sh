#!/usr/bin/env bash
# Installs what a fresh machine lacks for the tests: PostgreSQL server binaries (initdb/pg_ctl), Chromium for the
# dashboard's browser test, and bc for the test summary. Node.js packages (s3rver, icebird, playwright-core) are
# installed by the test fixtures themselves from the pinned package.json files.
set -euo pipefail
missing=()
have_pg() { command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
have_pg || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v bc >/dev/null 2>&1 || missing+=(bc)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: ${missing[*]} — install them (apt-get install ${missing[*]}) and run again" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
