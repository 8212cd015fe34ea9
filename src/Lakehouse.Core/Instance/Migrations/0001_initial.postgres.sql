-- Runs and their fixed plans.
CREATE TABLE runs (
    run_id        text PRIMARY KEY,
    status        text NOT NULL,
    selection     text NOT NULL,
    partitions    json NOT NULL,
    tags          json NOT NULL,
    parent_run_id text,
    created_at    timestamptz NOT NULL,
    started_at    timestamptz,
    ended_at      timestamptz
);
CREATE INDEX ix_runs_created ON runs (created_at DESC, run_id DESC);
CREATE INDEX ix_runs_status ON runs (status, created_at DESC);

CREATE TABLE run_steps (
    run_id        text NOT NULL REFERENCES runs (run_id),
    step_key      text NOT NULL,
    ordinal       integer NOT NULL,
    asset         text NOT NULL,
    partition_key text,
    status        text NOT NULL,
    depends_on    json NOT NULL,
    attempt       integer NOT NULL,
    started_at    timestamptz,
    ended_at      timestamptz,
    error         text,
    PRIMARY KEY (run_id, step_key)
);
CREATE INDEX ix_run_steps_status ON run_steps (run_id, status);
CREATE INDEX ix_run_steps_asset ON run_steps (asset, partition_key);
CREATE INDEX ix_run_steps_partition ON run_steps (partition_key);

-- The plan's edges, so a decision reads only the dependents of the step that changed.
CREATE TABLE run_step_deps (
    run_id     text NOT NULL,
    step_key   text NOT NULL,
    depends_on text NOT NULL,
    PRIMARY KEY (run_id, step_key, depends_on)
);
CREATE INDEX ix_run_step_deps_upstream ON run_step_deps (run_id, depends_on);

-- The event log; metadata and check results are json (not jsonb) so they read back byte for byte.
CREATE TABLE event_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type          text NOT NULL,
    run_id        text NOT NULL,
    step_key      text,
    asset         text,
    partition_key text,
    timestamp     timestamptz NOT NULL,
    level         text NOT NULL,
    message       text NOT NULL,
    metadata      json NOT NULL,
    check_result  json
);
CREATE INDEX ix_event_log_run ON event_log (run_id, id);
CREATE INDEX ix_event_log_asset ON event_log (asset, partition_key, id);
CREATE INDEX ix_event_log_type ON event_log (type, id);

-- The latest status of every (asset, partition), written with the event that changed it; '' is the unpartitioned key.
CREATE TABLE asset_partition_status (
    asset                         text NOT NULL,
    partition_key                 text NOT NULL,
    state                         text NOT NULL,
    run_id                        text NOT NULL,
    updated_at                    timestamptz NOT NULL,
    last_materialization_event_id bigint,
    last_materialized_at          timestamptz,
    PRIMARY KEY (asset, partition_key)
);

CREATE TABLE dynamic_partitions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    definition    text NOT NULL,
    partition_key text NOT NULL,
    UNIQUE (definition, partition_key)
);

CREATE TABLE schedule_state (
    name    text PRIMARY KEY,
    enabled boolean,
    cursor  text
);

CREATE TABLE ticks (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name      text NOT NULL,
    timestamp timestamptz NOT NULL,
    status    text NOT NULL,
    run_ids   json NOT NULL,
    error     text
);
CREATE INDEX ix_ticks_name ON ticks (name, timestamp DESC, id DESC);

-- Landed files by content hash: the same bytes land once per partition.
CREATE TABLE ingest_ledger (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key           text NOT NULL,
    partition_key text NOT NULL,
    size          bigint NOT NULL,
    sha256        text NOT NULL,
    run_id        text NOT NULL,
    row_count     bigint NOT NULL,
    landed_at     timestamptz NOT NULL,
    UNIQUE (partition_key, sha256)
);
