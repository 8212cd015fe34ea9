---
description: >
  Every (round_id, location_index) of the course once across ingests (DATA_CONTRACT.md §4, one fix one count): of the copies
  that landed in several ingests, the one Silver's dedup rule prefers (is_cache true, then is_projected false, then the higher
  battery), on a tie the one of the later ingest. Round-level fields (start_hole, is_nine_hole, is_complete) of a re-exported
  round come from its latest ingest, which describes the round best (partial on day 1, complete on day 2). Inlined where it is
  referenced. `reexported` tells a fix of such a round; `copies` how many ingests held it.
materialized: ephemeral
metadata:
  - name: duplicate_fixes
    expression: "coalesce(sum(copies - 1), 0)"
    where: reexported
    description: "Copies of a (round_id, location_index) from another ingest, resolved away to the preferred one (DATA_CONTRACT.md §4)."
  - name: reexported_rounds
    expression: "count(DISTINCT round_id)"
    where: reexported
    description: "Rounds that landed in more than one ingest of the course."
---
-- NOT MATERIALIZED: Silver is streamed each time it is read, never buffered (it is the largest input by far).
WITH fixes AS NOT MATERIALIZED (
    SELECT course_id, round_id, location_index, ingest_date, fix_timestamp, hole_number, nine_number, section_number,
           start_hole, is_nine_hole, is_complete, pace, pace_gap, positional_gap, battery_percentage,
           is_projected, is_problem, is_cache
    FROM ref('silver.fact_telemetry_event')
),
-- The rounds that landed in more than one ingest: few, so the rounds of one ingest pass straight through by an anti join
-- against this small set (a semi join against the large set of single-ingest rounds cost more than the aggregation itself).
-- min <> max, not count(DISTINCT): the same answer without a distinct hash table per round.
-- A course whose Silver holds one ingest has none: the guard (one scan of the date column) skips hashing every round_id.
reexported AS (
    SELECT round_id, max(ingest_date) AS latest_ingest FROM fixes
    WHERE (SELECT min(ingest_date) <> max(ingest_date) FROM fixes)
    GROUP BY round_id HAVING min(ingest_date) <> max(ingest_date)
),
-- Rounds of one ingest pass straight through: Silver already keeps one copy of each fix per ingest.
single AS (
    SELECT f.course_id, f.round_id, f.location_index, 1 AS copies, f.ingest_date, f.fix_timestamp, f.hole_number, f.nine_number,
           f.section_number, f.start_hole, f.is_nine_hole, f.is_complete, f.pace, f.pace_gap, f.positional_gap,
           f.battery_percentage, f.is_projected, f.is_problem, f.is_cache, false AS reexported
    FROM fixes AS f ANTI JOIN reexported AS r ON f.round_id = r.round_id
),
copies AS (
    SELECT f.*, r.latest_ingest FROM fixes AS f JOIN reexported AS r ON f.round_id = r.round_id
),
kept AS (
    -- A null flag never counts in a copy's favour, as in Silver's dedup.
    SELECT course_id, round_id, location_index, count(*) AS copies,
           arg_max(struct_pack(ingest_date, fix_timestamp, hole_number, nine_number, section_number, pace, pace_gap,
                               positional_gap, battery_percentage, is_projected, is_problem, is_cache),
                   struct_pack(r := (CASE WHEN is_cache IS TRUE THEN 2 ELSE 0 END) + (CASE WHEN is_projected IS FALSE THEN 1 ELSE 0 END),
                               b := coalesce(battery_percentage, '-infinity'::DOUBLE),
                               d := ingest_date)) AS fix
    FROM copies
    GROUP BY course_id, round_id, location_index
),
round_fields AS (
    SELECT round_id, any_value(start_hole) AS start_hole, any_value(is_nine_hole) AS is_nine_hole, any_value(is_complete) AS is_complete
    FROM copies WHERE ingest_date = latest_ingest
    GROUP BY round_id
)
SELECT * FROM single
UNION ALL
SELECT k.course_id, k.round_id, k.location_index, k.copies, k.fix.ingest_date, k.fix.fix_timestamp, k.fix.hole_number,
       k.fix.nine_number, k.fix.section_number, r.start_hole, r.is_nine_hole, r.is_complete, k.fix.pace, k.fix.pace_gap,
       k.fix.positional_gap, k.fix.battery_percentage, k.fix.is_projected, k.fix.is_problem, k.fix.is_cache, true AS reexported
FROM kept AS k JOIN round_fields AS r ON k.round_id = r.round_id
