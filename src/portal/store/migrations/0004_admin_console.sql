-- The admin console. Admins themselves are configured in site.yaml (`portal.admins`, reviewed in
-- git); the store holds what they enrol and do: second factors, sign-in links, sessions,
-- automatic approval rules and the settings changed at run time.

-- A mailed sign-in link, usable once. Only the SHA-256 of its random part is kept.
CREATE TABLE admin_links (
    nonce_hash TEXT PRIMARY KEY,
    email      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- A console session. `stage` is `second_factor` (link used, factor not yet proven), `enrol`
-- (link used by an admin without a factor) or `active`. Only the SHA-256 of the cookie's value is
-- kept; `ceremony` holds a WebAuthn ceremony's server state (or a TOTP secret being enrolled,
-- sealed) between its two requests.
CREATE TABLE admin_sessions (
    id_hash     TEXT PRIMARY KEY,
    email       TEXT NOT NULL,
    stage       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    last_seen   BIGINT NOT NULL,
    revoked_at  BIGINT,
    ceremony    TEXT,
    ip          TEXT,
    user_agent  TEXT
);
CREATE INDEX admin_sessions_by_email ON admin_sessions (email, created_at);

-- Second factors: passkeys (webauthn-rs' `Passkey`, JSON) and TOTP secrets (sealed with a key
-- derived from the key file). `last_step` is the last TOTP time step accepted (no replay).
CREATE TABLE admin_factors (
    id           TEXT PRIMARY KEY,
    email        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    label        TEXT NOT NULL,
    data         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    last_step    BIGINT
);
CREATE INDEX admin_factors_by_email ON admin_factors (email);

-- Automatic approval: confirmed requesters whose address is at `domain` are approved at once
-- for `documents` (document ids separated by spaces, or `*` for every gated document).
CREATE TABLE approval_rules (
    id         TEXT PRIMARY KEY,
    domain     TEXT NOT NULL,
    documents  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX approval_rules_by_domain ON approval_rules (domain);

-- Settings changed in the console (`watermark:<document id>` = `off`), read by every replica.
CREATE TABLE portal_settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

-- The console's lists: grants by state and time, the audit log by event, document and address.
CREATE INDEX grants_by_created ON grants (created_at);
CREATE INDEX requests_by_created ON requests (created_at);
CREATE INDEX audit_by_event ON audit (event, seq);
CREATE INDEX audit_by_document ON audit (document_id, seq);
CREATE INDEX audit_by_email ON audit (email, seq);
CREATE INDEX audit_by_at ON audit (at);

-- Where the log starts once old rows were deleted (`candor audit prune`): the last deleted row's
-- sequence number and hash, how many rows went, the cut-off and when, sealed with a MAC under
-- the audit key (`key_id`). The newest one is where verification starts.
CREATE TABLE audit_prunes (
    seq       BIGINT PRIMARY KEY,
    hash      TEXT NOT NULL,
    deleted   BIGINT NOT NULL,
    cutoff    TEXT NOT NULL,
    pruned_at TEXT NOT NULL,
    key_id    TEXT NOT NULL,
    mac       TEXT NOT NULL,
    site      TEXT NOT NULL
);

-- Resending a grant's mail mints a link with a new nonce; only the newest one opens the grant
-- (NULL: any link signed for the grant, as before).
ALTER TABLE grants ADD COLUMN link_nonce TEXT;
