import { describe, expect, it } from 'vitest';
import { formatTable } from './report-table';
import type { PhaseTally } from './tally';

const row = (phase: string, lost = 0): PhaseTally => ({
  phase,
  sent: 10,
  attempts: 12,
  accepted: 9,
  refused: 0,
  unconfirmed: 1,
  unconfirmedStoredOnce: 1,
  unconfirmedNotStored: 0,
  stored: 10,
  delivered: 0,
  lost,
  duplicated: 0,
  relayWindow: 0,
  leaked: 0,
});

describe('formatTable', () => {
  it('prints a header, one aligned line per phase and the total under a rule', () => {
    const lines = formatTable([row('SIGKILL smtp-ingress'), row('total', 1)]).split('\n');
    expect(lines[0]).toMatch(/^phase\s+sent\s+attempts\s+accepted\s+refused\s+unconfirmed\s+stored\s+delivered\s+lost\s+duplicated\s+relay-window\s+leaked$/);
    expect(lines[2]).toMatch(/^SIGKILL smtp-ingress\s+10\s+12\s+9\s+0\s+1 \(1 once\/0 none\)\s+10\s+0\s+0\s+0\s+0\s+0$/);
    expect(lines[3]).toMatch(/^-+/);
    expect(lines[4]).toMatch(/^total\s.*\s1\s+0\s+0\s+0$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
