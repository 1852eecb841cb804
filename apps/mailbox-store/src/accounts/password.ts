/**
 * Password hashing with scrypt (node:crypto), stored as
 * `scrypt$N$r$p$<salt base64>$<hash base64>` so parameters can be raised
 * later without invalidating existing hashes. Passwords are never logged.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { VerifiedCredentials } from './verified-credentials';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** ~50 ms and 16 MiB per hash on a current CPU (OWASP's scrypt minimum is N=2^17 with r=8 for p=1; raise when hardware allows). */
export const defaultScryptParams: ScryptParams = { N: 16_384, r: 8, p: 1 };

const saltOctets = 16;
const keyOctets = 32;

/** Refuse stored parameters that would make one verification a denial of service. */
const limits = { N: 1 << 20, r: 32, p: 16 };

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hash a password with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = defaultScryptParams): Promise<string> {
  const salt = randomBytes(saltOctets);
  const key = await derive(password, salt, params, keyOctets);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || salt === undefined || key === undefined) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const valid =
    Number.isInteger(params.N) &&
    params.N > 1 &&
    (params.N & (params.N - 1)) === 0 &&
    params.N <= limits.N &&
    Number.isInteger(params.r) &&
    params.r >= 1 &&
    params.r <= limits.r &&
    Number.isInteger(params.p) &&
    params.p >= 1 &&
    params.p <= limits.p;
  const parsed = { params, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
  return valid && parsed.salt.length > 0 && parsed.key.length >= 16 ? parsed : undefined;
}

/** True when `password` matches `stored`; the comparison is constant-time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** How a verification was answered: from a recent success, by scrypt, or refused (always by scrypt). */
export type VerificationOutcome = 'cached' | 'verified' | 'refused';

export interface PasswordVerifierOptions {
  readonly params?: ScryptParams;
  /** Recent successes that skip scrypt; none kept when absent. */
  readonly verified?: VerifiedCredentials;
  readonly onOutcome?: (outcome: VerificationOutcome) => void;
}

/**
 * Verifies credentials so that an unknown user costs the same time as a
 * wrong password: without a stored hash it checks against a dummy hash of
 * the current parameters and answers false. A password that matched the
 * same stored hash recently is answered from `verified` without scrypt.
 */
export class PasswordVerifier {
  private dummy: Promise<string> | undefined;
  private readonly params: ScryptParams;

  constructor(private readonly options: PasswordVerifierOptions = {}) {
    this.params = options.params ?? defaultScryptParams;
  }

  async verify(password: string, stored: string | undefined): Promise<boolean> {
    if (stored !== undefined && this.options.verified?.has(stored, password) === true) return this.answer('cached');
    this.dummy ??= hashPassword(randomBytes(16).toString('hex'), this.params);
    const matched = await verifyPassword(password, stored ?? (await this.dummy));
    if (stored === undefined || !matched) return this.answer('refused');
    this.options.verified?.add(stored, password);
    return this.answer('verified');
  }

  private answer(outcome: VerificationOutcome): boolean {
    this.options.onOutcome?.(outcome);
    return outcome !== 'refused';
  }
}
