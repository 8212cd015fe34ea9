# TmLakehouse tasks. Every recipe calls the same `./tmlake` CLI a user would type.
# `npx rust-just --list` works where `just` is not installed.

set shell := ["bash", "-euo", "pipefail", "-c"]

env_file := env_var_or_default("TM_ENV_FILE", "")
tm := if env_file == "" { "./tmlake" } else { "./tmlake --env-file " + env_file }

default:
    @just --list

# The whole job on the embedded default: sample data → Bronze → Silver → Gold, then a summary.
demo:
    {{tm}} demo

# Run every test (installs missing test prerequisites first).
test:
    ./test.sh

# Materialize a selection, e.g. `just materialize 'silver/*' course_id=erinhills,ingest_date=2025-06-01`.
materialize SELECTION PARTITION="":
    if [ -n "{{PARTITION}}" ]; then {{tm}} materialize --select '{{SELECTION}}' --partition '{{PARTITION}}'; else {{tm}} materialize --select '{{SELECTION}}' --all-partitions; fi

# List assets with their latest status.
assets:
    {{tm}} assets

# List recent runs.
runs:
    {{tm}} runs

# Land an export into Bronze: `just bronze-upload FILE COURSE [INGEST_DATE]`.
bronze-upload FILE COURSE INGEST_DATE="":
    if [ -n "{{INGEST_DATE}}" ]; then {{tm}} land '{{FILE}}' --course '{{COURSE}}' --ingest-date '{{INGEST_DATE}}'; else {{tm}} land '{{FILE}}' --course '{{COURSE}}'; fi

# Silver for every landed partition.
silver:
    {{tm}} materialize --select 'silver/*' --all-partitions

# Gold for every course.
gold:
    {{tm}} materialize --select 'gold/*' --all-partitions

# Compact small files, expire snapshots, remove orphans.
compact:
    {{tm}} materialize --select 'group:maintenance'

# The dashboard (and in-process workers in the embedded mode) on http://127.0.0.1:3000.
serve:
    {{tm}} serve

# Open the dashboard: same as serve.
ui: serve

# Benchmarks (not tests): orchestration overhead and Silver vs DuckDB.
bench:
    dotnet run -c Release --project bench/Bench -- all

# The docker stack (needs a Docker engine).
up:
    docker compose up -d --build

down:
    docker compose down

logs:
    docker compose logs -f --tail=200

# Wipe the docker stack's volumes and the local embedded home.
reset-local:
    docker compose down -v
    rm -rf .lakehouse
