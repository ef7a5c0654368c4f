-- The console's slowest queries at 100,000 audit rows (benches/console.sh): downloads per day
-- (`event = 'download' AND at >= …`) and the audit log filtered by an admin's decisions
-- (`detail` starting `by <address>`, as a range the index can serve).
CREATE INDEX audit_by_event_at ON audit (event, at);
CREATE INDEX audit_by_detail ON audit (detail);
