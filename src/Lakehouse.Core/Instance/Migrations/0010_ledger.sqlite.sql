-- The ledger of LANDING_AND_SPATIAL.md §2: one row per object the lake stores, replacing ingest_ledger. Its rules are declared
-- here, not only in code: a lower-case 64-digit SHA-256, a known format, one row per lake object (layer, key), one per content
-- and target (the same bytes landed again for the same partition or dataset are a no-op). Ids are kept: objects carry them.
CREATE TABLE ledger (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    layer      TEXT NOT NULL CHECK (layer IN ('landing', 'bronze', 'silver', 'gold', 'quarantine', 'observability')),
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
CREATE INDEX ix_ledger_batch ON ledger (batch_id, id);

INSERT INTO ledger (id, layer, key, target, run_id, sha256, size, format, row_count, metadata, created_at)
SELECT id, 'bronze', key, partition_key, run_id, sha256, size,
       CASE WHEN lower(key) LIKE '%.json' THEN 'json' ELSE 'csv' END, row_count, '{}', landed_at
FROM ingest_ledger
-- A key landed twice (a stale row beside its replacement) keeps its newest row, the one its object names.
WHERE id IN (SELECT max(id) FROM ingest_ledger GROUP BY key);

DROP TABLE ingest_ledger;
