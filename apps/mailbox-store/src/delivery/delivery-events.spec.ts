/** Unit tests of delivery-events.ts: per-recipient outcomes and their message ids. */
import { describe, expect, it } from 'vitest';
import { DeliveryEvent } from '@mail/contracts';
import { deliveryEvents } from './delivery-events';

describe('deliveryEvents', () => {
  it('reports stored and rejected recipients with deterministic message ids', () => {
    const at = new Date('2026-11-21T10:00:00.000Z');
    const events = deliveryEvents('QUEUE000001', { delivered: ['bob@example.test'], missing: ['gone@example.test'] }, at);
    expect(events.map((e) => [e.msgId, e.payload.outcome])).toEqual([
      ['QUEUE000001.stored.bob@example.test', 'stored'],
      ['QUEUE000001.rejected.gone@example.test', 'rejected'],
    ]);
    for (const event of events) expect(DeliveryEvent.safeParse(event.payload).success).toBe(true);
  });
});
