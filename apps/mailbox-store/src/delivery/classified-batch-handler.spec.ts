/**
 * What a batch of classified messages costs PostgreSQL, statement by
 * statement (classified-batch-handler.ts, group-commit.ts), against a pool
 * that records each statement and answers as PostgreSQL would for one user
 * without a quota. What the statements do is held by the integration tests
 * (test/group-commit.test.ts, delivery, quota, crash); here, how many there
 * are: at a low rate most batches hold one message.
 */
import { createHash } from 'node:crypto';
import { context } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { BatchMessage, Delivery } from '@mail/bus';
import type { BodyReference, MailClassified } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import type { Pool } from '../database/pool';
import { createClassifiedBatchHandler } from './classified-batch-handler';
import type { OutgoingDeliveryEvent } from './delivery-events';

/** A statement as sent: its first words tell which it is. */
type Statement = { readonly text: string; readonly values: readonly unknown[] | undefined; readonly via: 'pool' | 'client' };

const owner = { id: '7', address: 'bob@example.test' };

/** What PostgreSQL would answer each statement of a delivery to bob (no quota, holding nothing yet). */
function answer(text: string, values: readonly unknown[] | undefined): { rows: unknown[]; rowCount: number } {
  if (text.startsWith('SELECT u.id, u.address')) return { rows: [{ ...owner, quota_bytes: null, used: 0, held: [] }], rowCount: 1 };
  if (text.startsWith('WITH')) {
    const ids = (values?.[0] ?? []) as string[];
    const rows = ids.map((id, i) => ({ message_id: id, user_id: owner.id, folder: 'INBOX', uid_validity: '1', imap_uid: String(i + 1), modseq: '2' }));
    return { rows, rowCount: rows.length };
  }
  return { rows: [], rowCount: 0 };
}

function recordingPool(statements: Statement[]): Pool {
  const query = (via: Statement['via']) => (text: string, values?: unknown[]) => {
    statements.push({ text: text.trim(), values, via });
    return Promise.resolve(answer(text.trim(), values));
  };
  const client = { query: query('client'), on: () => client, off: () => client, release: () => undefined };
  return { query: query('pool'), connect: () => Promise.resolve(client) } as unknown as Pool;
}

const silentLog = { child: () => silentLog, info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;
const metrics = { message: () => undefined, metadataFallback: () => undefined, rejected: () => undefined, groupFallback: () => undefined };
const delivery: Delivery = { deliveryCount: 1, streamSequence: 1, working: () => undefined };

function body(queueId: string, raw: Buffer, inline: boolean): BodyReference {
  const sha256 = createHash('sha256').update(raw).digest('hex');
  return { bucket: 'mail_bodies', key: queueId, size: raw.length, sha256, ...(inline ? { inline: raw.toString('base64') } : {}) };
}

function classified(queueId: string, inline: boolean): { message: BatchMessage<MailClassified>; raw: Buffer } {
  const raw = Buffer.from(`From: alice@crepes.fr\r\nTo: bob@example.test\r\nSubject: ${queueId}\r\n\r\nhello\r\n`);
  const payload: MailClassified = {
    version: 1,
    queueId,
    receivedAt: new Date().toISOString(),
    session: { listener: 'inbound', clientIp: '127.0.0.1', helo: 'crepes.fr', tls: false },
    envelope: { mailFrom: 'alice@crepes.fr', recipients: [{ address: owner.address, route: 'local', mailbox: owner.address }], smtputf8: false, bodyType: '8BITMIME' },
    body: body(queueId, raw, inline),
    traceHeaders: [],
    verdict: { action: 'deliver', score: 0, reasons: [], headers: [], checkedAt: new Date().toISOString() },
  };
  return { message: { payload, delivery, traceContext: context.active() }, raw };
}

function handlerFor(statements: Statement[], bodies: Map<string, Buffer>, published: OutgoingDeliveryEvent[]) {
  return createClassifiedBatchHandler({
    pool: recordingPool(statements),
    bodies: {
      read: async function* (ref: BodyReference) {
        yield ref.inline === undefined ? (bodies.get(ref.key) ?? Buffer.alloc(0)) : Buffer.from(ref.inline, 'base64');
      },
    },
    budget: { timeoutMs: 2_000, maxHeaderBytes: 256 * 1024 },
    writeChunkBytes: 4 * 1024 * 1024,
    log: silentLog,
    metrics,
    publish: (event) => {
      published.push(event);
      return Promise.resolve();
    },
  });
}

/** Each statement by its kind. */
const kinds = (statements: readonly Statement[]) =>
  statements.map(({ text, via }) => {
    if (text.includes('FOR NO KEY UPDATE')) return 'lock';
    if (text.startsWith('SELECT u.id')) return via === 'pool' ? 'preview' : 'admission';
    if (text.startsWith('WITH written_first AS (INSERT INTO messages')) return 'rows+entries';
    if (text.startsWith('WITH')) return 'entries';
    return text.split(/\s/)[0] ?? text;
  });

describe('createClassifiedBatchHandler', () => {
  it('stores a batch of one inline message in one transaction of five statements, without asking first', async () => {
    const statements: Statement[] = [];
    const published: OutgoingDeliveryEvent[] = [];
    const one = classified('ONE0000001', true);
    const outcomes = await handlerFor(statements, new Map(), published)([one.message]);
    expect(outcomes).toEqual([{ status: 'done' }]);
    expect(kinds(statements)).toEqual(['BEGIN', 'lock', 'admission', 'rows+entries', 'COMMIT']);
    expect(published.map((event) => event.payload.queueId)).toEqual(['ONE0000001']);
  });

  it('stores a group of inline messages in the same five statements', async () => {
    const statements: Statement[] = [];
    const published: OutgoingDeliveryEvent[] = [];
    const batch = ['GRP0000001', 'GRP0000002', 'GRP0000003'].map((id) => classified(id, true).message);
    const outcomes = await handlerFor(statements, new Map(), published)(batch);
    expect(outcomes).toEqual(batch.map(() => ({ status: 'done' })));
    expect(kinds(statements)).toEqual(['BEGIN', 'lock', 'admission', 'rows+entries', 'COMMIT']);
    expect(published).toHaveLength(3);
  });

  it('asks without locks first whether anyone takes a body it would read from the object store', async () => {
    const statements: Statement[] = [];
    const stored = classified('OBJ0000001', false);
    const outcomes = await handlerFor(statements, new Map([['OBJ0000001', stored.raw]]), [])([stored.message, classified('INL0000001', true).message]);
    expect(outcomes).toEqual([{ status: 'done' }, { status: 'done' }]);
    expect(kinds(statements)).toEqual(['preview', 'BEGIN', 'lock', 'admission', 'rows+entries', 'COMMIT']);
    // the preview asks about the object-store body only
    expect(statements[0]?.values?.[1]).toEqual(['OBJ0000001']);
  });
});
