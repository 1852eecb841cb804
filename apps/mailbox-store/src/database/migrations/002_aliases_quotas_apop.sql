-- 002_aliases_quotas_apop: aliases with several targets and per-domain
-- catch-alls, quota accounting, and the encrypted APOP secret.

-- An alias delivers to one or more local users. Its address is
-- `local@domain`, or `@domain` for the domain's catch-all (used only when
-- the address is neither a user nor an alias). The table was reserved and
-- unused until now; any row is carried over as a one-target alias.
ALTER TABLE aliases ADD COLUMN targets text[];
UPDATE aliases SET targets = ARRAY[lower(target)];
ALTER TABLE aliases
  ALTER COLUMN targets SET NOT NULL,
  DROP COLUMN target,
  ADD CONSTRAINT aliases_targets_check CHECK (cardinality(targets) BETWEEN 1 AND 100),
  ADD CONSTRAINT aliases_address_form_check CHECK (address LIKE '%@_%');
CREATE INDEX aliases_domain_id_idx ON aliases (domain_id);

-- APOP (RFC 1939 §7) needs the shared secret itself, so it is stored
-- reversibly: AES-256-GCM under APOP_SECRET_KEY, bound to the address
-- (aes-256-gcm$<key id>$<iv>$<tag>$<ciphertext>, base64 parts).
ALTER TABLE users ADD COLUMN apop_secret text CHECK (apop_secret IS NULL OR apop_secret LIKE 'aes-256-gcm$%');

-- Quota checks sum the sizes of a user's entries: an index-only scan with size included.
CREATE INDEX mailbox_entries_user_size_idx ON mailbox_entries (user_id) INCLUDE (size);
DROP INDEX mailbox_entries_user_id_idx;
