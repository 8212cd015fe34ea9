---
description: "One row per course: the dates of its first and last round, rounds, the highest hole and section seen, its layout and mean fixes per round."
automation: eager
columns:
  - {name: course_id, description: "The course.", tests: [not_null, unique]}
  - {name: first_round_date, description: "UTC date of the earliest round_start_ts."}
  - {name: last_round_date, description: "UTC date of the latest round_start_ts."}
  - {name: rounds, description: "Rounds of the course.", tests: [not_null]}
  - {name: max_hole_number, description: "Highest hole number of any fix."}
  - {name: max_section_number, description: "Highest section number of any fix."}
  - name: course_layout
    description: "'27' if max section > 54, '18' if > 27, else '9'."
    tests: [not_null, {accepted_values: {values: ['9', '18', '27']}}]
  - {name: avg_fixes_per_round, description: "Mean fix_count of the course's rounds."}
tests:
  - expression: {name: first_before_last, expression: "first_round_date <= last_round_date"}
---
-- The maxima are the same whichever copy of a fix is kept, so they come straight from the rounds' fixes.
WITH rounds AS (
    SELECT course_id, min(round_start_ts) AS first_ts, max(round_start_ts) AS last_ts, count(*) AS rounds,
           avg(fix_count) AS avg_fixes_per_round
    FROM ref('gold.fact_rounds')
    GROUP BY course_id
),
layout AS (
    SELECT course_id, max(hole_number) AS max_hole_number, max(section_number) AS max_section_number
    FROM ref('intermediate.unique_telemetry_fix')
    GROUP BY course_id
)
SELECT r.course_id,
       CAST(r.first_ts AS DATE) AS first_round_date,
       CAST(r.last_ts AS DATE) AS last_round_date,
       r.rounds,
       l.max_hole_number,
       l.max_section_number,
       CASE WHEN l.max_section_number > 54 THEN '27' WHEN l.max_section_number > 27 THEN '18' ELSE '9' END AS course_layout,
       r.avg_fixes_per_round
FROM rounds AS r LEFT JOIN layout AS l ON r.course_id = l.course_id
