-- The version of these SQL files the warehouse's views and macro were last created from: a run whose
-- files are the same leaves them (replacing a view drops its comments, written again with it).
CREATE TABLE IF NOT EXISTS schema_version (
    fingerprint VARCHAR NOT NULL
);
