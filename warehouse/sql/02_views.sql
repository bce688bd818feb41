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

-- Facts as they stand now: every value except the former targets, with where it was first learned.
CREATE OR REPLACE VIEW current_facts AS
SELECT f.entity, f.metric, f.scope, f.period, f.kind, f.value, f.unit, f.qualifier, f.status, f.rule,
       f.n_claims, f.n_sources, f.learned_at, d.path AS learned_from_path, d.publisher AS learned_from_publisher,
       f.explanation, f.policy_version, f.fact_id
FROM facts f
LEFT JOIN documents d ON d.document_id = f.learned_from_document_id
WHERE f.kind <> 'previous';

-- Each value a fact has had as sources were published, with the claims and sources known then: those
-- learned at its own row and at the fact's earlier rows.
CREATE OR REPLACE VIEW fact_value_history AS
WITH known AS (
    SELECT t.*,
           list_sort(flatten(list(t.new_claim_ids) OVER earlier)) AS claim_ids,
           list_sort(flatten(list(t.new_document_ids) OVER earlier)) AS document_ids
    FROM fact_timeline t
    WINDOW earlier AS (PARTITION BY t.fact_id ORDER BY t.step ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT t.entity, t.metric, t.scope, t.period, t.kind, t.value, t.unit, t.status, t.rule, t.known_from, t.known_until,
       d.path AS brought_by_path, d.publisher AS brought_by_publisher,
       (SELECT list(DISTINCT coalesce(s.publisher, s.path) ORDER BY coalesce(s.publisher, s.path))
        FROM unnest(t.document_ids) AS u(document_id) JOIN documents s ON s.document_id = u.document_id) AS sources,
       t.n_sources, t.claim_ids, t.document_ids, t.step, t.fact_id
FROM known t
LEFT JOIN documents d ON d.document_id = t.known_from_document_id;

-- What the warehouse believed on a date: SELECT * FROM facts_as_of(DATE '2024-07-01').
CREATE OR REPLACE MACRO facts_as_of(as_of) AS TABLE
SELECT entity, metric, scope, period, kind, value, unit, status, rule, known_from, known_until, n_sources, fact_id
FROM fact_timeline
WHERE known_from <= CAST(as_of AS TIMESTAMP) AND (known_until IS NULL OR known_until > CAST(as_of AS TIMESTAMP));

-- Disagreements not settled by a revision: the candidates, the provisional value and the signals.
CREATE OR REPLACE VIEW open_conflicts AS
SELECT k.entity, k.metric, k.scope, k.period, k.kind, k.classification, k."values" AS candidate_values,
       k.provisional_value, k.rule, k.signals, k.signal_details, k.n_sources, k.explanation, k.candidates,
       k.conflict_id, k.fact_id
FROM conflicts k
WHERE k.classification <> 'revision';

-- Every claim of every conflict, with its document.
CREATE OR REPLACE VIEW conflict_candidates AS
SELECT k.entity, k.metric, k.scope, k.period, k.kind, k.classification, c.value, c.unit, c.qualifier, c.surface,
       abs(c.value - k.provisional_value) <= c.precision AS provisional, d.path AS document_path, d.publisher, d.tier,
       d.published_date, c.page, c.quote, k.signals, k.conflict_id, c.claim_id
FROM conflicts k
CROSS JOIN unnest(k.claim_ids) AS u(claim_id)
JOIN claims c ON c.claim_id = u.claim_id
JOIN documents d ON d.document_id = c.document_id;

-- The provenance of a fact: all its claims, each with document, publisher, tier, page, quote and offsets.
CREATE OR REPLACE VIEW fact_claims AS
SELECT f.entity, f.metric, f.scope, f.period, f.kind, f.value AS fact_value, f.status AS fact_status,
       c.value AS claim_value, c.unit, c.qualifier, c.surface, c.claim_id = f.chosen_claim_id AS chosen,
       d.path AS document_path, d.publisher, d.tier, d.published_date, c.page, c.quote, c."start", c."end",
       c.claim_id, f.fact_id
FROM facts f
JOIN claims c ON c.entity = f.entity AND c.metric = f.metric AND c.scope = f.scope AND c.period = f.period
             AND c.kind = f.kind
JOIN documents d ON d.document_id = c.document_id;

-- Target chains in order: each value, when it was stated, what superseded it and when.
CREATE OR REPLACE VIEW target_chains AS
SELECT r.entity, r.metric, r.scope, r.period, r.step, r.value, r.unit, r.status, r.stated_on, r.successor_value,
       r.superseded_on, r.cue,
       (SELECT list(DISTINCT coalesce(s.publisher, s.path) ORDER BY coalesce(s.publisher, s.path))
        FROM documents s WHERE list_contains(r.document_ids, s.document_id)) AS sources,
       r.fact_id
FROM target_revisions r;
