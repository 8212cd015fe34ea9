-- Status counts (issue 11: the status of 1,000,000 partitions in 300 ms). Counting one (asset, state) range of the first index
-- is a tight loop over its entries, and the latest materialization time and event id are each one seek to the end of a range,
-- so neither database visits the table's rows nor groups them.
CREATE INDEX ix_asset_partition_status_state ON asset_partition_status (asset, state, last_materialized_at);
CREATE INDEX ix_asset_partition_status_event ON asset_partition_status (asset, last_materialization_event_id);
