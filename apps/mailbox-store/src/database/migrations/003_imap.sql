-- 003_imap: what IMAP4rev2 (RFC 9051) needs of the mailboxes, added to the
-- tables POP3 already reads. Existing mailboxes, entries and their POP3
-- UIDLs (mailbox_entries.uid) are kept as they are.
--
-- Decisions:
-- * UIDVALIDITY (RFC 9051 §2.3.1.1) comes from a sequence started at the
--   Unix time of this migration: every mailbox ever created gets a value
--   greater than the ones before, so a mailbox deleted and created again
--   under the same name never shows old UIDs under the same UIDVALIDITY.
-- * UIDs are allocated per mailbox by `UPDATE mailboxes SET uid_next =
--   uid_next + n RETURNING`: the mailbox row stays locked until commit, so
--   UIDs become visible in ascending order and are never reused.
-- * MODSEQ (RFC 7162 §3.1) is per mailbox (highest_modseq), bumped with
--   every change (delivery, append, copy, flags, expunge) under the same lock.
-- * flags text[] holds both the system flags, spelled canonically with their
--   backslash (\Seen \Answered \Flagged \Deleted \Draft), and keywords.
-- * The internal date is mailbox_entries.received_at.
-- * Full-text search is not indexed yet: SEARCH TEXT/BODY scan a bounded
--   prefix of each message in SQL. BODYSTRUCTURE is computed by imap-server
--   from the raw octets (nothing more is parsed at delivery: issue 15).

CREATE SEQUENCE mailbox_uid_validity_seq MINVALUE 1 MAXVALUE 4294967295;
SELECT setval('mailbox_uid_validity_seq', greatest(1, extract(epoch FROM now())::bigint));

ALTER TABLE mailboxes
  ADD COLUMN uid_validity bigint NOT NULL DEFAULT nextval('mailbox_uid_validity_seq') CHECK (uid_validity BETWEEN 1 AND 4294967295),
  -- the next UID to give; 4294967296 once every 32-bit UID is used (RFC 9051 §2.3.1.1: nz-number)
  ADD COLUMN uid_next bigint NOT NULL DEFAULT 1 CHECK (uid_next BETWEEN 1 AND 4294967296),
  ADD COLUMN highest_modseq bigint NOT NULL DEFAULT 1 CHECK (highest_modseq >= 1),
  -- RFC 6154 §2: at most one mailbox of a user per attribute
  ADD COLUMN special_use text CHECK (special_use IN ('\All', '\Archive', '\Drafts', '\Flagged', '\Junk', '\Sent', '\Trash')),
  ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
  -- hierarchy delimiter `/`: no empty level
  ADD CONSTRAINT mailboxes_name_form_check CHECK (name NOT LIKE '/%' AND name NOT LIKE '%/' AND name NOT LIKE '%//%');
CREATE UNIQUE INDEX mailboxes_special_use_key ON mailboxes (user_id, special_use) WHERE special_use IS NOT NULL;

UPDATE mailboxes SET special_use = '\Junk' WHERE name = 'Junk';
INSERT INTO mailboxes (user_id, name, special_use)
SELECT u.id, f.name, f.special_use
  FROM users u CROSS JOIN (VALUES ('Drafts', '\Drafts'), ('Sent', '\Sent'), ('Trash', '\Trash'), ('Archive', '\Archive')) AS f(name, special_use)
ON CONFLICT (user_id, name) DO NOTHING;

ALTER TABLE mailbox_entries
  ADD COLUMN imap_uid bigint CHECK (imap_uid BETWEEN 1 AND 4294967295),
  ADD COLUMN modseq bigint NOT NULL DEFAULT 1 CHECK (modseq >= 1),
  -- how the entry came: delivered (the key of exactly-once delivery), copied (IMAP COPY) or appended (IMAP APPEND)
  ADD COLUMN origin text NOT NULL DEFAULT 'delivery' CHECK (origin IN ('delivery', 'copy', 'append'));

-- Existing entries get UIDs in their received order, as POP3 lists them.
UPDATE mailbox_entries e SET imap_uid = n.imap_uid
  FROM (SELECT id, row_number() OVER (PARTITION BY mailbox_id ORDER BY received_at, uid) AS imap_uid FROM mailbox_entries) n
 WHERE e.id = n.id;
UPDATE mailboxes mb SET uid_next = coalesce((SELECT max(e.imap_uid) FROM mailbox_entries e WHERE e.mailbox_id = mb.id), 0) + 1;
ALTER TABLE mailbox_entries
  ALTER COLUMN imap_uid SET NOT NULL,
  ALTER COLUMN modseq DROP DEFAULT,
  ADD CONSTRAINT mailbox_entries_mailbox_uid_key UNIQUE (mailbox_id, imap_uid);
-- CONDSTORE/QRESYNC: what changed in a mailbox since a modseq
CREATE INDEX mailbox_entries_modseq_idx ON mailbox_entries (mailbox_id, modseq);

-- A user holds a delivered message once (delivery stays idempotent), but
-- may hold copies of it beside (IMAP COPY).
ALTER TABLE mailbox_entries DROP CONSTRAINT mailbox_entries_message_id_user_id_key;
CREATE UNIQUE INDEX mailbox_entries_delivery_key ON mailbox_entries (message_id, user_id) WHERE origin = 'delivery';
-- the entries of a message (unreferenced-messages.ts), copies and appends included
CREATE INDEX mailbox_entries_message_id_idx ON mailbox_entries (message_id);

-- The UIDs expunged from a mailbox, with the modseq of their expunge:
-- QRESYNC's VANISHED (EARLIER) (RFC 7162 §3.2.5.1). Gone with the mailbox.
CREATE TABLE expunged_entries (
  mailbox_id  bigint NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
  imap_uid    bigint NOT NULL,
  modseq      bigint NOT NULL,
  PRIMARY KEY (mailbox_id, imap_uid)
);
CREATE INDEX expunged_entries_modseq_idx ON expunged_entries (mailbox_id, modseq);

-- RFC 9051 §6.3.7: subscriptions are names, kept when the mailbox goes.
CREATE TABLE mailbox_subscriptions (
  user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name     text NOT NULL CHECK (name <> ''),
  PRIMARY KEY (user_id, name)
);
INSERT INTO mailbox_subscriptions (user_id, name) SELECT user_id, name FROM mailboxes;
