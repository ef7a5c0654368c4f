-- The two mails of a confirmed objection (to the privacy team, and the objector's receipt) are
-- delivered at least once (issue 19: nothing lost). `mail_due` (Unix seconds): from when they
-- are due to be sent; NULL once sent. Confirmation sets it to now and the request that
-- confirms sends them at once; a sender claims the row by moving `mail_due` a lease ahead (so
-- two replicas never send one objection's mails at the same time, and a sender that crashed
-- is followed once the lease ends); a failed delivery moves it a few minutes ahead, and the
-- portal's housekeeping sends what is due. Objections confirmed before this migration were
-- mailed then: NULL.
ALTER TABLE objections ADD COLUMN mail_due BIGINT;
