-- The sources folder's registry.yaml as the documents now in the warehouse were read with it ('' for
-- none; no row for a warehouse loaded before this table, taken as read with the registry of its next
-- run). A run whose registry differs reads again the files whose entry changed; the new text is written
-- in the transaction that loads them.
CREATE TABLE IF NOT EXISTS source_registry (
    content VARCHAR NOT NULL
);
