/** A raw POP3 session for end-to-end tests: log in, then talk line by line. */
import { LineClient } from '@mail/testing';

export async function openPop3(port: number, user: string, password: string): Promise<LineClient> {
  const client = await LineClient.open(port);
  const greeting = await client.readLine();
  if (!greeting.startsWith('+OK')) throw new Error(`POP3 greeting: ${greeting}`);
  for (const line of [`USER ${user}`, `PASS ${password}`]) {
    client.send(line);
    const reply = await client.readLine();
    if (!reply.startsWith('+OK')) throw new Error(`${line.split(' ')[0]}: ${reply}`);
  }
  return client;
}

/** Number of messages in the maildrop (a whole session: login, STAT, QUIT). */
export async function countMessages(port: number, user: string, password: string): Promise<number> {
  const client = await openPop3(port, user, password);
  try {
    client.send('STAT');
    const stat = await client.readLine();
    client.send('QUIT');
    await client.readLine();
    return Number(stat.split(' ')[1]);
  } finally {
    client.close();
  }
}

/** RETR n: the status line and the message as it travelled (still dot-stuffed, with the terminator). */
export async function retrieveRaw(client: LineClient, n: number): Promise<{ status: string; wire: Buffer }> {
  client.send(`RETR ${n}`);
  const status = await client.readLine();
  if (!status.startsWith('+OK')) throw new Error(`RETR ${n}: ${status}`);
  return { status, wire: await client.readUntil('\r\n.\r\n') };
}

/** Undo RFC 1939 §3 byte-stuffing and drop the terminator. */
export function unstuff(wire: Buffer): Buffer {
  const text = wire.toString('latin1');
  const body = text.slice(0, -'.\r\n'.length);
  return Buffer.from(body.split('\r\n').map((line) => (line.startsWith('.') ? line.slice(1) : line)).join('\r\n'), 'latin1');
}
