import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consumers, Events, FETCH_MESSAGES_MAX_OCTETS, Notices, Requests } from '@mail/contracts';
import { createTestNamespace, testNatsUrl, waitFor } from '@mail/testing';
import { jetstream } from '@nats-io/jetstream';
import { BodyNotFoundError, Bus, PermanentError, RemoteError, withAttachment } from '../src';
import { received, silent } from './fixtures/mail-received';

describe('Bus against a real NATS server', () => {
  let namespace: Awaited<ReturnType<typeof createTestNamespace>>;
  let bus: Bus;

  beforeAll(async () => {
    namespace = await createTestNamespace('bus');
    bus = await Bus.connect({ url: testNatsUrl, name: 'bus-test', namespace: namespace.namespace, log: silent });
  });
  afterAll(async () => {
    await bus?.close();
    await namespace?.cleanup();
  });

  it('stores a body in the object store and reads it back in chunks', async () => {
    const chunks = [Buffer.alloc(300_000, 'a'), Buffer.from('\r\n.\r\nend\r\n')];
    const ref = await bus.bodies.put('BODY0000001', chunks);
    expect(ref.size).toBe(300_010);
    const back = await bus.bodies.readAll(ref);
    expect(back.equals(Buffer.concat(chunks))).toBe(true);
  });

  it('pulls a large body a few chunks ahead of a slow reader, and lets a reader stop early', async () => {
    const body = Buffer.alloc(40 * 128 * 1024, 'b');
    const ref = await bus.bodies.put('BODY0000002', [body]);
    const reader = bus.bodies.read(ref);
    const first = await reader.next();
    expect(first.done).toBe(false);
    // The reader holds the first chunk: the consumer behind it has most of the object still pending on the server.
    const stream = `OBJ_${bus.bodies.bucket}`;
    const consumers = await bus.jsm.consumers.list(stream).next();
    const pending = Math.max(...consumers.map((c) => c.num_pending));
    expect(pending).toBeGreaterThan(30);
    await reader.return(undefined);
    expect((await bus.bodies.readAll(ref)).equals(body)).toBe(true);
  });

  it('tells a body that is gone apart from other read failures', async () => {
    const ref = await bus.bodies.put('BODY0000003', [Buffer.from('short')]);
    await bus.bodies.delete(ref);
    await expect(bus.bodies.readAll(ref)).rejects.toBeInstanceOf(BodyNotFoundError);
  });

  it('publishes with dedupe, consumes with ack, retries a failing handler with backoff', async () => {
    const seen: { queueId: string; delivery: number }[] = [];
    const handle = await bus.consume(
      Consumers.spamFilter,
      async (payload, delivery) => {
        seen.push({ queueId: payload.queueId, delivery: delivery.deliveryCount });
        if (payload.queueId === 'FLAKY000001' && delivery.deliveryCount < 2) throw new Error('transient');
      },
      { backoffMs: () => 100 },
    );
    const first = await bus.publish(Events.mailReceived, received('STEADY00001', 1, 'a'.repeat(64)), 'STEADY00001');
    const again = await bus.publish(Events.mailReceived, received('STEADY00001', 1, 'a'.repeat(64)), 'STEADY00001');
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(first.seq);
    await bus.publish(Events.mailReceived, received('FLAKY000001', 1, 'b'.repeat(64)), 'FLAKY000001');
    await waitFor(() => seen.some((s) => s.queueId === 'FLAKY000001' && s.delivery === 2), { description: 'the retried delivery' });
    expect(seen.filter((s) => s.queueId === 'STEADY00001')).toHaveLength(1);
    await handle.stop();
  });

  it('moves invalid payloads and permanent failures to the dead-letter stream', async () => {
    const js = jetstream(bus.nc);
    const subject = bus.ns.eventSubject(Events.mailClassified);
    await js.publish(subject, new TextEncoder().encode('{"version":1,"queueId":"x"}'), { msgID: 'bad-1' });
    const handle = await bus.consume(Consumers.mailboxStore, async () => {
      throw new PermanentError('cannot ever store this');
    });
    const valid = { ...received('PERMFAIL001', 1, 'c'.repeat(64)), verdict: { action: 'deliver' as const, score: 0, reasons: [], headers: [], checkedAt: new Date().toISOString() } };
    await bus.publish(Events.mailClassified, valid, 'PERMFAIL001');
    const dead = await waitFor(
      async () => {
        const info = await bus.jsm.streams.info(bus.ns.deadLetterStreamName());
        return info.state.messages >= 2 ? info : undefined;
      },
      { description: 'two dead letters' },
    );
    expect(dead.state.messages).toBe(2);
    const first = await bus.jsm.streams.getMessage(bus.ns.deadLetterStreamName(), { seq: 1 });
    const reasons = [first?.header.get('Mail-Dead-Reason') ?? ''];
    const second = await bus.jsm.streams.getMessage(bus.ns.deadLetterStreamName(), { seq: 2 });
    reasons.push(second?.header.get('Mail-Dead-Reason') ?? '');
    expect(reasons.join('|')).toMatch(/failed validation/);
    expect(reasons.join('|')).toMatch(/cannot ever store this/);
    await handle.stop();
  });

  it('answers typed requests and carries refusals back as RemoteError', async () => {
    bus.serve(Requests.resolveRecipient, async (req) => {
      if (req.address.endsWith('@example.test')) return { result: 'local' as const, mailboxes: [req.address] };
      throw new RemoteError('unknown-domain', `domain of ${req.address} is not ours`);
    });
    await expect(bus.request(Requests.resolveRecipient, { version: 1, address: 'bob@example.test' })).resolves.toEqual({
      result: 'local',
      mailboxes: ['bob@example.test'],
    });
    await expect(bus.request(Requests.resolveRecipient, { version: 1, address: 'x@other.test' })).rejects.toThrow(RemoteError);
  });

  it('answers with an attachment where the definition declares one, and refuses to send one over its bound', async () => {
    const octets = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
    bus.serve(Requests.fetchMessages, async (req) => {
      const answer = req.uids[0] === 'too-large' ? Buffer.alloc(FETCH_MESSAGES_MAX_OCTETS + 1) : octets;
      if (req.attachment !== true) return { messages: [] };
      return withAttachment({ messages: [], attached: { messages: [{ uid: req.uids[0] ?? '', size: answer.length }] } }, answer);
    });
    const ask = (uid: string, attachment: boolean) => bus.requestWithAttachment(Requests.fetchMessages, { version: 1, user: 'bob@example.test', uids: [uid], maxOctets: 1024, attachment });
    const { response, attachment } = await ask('a', true);
    expect(response).toEqual({ messages: [], attached: { messages: [{ uid: 'a', size: octets.length }] } });
    expect(Buffer.from(attachment ?? []).equals(octets)).toBe(true);
    await expect(ask('a', false)).resolves.toEqual({ response: { messages: [] }, attachment: undefined });
    await expect(bus.request(Requests.fetchMessages, { version: 1, user: 'bob@example.test', uids: ['a'], maxOctets: 1024, attachment: true })).resolves.toEqual(response);
    await expect(ask('too-large', true)).rejects.toMatchObject({ code: 'internal' });
  });

  it('sends a keyed notice on its key’s subject only: a listener hears the keys it asked for, nothing else', async () => {
    const heard: { listener: string; user: string }[] = [];
    const bob = bus.listen(Notices.mailboxChanged, (notice) => heard.push({ listener: 'bob', user: notice.user }), { key: 'Bob@example.test' });
    const unkeyed = bus.listen(Notices.mailboxChanged, (notice) => heard.push({ listener: 'unkeyed', user: notice.user }));
    const changed = (user: string, modseq: number) => ({ version: 1 as const, user, folder: 'INBOX', uidValidity: 1, kind: 'added' as const, uids: [modseq], truncated: false, modseq });
    await bus.nc.flush();
    bus.notify(Notices.mailboxChanged, changed('alice@example.test', 1));
    bus.notify(Notices.mailboxChanged, changed('bob@example.test', 2));
    await waitFor(() => heard.length > 0 || undefined, { description: 'bob’s notice' });
    // A round trip to the server after both notices: anything else on its way has arrived by now
    await bus.nc.flush();
    expect(heard).toEqual([{ listener: 'bob', user: 'bob@example.test' }]);
    bob.stop();
    unkeyed.stop();
  });
});

describe('streams with a size limit (NATS_STREAM_MAX_BYTES)', () => {
  it('are provisioned with max_bytes and refuse new messages when full instead of dropping the oldest', async () => {
    const namespace = await createTestNamespace('bytes');
    const limited = await Bus.connect({ url: testNatsUrl, name: 'bus-max-bytes', namespace: namespace.namespace, streamMaxBytes: 4096, log: silent });
    try {
      const stream = limited.ns.streamName(Events.mailReceived.stream);
      const { config } = await limited.jsm.streams.info(stream);
      expect(config.max_bytes).toBe(4096);
      expect(config.discard).toBe('new');
      // Publish until the stream is full: the next publish fails, and the first message is still there.
      let accepted = 0;
      let refusal: unknown;
      for (let i = 0; i < 20 && refusal === undefined; i++) {
        const queueId = `FULL${String(i).padStart(7, '0')}`;
        await limited.publish(Events.mailReceived, received(queueId, 1, 'c'.repeat(64)), queueId).then(
          () => accepted++,
          (error: unknown) => (refusal = error),
        );
      }
      expect(accepted).toBeGreaterThan(0);
      expect(String(refusal)).toMatch(/maximum bytes|resource limits|full/i);
      expect((await limited.jsm.streams.info(stream)).state.first_seq).toBe(1);
    } finally {
      await limited.close();
      await namespace.cleanup();
    }
  });

  it('are unlimited by default', async () => {
    const namespace = await createTestNamespace('bytes');
    const unlimited = await Bus.connect({ url: testNatsUrl, name: 'bus-max-bytes', namespace: namespace.namespace, log: silent });
    try {
      const { config } = await unlimited.jsm.streams.info(unlimited.ns.streamName(Events.mailReceived.stream));
      expect(config.max_bytes).toBe(-1);
      expect(config.discard).toBe('old');
    } finally {
      await unlimited.close();
      await namespace.cleanup();
    }
  });
});
