-- Spatial tables (LANDING_AND_SPATIAL.md §4) live in their own bucket, and their GeoParquet files, COGs and metadata
-- documents are lake objects like any other: the ledger accepts the 'spatial' layer.
ALTER TABLE ledger DROP CONSTRAINT ledger_layer_check;
ALTER TABLE ledger ADD CONSTRAINT ledger_layer_check
    CHECK (layer IN ('landing', 'bronze', 'silver', 'gold', 'spatial', 'quarantine', 'observability'));
