-- The audit chain is keyed: each row's hash is an HMAC-SHA-256 under a key derived from the
-- portal's key file (never stored here), and `key_id` names that key. Rows written before this
-- migration keep NULL and their plain SHA-256; the portal anchors them with a keyed row the first
-- time it opens the store with its key (see src/portal/audit/mod.rs).
ALTER TABLE audit ADD COLUMN key_id TEXT;

-- The per-recipient mail limit counts an address's unconfirmed requests of the last day.
CREATE INDEX requests_by_email ON requests (email, created_at);
CREATE INDEX signing_requests_by_email ON signing_requests (email, created_at);
