-- 004_search_text: the full-text index of SEARCH TEXT and BODY (RFC 9051
-- §6.4.4: "messages that contain the specified string" — a substring,
-- matched ignoring case). Existing mailboxes keep working: every message
-- stored so far is put in the index's queue here and indexed like a new one.
--
-- Decisions (the why is in apps/mailbox-store/README.md, "SEARCH"):
-- * One row per stored message (a message held by several users or copied
--   is indexed once), gone with it (ON DELETE CASCADE: an expunge that
--   deletes the message deletes its text).
-- * The text is what a reader sees, decoded by mailbox-store
--   (@mail/message-text: header fields with RFC 2047 words decoded; text
--   parts decoded from base64/quoted-printable and their charset, HTML as
--   its words, file names) and folded (NFKC, lower case, white space
--   collapsed), the header apart from the body (TEXT looks in both, BODY in
--   the body only).
-- * pg_trgm's GIN index serves `LIKE '%string%'`: real substring semantics
--   with an index. A tsvector (even with the 'simple' configuration and
--   prefix queries) only finds whole words or their beginnings, not the
--   inside of a word that RFC 9051 asks to find. pg_trgm ships with
--   PostgreSQL (contrib, in the Debian packages and CloudNativePG's images)
--   and is a trusted extension since PostgreSQL 13: the database owner may
--   create it.
-- * A message is pending (indexed_at NULL, no text) from the statement that
--   inserts it, by a trigger, so delivery does no more work in mailbox-store's
--   process (issue 15); the text is made later, by a SEARCH that needs it
--   or by the background indexer when deliveries are quiet. A SEARCH looks
--   in the raw octets of a message still pending, as it did before this
--   index.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE message_search_text (
  message_id   text PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  -- the header fields, folded, one per line; NULL while pending
  header_text  text,
  -- the body's text, folded, one unit (part, file name, attached message's field) per line; NULL while pending
  body_text    text,
  -- 'decoded' by MIME, or 'raw': the octets as read, when the extraction failed or overran its deadline
  extraction   text CHECK (extraction IN ('decoded', 'raw')),
  indexed_at   timestamptz,
  CONSTRAINT message_search_text_pending_check CHECK (
    (indexed_at IS NULL) = (header_text IS NULL) AND (indexed_at IS NULL) = (body_text IS NULL) AND (indexed_at IS NULL) = (extraction IS NULL)
  )
);
CREATE INDEX message_search_text_header_trgm_idx ON message_search_text USING gin (header_text gin_trgm_ops);
CREATE INDEX message_search_text_body_trgm_idx ON message_search_text USING gin (body_text gin_trgm_ops);
-- the indexer's queue
CREATE INDEX message_search_text_pending_idx ON message_search_text (message_id) WHERE indexed_at IS NULL;

-- One INSERT per statement that stores messages (a group commit's
-- multi-row INSERT included), in its transaction.
CREATE FUNCTION message_search_text_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO message_search_text (message_id) SELECT id FROM inserted_messages ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER messages_search_text_enqueue AFTER INSERT ON messages
  REFERENCING NEW TABLE AS inserted_messages
  FOR EACH STATEMENT EXECUTE FUNCTION message_search_text_enqueue();

INSERT INTO message_search_text (message_id) SELECT id FROM messages;
