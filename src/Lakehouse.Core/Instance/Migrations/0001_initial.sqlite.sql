-- Runs and their fixed plans.
CREATE TABLE runs (
    run_id        TEXT PRIMARY KEY,
    status        TEXT NOT NULL,
    selection     TEXT NOT NULL,
    partitions    TEXT NOT NULL,
    tags          TEXT NOT NULL,
    parent_run_id TEXT,
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    ended_at      INTEGER
);
CREATE INDEX ix_runs_created ON runs (created_at DESC, run_id DESC);
CREATE INDEX ix_runs_status ON runs (status, created_at DESC);

CREATE TABLE run_steps (
    run_id        TEXT NOT NULL REFERENCES runs (run_id),
    step_key      TEXT NOT NULL,
    ordinal       INTEGER NOT NULL,
    asset         TEXT NOT NULL,
    partition_key TEXT,
    status        TEXT NOT NULL,
    depends_on    TEXT NOT NULL,
    attempt       INTEGER NOT NULL,
    started_at    INTEGER,
    ended_at      INTEGER,
    error         TEXT,
    PRIMARY KEY (run_id, step_key)
);
CREATE INDEX ix_run_steps_status ON run_steps (run_id, status);
CREATE INDEX ix_run_steps_asset ON run_steps (asset, partition_key);
CREATE INDEX ix_run_steps_partition ON run_steps (partition_key);

-- The plan's edges, so a decision reads only the dependents of the step that changed.
CREATE TABLE run_step_deps (
    run_id     TEXT NOT NULL,
    step_key   TEXT NOT NULL,
    depends_on TEXT NOT NULL,
    PRIMARY KEY (run_id, step_key, depends_on)
) WITHOUT ROWID;
CREATE INDEX ix_run_step_deps_upstream ON run_step_deps (run_id, depends_on);

-- The event log; metadata and check results are JSON text, kept byte for byte.
CREATE TABLE event_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    type          TEXT NOT NULL,
    run_id        TEXT NOT NULL,
    step_key      TEXT,
    asset         TEXT,
    partition_key TEXT,
    timestamp     INTEGER NOT NULL,
    level         TEXT NOT NULL,
    message       TEXT NOT NULL,
    metadata      TEXT NOT NULL,
    check_result  TEXT
);
CREATE INDEX ix_event_log_run ON event_log (run_id, id);
CREATE INDEX ix_event_log_asset ON event_log (asset, partition_key, id);
CREATE INDEX ix_event_log_type ON event_log (type, id);

-- The latest status of every (asset, partition), written with the event that changed it; '' is the unpartitioned key.
CREATE TABLE asset_partition_status (
    asset                         TEXT NOT NULL,
    partition_key                 TEXT NOT NULL,
    state                         TEXT NOT NULL,
    run_id                        TEXT NOT NULL,
    updated_at                    INTEGER NOT NULL,
    last_materialization_event_id INTEGER,
    last_materialized_at          INTEGER,
    PRIMARY KEY (asset, partition_key)
) WITHOUT ROWID;

CREATE TABLE dynamic_partitions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    definition    TEXT NOT NULL,
    partition_key TEXT NOT NULL,
    UNIQUE (definition, partition_key)
);

CREATE TABLE schedule_state (
    name    TEXT PRIMARY KEY,
    enabled INTEGER,
    cursor  TEXT
);

CREATE TABLE ticks (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    name      TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    status    TEXT NOT NULL,
    run_ids   TEXT NOT NULL,
    error     TEXT
);
CREATE INDEX ix_ticks_name ON ticks (name, timestamp DESC, id DESC);

-- Landed files by content hash: the same bytes land once per partition.
CREATE TABLE ingest_ledger (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    key           TEXT NOT NULL,
    partition_key TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    run_id        TEXT NOT NULL,
    row_count     INTEGER NOT NULL,
    landed_at     INTEGER NOT NULL,
    UNIQUE (partition_key, sha256)
);
