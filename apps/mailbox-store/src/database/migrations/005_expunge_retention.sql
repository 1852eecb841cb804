-- 005_expunge_retention: expunge records (the UIDs QRESYNC's VANISHED
-- (EARLIER) reports, RFC 7162 §3.2.5.1) are kept for a while, not forever.
-- Every POP3 download that deletes what it fetched adds one per message, so
-- without an end the table grows for as long as the mailbox lives.
-- * expunged_at: when the UID was removed; records older than
--   EXPUNGE_RECORD_RETENTION are pruned (expunge-records.ts).
-- * mailboxes.expunges_forgotten_modseq: the highest modseq of a pruned
--   record of the folder. A client resynchronising from a modseq below it
--   is told every UID of its range that is not in the folder (a superset of
--   what was expunged since: RFC 7162 lets VANISHED (EARLIER) name UIDs the
--   client never had, which it ignores).
-- Both are fast column additions (constant or stable defaults: no rewrite).
ALTER TABLE expunged_entries ADD COLUMN expunged_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX expunged_entries_expunged_at_idx ON expunged_entries (expunged_at);
ALTER TABLE mailboxes ADD COLUMN expunges_forgotten_modseq bigint NOT NULL DEFAULT 0;
