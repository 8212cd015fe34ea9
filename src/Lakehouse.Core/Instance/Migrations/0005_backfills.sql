-- Backfills (issue 11): one stored object over many partitions, run as runs of a few partitions each under a concurrency limit.

-- The backfill as asked, where it stands, and the lease of the one ticker that launches its runs at a time (a holder killed
-- mid-tick blocks it only until lease_until).
CREATE TABLE backfills (
    backfill_id         {id},
    selection           text NOT NULL,
    partition_spec      text NOT NULL,
    partitions_per_run  integer NOT NULL,
    single_run          {bool} NOT NULL,
    max_concurrent_runs integer NOT NULL,
    total               integer NOT NULL,
    status              text NOT NULL CHECK (status IN ('requested', 'completed', 'failed', 'canceled')),
    created_at          {time} NOT NULL,
    ended_at            {time},
    lease_owner         text,
    lease_until         {time}
);
CREATE INDEX ix_backfills_status ON backfills (status, backfill_id);

-- Every partition of a backfill, stored in one statement from a JSON array; chunk = the run it belongs to. run_id is claimed
-- before that run is launched (a claim without a run is launched again under the same id), launch_error says why a launch was refused.
CREATE TABLE backfill_partitions (
    backfill_id   bigint NOT NULL,
    ordinal       integer NOT NULL,
    partition_key text NOT NULL,
    chunk         integer NOT NULL,
    run_id        text,
    launch_error  text,
    PRIMARY KEY (backfill_id, ordinal)
) {without_rowid};
CREATE INDEX ix_backfill_partitions_chunk ON backfill_partitions (backfill_id, chunk);
CREATE INDEX ix_backfill_partitions_run ON backfill_partitions (run_id);
