-- The run page lists a run's re-executions (runs whose parent_run_id is this run) without scanning recent runs.
CREATE INDEX ix_runs_parent ON runs (parent_run_id, created_at);
