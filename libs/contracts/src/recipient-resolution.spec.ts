// Tests of recipient-resolution.ts: the one RCPT decision over a directory view.
import { describe, expect, it } from 'vitest';
import { resolveInDirectory, type DirectoryView } from './recipient-resolution';

type Entry = ReturnType<DirectoryView['entryOf']>;

function view(domains: string[], entries: Record<string, Entry>): DirectoryView {
  return { isLocalDomain: (d) => domains.includes(d), entryOf: (a) => entries[a] };
}

const user = { kind: 'user' } as const;
const alias = (...targets: string[]) => ({ kind: 'alias', targets }) as const;

describe('resolveInDirectory', () => {
  const directory = view(['example.test'], {
    'bob@example.test': user,
    'carol@example.test': user,
    'team@example.test': alias('bob@example.test', 'gone@example.test', 'carol@example.test', 'bob@example.test'),
    'old@example.test': alias('gone@example.test'),
    '@example.test': alias('carol@example.test'),
  });

  it('finds a user, case-insensitively', () => {
    expect(resolveInDirectory('Bob@EXAMPLE.test', directory)).toEqual({ kind: 'local', mailboxes: ['bob@example.test'], via: 'user' });
  });

  it('follows an alias one level to the targets that are users, each once, in order', () => {
    expect(resolveInDirectory('team@example.test', directory)).toEqual({ kind: 'local', mailboxes: ['bob@example.test', 'carol@example.test'], via: 'alias' });
  });

  it('refuses an alias whose targets are all gone instead of falling through to the catch-all', () => {
    expect(resolveInDirectory('old@example.test', directory)).toEqual({ kind: 'unknown-user' });
  });

  it('sends any other address of the domain to the catch-all', () => {
    expect(resolveInDirectory('nobody@example.test', directory)).toEqual({ kind: 'local', mailboxes: ['carol@example.test'], via: 'catch-all' });
  });

  it('refuses an unknown address of a domain without a catch-all', () => {
    expect(resolveInDirectory('nobody@other.test', view(['other.test'], {}))).toEqual({ kind: 'unknown-user' });
  });

  it('names other domains, and addresses without a local part, not local', () => {
    expect(resolveInDirectory('bob@elsewhere.test', directory)).toEqual({ kind: 'not-local-domain' });
    expect(resolveInDirectory('@example.test', directory)).toEqual({ kind: 'not-local-domain' });
    expect(resolveInDirectory('example.test', directory)).toEqual({ kind: 'not-local-domain' });
  });
});
