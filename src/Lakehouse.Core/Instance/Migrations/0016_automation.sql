-- Declarative automation (issue 12). Its evaluation lease is a row of sensor_leases (name 'automation').

-- Every daemon tick: when, how long, how many asset-partitions it evaluated and requested, the runs it launched, and a failed
-- tick's error; pruned after the retention.
CREATE TABLE automation_ticks (
    id          {id},
    started_at  {time} NOT NULL,
    duration_ms bigint NOT NULL,
    evaluated   bigint NOT NULL,
    requested   bigint NOT NULL,
    run_ids     {json} NOT NULL,
    error       text
);
CREATE INDEX ix_automation_ticks_started ON automation_ticks (started_at DESC, id DESC);

-- The latest decision for every (asset, partition) an automation condition covers: requested or not, and why. A tick writes
-- only the decisions that changed, so a quiet tick over 100,000 partitions writes nothing here. '' is the unpartitioned key.
CREATE TABLE automation_decisions (
    asset         {key} NOT NULL,
    partition_key {key} NOT NULL,
    requested     {bool} NOT NULL,
    reason        text NOT NULL,
    run_id        text,
    tick_id       bigint NOT NULL,
    decided_at    {time} NOT NULL,
    PRIMARY KEY (asset, partition_key)
) {without_rowid};
