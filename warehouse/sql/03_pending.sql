-- The (entity, metric, scope, period) groups whose claims changed since their facts were reconciled:
-- written in the transaction that loads documents, emptied in the one that replaces their facts, so a
-- run killed between the two leaves the work to the next one.
CREATE TABLE IF NOT EXISTS pending_groups (
    entity  VARCHAR,
    metric  VARCHAR,
    scope   VARCHAR,
    period  VARCHAR
);
