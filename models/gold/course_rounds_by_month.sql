---
description: "Rounds per course and calendar month of round_start_ts (UTC): how many, how many complete and nine-hole, mean duration and fixes. Rounds without a start time are left out."
automation: eager
columns:
  - {name: course_id, description: "The course.", tests: [not_null]}
  - {name: year, description: "Year of round_start_ts (UTC).", tests: [not_null]}
  - {name: month, description: "Month 1–12 of round_start_ts (UTC).", tests: [not_null, {accepted_range: {min: 1, max: 12}}]}
  - {name: rounds, description: "Rounds started in the month.", tests: [not_null, {accepted_range: {min: 1}}]}
  - {name: complete_rounds, description: "Of them, marked complete.", tests: [not_null]}
  - {name: nine_hole_rounds, description: "Of them, booked as nine holes.", tests: [not_null]}
  - {name: avg_duration_sec, description: "Mean duration_sec of the month's rounds."}
  - {name: avg_fix_count, description: "Mean fixes per round."}
tests:
  - unique: {columns: [course_id, year, month]}
  - expression: {name: complete_within_rounds, expression: "complete_rounds <= rounds AND nine_hole_rounds <= rounds"}
---
SELECT course_id,
       CAST(year(round_start_ts) AS INTEGER) AS year,
       CAST(month(round_start_ts) AS INTEGER) AS month,
       count(*) AS rounds,
       count(*) FILTER (WHERE is_complete) AS complete_rounds,
       count(*) FILTER (WHERE is_nine_hole) AS nine_hole_rounds,
       avg(duration_sec) AS avg_duration_sec,
       avg(fix_count) AS avg_fix_count
FROM ref('gold.fact_rounds')
WHERE round_start_ts IS NOT NULL
GROUP BY course_id, year(round_start_ts), month(round_start_ts)
