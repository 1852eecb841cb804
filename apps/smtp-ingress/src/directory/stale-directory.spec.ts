// Tests of stale-directory.ts: stale-if-error fallback for recipient lookups.
import { describe, expect, it } from 'vitest';
import { InMemoryDirectory } from '../test-support/command-harness';
import { StaleIfErrorDirectory } from './stale-directory';

function setup(maxStaleMs = 1000, maxEntries?: number) {
  const inner = new InMemoryDirectory();
  let now = 0;
  const stale: string[] = [];
  const directory = new StaleIfErrorDirectory(inner, { maxStaleMs, ...(maxEntries ? { maxEntries } : {}), now: () => now, onStale: (a) => stale.push(a) });
  return { inner, directory, stale, advance: (ms: number) => (now += ms) };
}

describe('StaleIfErrorDirectory', () => {
  it('asks the directory every time while it answers', async () => {
    const { inner, directory } = setup();
    expect(await directory.resolve('bob@example.test')).toEqual({ result: 'local', mailboxes: ['bob@example.test'] });
    inner.users.delete('bob@example.test');
    expect(await directory.resolve('bob@example.test')).toEqual({ result: 'unknown-user' });
  });

  it('uses a recent local answer when the directory fails, within the stale limit', async () => {
    const { inner, directory, stale, advance } = setup();
    await directory.resolve('Bob@example.test');
    inner.down = true;
    advance(999);
    expect(await directory.resolve('bob@EXAMPLE.test')).toEqual({ result: 'local', mailboxes: ['bob@example.test'] });
    expect(stale).toEqual(['bob@EXAMPLE.test']);
    advance(2);
    await expect(directory.resolve('bob@example.test')).rejects.toThrow(/^451 4\.4\.3 /);
  });

  it('never reuses negative answers, and forgets an address that stopped being local', async () => {
    const { inner, directory } = setup();
    await directory.resolve('nobody@example.test');
    await directory.resolve('bob@example.test');
    inner.users.delete('bob@example.test');
    await directory.resolve('bob@example.test');
    inner.down = true;
    await expect(directory.resolve('nobody@example.test')).rejects.toThrow(/^451 /);
    await expect(directory.resolve('bob@example.test')).rejects.toThrow(/^451 /);
  });

  it('is bounded and can be disabled', async () => {
    const bounded = setup(1000, 1);
    await bounded.directory.resolve('bob@example.test');
    await bounded.directory.resolve('carol@example.test');
    bounded.inner.down = true;
    await expect(bounded.directory.resolve('bob@example.test')).rejects.toThrow(/^451 /);
    expect((await bounded.directory.resolve('carol@example.test')).result).toBe('local');
    const disabled = setup(0);
    await disabled.directory.resolve('bob@example.test');
    disabled.inner.down = true;
    await expect(disabled.directory.resolve('bob@example.test')).rejects.toThrow(/^451 /);
  });
});
