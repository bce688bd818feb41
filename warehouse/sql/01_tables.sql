-- The warehouse tables. Column comments come from the Pandera schemas (schemas/), applied by the loader.
-- Each table's key (TABLE_KEYS in warehouse/loader.py) is kept by the loader and the blocking schema
-- checks, not by PRIMARY KEY constraints: DuckDB keeps those as indexes that every commit writes whole.

CREATE TABLE IF NOT EXISTS documents (
    document_id     VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,
    paths           VARCHAR[] NOT NULL,
    publisher       VARCHAR,
    tier            VARCHAR,
    url             VARCHAR,
    language        VARCHAR,
    published_date  DATE,
    format          VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,
    error           VARCHAR,
    title           VARCHAR,
    text            VARCHAR,
    repairs         VARCHAR,
    n_chars         BIGINT NOT NULL,
    n_pages         BIGINT,
    page_starts     BIGINT[],
    size_bytes      BIGINT NOT NULL,
    n_claims        BIGINT NOT NULL,
    n_quarantined   BIGINT NOT NULL,
    loaded_at       TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS claims (
    claim_id           VARCHAR NOT NULL,
    document_id        VARCHAR NOT NULL,
    document           VARCHAR NOT NULL,
    entity             VARCHAR NOT NULL,
    metric             VARCHAR NOT NULL,
    scope              VARCHAR NOT NULL,
    period             VARCHAR NOT NULL,
    value              DOUBLE NOT NULL,
    unit               VARCHAR NOT NULL,
    kind               VARCHAR NOT NULL,
    qualifier          VARCHAR NOT NULL,
    "start"            BIGINT NOT NULL,
    "end"              BIGINT NOT NULL,
    page               BIGINT,
    quote              VARCHAR NOT NULL,
    surface            VARCHAR NOT NULL,
    context            VARCHAR NOT NULL,
    precision          DOUBLE NOT NULL,
    notes              VARCHAR NOT NULL,
    extractor_version  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantined_claims (
    claim_id           VARCHAR NOT NULL,
    document_id        VARCHAR NOT NULL,
    document           VARCHAR NOT NULL,
    entity             VARCHAR,
    metric             VARCHAR,
    scope              VARCHAR,
    period             VARCHAR,
    value              DOUBLE,
    unit               VARCHAR,
    kind               VARCHAR,
    qualifier          VARCHAR,
    "start"            BIGINT,
    "end"              BIGINT,
    page               BIGINT,
    quote              VARCHAR,
    surface            VARCHAR,
    context            VARCHAR,
    extractor_version  VARCHAR NOT NULL,
    reasons            VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS facts (
    fact_id           VARCHAR NOT NULL,
    entity            VARCHAR NOT NULL,
    metric            VARCHAR NOT NULL,
    scope             VARCHAR NOT NULL,
    period            VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,
    value             DOUBLE NOT NULL,
    unit              VARCHAR NOT NULL,
    qualifier         VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,
    rule              VARCHAR NOT NULL,
    chosen_claim_id   VARCHAR NOT NULL,
    n_claims          BIGINT NOT NULL,
    n_sources         BIGINT NOT NULL,
    superseded_value  DOUBLE,
    superseded_by_value DOUBLE,
    explanation       VARCHAR NOT NULL,
    learned_at        TIMESTAMP,
    learned_from_document_id VARCHAR NOT NULL,
    policy_version    VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS conflicts (
    conflict_id     VARCHAR NOT NULL,
    fact_id         VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    metric          VARCHAR NOT NULL,
    scope           VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    classification  VARCHAR NOT NULL,
    resolution      VARCHAR NOT NULL,
    "values"        DOUBLE[] NOT NULL,
    claim_ids       VARCHAR[] NOT NULL,
    document_ids    VARCHAR[] NOT NULL,
    n_sources       BIGINT NOT NULL,
    explanation     VARCHAR NOT NULL,
    provisional_value DOUBLE,
    rule            VARCHAR,
    signals         VARCHAR[] NOT NULL,
    signal_details  VARCHAR[] NOT NULL,
    candidates      VARCHAR NOT NULL,
    policy_version  VARCHAR NOT NULL
);

-- Every value a target has had, in order, each superseded value linked to its successor.
CREATE TABLE IF NOT EXISTS target_revisions (
    fact_id          VARCHAR NOT NULL,
    entity           VARCHAR NOT NULL,
    metric           VARCHAR NOT NULL,
    scope            VARCHAR NOT NULL,
    period           VARCHAR NOT NULL,
    step             BIGINT NOT NULL,
    value            DOUBLE NOT NULL,
    unit             VARCHAR NOT NULL,
    status           VARCHAR NOT NULL,
    stated_on        TIMESTAMP,
    successor_value  DOUBLE,
    superseded_on    TIMESTAMP,
    cue              VARCHAR,
    claim_ids        VARCHAR[] NOT NULL,
    document_ids     VARCHAR[] NOT NULL,
    policy_version   VARCHAR NOT NULL
);

-- What the warehouse believed about each fact as sources were published (the facts' knowledge time). Each row
-- lists the claims learned since the fact's previous row; fact_value_history gathers all those known then.
CREATE TABLE IF NOT EXISTS fact_timeline (
    fact_id                 VARCHAR NOT NULL,
    entity                  VARCHAR NOT NULL,
    metric                  VARCHAR NOT NULL,
    scope                   VARCHAR NOT NULL,
    period                  VARCHAR NOT NULL,
    kind                    VARCHAR NOT NULL,
    value                   DOUBLE NOT NULL,
    unit                    VARCHAR NOT NULL,
    status                  VARCHAR NOT NULL,
    rule                    VARCHAR NOT NULL,
    known_from              TIMESTAMP,
    known_until             TIMESTAMP,
    known_from_document_id  VARCHAR NOT NULL,
    step                    BIGINT NOT NULL,
    new_claim_ids           VARCHAR[] NOT NULL,
    new_document_ids        VARCHAR[] NOT NULL,
    n_sources               BIGINT NOT NULL,
    policy_version          VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS consistency_warnings (
    warning_id   VARCHAR NOT NULL,
    entity       VARCHAR NOT NULL,
    relation     VARCHAR NOT NULL,
    metric       VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,
    period       VARCHAR NOT NULL,
    expected     DOUBLE NOT NULL,
    stated       DOUBLE NOT NULL,
    difference   DOUBLE NOT NULL,
    tolerance    DOUBLE NOT NULL,
    fact_ids     VARCHAR[] NOT NULL,
    explanation  VARCHAR NOT NULL
);

-- Every value a fact has had: a row is closed (valid_to set) when the fact's value or status changes.
CREATE TABLE IF NOT EXISTS fact_history (
    fact_id     VARCHAR NOT NULL,
    entity      VARCHAR NOT NULL,
    metric      VARCHAR NOT NULL,
    scope       VARCHAR NOT NULL,
    period      VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    value       DOUBLE NOT NULL,
    unit        VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,
    rule        VARCHAR NOT NULL,
    valid_from  TIMESTAMP NOT NULL,
    valid_to    TIMESTAMP
);

-- Every content each path has held. Unlike the tables above, it is never rebuilt: it is the memory of
-- earlier runs (a changed file's previous version, a deleted file).
CREATE TABLE IF NOT EXISTS document_versions (
    path         VARCHAR NOT NULL,
    document_id  VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    first_seen   TIMESTAMP NOT NULL,
    last_seen    TIMESTAMP NOT NULL,
    current      BOOLEAN NOT NULL
);
