-- Concluding agreements online. A signing request is an e-mail address to prove for one
-- signable document; once proven, it may be used for exactly one executed agreement.

CREATE TABLE signing_requests (
    id           TEXT PRIMARY KEY,
    created_at   BIGINT NOT NULL,
    lang         TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    email        TEXT NOT NULL,
    verified_at  BIGINT,
    agreement_id TEXT
);

-- An executed agreement. The signed PDF lives in the file area under its id; its SHA-256 is
-- here and in the audit chain. Rows are never updated.
CREATE TABLE agreements (
    id                TEXT PRIMARY KEY,
    request_id        TEXT NOT NULL REFERENCES signing_requests (id),
    document_id       TEXT NOT NULL,
    version           TEXT NOT NULL,
    lang              TEXT NOT NULL,
    text_sha256       TEXT NOT NULL,
    company           TEXT NOT NULL,
    address           TEXT NOT NULL,
    registration      TEXT NOT NULL,
    privacy_contact   TEXT NOT NULL,
    signatory_name    TEXT NOT NULL,
    signatory_title   TEXT NOT NULL,
    signatory_email   TEXT NOT NULL,
    email             TEXT NOT NULL,
    email_verified_at BIGINT NOT NULL,
    signed_at         BIGINT NOT NULL,
    ip                TEXT NOT NULL,
    user_agent        TEXT NOT NULL,
    pdf_sha256        TEXT NOT NULL,
    pdf_size          BIGINT NOT NULL
);
CREATE INDEX agreements_by_email ON agreements (email, signed_at);
