/**
 * The octets of a queued message as they go out: the trace header lines the
 * pipeline added (RFC 5321 §4.4: prepended, `Name: value` CRLF, RFC 5322
 * §2.2), then the stored body, streamed from the object store chunk by
 * chunk — never held whole in memory.
 */
import type { BodyReference, HeaderField, OutboundQueued } from '@mail/contracts';
import type { MessageRequest } from './host-attempt';

export interface MessageContent {
  /** Octets before dot-stuffing: the SIZE to declare (RFC 1870 §6). */
  readonly size: number;
  /** A fresh stream of the message each call (one per transaction). */
  chunks(): AsyncIterable<Uint8Array>;
}

/** Serialized trace header lines, in order. */
export function traceHeaderBytes(headers: readonly HeaderField[]): Buffer {
  return Buffer.from(headers.map((h) => `${h.name}: ${h.value}\r\n`).join(''), 'utf8');
}

/** The message: trace headers, then the body read lazily through `readBody`. */
export function messageContent(
  headers: readonly HeaderField[],
  body: BodyReference,
  readBody: (ref: BodyReference) => AsyncIterable<Uint8Array>,
): MessageContent {
  const head = traceHeaderBytes(headers);
  return {
    size: head.length + body.size,
    async *chunks() {
      if (head.length > 0) yield head;
      yield* readBody(body);
    },
  };
}

/** What a transaction sends for a queued message (recipients are added per attempt). */
export function messageRequest(message: OutboundQueued, readBody: (ref: BodyReference) => AsyncIterable<Uint8Array>): MessageRequest {
  const content = messageContent(message.traceHeaders, message.body, readBody);
  return {
    mailFrom: message.envelope.mailFrom,
    size: content.size,
    // RFC 6152 §3: declare 8-bit content; BINARYMIME cannot travel over DATA and goes as 8BITMIME
    eightBit: message.envelope.bodyType !== '7BIT',
    smtputf8: message.envelope.smtputf8,
    content: () => content.chunks(),
  };
}
