---
description: "One row per round: start/end, duration, fixes, holes and nines played, pace, battery, signal rates, round length (each fix counted once across ingests)."
automation: eager
columns:
  - {name: course_id, description: "The course the round was played on.", tests: [not_null]}
  - {name: round_id, description: "Tagmarshal's id of the round.", tests: [not_null]}
  - {name: round_start_ts, description: "The round's first fix time (UTC); null when no fix has a time."}
  - {name: round_end_ts, description: "The round's last fix time (UTC)."}
  - {name: duration_sec, description: "round_end_ts − round_start_ts in seconds.", tests: [{accepted_range: {min: 0}}]}
  - {name: fix_count, description: "Location fixes of the round, each (round_id, location_index) once.", tests: [not_null, {accepted_range: {min: 1}}]}
  - {name: ts_missing_fix_count, description: "Fixes without a timestamp.", tests: [not_null]}
  - {name: holes_played, description: "Distinct hole numbers among the fixes.", tests: [not_null, {accepted_range: {min: 0, max: 27}}]}
  - {name: nines_played, description: "Distinct nine numbers among the fixes.", tests: [not_null]}
  - {name: start_hole, description: "The hole the round started on (from the round's latest ingest)."}
  - {name: is_nine_hole, description: "Whether the round was booked as nine holes."}
  - {name: is_complete, description: "Whether Tagmarshal marked the round complete."}
  - {name: avg_pace_sec, description: "Mean pace (seconds ahead (−) or behind (+) the goal time) over fixes with a pace."}
  - {name: max_pace_sec, description: "The largest pace of the round."}
  - {name: avg_pace_gap_sec, description: "Mean gap in seconds to the group ahead."}
  - {name: avg_positional_gap, description: "Mean positional gap to the group ahead."}
  - {name: projected_fix_count, description: "Fixes whose position was projected rather than measured.", tests: [not_null]}
  - {name: problem_fix_count, description: "Fixes flagged as a problem.", tests: [not_null]}
  - {name: cached_fix_count, description: "Fixes the device cached and sent later.", tests: [not_null]}
  - {name: min_battery, description: "Lowest battery percentage of the round's device."}
  - {name: avg_battery, description: "Mean battery percentage."}
  - {name: low_battery_fix_count, description: "Fixes with battery below 20 %.", tests: [not_null]}
  - {name: critical_battery_fix_count, description: "Fixes with battery below 10 %.", tests: [not_null]}
  - {name: projected_rate, description: "projected_fix_count / fix_count.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - {name: problem_rate, description: "problem_fix_count / fix_count.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - {name: cached_rate, description: "cached_fix_count / fix_count.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - name: round_length
    description: "'27' if nines ≥ 3 or max section > 54; '18' if nines = 2 or max section > 27; '9' if nines = 1; else 'unknown'."
    tests: [not_null, {accepted_values: {values: ['9', '18', '27', unknown]}}]
tests:
  - unique: {columns: [course_id, round_id]}
  - expression: {name: critical_within_low, expression: "critical_battery_fix_count <= low_battery_fix_count"}
  - source_freshness: {source: silver.fact_telemetry_event, max_lag_days: 0}
---
-- holes_played and nines_played count distinct values as bits of a 64-bit mask (1 << hole): count(DISTINCT) per round was
-- most of the step's time on a 1 GB Silver; a hole outside 0..62 fails the step naming the round rather than miscount.
-- The mask is a BIGINT, not a UBIGINT: DuckDB shifts a UBIGINT several times slower (fact_rounds on the 1 GB Silver:
-- 1.67 s → 1.14 s); bit 63 would overflow a BIGINT, hence 0..62. Out-of-range values add nothing to the mask, so the
-- error below (with the round) is what the step reports, not DuckDB's shift overflow.
WITH rounds AS (
    SELECT course_id, round_id,
           min(fix_timestamp) AS round_start_ts,
           max(fix_timestamp) AS round_end_ts,
           (epoch_us(max(fix_timestamp)) - epoch_us(min(fix_timestamp))) / 1e6 AS duration_sec,
           count(*) AS fix_count,
           count(*) FILTER (WHERE fix_timestamp IS NULL) AS ts_missing_fix_count,
           CASE WHEN min(hole_number) < 0 OR max(hole_number) > 62
                THEN error('round ' || round_id || ': hole_number ' || min(hole_number) || '..' || max(hole_number) || ' is outside 0..62, which holes_played and nines_played count as bits')
                ELSE CAST(bit_count(coalesce(bit_or(CASE WHEN hole_number BETWEEN 0 AND 62 THEN CAST(1 AS BIGINT) << hole_number END), 0)) AS INTEGER) END AS holes_played,
           CASE WHEN min(nine_number) < 0 OR max(nine_number) > 62
                THEN error('round ' || round_id || ': nine_number ' || min(nine_number) || '..' || max(nine_number) || ' is outside 0..62, which holes_played and nines_played count as bits')
                ELSE CAST(bit_count(coalesce(bit_or(CASE WHEN nine_number BETWEEN 0 AND 62 THEN CAST(1 AS BIGINT) << nine_number END), 0)) AS INTEGER) END AS nines_played,
           max(section_number) AS max_section,
           any_value(start_hole) AS start_hole,
           any_value(is_nine_hole) AS is_nine_hole,
           any_value(is_complete) AS is_complete,
           avg(pace) AS avg_pace_sec,
           max(pace) AS max_pace_sec,
           avg(pace_gap) AS avg_pace_gap_sec,
           avg(positional_gap) AS avg_positional_gap,
           count(*) FILTER (WHERE is_projected) AS projected_fix_count,
           count(*) FILTER (WHERE is_problem) AS problem_fix_count,
           count(*) FILTER (WHERE is_cache) AS cached_fix_count,
           min(battery_percentage) AS min_battery,
           avg(battery_percentage) AS avg_battery,
           count(*) FILTER (WHERE battery_percentage < 20) AS low_battery_fix_count,
           count(*) FILTER (WHERE battery_percentage < 10) AS critical_battery_fix_count
    FROM ref('intermediate.unique_telemetry_fix')
    GROUP BY course_id, round_id
)
SELECT course_id, round_id, round_start_ts, round_end_ts, duration_sec, fix_count, ts_missing_fix_count, holes_played,
       nines_played, start_hole, is_nine_hole, is_complete, avg_pace_sec, max_pace_sec, avg_pace_gap_sec, avg_positional_gap,
       projected_fix_count, problem_fix_count, cached_fix_count, min_battery, avg_battery, low_battery_fix_count,
       critical_battery_fix_count,
       projected_fix_count / nullif(fix_count, 0) AS projected_rate,
       problem_fix_count / nullif(fix_count, 0) AS problem_rate,
       cached_fix_count / nullif(fix_count, 0) AS cached_rate,
       CASE WHEN nines_played >= 3 OR max_section > 54 THEN '27'
            WHEN nines_played = 2 OR max_section > 27 THEN '18'
            WHEN nines_played = 1 THEN '9'
            ELSE 'unknown' END AS round_length
FROM rounds
