/** Unit tests of apop-secret.ts: the key formats, sealing, and every way a sealed secret refuses to open. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApopSecretCipher, ApopSecretError, parseApopKey } from './apop-secret';

const key = randomBytes(32);

describe('parseApopKey', () => {
  it('reads 64 hex digits or base64 of 32 octets', () => {
    expect(parseApopKey(key.toString('hex'))?.equals(key)).toBe(true);
    expect(parseApopKey(key.toString('base64'))?.equals(key)).toBe(true);
  });

  it('refuses other lengths and alphabets', () => {
    for (const text of ['', 'secret', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), 'z'.repeat(64)]) {
      expect(parseApopKey(text), text).toBeUndefined();
    }
  });
});

describe('ApopSecretCipher', () => {
  const cipher = new ApopSecretCipher(key);

  it('seals to aes-256-gcm$keyid$iv$tag$ciphertext without the secret, fresh each time, and opens it again', () => {
    const sealed = cipher.seal('mrose@example.test', 'tanstaaf');
    expect(sealed).toMatch(/^aes-256-gcm\$[0-9a-f]{8}\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('tanstaaf');
    expect(cipher.seal('mrose@example.test', 'tanstaaf')).not.toBe(sealed);
    expect(cipher.open('mrose@example.test', sealed)).toBe('tanstaaf');
    expect(cipher.open('a@example.test', cipher.seal('a@example.test', 'crêpes ü'))).toBe('crêpes ü');
  });

  it('refuses a secret sealed for another user, under another key, tampered or malformed', () => {
    const sealed = cipher.seal('mrose@example.test', 'tanstaaf');
    expect(() => cipher.open('bob@example.test', sealed)).toThrow(ApopSecretError);
    expect(() => new ApopSecretCipher(randomBytes(32)).open('mrose@example.test', sealed)).toThrow(/sealed under key/);
    const parts = sealed.split('$');
    const flipped = Buffer.from(parts[4] ?? '', 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => cipher.open('mrose@example.test', [...parts.slice(0, 4), flipped.toString('base64')].join('$'))).toThrow(/does not open/);
    expect(() => cipher.open('mrose@example.test', 'aes-256-gcm$x')).toThrow(/malformed/);
  });
});
