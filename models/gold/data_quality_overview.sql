---
description: "One row per course: rounds, fixes, the shares of fixes missing a timestamp, projected, problem or cached, the coverage of pace, pace gap and battery, and a 0–100 data-quality score."
automation: eager
columns:
  - {name: course_id, description: "The course.", tests: [not_null, unique]}
  - {name: rounds, description: "Rounds of the course.", tests: [not_null]}
  - {name: fixes, description: "Fixes, each (round_id, location_index) once across ingests.", tests: [not_null]}
  - {name: ts_missing_rate, description: "Share of fixes without a timestamp.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - {name: projected_rate, description: "Share of projected fixes.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - {name: problem_rate, description: "Share of problem fixes.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - {name: cached_rate, description: "Share of cached fixes.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - {name: pace_coverage, description: "Share of fixes with a pace.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - {name: pace_gap_coverage, description: "Share of fixes with a pace gap.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - {name: battery_coverage, description: "Share of fixes with a battery level.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - {name: data_quality_score, description: "round(100 × (0.4 × pace_coverage + 0.3 × (1 − ts_missing_rate) + 0.3 × battery_coverage), 1).", tests: [{accepted_range: {min: 0, max: 100}}]}
tests:
  - source_freshness: {source: silver.fact_telemetry_event}
---
WITH counts AS (
    SELECT course_id,
           count(DISTINCT round_id) AS rounds,
           count(*) AS fixes,
           count(*) FILTER (WHERE fix_timestamp IS NULL) AS ts_missing,
           count(*) FILTER (WHERE is_projected) AS projected,
           count(*) FILTER (WHERE is_problem) AS problem,
           count(*) FILTER (WHERE is_cache) AS cached,
           count(pace) AS with_pace,
           count(pace_gap) AS with_pace_gap,
           count(battery_percentage) AS with_battery
    FROM ref('intermediate.unique_telemetry_fix')
    GROUP BY course_id
),
rates AS (
    SELECT course_id, rounds, fixes,
           ts_missing / nullif(fixes, 0) AS ts_missing_rate,
           projected / nullif(fixes, 0) AS projected_rate,
           problem / nullif(fixes, 0) AS problem_rate,
           cached / nullif(fixes, 0) AS cached_rate,
           with_pace / nullif(fixes, 0) AS pace_coverage,
           with_pace_gap / nullif(fixes, 0) AS pace_gap_coverage,
           with_battery / nullif(fixes, 0) AS battery_coverage
    FROM counts
)
SELECT *, round(100 * (0.4 * pace_coverage + 0.3 * (1 - ts_missing_rate) + 0.3 * battery_coverage), 1) AS data_quality_score
FROM rates
