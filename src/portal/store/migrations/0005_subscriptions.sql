-- Subscriptions (issue 19): one row per address, kept only while it is subscribed or waiting for
-- its confirmation. Unsubscribing deletes the row; the audit log keeps only the SHA-256 of the
-- address. `topics` and `documents` are names separated by spaces (`documents` = `*`: every
-- document). `consent_text_sha256` is the SHA-256 of the consent sentence shown next to the
-- checkbox, in `lang`, at `consent_at`.
CREATE TABLE subscribers (
    id                  TEXT PRIMARY KEY,
    email               TEXT NOT NULL,
    lang                TEXT NOT NULL,
    topics              TEXT NOT NULL,
    documents           TEXT NOT NULL,
    status              TEXT NOT NULL,
    consent_at          BIGINT NOT NULL,
    consent_text_sha256 TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    confirmed_at        BIGINT
);
CREATE UNIQUE INDEX subscribers_by_email ON subscribers (email);
