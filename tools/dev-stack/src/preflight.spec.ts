import { describe, expect, it } from 'vitest';
import { missingServiceEntries, portClaims, preflight } from './preflight';

describe('missingServiceEntries', () => {
  it('lists the services without a build', () => {
    const present = new Set(['dist/apps/smtp-ingress/main.mjs', 'dist/apps/mailbox-store/main.mjs', 'dist/apps/pop3-server/main.mjs']);
    expect(missingServiceEntries((path) => present.has(path))).toEqual(['dist/apps/spam-filter/main.mjs', 'dist/apps/outbound-relay/main.mjs', 'dist/apps/imap-server/main.mjs']);
  });
});

describe('portClaims', () => {
  it('claims the mail ports from the environment and the ops ports', () => {
    const claims = portClaims({ SMTP_PORT: '2626' });
    expect(claims.map((claim) => claim.port)).toEqual([2626, 2587, 1110, 1143, 9101, 9102, 9103, 9104, 9105, 9106]);
  });

  it('claims the POP3S port only when POP3S_PORT turns it on', () => {
    expect(portClaims({}).some((claim) => claim.owner.includes('POP3S'))).toBe(false);
    expect(portClaims({ POP3S_PORT: '1995' })).toContainEqual({ port: 1995, owner: 'pop3-server POP3S (POP3S_PORT)' });
  });
});

describe('preflight', () => {
  it('names the services without a build', async () => {
    await expect(preflight({}, { exists: (path) => !path.includes('spam-filter'), isFree: async () => true })).rejects.toThrow(/this service has no build:\n {2}dist\/apps\/spam-filter\/main.mjs/);
  });

  it('names the ports that are taken', async () => {
    const check = preflight({}, { exists: () => true, isFree: async (port) => port !== 9103 && port !== 2525 });
    await expect(check).rejects.toThrow(/2525 {2}smtp-ingress SMTP/);
    await expect(check).rejects.toThrow(/9103 {2}mailbox-store ops endpoint/);
  });

  it('passes when everything is in place', async () => {
    await expect(preflight({}, { exists: () => true, isFree: async () => true })).resolves.toBeUndefined();
  });
});
