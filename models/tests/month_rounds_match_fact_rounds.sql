---
description: Every timed round of fact_rounds is counted in exactly one month.
---
SELECT m.course_id, m.total, f.timed
FROM (SELECT course_id, sum(rounds) AS total FROM ref('gold.course_rounds_by_month') GROUP BY course_id) AS m
JOIN (SELECT course_id, count(*) AS timed FROM ref('gold.fact_rounds') WHERE round_start_ts IS NOT NULL GROUP BY course_id) AS f
  ON m.course_id = f.course_id
WHERE m.total <> f.timed
