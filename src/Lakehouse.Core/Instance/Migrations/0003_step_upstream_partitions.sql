-- The plan is fixed when stored: each step keeps, for each upstream asset, the partitions it reads ({"asset": ["key", ...]}),
-- as the planner chose them, so nothing computes them again when the step runs. Steps of runs stored before this
-- migration read nothing ('{}').
ALTER TABLE run_steps ADD COLUMN upstream_partitions {json} NOT NULL DEFAULT '{}';
