/**
 * What the relay says to a server: all recipients at one host in one
 * pipelined transaction, per-recipient results, a retry after a temporary
 * failure that never resends to recipients already delivered, the exact
 * message bytes (trace headers, body, dot-stuffing), and connection reuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@mail/testing';
import { startRelayHarness, type RelayHarness } from './relay-harness';

const sinks = { three: '127.0.0.2', mixed: '127.0.0.3', retry: '127.0.0.4', bytes: '127.0.0.5', reuse: '127.0.0.6', nopipe: '127.0.0.7', burst: '127.0.0.8' } as const;
/** Four domains whose MX is the one `burst` server: 12 deliveries at once stay under the per-domain limit (10). */
const burstDomains = ['burst-a.test', 'burst-b.test', 'burst-c.test', 'burst-d.test'];

describe('outbound-relay transactions', () => {
  let h: RelayHarness;

  beforeAll(async () => {
    // One message a connection and every batch at once: each delivery of a burst has a session of its own
    h = await startRelayHarness(Object.values(sinks), { OUTBOUND_CONNECTION_IDLE: '30s', OUTBOUND_MESSAGES_PER_CONNECTION: '1', OUTBOUND_BATCH_CONCURRENCY: '16' });
    for (const [name, address] of Object.entries(sinks)) {
      h.dns.add(`${name}.test`, { type: 'MX', preference: 10, exchange: `mx.${name}.test` });
      h.dns.add(`mx.${name}.test`, { type: 'A', address });
    }
    for (const domain of burstDomains) h.dns.add(domain, { type: 'MX', preference: 10, exchange: 'mx.burst.test' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('sends three recipients at one host in one pipelined transaction, DATA in the group, declaring SIZE', async () => {
    const recipients = ['a@three.test', 'b@three.test', 'c@three.test'];
    const queueId = await h.queue(recipients);
    await h.waitForEvents(queueId, 3, 'delivered');
    const sink = h.sink(sinks.three);
    expect(sink.transactions).toHaveLength(1);
    expect(sink.transactions[0]).toMatchObject({ rcptTo: recipients, mailFrom: 'sender@origin.test', helo: 'relay.example.test', reply: 250 });
    expect(sink.transactions[0]?.mailParams['SIZE']).toBe(String(sink.transactions[0]?.data.length));
    expect(sink.commands.map((c) => c.line.split(':')[0]?.split(' ')[0])).toEqual(['EHLO', 'MAIL', 'RCPT', 'RCPT', 'RCPT', 'DATA']);
    // RFC 2920 §3.1: MAIL, every RCPT and DATA (last) arrived in one batch
    expect(sink.commands.map((c) => c.batched)).toEqual([false, true, true, true, true, false]);
  });

  it('sends one command at a time and no SIZE to a server without PIPELINING or SIZE', async () => {
    const sink = h.sink(sinks.nopipe);
    sink.setBehaviour({ pipelining: false, size: false });
    const queueId = await h.queue(['a@nopipe.test', 'b@nopipe.test']);
    await h.waitForEvents(queueId, 2, 'delivered');
    expect(sink.delivered().map((t) => [t.rcptTo, t.mailParams])).toEqual([[['a@nopipe.test', 'b@nopipe.test'], {}]]);
    expect(sink.commands.some((c) => c.batched)).toBe(false);
  });

  it('gives each recipient its own result and retries only the deferred one', async () => {
    const sink = h.sink(sinks.mixed);
    sink.setBehaviour({ rcpt: { 'later@mixed.test': [{ code: 450, enhanced: '4.2.1', text: 'Mailbox busy' }], 'gone@mixed.test': 550 } });
    const queueId = await h.queue(['ok@mixed.test', 'later@mixed.test', 'gone@mixed.test']);
    await h.waitForEvents(queueId, 2, 'delivered');
    const outcomes = h.events.filter((e) => e.queueId === queueId).map((e) => `${e.recipient} ${e.outcome}`);
    expect(outcomes).toEqual(['ok@mixed.test delivered', 'gone@mixed.test bounced', 'later@mixed.test deferred', 'later@mixed.test delivered']);
    expect(h.events.find((e) => e.queueId === queueId && e.outcome === 'deferred')?.detail).toContain('450 4.2.1 Mailbox busy');
    expect(sink.delivered().map((t) => t.rcptTo)).toEqual([['ok@mixed.test'], ['later@mixed.test']]);
  });

  it('retries after a temporary failure to DATA and then delivers', async () => {
    const sink = h.sink(sinks.retry);
    sink.setBehaviour({ data: [{ code: 451, enhanced: '4.3.0', text: 'Try again later' }] });
    const queueId = await h.queue(['x@retry.test', 'y@retry.test']);
    await h.waitForEvents(queueId, 2, 'delivered');
    expect(sink.transactions.map((t) => [t.reply, t.rcptTo])).toEqual([
      [451, ['x@retry.test', 'y@retry.test']],
      [250, ['x@retry.test', 'y@retry.test']],
    ]);
    const deferred = h.events.filter((e) => e.queueId === queueId && e.outcome === 'deferred');
    expect(deferred.map((e) => e.recipient)).toEqual(['x@retry.test', 'y@retry.test']);
  });

  it('sends exactly the trace headers and the body, dot-stuffed on the wire and intact at the server', async () => {
    const traceHeaders = [
      { name: 'Received', value: 'from client.origin.test by mx.origin.test;\r\n\tMon, 1 Jan 2025 00:00:00 +0000' },
      { name: 'X-Spam-Status', value: 'No, score=0.0' },
    ];
    const filler = Array.from({ length: 20_000 }, (_, i) => (i % 7 === 0 ? `.line ${i} starts with a dot` : `line ${i}`)).join('\r\n');
    const body = Buffer.from(`Subject: dots\r\n\r\n.\r\n..two\r\n.hidden\r\n${filler}\r\n.\r\nend\r\n`);
    const queueId = await h.queue(['d@bytes.test'], { body, traceHeaders });
    await h.waitForEvents(queueId, 1, 'delivered');
    const head = 'Received: from client.origin.test by mx.origin.test;\r\n\tMon, 1 Jan 2025 00:00:00 +0000\r\nX-Spam-Status: No, score=0.0\r\n';
    const [transaction] = h.sink(sinks.bytes).delivered();
    expect(transaction?.data.length).toBe(head.length + body.length);
    expect(transaction?.data.equals(Buffer.concat([Buffer.from(head), body]))).toBe(true);
  });

  it('reuses the connection for the next message to the same server', async () => {
    const sink = h.sink(sinks.reuse);
    const first = await h.queue(['one@reuse.test']);
    await h.waitForEvents(first, 1, 'delivered');
    const second = await h.queue(['two@reuse.test']);
    await h.waitForEvents(second, 1, 'delivered');
    expect(sink.connectionCount).toBe(1);
    expect(sink.delivered().map((t) => [t.connectionId, t.rcptTo])).toEqual([
      [1, ['one@reuse.test']],
      [1, ['two@reuse.test']],
    ]);
    expect(sink.commands.map((c) => c.line.split(':')[0]?.split(' ')[0])).toContain('RSET');
  });

  it('keeps every session of a burst for the next burst to the same server', async () => {
    const sink = h.sink(sinks.burst);
    // Held DATA makes all twelve deliveries of a wave run at once, so each needs its own session.
    sink.setBehaviour({ holdData: true });
    const wave = async (round: number) => {
      const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => h.queue([`r${round}-${i}@${burstDomains[i % burstDomains.length]}`])));
      await waitFor(() => sink.heldCount === 12, { timeoutMs: 60_000, description: `12 transactions held in wave ${round}` });
      sink.releaseHeld();
      for (const id of ids) await h.waitForEvents(id, 1, 'delivered');
    };
    await wave(1);
    expect(sink.connectionCount).toBe(12);
    await wave(2);
    // The second wave found all twelve sessions idle (up to OUTBOUND_CONCURRENCY are kept per server).
    expect(sink.connectionCount).toBe(12);
    expect(sink.delivered()).toHaveLength(24);
  });
});
