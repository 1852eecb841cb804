/**
 * The POP3 measurement: one session RETRs every message of a maildrop
 * (RFC 1939 §7: USER/PASS, STAT, RETR 1..n, QUIT), timing the RETRs and
 * counting the octets as they travelled (byte-stuffed, terminator
 * included): the bench measures throughput, not content.
 */
import { Pop3Client } from '@mail/pop3-client';

/** Long enough for a 25 MiB RETR on a loaded machine. */
export const pop3TimeoutMs = 120_000;

/** RETRs every message of one maildrop in one session; resolves with messages, octets and milliseconds. */
export async function retrieveAll(port: number, user: string, password: string): Promise<{ messages: number; octets: number; milliseconds: number }> {
  const client = await Pop3Client.login(port, user, password, { timeoutMs: pop3TimeoutMs });
  try {
    const { count } = await client.stat();
    const started = performance.now();
    let octets = 0;
    for (let n = 1; n <= count; n++) octets += (await client.retrieve(n)).wire.length;
    const milliseconds = performance.now() - started;
    await client.quit();
    return { messages: count, octets, milliseconds };
  } finally {
    client.close();
  }
}
