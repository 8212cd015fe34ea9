---
description: Per round its start and end, fix count and mean pace, pace gap and positional gap (from fact_rounds).
automation: eager
columns:
  - {name: course_id, description: "The course.", tests: [not_null]}
  - {name: round_id, description: "The round.", tests: [not_null, {relationships: {to: gold.fact_rounds, field: round_id}}]}
  - {name: round_start_ts, description: "The round's first fix time (UTC)."}
  - {name: round_end_ts, description: "The round's last fix time (UTC)."}
  - {name: fix_count, description: "Fixes of the round, each once.", tests: [not_null]}
  - {name: avg_pace, description: "Mean pace in seconds (behind the goal time when positive)."}
  - {name: avg_pace_gap, description: "Mean gap in seconds to the group ahead."}
  - {name: avg_positional_gap, description: "Mean positional gap to the group ahead."}
tests:
  - unique: {columns: [course_id, round_id]}
---
SELECT course_id, round_id, round_start_ts, round_end_ts, fix_count,
       avg_pace_sec AS avg_pace, avg_pace_gap_sec AS avg_pace_gap, avg_positional_gap
FROM ref('gold.fact_rounds')
