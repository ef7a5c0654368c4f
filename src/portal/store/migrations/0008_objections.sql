-- Objections to subprocessor changes (issue 19). A row is written when the form is sent, with
-- `confirmed_at` empty until the objector confirms the address from the mailed link (by POST);
-- only confirmed rows are objections (the CLI and the console list nothing else), and an
-- unconfirmed row is deleted once its link has expired. The change is kept as it was when the
-- objection came in (`subprocessor`, `kind`, `effective`, `deadline`: YYYY-MM-DD), so the record
-- stands even when the register changes. `late` (0/1): received after the objection deadline,
-- accepted all the same. `grant_id`: a grant of the address active at confirmation;
-- `subscribed` (0/1): the address was a confirmed subscriber then (evidence for the legal team).
CREATE TABLE objections (
    id           TEXT PRIMARY KEY,
    change_id    TEXT NOT NULL,
    subprocessor TEXT NOT NULL,
    kind         TEXT NOT NULL,
    effective    TEXT NOT NULL,
    deadline     TEXT NOT NULL,
    company      TEXT NOT NULL,
    contact      TEXT NOT NULL,
    email        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    lang         TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    confirmed_at BIGINT,
    late         BIGINT NOT NULL,
    grant_id     TEXT,
    subscribed   BIGINT NOT NULL
);
CREATE INDEX objections_by_change ON objections (change_id, received_at);
CREATE INDEX objections_by_email ON objections (email, received_at);
