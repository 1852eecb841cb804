import { describe, expect, it } from 'vitest';
import { MessageLedger, retryDelayMs } from './message-ledger';
import { planMessage } from './message-plan';

describe('MessageLedger', () => {
  it('retries a refused message later and records when it was accepted', () => {
    const ledger = new MessageLedger(5);
    const record = ledger.add(planMessage(0, 0, 'r'));
    expect(ledger.settle(record, 'refused', 1000)).toBe(true);
    expect(record).toMatchObject({ state: 'pending', attempts: 1, firstSentAt: 1000, retryAt: 1000 + retryDelayMs(1) });
    expect(ledger.settle(record, 'accepted', 2000)).toBe(false);
    expect(record).toMatchObject({ state: 'accepted', attempts: 2, firstSentAt: 1000, acceptedAt: 2000 });
  });

  it('does not retry an unconfirmed message (RFC 1047 window)', () => {
    const ledger = new MessageLedger(5);
    const record = ledger.add(planMessage(0, 0, 'r'));
    expect(ledger.settle(record, 'unconfirmed')).toBe(false);
    expect(record.state).toBe('unconfirmed');
  });

  it('gives up after the last attempt', () => {
    const ledger = new MessageLedger(2);
    const record = ledger.add(planMessage(0, 0, 'r'));
    ledger.settle(record, 'refused');
    expect(ledger.settle(record, 'refused')).toBe(false);
    expect(record.state).toBe('refused');
  });

  it('backs off up to four seconds', () => {
    expect(retryDelayMs(1)).toBe(250);
    expect(retryDelayMs(3)).toBe(1000);
    expect(retryDelayMs(50)).toBe(4000);
  });
});
