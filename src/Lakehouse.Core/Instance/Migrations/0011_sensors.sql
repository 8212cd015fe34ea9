-- Sensors (issue 12). Their on/off and cursor live in schedule_state beside the schedules'; these tables add what only sensors have.

-- One evaluation at a time per sensor, across processes: a lease taken with a conditional write and released at the end; a holder
-- killed mid-tick blocks the sensor only until lease_until.
CREATE TABLE sensor_leases (
    name        {key} PRIMARY KEY,
    owner       text NOT NULL,
    lease_until {time} NOT NULL
);

-- Every run key a sensor ever requested, with the run id chosen for it before it launched: the same key requested again is a
-- recorded skip; a key whose run never got stored (the process died between the two) is launched again with the same id.
CREATE TABLE sensor_run_keys (
    sensor     {key} NOT NULL,
    run_key    {key} NOT NULL,
    run_id     text NOT NULL,
    created_at {time} NOT NULL,
    PRIMARY KEY (sensor, run_key)
) {without_rowid};

-- Every tick: when, how long, what it launched or skipped and why, or the error; pruned after the retention.
CREATE TABLE sensor_ticks (
    id          {id},
    sensor      text NOT NULL,
    started_at  {time} NOT NULL,
    duration_ms bigint NOT NULL,
    status      text NOT NULL CHECK (status IN ('launched', 'skipped', 'failed')),
    run_ids     {json} NOT NULL,
    skips       {json} NOT NULL,
    reason      text,
    cursor      text
);
CREATE INDEX ix_sensor_ticks_sensor ON sensor_ticks (sensor, started_at DESC, id DESC);
