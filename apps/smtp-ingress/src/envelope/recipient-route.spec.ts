// Tests of recipient-route.ts: local, remote and unknown recipients.
import { describe, expect, it } from 'vitest';
import { routeRecipient } from './recipient-route';

describe('routeRecipient', () => {
  it('routes local addresses to their mailboxes with the DSN parameters', () => {
    expect(routeRecipient('Bob@Example.test', { result: 'local', mailboxes: ['bob@example.test'] }, false, { notify: ['NEVER'] })).toEqual({
      address: 'Bob@Example.test',
      route: 'local',
      mailbox: 'bob@example.test',
      dsn: { notify: ['NEVER'] },
    });
  });

  it('carries every owner of an alias with several mailboxes', () => {
    const owners = ['bob@example.test', 'carol@example.test'];
    expect(routeRecipient('team@example.test', { result: 'local', mailboxes: owners }, false, undefined)).toEqual({
      address: 'team@example.test',
      route: 'local',
      mailbox: 'bob@example.test',
      mailboxes: owners,
    });
  });

  it('refuses with 552 5.2.2 only when every mailbox is full', () => {
    const owners = ['bob@example.test', 'carol@example.test'];
    expect(() => routeRecipient('team@example.test', { result: 'local', mailboxes: owners, overQuota: owners }, false, undefined)).toThrow(/^552 5\.2\.2 /);
    expect(routeRecipient('team@example.test', { result: 'local', mailboxes: owners, overQuota: ['bob@example.test'] }, false, undefined).route).toBe('local');
  });

  it('refuses other domains on the inbound listener (no open relay) and routes them remote when relaying is allowed', () => {
    expect(() => routeRecipient('x@other.test', { result: 'not-local-domain' }, false, undefined)).toThrow(/^550 5\.7\.1 Relaying denied/);
    expect(routeRecipient('x@other.test', { result: 'not-local-domain' }, true, undefined)).toEqual({ address: 'x@other.test', route: 'remote' });
  });

  it('refuses unknown users with 550 5.1.1', () => {
    expect(() => routeRecipient('nobody@example.test', { result: 'unknown-user' }, false, undefined)).toThrow(/^550 5\.1\.1 /);
  });
});
