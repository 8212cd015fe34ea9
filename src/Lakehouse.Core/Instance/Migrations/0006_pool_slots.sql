-- Concurrency pools (issue 11): TM_POOL_<NAME>=N slots per pool, shared by every worker of the instance. A step takes a free slot
-- (or one whose lease ended: its holder died) with a conditional update, renews the lease while it runs and frees it at the end.
CREATE TABLE pool_slots (
    pool        {key} NOT NULL,
    slot        integer NOT NULL,
    holder      text,
    lease_until {time},
    PRIMARY KEY (pool, slot)
) {without_rowid};
