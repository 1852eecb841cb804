/**
 * Small bodies inline in their reference (BodyStore.putInlineIfSmall):
 * nothing written to the object store, read back byte-exact and checked
 * against size and SHA-256, survive the contract's schema, and a larger
 * body still goes to the object store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyReference, INLINE_BODY_MAX_OCTETS } from '@mail/contracts';
import { createTestNamespace, testNatsUrl } from '@mail/testing';
import { BodyNotFoundError, Bus } from '../src';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('inline bodies against a real NATS server', () => {
  let namespace: Awaited<ReturnType<typeof createTestNamespace>>;
  let bus: Bus;

  beforeAll(async () => {
    namespace = await createTestNamespace('inline');
    bus = await Bus.connect({ url: testNatsUrl, name: 'inline-body-test', namespace: namespace.namespace, log: silent });
  });
  afterAll(async () => {
    await bus?.close();
    await namespace?.cleanup();
  });

  const objectCount = async (): Promise<number> => (await bus.jsm.streams.info(`OBJ_${bus.bodies.bucket}`)).state.messages;

  it('keeps a body up to the limit in the reference, byte-exact, without writing the object store', async () => {
    const before = await objectCount();
    const chunks = [Buffer.from('Subject: hi\r\n\r\n'), Buffer.alloc(INLINE_BODY_MAX_OCTETS - 15, 0xff)];
    const ref = await bus.bodies.putInlineIfSmall('INLINE000001', chunks);
    expect(ref.size).toBe(INLINE_BODY_MAX_OCTETS);
    expect(ref.inline).toBeDefined();
    const carried = BodyReference.parse(JSON.parse(JSON.stringify(ref)));
    expect((await bus.bodies.readAll(carried)).equals(Buffer.concat(chunks))).toBe(true);
    await bus.bodies.delete(carried);
    expect(await objectCount()).toBe(before);
  });

  it('stores a body one octet over the limit in the object store', async () => {
    const body = Buffer.alloc(INLINE_BODY_MAX_OCTETS + 1, 'x');
    const ref = await bus.bodies.putInlineIfSmall('INLINE000002', [body]);
    expect(ref.inline).toBeUndefined();
    expect((await bus.bodies.readAll(ref)).equals(body)).toBe(true);
    await bus.bodies.delete(ref);
    await expect(bus.bodies.readAll(ref)).rejects.toBeInstanceOf(BodyNotFoundError);
  });

  it('refuses an inline body whose size or digest differs from the reference', async () => {
    const ref = await bus.bodies.putInlineIfSmall('INLINE000003', [Buffer.from('hello\r\n')]);
    await expect(bus.bodies.readAll({ ...ref, inline: Buffer.from('hellO\r\n').toString('base64') })).rejects.toThrow(/corrupt/);
    await expect(bus.bodies.readAll({ ...ref, inline: Buffer.from('hello').toString('base64') })).rejects.toThrow(/expected 7/);
  });

  it('honours the size limit of the message', async () => {
    await expect(bus.bodies.putInlineIfSmall('INLINE000004', [Buffer.alloc(100)], 50)).rejects.toThrow(/exceeds 50 octets/);
  });
});
