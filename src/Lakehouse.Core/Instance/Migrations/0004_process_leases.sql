-- Leases of the processes that hold runs in their own memory (embedded mode: the in-memory job queue dies with the process).
-- A process renews its lease with a heartbeat; the next process to open the instance ends the open runs of a process
-- that is gone (same host: its pid no longer runs; else: no heartbeat for a while) failed, so no run stays running forever.
CREATE TABLE process_leases (
    process_id         TEXT PRIMARY KEY,
    host               TEXT NOT NULL,
    pid                INTEGER NOT NULL,
    process_started_at {time} NOT NULL,
    heartbeat_at       {time} NOT NULL
);

-- The process whose lease a run depends on; NULL when its steps sit in a durable queue (PostgreSQL) that any worker takes.
ALTER TABLE runs ADD COLUMN owner_process TEXT;
