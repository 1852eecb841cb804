/**
 * RETR prefetch against the real mailbox-store: small messages come whole
 * and ahead (one `mailbox.fetch-many` request), large ones stream in chunks;
 * in any mix, with deletion marks, repeated RETRs and TOP, every message is
 * retrieved byte for byte with the listed size (RFC 1939 §5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, logIn, multiline, unstuff } from './fixtures/pop3-dialogue';
import { dottedMessage, messageOfSize } from './fixtures/messages';
import { createPop3World, type Pop3World } from './fixtures/pop3-world';

describe('RETR with prefetch', () => {
  let world: Pop3World;
  let port: number;

  beforeAll(async () => {
    world = await createPop3World('pop3_prefetch');
    port = (await world.startPop3()).port;
  });
  afterAll(() => world?.cleanup());

  it('retrieves small and large messages in any order byte for byte, skipping those marked as deleted', async () => {
    const user = 'paula@example.test';
    const messages = [
      messageOfSize('first', 300),
      dottedMessage,
      messageOfSize('large', 100 * 1024),
      messageOfSize('fourth', 500),
      messageOfSize('just over the prefetch size', 70 * 1024),
      messageOfSize('sixth', 200),
      messageOfSize('seventh', 40 * 1024),
    ];
    await world.addUser(user, 'hungry');
    for (const message of messages) await world.deliver(user, message);

    const client = await logIn(port, user, 'hungry');
    const retrieve = async (n: number): Promise<void> => {
      const expected = messages[n - 1] ?? Buffer.alloc(0);
      const reply = await multiline(client, `RETR ${n}`);
      expect(reply.status).toBe(`+OK ${expected.length} octets`);
      expect(unstuff(reply.body).equals(expected)).toBe(true);
    };
    await retrieve(1);
    expect(await command(client, 'DELE 4')).toBe('+OK message 4 deleted');
    for (const n of [2, 3, 5, 6, 7]) await retrieve(n);
    expect(await command(client, 'RETR 4')).toBe('-ERR message 4 already deleted');
    // Again, after the prefetched copies were handed out.
    for (const n of [6, 1, 2]) await retrieve(n);
    const top = await multiline(client, 'TOP 6 0');
    expect(top.status).toMatch(/^\+OK/);
    expect(unstuff(top.body).toString('latin1')).toBe(`${(messages[5] ?? Buffer.alloc(0)).toString('latin1').split('\r\n\r\n')[0]}\r\n\r\n`);
    expect(await command(client, 'QUIT')).toMatch(/^\+OK/);
    await client.waitClosed();
  });
});
