-- Notices to subscribers (issue 19, `candor notify`).
--
-- `notices`: one row per mail-out (a change set of one topic, or one document's new version),
-- with what it says as JSON (`payload`), so that sending after a crash needs nothing but the
-- store. `baseline` notices record what was already published when notify first ran; they are
-- never mailed.
CREATE TABLE notices (
    id          TEXT PRIMARY KEY,
    topic       TEXT NOT NULL,
    document_id TEXT,
    payload     TEXT NOT NULL,
    baseline    BIGINT NOT NULL,
    recipients  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
-- `announcements`: every published item ever announced (or recorded by the baseline), by its
-- topic and key. The primary key makes announcing idempotent: a second `candor notify` (another
-- replica, a rerun) that tries to announce an item again fails its transaction.
CREATE TABLE announcements (
    topic        TEXT NOT NULL,
    item         TEXT NOT NULL,
    notice_id    TEXT NOT NULL,
    digest       TEXT NOT NULL,
    announced_at BIGINT NOT NULL,
    PRIMARY KEY (topic, item)
);
-- `outbox`: one row per notice and subscriber (unique: enqueuing twice adds nothing). Only the
-- subscriber's id is kept: the address is read when sending, so an unsubscribed (deleted)
-- subscriber is skipped. `status`: pending, sent, failed (after the last attempt) or skipped.
-- A sender claims a row by setting `claim` and `claimed_until` (a lease) where no lease holds,
-- so two processes never send one row; a crashed sender's lease runs out and the row is sent
-- by the next run. `message_id` is fixed when the row is made, so a resent message keeps it.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    notice_id       TEXT NOT NULL,
    subscriber_id   TEXT NOT NULL,
    lang            TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    claim           TEXT,
    claimed_until   BIGINT,
    last_error      TEXT,
    message_id      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT,
    UNIQUE (notice_id, subscriber_id)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX subscribers_by_status ON subscribers (status, consent_at);
