/**
 * Mail being read while the matrix runs, so killing pop3-server interrupts
 * real sessions: a reader logs in, lists, retrieves and marks the first
 * message deleted, then drops the connection without QUIT. RFC 1939 §6:
 * a session that ends without QUIT never enters the UPDATE state and
 * removes nothing — so these readers must never make a message disappear.
 */
import { Pop3Client } from '@mail/pop3-client';
import { recipients } from './message-plan';

export interface Pop3Readers {
  /** Sessions that reached DELE, and sessions that failed somewhere (expected while things crash). */
  readonly counts: { completed: number; failed: number };
  stop(): Promise<void>;
}

async function readOnce(port: number, user: (typeof recipients)[number]): Promise<void> {
  const client = await Pop3Client.login(port, user.address, user.password, { timeoutMs: 15_000 });
  try {
    const { count } = await client.stat();
    if (count > 0) {
      await client.retrieve(1);
      await client.command('DELE 1');
    }
  } finally {
    client.close(); // No QUIT: the deletion must not be committed.
  }
}

export function startPop3Readers(port: number, intervalMs = 300): Pop3Readers {
  const counts = { completed: 0, failed: 0 };
  let stopping = false;
  const loop = (async () => {
    for (let turn = 0; !stopping; turn++) {
      const user = recipients[turn % recipients.length];
      if (user)
        await readOnce(port, user).then(
          () => counts.completed++,
          () => counts.failed++,
        );
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    counts,
    async stop() {
      stopping = true;
      await loop;
    },
  };
}
