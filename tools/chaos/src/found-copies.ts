/**
 * Where each message ended up, counted by Message-ID: mailbox entries in
 * PostgreSQL (one per mailbox a copy was stored in) and transactions the
 * remote MX (the SMTP sink) accepted.
 */
import pg from 'pg';
import type { SmtpSink } from '@mail/testing';
import { messageIdOf } from './message-plan';
import type { FoundCopies } from './tally';

/** `<ID@Host>` → `id@host`, the form the plan uses. */
export function normaliseMessageId(value: string): string {
  return value.trim().replace(/^<|>$/g, '').toLowerCase();
}

export async function storedCopies(databaseUrl: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string | null; copies: string }>(
      'SELECT m.message_id_header AS id, count(*) AS copies FROM mailbox_entries e JOIN messages m ON m.id = e.message_id GROUP BY 1',
    );
    const copies = new Map<string, number>();
    for (const row of rows) if (row.id) copies.set(normaliseMessageId(row.id), (copies.get(normaliseMessageId(row.id)) ?? 0) + Number(row.copies));
    return copies;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function deliveredCopies(sink: SmtpSink): Map<string, number> {
  const copies = new Map<string, number>();
  for (const transaction of sink.delivered()) {
    const id = messageIdOf(transaction.data.toString('latin1'));
    if (id) copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  return copies;
}

export async function foundCopies(databaseUrl: string, sink: SmtpSink): Promise<FoundCopies> {
  return { stored: await storedCopies(databaseUrl), delivered: deliveredCopies(sink) };
}
