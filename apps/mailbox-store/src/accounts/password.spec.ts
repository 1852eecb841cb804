/** Unit tests of password.ts: the scrypt hash format, salting, verification and the unknown-user path. */
import { describe, expect, it } from 'vitest';
import { PasswordVerifier, hashPassword, verifyPassword, type VerificationOutcome } from './password';
import { VerifiedCredentials } from './verified-credentials';

// Small parameters keep the tests fast; the format and logic are the same.
const fast = { N: 1024, r: 8, p: 1 };

describe('hashPassword / verifyPassword', () => {
  it('stores scrypt$N$r$p$salt$hash and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse', fast);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain('correct horse');
    await expect(verifyPassword('correct horse', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horsE', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same', fast)).not.toBe(await hashPassword('same', fast));
  });

  it('uses the parameters recorded in the hash, so they can be raised later', async () => {
    const older = await hashPassword('pw', { N: 512, r: 4, p: 1 });
    await expect(verifyPassword('pw', older)).resolves.toBe(true);
  });

  it('never matches a malformed or abusive hash', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$1024$8$1$c2FsdA==',
      'bcrypt$1024$8$1$c2FsdA==$aGFzaA==',
      `scrypt$${2 ** 30}$8$1$c2FsdA==$${'A'.repeat(44)}`,
      'scrypt$1000$8$1$c2FsdA==$' + 'A'.repeat(44),
    ]) {
      await expect(verifyPassword('pw', stored)).resolves.toBe(false);
    }
  });
});

describe('PasswordVerifier', () => {
  it('answers false for an unknown user after doing the same work', async () => {
    const verifier = new PasswordVerifier({ params: fast });
    const stored = await hashPassword('pw', fast);
    await expect(verifier.verify('pw', stored)).resolves.toBe(true);
    await expect(verifier.verify('pw', undefined)).resolves.toBe(false);
    await expect(verifier.verify('wrong', stored)).resolves.toBe(false);
  });

  it('answers a repeated success from the verified credentials, and every failure by scrypt', async () => {
    const outcomes: VerificationOutcome[] = [];
    const verified = new VerifiedCredentials({ ttlMs: 60_000, maxEntries: 10 });
    const verifier = new PasswordVerifier({ params: fast, verified, onOutcome: (outcome) => outcomes.push(outcome) });
    const stored = await hashPassword('pw', fast);
    await expect(verifier.verify('pw', stored)).resolves.toBe(true);
    await expect(verifier.verify('pw', stored)).resolves.toBe(true);
    await expect(verifier.verify('wrong', stored)).resolves.toBe(false);
    await expect(verifier.verify('wrong', stored)).resolves.toBe(false);
    await expect(verifier.verify('pw', undefined)).resolves.toBe(false);
    expect(outcomes).toEqual(['verified', 'cached', 'refused', 'refused', 'refused']);
    // The password changed: the new hash is verified by scrypt again, the old password no longer matches
    const changed = await hashPassword('new', fast);
    await expect(verifier.verify('pw', changed)).resolves.toBe(false);
    await expect(verifier.verify('new', changed)).resolves.toBe(true);
    expect(outcomes.slice(5)).toEqual(['refused', 'verified']);
  });
});
