/**
 * @mail/contracts — every NATS subject, stream, consumer and payload schema
 * of the platform, defined once.
 *
 * Subjects carry a version (`mail.v1.inbound.received`); payloads carry a
 * `version` field, ignore unknown fields (additive evolution) and are
 * validated at runtime with zod at every service boundary. A breaking change
 * gets a new subject version, never an in-place edit.
 */
export * from './definitions';
export * from './namespace';
export * from './schemas/common';
export * from './schemas/mail';
export * from './schemas/mailbox';
export * from './schemas/directory';
export * from './schemas/directory-replica';
export * from './schemas/admin';
export * from './schemas/relay';
export * from './schemas/screening';
export * from './schemas/spam-training';
export * from './schemas/imap-common';
export * from './schemas/imap-folders';
export * from './schemas/imap-messages';
export * from './schemas/imap-search';
export * from './schemas/mailbox-changes';
export * from './recipient-resolution';
export * from './catalog';
export * from './bus-roles';
export * from './bus-permissions';
export * from './fetched-messages';
