---
description: The start-hole shares of each course add up to 1.
---
SELECT course_id, sum(share_of_rounds) AS total
FROM ref('gold.course_start_hole_distribution')
GROUP BY course_id
HAVING abs(sum(share_of_rounds) - 1) > 1e-9
