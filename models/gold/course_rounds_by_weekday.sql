---
description: "Rounds per course and ISO weekday of round_start_ts (UTC; 1 = Monday … 7 = Sunday) with their mean duration. Rounds without a start time are left out."
automation: eager
columns:
  - {name: course_id, description: "The course.", tests: [not_null]}
  - {name: iso_weekday, description: "1 = Monday … 7 = Sunday (UTC).", tests: [not_null, {accepted_range: {min: 1, max: 7}}]}
  - {name: rounds, description: "Rounds started on that weekday.", tests: [not_null]}
  - {name: avg_duration_sec, description: "Mean duration_sec of those rounds."}
tests:
  - unique: {columns: [course_id, iso_weekday]}
---
SELECT course_id,
       CAST(isodow(round_start_ts) AS INTEGER) AS iso_weekday,
       count(*) AS rounds,
       avg(duration_sec) AS avg_duration_sec
FROM ref('gold.fact_rounds')
WHERE round_start_ts IS NOT NULL
GROUP BY course_id, isodow(round_start_ts)
