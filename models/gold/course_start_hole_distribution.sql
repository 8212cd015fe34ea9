---
description: "How a course's rounds spread over start holes (shotgun and two-tee starts show here): rounds per start hole and their share of the course's rounds. A null start hole is its own row."
automation: eager
columns:
  - {name: course_id, description: "The course.", tests: [not_null]}
  - {name: start_hole, description: "The hole rounds started on (null when unknown)."}
  - {name: rounds, description: "Rounds with that start hole.", tests: [not_null]}
  - {name: share_of_rounds, description: "rounds / all rounds of the course.", tests: [not_null, {accepted_range: {min: 0, max: 1}}]}
tests:
  - unique: {columns: [course_id, start_hole]}
---
SELECT course_id, start_hole,
       count(*) AS rounds,
       count(*) / sum(count(*)) OVER (PARTITION BY course_id) AS share_of_rounds
FROM ref('gold.fact_rounds')
GROUP BY course_id, start_hole
