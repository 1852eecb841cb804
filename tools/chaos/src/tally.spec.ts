import { describe, expect, it } from 'vitest';
import type { MessageRecord, MessageState } from './message-ledger';
import { planMessage } from './message-plan';
import { kept, tally, type FoundCopies } from './tally';

function record(index: number, state: MessageState, attempts = 1): MessageRecord {
  return { message: planMessage(index, 0, 'spec'), state, attempts, retryAt: 0 };
}

function found(stored: Record<number, number>, delivered: Record<number, number> = {}, inDoubt: number[] = []): FoundCopies {
  const key = (i: string | number) => planMessage(Number(i), 0, 'spec').messageId;
  return {
    stored: new Map(Object.entries(stored).map(([i, n]) => [key(i), n])),
    delivered: new Map(Object.entries(delivered).map(([i, n]) => [key(i), n])),
    deliveredInDoubt: new Set(inDoubt.map(key)),
  };
}

describe('tally', () => {
  it('counts an accepted inbound message stored once as neither lost nor duplicated', () => {
    const rows = tally([record(0, 'accepted', 2)], ['kill'], found({ 0: 1 }));
    expect(rows[0]).toMatchObject({ phase: 'kill', sent: 1, attempts: 2, accepted: 1, stored: 1, lost: 0, duplicated: 0 });
    expect(rows[1]).toMatchObject({ phase: 'total', sent: 1, accepted: 1 });
    expect(kept(rows)).toBe(true);
  });

  it('counts an accepted message missing from its mailbox as lost', () => {
    const rows = tally([record(0, 'accepted')], ['kill'], found({}));
    expect(rows[0]?.lost).toBe(1);
    expect(kept(rows)).toBe(false);
  });

  it('needs both copies of a message to a remote and a local recipient (index 9)', () => {
    expect(tally([record(9, 'accepted')], ['kill'], found({ 9: 1 }))[0]?.lost).toBe(1);
    expect(tally([record(9, 'accepted')], ['kill'], found({ 9: 1 }, { 9: 1 }))[0]?.lost).toBe(0);
  });

  it('counts a second delivery at the remote MX as duplicated, not lost', () => {
    const rows = tally([record(7, 'accepted')], ['kill'], found({}, { 7: 2 }));
    expect(rows[0]).toMatchObject({ duplicated: 1, lost: 0, delivered: 2 });
  });

  it('counts one extra remote copy after a first copy left in doubt apart (relay RFC 1047 window), and a third copy as duplicated', () => {
    expect(tally([record(7, 'accepted')], ['kill'], found({}, { 7: 2 }, [7]))[0]).toMatchObject({ relayWindow: 1, duplicated: 0, lost: 0 });
    expect(tally([record(7, 'accepted')], ['kill'], found({}, { 7: 3 }, [7]))[0]).toMatchObject({ relayWindow: 0, duplicated: 1 });
    expect(kept(tally([record(7, 'accepted')], ['kill'], found({}, { 7: 2 }, [7])))).toBe(true);
  });

  it('sorts unconfirmed messages into stored once and not stored, both acceptable', () => {
    const rows = tally([record(0, 'unconfirmed'), record(1, 'unconfirmed')], ['kill'], found({ 0: 1 }));
    expect(rows[0]).toMatchObject({ unconfirmed: 2, unconfirmedStoredOnce: 1, unconfirmedNotStored: 1, lost: 0, duplicated: 0 });
    expect(kept(rows)).toBe(true);
  });

  it('flags a refused message found in a mailbox as leaked', () => {
    const rows = tally([record(0, 'refused', 40)], ['kill'], found({ 0: 1 }));
    expect(rows[0]).toMatchObject({ refused: 1, leaked: 1 });
    expect(kept(rows)).toBe(false);
  });

  it('puts each message in its own phase row', () => {
    const second: MessageRecord = { ...record(1, 'accepted'), message: planMessage(1, 1, 'spec') };
    const rows = tally([record(0, 'accepted'), second], ['a', 'b'], found({ 0: 1, 1: 1 }));
    expect(rows.map((r) => [r.phase, r.sent])).toEqual([
      ['a', 1],
      ['b', 1],
      ['total', 2],
    ]);
  });
});
