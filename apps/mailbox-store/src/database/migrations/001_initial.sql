-- 001_initial: accounts (domains, users, aliases), folders, stored messages
-- and mailbox entries. Addresses and domain names are stored lower-cased:
-- mailbox-store compares them case-insensitively, local part included.

CREATE TABLE domains (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (name <> '' AND name = lower(name)),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  address        text NOT NULL UNIQUE CHECK (address = lower(address) AND address LIKE '%_@_%'),
  -- A domain with users cannot be removed (admin domain.remove answers domain-in-use).
  domain_id      bigint NOT NULL REFERENCES domains (id) ON DELETE RESTRICT,
  -- scrypt$N$r$p$<salt base64>$<hash base64>
  password_hash  text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  quota_bytes    bigint CHECK (quota_bytes IS NULL OR quota_bytes >= 0),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_domain_id_idx ON users (domain_id);

-- Reserved for alias resolution (address → target mailbox); not used yet.
CREATE TABLE aliases (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  address     text NOT NULL UNIQUE CHECK (address = lower(address)),
  domain_id   bigint NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  target      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- A user's folders: INBOX and Junk, created with the user.
CREATE TABLE mailboxes (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name     text NOT NULL CHECK (name <> ''),
  UNIQUE (user_id, name),
  UNIQUE (id, user_id)
);

-- One row per accepted message, stored once whatever the number of recipients.
CREATE TABLE messages (
  id                 text PRIMARY KEY,                 -- queue id given by smtp-ingress
  raw                bytea NOT NULL,                   -- prepended header lines + body exactly as received
  size               integer NOT NULL CHECK (size = octet_length(raw)),
  sha256             text NOT NULL,                    -- hex SHA-256 of raw
  envelope_from      text NOT NULL,                    -- MAIL FROM ('' for the null sender)
  header_from        text,
  header_to          text,
  subject            text,
  header_date        timestamptz,
  message_id_header  text,
  received_at        timestamptz NOT NULL,             -- when smtp-ingress accepted it
  stored_at          timestamptz NOT NULL DEFAULT now()
);
-- Uncompressed out-of-line storage: substring(raw ...) then reads only the
-- TOAST chunks it needs, so a POP3 chunk never loads the whole message.
ALTER TABLE messages ALTER COLUMN raw SET STORAGE EXTERNAL;

-- A message in a user's folder. UNIQUE (message_id, user_id) makes delivery idempotent.
CREATE TABLE mailbox_entries (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL,
  mailbox_id   bigint NOT NULL,
  message_id   text NOT NULL REFERENCES messages (id) ON DELETE RESTRICT,
  -- POP3 UIDL: 32 lower-case hex digits, unique and never reused.
  uid          text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', ''),
  size         integer NOT NULL CHECK (size >= 0),
  flags        text[] NOT NULL DEFAULT '{}',
  received_at  timestamptz NOT NULL DEFAULT now(),     -- when it was stored in this mailbox
  FOREIGN KEY (mailbox_id, user_id) REFERENCES mailboxes (id, user_id) ON DELETE CASCADE,
  UNIQUE (message_id, user_id)
);
CREATE INDEX mailbox_entries_listing_idx ON mailbox_entries (mailbox_id, received_at, uid);
CREATE INDEX mailbox_entries_user_id_idx ON mailbox_entries (user_id);
