/** Unit tests of delivery-events.ts: per-recipient outcomes, their details and message ids. */
import { describe, expect, it } from 'vitest';
import { DeliveryEvent } from '@mail/contracts';
import { deliveryEvents } from './delivery-events';

describe('deliveryEvents', () => {
  const at = new Date('2026-11-21T10:00:00.000Z');

  it('reports stored and rejected recipients with deterministic message ids', () => {
    const events = deliveryEvents('QUEUE000001', { delivered: ['bob@example.test'], missing: ['gone@example.test'] }, new Map(), at);
    expect(events.map((e) => [e.msgId, e.payload.outcome])).toEqual([
      ['QUEUE000001.stored.bob@example.test', 'stored'],
      ['QUEUE000001.rejected.gone@example.test', 'rejected'],
    ]);
    expect(events[1]?.payload.detail).toMatch(/^5\.1\.1 /);
    for (const event of events) expect(DeliveryEvent.safeParse(event.payload).success).toBe(true);
  });

  it('rejects an over-quota mailbox with 5.2.2 and names the alias it was reached through', () => {
    const events = deliveryEvents(
      'QUEUE000002',
      { delivered: [], missing: [], overQuota: [{ address: 'bob@example.test', quotaBytes: 1000, usedBytes: 900 }] },
      new Map([['bob@example.test', ['sales@example.test']]]),
      at,
    );
    expect(events.map((e) => e.payload)).toEqual([
      {
        version: 1,
        queueId: 'QUEUE000002',
        at: at.toISOString(),
        service: 'mailbox-store',
        recipient: 'bob@example.test',
        outcome: 'rejected',
        detail: '5.2.2 mailbox full: quota 1000 octets, 900 in use (addressed to sales@example.test)',
      },
    ]);
  });
});
