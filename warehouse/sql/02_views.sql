-- Views for analysts: each number with the sentence and document it came from.

CREATE OR REPLACE VIEW fact_provenance AS
SELECT f.entity, f.metric, f.scope, f.period, f.kind, f.value, f.unit, f.qualifier, f.status, f.rule,
       f.n_claims, f.n_sources, f.superseded_value, f.explanation,
       c.quote, c.surface, c.context, c.page, d.path AS document_path, d.publisher, d.tier, d.published_date,
       d.url, f.fact_id
FROM facts f
JOIN claims c ON c.claim_id = f.chosen_claim_id
JOIN documents d ON d.document_id = c.document_id;

CREATE OR REPLACE VIEW claim_provenance AS
SELECT c.entity, c.metric, c.scope, c.period, c.kind, c.value, c.unit, c.qualifier, c.surface, c.quote,
       c.context, c."start", c."end", c.page, d.path AS document_path, d.publisher, d.tier, d.published_date,
       d.language, d.url, c.claim_id, c.document_id
FROM claims c
JOIN documents d USING (document_id);

CREATE OR REPLACE VIEW disputed_facts AS
SELECT f.entity, f.metric, f.scope, f.period, f.kind, f.value, f.unit, k.classification, k.resolution,
       k."values", k.document_ids, k.explanation
FROM facts f
JOIN conflicts k USING (fact_id)
WHERE f.status IN ('disputed', 'revised');

CREATE OR REPLACE VIEW rejected_documents AS
SELECT path, format, error, size_bytes, loaded_at FROM documents WHERE status = 'rejected';
