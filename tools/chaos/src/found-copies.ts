/**
 * Where each message ended up, counted by Message-ID: mailbox entries in
 * PostgreSQL (one per mailbox a copy was stored in) and transactions the
 * remote MX (the SMTP sink) accepted — and which remote deliveries were
 * left in doubt: the first copy was the last thing said on its connection
 * (no later command after its DATA), the mark of a relay that died between
 * the remote 250 and recording it (RFC 1047 with the relay as the client).
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

/** Message-IDs whose first accepted copy ended its connection's conversation. */
export function deliveredInDoubt(sink: Pick<SmtpSink, 'commands' | 'transactions'>): Set<string> {
  const dataCommands = new Map<number, number[]>();
  const lastCommand = new Map<number, number>();
  sink.commands.forEach((command, index) => {
    lastCommand.set(command.connectionId, index);
    if (/^DATA$/i.test(command.line.trim())) dataCommands.set(command.connectionId, [...(dataCommands.get(command.connectionId) ?? []), index]);
  });
  const seen = new Set<string>();
  const inDoubt = new Set<string>();
  const transactionsOn = new Map<number, number>();
  for (const transaction of sink.transactions) {
    const nth = transactionsOn.get(transaction.connectionId) ?? 0;
    transactionsOn.set(transaction.connectionId, nth + 1);
    const id = messageIdOf(transaction.data.toString('latin1'));
    if (!id || transaction.reply !== 250 || seen.has(id)) continue;
    seen.add(id);
    const dataIndex = dataCommands.get(transaction.connectionId)?.[nth];
    if (dataIndex !== undefined && lastCommand.get(transaction.connectionId) === dataIndex) inDoubt.add(id);
  }
  return inDoubt;
}

export async function foundCopies(databaseUrl: string, sink: SmtpSink): Promise<FoundCopies> {
  return { stored: await storedCopies(databaseUrl), delivered: deliveredCopies(sink), deliveredInDoubt: deliveredInDoubt(sink) };
}
