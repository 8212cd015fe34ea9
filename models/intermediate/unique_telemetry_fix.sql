---
description: >
  Every (round_id, location_index) of the course once across ingests (DATA_CONTRACT.md §4, one fix one count): of the copies
  that landed in several ingests, the one Silver's dedup rule prefers (is_cache true, then is_projected false, then the higher
  battery), on a tie the one of the later ingest. Round-level fields (start_hole, is_nine_hole, is_complete) come from the
  round's latest ingest, which describes the round best (partial on day 1, complete on day 2). Inlined where it is referenced.
materialized: ephemeral
---
WITH fixes AS (
    SELECT course_id, round_id, location_index, ingest_date, fix_timestamp, hole_number, nine_number, section_number,
           start_hole, is_nine_hole, is_complete, pace, pace_gap, positional_gap, battery_percentage,
           is_projected, is_problem, is_cache
    FROM ref('silver.fact_telemetry_event')
),
kept AS (
    -- A null flag never counts in a copy's favour, as in Silver's dedup.
    SELECT course_id, round_id, location_index, count(*) AS copies,
           arg_max(struct_pack(ingest_date, fix_timestamp, hole_number, nine_number, section_number, pace, pace_gap,
                               positional_gap, battery_percentage, is_projected, is_problem, is_cache),
                   struct_pack(r := (CASE WHEN is_cache IS TRUE THEN 2 ELSE 0 END) + (CASE WHEN is_projected IS FALSE THEN 1 ELSE 0 END),
                               b := coalesce(battery_percentage, '-infinity'::DOUBLE),
                               d := ingest_date)) AS fix
    FROM fixes
    GROUP BY course_id, round_id, location_index
),
latest AS (
    SELECT round_id, max(ingest_date) AS ingest_date FROM fixes GROUP BY round_id
),
round_fields AS (
    SELECT f.round_id, any_value(f.start_hole) AS start_hole, any_value(f.is_nine_hole) AS is_nine_hole,
           any_value(f.is_complete) AS is_complete
    FROM fixes AS f JOIN latest AS l ON f.round_id = l.round_id AND f.ingest_date = l.ingest_date
    GROUP BY f.round_id
)
SELECT k.course_id, k.round_id, k.location_index, k.copies, k.fix.ingest_date, k.fix.fix_timestamp, k.fix.hole_number,
       k.fix.nine_number, k.fix.section_number, r.start_hole, r.is_nine_hole, r.is_complete, k.fix.pace, k.fix.pace_gap,
       k.fix.positional_gap, k.fix.battery_percentage, k.fix.is_projected, k.fix.is_problem, k.fix.is_cache
FROM kept AS k JOIN round_fields AS r ON k.round_id = r.round_id
