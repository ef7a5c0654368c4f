-- The portal's store. Portable SQL: the same statements run on SQLite and PostgreSQL.
-- Times are Unix seconds (BIGINT) except in the audit log, whose canonical form uses RFC 3339.

CREATE TABLE requests (
    id           TEXT PRIMARY KEY,
    created_at   BIGINT NOT NULL,
    lang         TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    company      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    nda_version  TEXT,
    nda_sha256   TEXT,
    status       TEXT NOT NULL,
    verified_at  BIGINT,
    decided_at   BIGINT,
    decided_by   TEXT,
    grant_id     TEXT
);
CREATE INDEX requests_by_status ON requests (status, created_at);

CREATE TABLE grants (
    id            TEXT PRIMARY KEY,
    request_id    TEXT NOT NULL REFERENCES requests (id),
    document_id   TEXT NOT NULL,
    lang          TEXT NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    company       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT,
    max_downloads BIGINT NOT NULL,
    downloads     BIGINT NOT NULL
);

CREATE TABLE audit (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    event       TEXT NOT NULL,
    request_id  TEXT,
    grant_id    TEXT,
    document_id TEXT,
    version     TEXT,
    email       TEXT,
    ip          TEXT,
    user_agent  TEXT,
    detail      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

-- The newest row's sequence number and hash: appending updates it first, which serialises
-- appends (a row lock on PostgreSQL, the write lock on SQLite) and reveals removed tail rows.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Fixed-window counters for rate limits that must hold across replicas.
CREATE TABLE rate_limits (
    bucket       TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL
);
