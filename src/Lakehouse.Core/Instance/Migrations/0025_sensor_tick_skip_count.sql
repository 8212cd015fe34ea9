-- A tick keeps how many requests it skipped and only a sample of their texts (SensorTick.SkipSampleSize): a sensor that re-lists
-- 10,000 keys it has seen stored 10,000 texts per tick, which cost more than the tick's one run-key query.
ALTER TABLE sensor_ticks ADD COLUMN skipped bigint NOT NULL DEFAULT 0;
