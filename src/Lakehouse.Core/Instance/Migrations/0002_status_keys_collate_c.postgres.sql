-- Status reads order by (asset, partition_key) COLLATE "C", the byte order SQLite also returns. With the columns in the
-- database's default collation the primary key cannot supply that order, so PostgreSQL sorted every read (100,000 rows
-- spilled to disk); keyed in "C" the read is a plain index scan, whatever locale the database was created with.
ALTER TABLE asset_partition_status
    ALTER COLUMN asset TYPE text COLLATE "C",
    ALTER COLUMN partition_key TYPE text COLLATE "C";
