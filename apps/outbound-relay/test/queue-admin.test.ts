/**
 * `mailctl queue list|show|retry|delete` through the real CLI against a
 * running relay: what waits for remote delivery, why, and when it is tried
 * next; a retry that delivers now instead of after the hour the schedule
 * says; a delete that stops delivery with a `deleted` event per recipient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@mail/testing';
import { startRelayHarness, type RelayHarness } from './relay-harness';

describe('mailctl queue', () => {
  let h: RelayHarness;

  beforeAll(async () => {
    h = await startRelayHarness(['127.0.0.2'], { OUTBOUND_RETRY_SCHEDULE: '1h' });
    h.dns.add('later.test', { type: 'MX', preference: 10, exchange: 'mx.later.test' });
    h.dns.add('mx.later.test', { type: 'A', address: '127.0.0.2' });
    h.sink('127.0.0.2').setBehaviour({ rcpt: { 'wait@later.test': { code: 451, enhanced: '4.2.0', text: 'Greylisted, come back later' } } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('lists and shows a message waiting for its next attempt', async () => {
    const queueId = await h.queue(['ok@later.test', 'wait@later.test'], { localRecipients: 0 });
    await h.waitForEvents(queueId, 1, 'deferred');
    const list = await h.mailctl('queue', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${queueId} +\\d+ +\\S+Z +sender@origin\\.test +1 +1 +\\S+Z$`, 'm'));
    const show = await h.mailctl('queue', 'show', queueId);
    expect(show.stdout).toContain('attempts:     1');
    expect(show.stdout).toMatch(/ {2}ok@later\.test {2}delivered\n/);
    expect(show.stdout).toMatch(/ {2}wait@later\.test {2}deferred \(next \S+\)\n {4}mx\.later\.test\[127\.0\.0\.2\] said: 451 4\.2\.0 Greylisted/);
  });

  it('retries now instead of waiting the scheduled hour', async () => {
    const [entry] = (await h.mailctl('queue', 'list')).stdout.split('\n').slice(1);
    const queueId = entry?.split(' ')[0] ?? '';
    h.sink('127.0.0.2').setBehaviour({ rcpt: {} });
    const retry = await h.mailctl('queue', 'retry', queueId);
    expect(retry).toMatchObject({ code: 0, stdout: `${queueId}: 1 recipient(s) to be tried now\n` });
    await h.waitForEvents(queueId, 2, 'delivered');
    expect(
      h
        .sink('127.0.0.2')
        .delivered()
        .filter((t) => t.rcptTo.includes('wait@later.test')),
    ).toHaveLength(1);
    await waitFor(async () => (await h.mailctl('queue', 'list')).stdout === 'The outbound queue is empty.\n', { description: 'an empty queue' });
  });

  it('deletes a message: no more delivery, a deleted event per waiting recipient, no notice to the sender', async () => {
    h.sink('127.0.0.2').setBehaviour({ rcpt: { 'wait@later.test': 451 } });
    const queueId = await h.queue(['wait@later.test'], { localRecipients: 0 });
    await h.waitForEvents(queueId, 1, 'deferred');
    const deleted = await h.mailctl('queue', 'delete', queueId);
    expect(deleted).toMatchObject({ code: 0, stdout: `${queueId}: deleted, 1 recipient(s) will not be delivered\n` });
    const [event] = await h.waitForEvents(queueId, 1, 'deleted');
    expect(event).toMatchObject({ recipient: 'wait@later.test', detail: expect.stringMatching(/removed from the queue by an administrator/) });
    expect((await h.mailctl('queue', 'list')).stdout).toBe('The outbound queue is empty.\n');
    expect(
      await h.bus.bodies.readAll({ bucket: '', key: queueId, size: 0, sha256: '' }).then(
        () => 'still there',
        () => 'gone',
      ),
    ).toBe('gone');
    expect(h.received.filter((m) => m.queueId.startsWith(queueId))).toEqual([]);
    // A retry copy of the deleted message would find nothing left to do
    expect(await h.mailctl('queue', 'retry', queueId)).toMatchObject({ code: 1, stderr: expect.stringMatching(/is not in the outbound queue \(not-found\)/) });
  });

  it('refuses a malformed queue id before asking', async () => {
    expect(await h.mailctl('queue', 'show', 'no/such')).toMatchObject({ code: 2, stderr: expect.stringMatching(/invalid queue id/) });
  });
});
