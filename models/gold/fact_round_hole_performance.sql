---
description: "One row per (course, round, hole, nine): fixes, first and last fix, time on the hole, pace and signal counts. Fixes with a null hole are left out."
automation: eager
columns:
  - {name: course_id, description: "The course.", tests: [not_null]}
  - {name: round_id, description: "The round.", tests: [not_null, {relationships: {to: gold.fact_rounds, field: round_id}}]}
  - {name: hole_number, description: "The hole (1–27 on a 27-hole course).", tests: [not_null, {accepted_range: {min: 1, max: 27}}]}
  - {name: nine_number, description: "The nine the hole belongs to (null when the fix had none)."}
  - {name: fix_count, description: "Fixes on the hole, each once across ingests.", tests: [not_null, {accepted_range: {min: 1}}]}
  - {name: first_fix_ts, description: "The first timed fix on the hole (UTC)."}
  - {name: last_fix_ts, description: "The last timed fix on the hole (UTC)."}
  - {name: hole_duration_sec, description: "last_fix_ts − first_fix_ts in seconds.", tests: [{accepted_range: {min: 0}}]}
  - {name: avg_pace, description: "Mean pace on the hole."}
  - {name: max_pace, description: "Largest pace on the hole."}
  - {name: avg_pace_gap, description: "Mean gap to the group ahead on the hole."}
  - {name: projected_fix_count, description: "Projected fixes on the hole.", tests: [not_null]}
  - {name: problem_fix_count, description: "Problem fixes on the hole.", tests: [not_null]}
tests:
  - unique: {columns: [course_id, round_id, hole_number, nine_number]}
  - source_freshness: {source: silver.fact_telemetry_event}
---
SELECT course_id, round_id, hole_number, nine_number,
       count(*) AS fix_count,
       min(fix_timestamp) AS first_fix_ts,
       max(fix_timestamp) AS last_fix_ts,
       (epoch_us(max(fix_timestamp)) - epoch_us(min(fix_timestamp))) / 1e6 AS hole_duration_sec,
       avg(pace) AS avg_pace,
       max(pace) AS max_pace,
       avg(pace_gap) AS avg_pace_gap,
       count(*) FILTER (WHERE is_projected) AS projected_fix_count,
       count(*) FILTER (WHERE is_problem) AS problem_fix_count
FROM ref('intermediate.unique_telemetry_fix')
WHERE hole_number IS NOT NULL
GROUP BY course_id, round_id, hole_number, nine_number
