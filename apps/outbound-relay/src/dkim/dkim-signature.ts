/**
 * DKIM signatures of outgoing mail (RFC 6376) with mailauth's signer: the
 * message as it goes out (trace header lines and the stored message) is
 * streamed through the signer once per delivery, and the DKIM-Signature
 * field is prepended (RFC 6376 §3.5: it may go anywhere in the header; on
 * top it covers nothing added after it). relaxed/relaxed canonicalization
 * (RFC 6376 §3.4) survives the re-folding relays do.
 */
import { Readable } from 'node:stream';
import type { DkimKey } from './dkim-keys';

/** Fields signed: mailauth's default list (From, Subject, Date, Message-ID, To, Cc, MIME fields, ...). */
export async function dkimSignature(key: DkimKey, message: AsyncIterable<Uint8Array>, signTime = new Date()): Promise<Buffer> {
  // Loaded at the first signature, not with the relay: a relay without DKIM
  // keys, or idle, holds no mailauth.
  const { dkimSign } = await import('mailauth/lib/dkim/sign');
  const signer = { signingDomain: key.domain, selector: key.selector, privateKey: key.privateKey, algorithm: key.algorithm };
  const result = await dkimSign(Readable.from(message), {
    ...signer,
    canonicalization: 'relaxed/relaxed',
    signTime,
    signatureData: [signer],
  });
  if (result.errors.length > 0 || result.signatures === '') {
    throw new Error(`DKIM signing for ${key.domain} failed: ${result.errors.map((e) => JSON.stringify(e)).join('; ') || 'no signature'}`);
  }
  return Buffer.from(result.signatures, 'utf8');
}
