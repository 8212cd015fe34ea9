-- Alerts (issue 12): every delivery of a failed run's message to a webhook, with how many attempts it took and how it ended.
-- The webhook is stored by its origin only: its path often carries a token.
CREATE TABLE alert_deliveries (
    id           {id},
    run_id       text NOT NULL,
    webhook      text NOT NULL,
    attempts     integer NOT NULL,
    status_code  integer,
    succeeded    {bool} NOT NULL,
    error        text,
    delivered_at {time} NOT NULL
);
CREATE INDEX ix_alert_deliveries_run ON alert_deliveries (run_id, id);
