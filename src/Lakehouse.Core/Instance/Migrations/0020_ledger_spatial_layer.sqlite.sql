-- Spatial tables (LANDING_AND_SPATIAL.md §4) live in their own bucket, and their GeoParquet files, COGs and metadata
-- documents are lake objects like any other: the ledger accepts the 'spatial' layer. SQLite cannot alter a CHECK, so the
-- table is rebuilt with its rows and ids.
CREATE TABLE ledger_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    layer      TEXT NOT NULL CHECK (layer IN ('landing', 'bronze', 'silver', 'gold', 'spatial', 'quarantine', 'observability')),
    key        TEXT NOT NULL CHECK (length(key) > 0),
    target     TEXT NOT NULL CHECK (length(target) > 0),
    batch_id   TEXT,
    uploader   TEXT,
    intent     TEXT,
    run_id     TEXT NOT NULL,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    size       INTEGER NOT NULL CHECK (size >= 0),
    format     TEXT NOT NULL CHECK (format IN ('csv', 'json', 'geojson', 'shapefile', 'geopackage', 'geoparquet', 'parquet', 'geotiff', 'cog', 'iso19115')),
    crs        TEXT,
    row_count  INTEGER NOT NULL CHECK (row_count >= 0),
    bbox       TEXT,
    metadata   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (layer, key),
    UNIQUE (target, sha256)
);
INSERT INTO ledger_new SELECT id, layer, key, target, batch_id, uploader, intent, run_id, sha256, size, format, crs, row_count, bbox, metadata, created_at FROM ledger;
DROP TABLE ledger;
ALTER TABLE ledger_new RENAME TO ledger;
CREATE INDEX ix_ledger_batch ON ledger (batch_id, id);
