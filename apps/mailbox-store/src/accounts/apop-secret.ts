/**
 * APOP shared secrets at rest.
 *
 * RFC 1939 §7: the APOP digest is MD5(timestamp + shared secret), so the
 * server needs the secret itself; a one-way hash (as for passwords) cannot
 * be used. Secrets are therefore stored encrypted with AES-256-GCM under a
 * key that lives outside the database (APOP_SECRET_KEY), with the user's
 * address as additional authenticated data, so a sealed secret copied into
 * another user's row does not open. Stored form:
 *
 *   aes-256-gcm$<key id>$<iv>$<tag>$<ciphertext>      (base64 parts)
 *
 * The key id (first 8 hex digits of SHA-256 of the key) tells "sealed under
 * another key" apart from tampering.
 *
 * Trade-off: whoever holds both a database copy and the key can recover every
 * APOP secret (unlike password hashes); the database alone is not enough.
 * APOP secrets should therefore differ from login passwords — APOP is for
 * old clients, and SASL PLAIN over TLS is the better choice where possible.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const scheme = 'aes-256-gcm';
const keyOctets = 32;
/** NIST SP 800-38D §8.2.2: a random 96-bit IV per encryption. */
const ivOctets = 12;
const tagOctets = 16;

/** A stored APOP secret that cannot be opened: other key, another user's row, or tampered. */
export class ApopSecretError extends Error {
  override name = 'ApopSecretError';
}

/** The 32-octet key from 64 hex digits or base64; undefined when it is neither. */
export function parseApopKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === keyOctets ? key : undefined;
}

/** Seals and opens APOP secrets with one key. */
export class ApopSecretCipher {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== keyOctets) throw new RangeError(`an APOP key has ${keyOctets} octets`);
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  /** The stored form of `secret` for the (normalized) `address`. */
  seal(address: string, secret: string): string {
    const iv = randomBytes(ivOctets);
    const cipher = createCipheriv(scheme, this.key, iv, { authTagLength: tagOctets });
    cipher.setAAD(Buffer.from(address, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [scheme, this.keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('$');
  }

  /** The secret sealed for `address`. @throws ApopSecretError when it cannot be opened. */
  open(address: string, sealed: string): string {
    const [name, keyId, iv, tag, ciphertext, ...rest] = sealed.split('$');
    if (name !== scheme || ciphertext === undefined || tag === undefined || iv === undefined || rest.length > 0) {
      throw new ApopSecretError('stored APOP secret is malformed');
    }
    if (keyId !== this.keyId) throw new ApopSecretError(`stored APOP secret was sealed under key ${keyId}, not the configured key ${this.keyId}`);
    try {
      const decipher = createDecipheriv(scheme, this.key, Buffer.from(iv, 'base64'), { authTagLength: tagOctets });
      decipher.setAAD(Buffer.from(address, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new ApopSecretError('stored APOP secret does not open (tampered, or sealed for another user)', { cause });
    }
  }
}
