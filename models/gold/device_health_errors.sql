---
description: "Fixes with battery below 20 %: battery_low, or battery_critical below 10 % (each fix once across ingests)."
automation: eager
columns:
  - {name: course_id, description: "The course.", tests: [not_null]}
  - {name: round_id, description: "The round the device was carried in.", tests: [not_null]}
  - {name: fix_timestamp, description: "When the fix was taken (UTC)."}
  - {name: battery_percentage, description: "The device's battery at the fix.", tests: [not_null, {accepted_range: {min: 0, max: 20}}]}
  - name: health_flag
    description: battery_critical below 10 %, else battery_low.
    tests: [not_null, {accepted_values: {values: [battery_low, battery_critical]}}]
tests:
  - expression: {name: flag_matches_battery, expression: "(health_flag = 'battery_critical') = (battery_percentage < 10)"}
---
SELECT course_id, round_id, fix_timestamp, battery_percentage,
       CASE WHEN battery_percentage < 10 THEN 'battery_critical' ELSE 'battery_low' END AS health_flag
FROM ref('intermediate.unique_telemetry_fix')
WHERE battery_percentage < 20
