// Tests of enable.ts: what ENABLE turns on, and what it lists in ENABLED (RFC 5161, RFC 7162 §3.2.3).
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../session/command-context';
import { newSessionState, wireOptions } from '../session/session-state';
import { enable } from './enable';

function session() {
  const written: string[] = [];
  const state = newSessionState('s1', '127.0.0.1', 1, '127.0.0.1');
  state.protocol = { kind: 'authenticated', user: 'bob@example.test' };
  const ctx = { session: state, channel: { write: async (data: string | Uint8Array) => void written.push(String(data)) } } as unknown as CommandContext;
  return { ctx, state, written };
}

describe('enable', () => {
  it('turns QRESYNC on with CONDSTORE, and lists only what the command named', async () => {
    const { ctx, state, written } = session();
    await enable(ctx, { tag: 'a', kind: 'ENABLE', capabilities: ['QRESYNC', 'X-UNKNOWN'] });
    expect(written).toEqual(['* ENABLED QRESYNC\r\n']);
    expect(wireOptions(state)).toEqual({ utf8: false, condstore: true, qresync: true });
  });

  it('lists nothing already on', async () => {
    const { ctx, written } = session();
    await enable(ctx, { tag: 'a', kind: 'ENABLE', capabilities: ['CONDSTORE', 'IMAP4REV2'] });
    await enable(ctx, { tag: 'b', kind: 'ENABLE', capabilities: ['CONDSTORE'] });
    expect(written).toEqual(['* ENABLED CONDSTORE IMAP4rev2\r\n', '* ENABLED\r\n']);
  });
});
