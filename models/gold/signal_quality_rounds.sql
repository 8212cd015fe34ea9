---
description: Per round how many fixes were projected or problems, and their shares (from fact_rounds).
automation: eager
columns:
  - {name: course_id, description: "The course.", tests: [not_null]}
  - {name: round_id, description: "The round.", tests: [not_null]}
  - {name: fix_count, description: "Fixes of the round, each once.", tests: [not_null]}
  - {name: projected_fix_count, description: "Fixes whose position was projected.", tests: [not_null]}
  - {name: problem_fix_count, description: "Fixes flagged as a problem.", tests: [not_null]}
  - {name: projected_rate, description: "projected_fix_count / fix_count.", tests: [{accepted_range: {min: 0, max: 1}}]}
  - {name: problem_rate, description: "problem_fix_count / fix_count.", tests: [{accepted_range: {min: 0, max: 1}}]}
tests:
  - unique: {columns: [course_id, round_id]}
---
SELECT course_id, round_id, fix_count, projected_fix_count, problem_fix_count, projected_rate, problem_rate
FROM ref('gold.fact_rounds')
