// The SASL exchange of the POP3 AUTH command (RFC 5034 §4), mechanism-neutral:
// BASE64 client responses, the "=" empty marker, the "*" cancel line and the
// "+ " server challenge. Mechanisms (e.g. sasl-plain.ts) work on the decoded
// octets.

import { Pop3ResponseError } from './response';

/** A client line sent during an AUTH exchange, after decoding. */
export type SaslContinuation = { readonly cancelled: true } | { readonly cancelled: false; readonly data: Buffer };

// RFC 4648 §4 alphabet with canonical padding; no whitespace, no URL-safe variant.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * True when `text` is syntactically a SASL response: strict BASE64 (RFC 4648
 * §4), or the lone "=" empty marker when `allowEmptyMarker` is set (RFC 5034
 * §4, initial responses only).
 */
export function isSaslResponseSyntax(text: string, options: { allowEmptyMarker: boolean }): boolean {
  if (text === '=') return options.allowEmptyMarker;
  return BASE64.test(text);
}

/**
 * Decodes the initial-response argument of `AUTH mechanism initial-response`.
 *
 * RFC 5034 §4: a zero-length initial response is sent as a single "=".
 *
 * @throws Pop3ResponseError (userFault) if the argument is not BASE64.
 */
export function decodeSaslInitialResponse(argument: string): Buffer {
  if (argument === '=') return Buffer.alloc(0);
  return decodeBase64(argument);
}

/**
 * Decodes a client line sent in answer to a server challenge.
 *
 * RFC 5034 §4: a line holding a single "*" cancels the exchange (the server
 * then replies `-ERR`); any other line is a BASE64 response, possibly empty.
 * The line may still carry its CRLF.
 *
 * @throws Pop3ResponseError (userFault) if the line is not BASE64.
 */
export function parseSaslContinuation(line: string): SaslContinuation {
  const text = line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
  if (text === '*') return { cancelled: true };
  return { cancelled: false, data: decodeBase64(text) };
}

/**
 * Serializes a server challenge line: `+ ` then the BASE64 of the challenge
 * (RFC 5034 §4). An empty challenge gives `+ \r\n`.
 */
export function formatSaslChallenge(challenge: Uint8Array = new Uint8Array(0)): string {
  return `+ ${Buffer.from(challenge.buffer, challenge.byteOffset, challenge.byteLength).toString('base64')}\r\n`;
}

function decodeBase64(text: string): Buffer {
  // Buffer.from(…, 'base64') skips junk silently, so validate first.
  if (!BASE64.test(text)) {
    throw new Pop3ResponseError('SASL response is not valid BASE64', { userFault: true });
  }
  return Buffer.from(text, 'base64');
}
