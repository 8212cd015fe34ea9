#!/usr/bin/env bash
# Installs what a fresh machine lacks for the tests: PostgreSQL server binaries (initdb/pg_ctl), Chromium for the
# dashboard's browser test, bc for the test summary, GDAL's command line (ogr2ogr, gdalwarp, gdal_translate, gdalinfo)
# and PostGIS for the spatial recipes. Node.js packages (s3rver, icebird, playwright-core) are
# installed by the test fixtures themselves from the pinned package.json files.
set -euo pipefail
missing=()
have_pg() { command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
have_pg || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v bc >/dev/null 2>&1 || missing+=(bc)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
command -v ogr2ogr >/dev/null 2>&1 && command -v gdalwarp >/dev/null 2>&1 || missing+=(gdal-bin)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: ${missing[*]} — install them (apt-get install ${missing[*]}) and run again" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# PostGIS is built for one PostgreSQL major version: take the newest server installed (after the step above).
if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  major=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: postgresql-${major:-15}-postgis-3 — install it (apt-get install postgresql-${major:-15}-postgis-3) and run again" >&2
    exit 1
  fi
  echo "installing: postgresql-${major:-15}-postgis-3" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "postgresql-${major:-15}-postgis-3" >/dev/null
fi
