/**
 * Where accepted mail ended up, counted by Message-ID and recipient: the
 * mailbox entries in PostgreSQL (mailbox-store's tables) and the
 * transactions a remote SMTP sink accepted from outbound-relay. A key seen
 * twice is a duplicate; a key missing is a loss.
 */
import pg from 'pg';
import type { SmtpSink } from '@mail/testing';

/** `<message-id> recipient` → copies. */
export type CopyCounts = Map<string, number>;

/** The key of one copy: the Message-ID without its angle brackets, and the recipient in lower case. */
export function copyKey(messageId: string, recipient: string): string {
  return `${messageId.trim().replace(/^<|>$/g, '')} ${recipient.toLowerCase()}`;
}

function add(counts: CopyCounts, key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

/** One mailbox entry per (message, user) in mailbox-store's database. */
export async function storedCopies(databaseUrl: string): Promise<CopyCounts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ message_id: string | null; address: string; copies: string }>(
      `SELECT m.message_id_header AS message_id, u.address, count(*) AS copies
         FROM mailbox_entries e JOIN messages m ON m.id = e.message_id JOIN users u ON u.id = e.user_id
        GROUP BY 1, 2`,
    );
    const counts: CopyCounts = new Map();
    for (const row of rows) add(counts, copyKey(row.message_id ?? 'no-message-id', row.address), Number(row.copies));
    return counts;
  } finally {
    await client.end();
  }
}

/** One copy per accepted recipient of every transaction the sink answered 250 to. */
export function relayedCopies(sink: SmtpSink): CopyCounts {
  const counts: CopyCounts = new Map();
  for (const transaction of sink.delivered()) {
    const header = transaction.data.subarray(0, transaction.data.indexOf('\r\n\r\n')).toString('latin1');
    const messageId = /^Message-ID:[ \t]*(\S+)/im.exec(header)?.[1] ?? 'no-message-id';
    for (const recipient of transaction.rcptTo) add(counts, copyKey(messageId, recipient));
  }
  return counts;
}

export function totalCopies(counts: CopyCounts): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}
