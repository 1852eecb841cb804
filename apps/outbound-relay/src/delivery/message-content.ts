/**
 * The octets of a queued message as they go out: a DKIM-Signature field
 * when our domain has a key (RFC 6376), the trace header lines the pipeline
 * added (RFC 5321 §4.4: prepended, `Name: value` CRLF, RFC 5322 §2.2), then
 * the stored body, streamed from the object store chunk by chunk — never
 * held whole in memory. A body without a header section gets the empty line
 * after the prepended fields, so its first line stays body (RFC 5322 §2.1).
 *
 * Before the first attempt the message is read once when it must be looked
 * at: to sign it, and to learn whether a body declared 8BITMIME really holds
 * 8-bit octets (RFC 6152 §3: only those cannot go to a server without
 * 8BITMIME; a declared but 7-bit body goes anywhere).
 */
import type { BodyReference, HeaderField, OutboundQueued } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import type { DkimKeyStore } from '../dkim/dkim-keys';
import { dkimSignature } from '../dkim/dkim-signature';
import type { DsnRequest } from '@mail/smtp-client';
import { fromDomain, readHeaderSection } from './header-section';
import type { MessageRequest } from './host-attempt';
import { domainOf } from './recipient-groups';

export type BodyReader = (ref: BodyReference) => AsyncIterable<Uint8Array>;

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

/** The parts of a queued message that make up its octets. */
export type QueuedContent = Pick<OutboundQueued, 'traceHeaders' | 'body' | 'bodyLacksHeaderSection'>;

/** The message: `prefix` (a signature), trace headers, then the body read lazily through `readBody`. */
export function messageContent(message: QueuedContent, readBody: BodyReader, prefix: Uint8Array = Buffer.alloc(0)): MessageContent {
  const { body } = message;
  const fields = Buffer.concat([prefix, traceHeaderBytes(message.traceHeaders)]);
  const head = fields.length > 0 && message.bodyLacksHeaderSection === true ? Buffer.concat([fields, Buffer.from('\r\n')]) : fields;
  return {
    size: head.length + body.size,
    async *chunks() {
      if (head.length > 0) yield head;
      yield* readBody(body);
    },
  };
}

/** RFC 3461 parameters of the envelope, to pass on to servers that offer DSN. */
export function dsnRequestOf(message: OutboundQueued): DsnRequest {
  const { dsnReturn, dsnEnvelopeId, recipients } = message.envelope;
  return {
    ...(dsnReturn ? { ret: dsnReturn } : {}),
    ...(dsnEnvelopeId ? { envid: dsnEnvelopeId } : {}),
    recipients: new Map(recipients.flatMap((r) => (r.dsn ? [[r.address, r.dsn] as const] : []))),
  };
}

/** What a transaction sends for a queued message, unsigned and unscanned (recipients are added per attempt). */
export function messageRequest(message: OutboundQueued, readBody: BodyReader, prefix?: Uint8Array, eightBit?: boolean): MessageRequest {
  const content = messageContent(message, readBody, prefix);
  return {
    mailFrom: message.envelope.mailFrom,
    size: content.size,
    // RFC 6152 §3: declare 8-bit content; BINARYMIME cannot travel over DATA and goes as 8BITMIME
    eightBit: eightBit ?? message.envelope.bodyType !== '7BIT',
    smtputf8: message.envelope.smtputf8,
    dsn: dsnRequestOf(message),
    // RFC 2920 §3.1: DATA ends the MAIL/RCPT group; the data goes to whichever recipients were accepted
    pipelineData: true,
    content: () => content.chunks(),
  };
}

export interface PreparationDependencies {
  readonly readBody: BodyReader;
  readonly keys?: DkimKeyStore;
  readonly log: Pick<Logger, 'error'>;
  readonly now?: () => Date;
}

/**
 * The message request for one delivery run: signed with the key of the
 * From: domain, else of the envelope sender's domain, when one exists; with
 * `eightBit` true only when 8-bit octets are really there.
 */
export async function prepareMessage(message: OutboundQueued, deps: PreparationDependencies): Promise<MessageRequest> {
  try {
    return await signedAndScanned(message, deps);
  } catch (error) {
    // The body cannot be read now: the attempt will fail on it the same way (MessageContentError), temporarily
    deps.log.error({ err: error, queueId: message.queueId }, 'reading the message before delivery failed');
    return messageRequest(message, deps.readBody);
  }
}

async function signedAndScanned(message: OutboundQueued, deps: PreparationDependencies): Promise<MessageRequest> {
  const plain = messageContent(message, deps.readBody);
  const key = deps.keys && (await deps.keys.any()) ? await deps.keys.find(await signingDomains(message, plain)) : undefined;
  const scan = message.envelope.bodyType !== '7BIT';
  if (!key && !scan) return messageRequest(message, deps.readBody);
  let eightBit = false;
  const scanned = detect8Bit(plain.chunks(), () => (eightBit = true));
  let signature: Buffer | undefined;
  if (key) {
    try {
      signature = await dkimSignature(key, scanned, deps.now?.() ?? new Date());
    } catch (error) {
      // A broken key must not hold the mail back: it goes unsigned, and the log says why
      deps.log.error({ err: error, queueId: message.queueId, domain: key.domain }, 'DKIM signing failed; sending unsigned');
      for await (const chunk of detect8Bit(plain.chunks(), () => (eightBit = true))) void chunk;
    }
  } else {
    for await (const chunk of scanned) void chunk;
  }
  return messageRequest(message, deps.readBody, signature, scan && eightBit);
}

/** The From: header's domain, then the envelope sender's: where to look for a key. */
async function signingDomains(message: OutboundQueued, content: MessageContent): Promise<string[]> {
  const domains: string[] = [];
  const author = fromDomain(await readHeaderSection(content.chunks()));
  if (author) domains.push(author);
  if (message.envelope.mailFrom !== '') domains.push(domainOf(message.envelope.mailFrom).toLowerCase());
  return [...new Set(domains)];
}

/** Passes the chunks through, calling `found` once an octet above 127 goes by. */
async function* detect8Bit(chunks: AsyncIterable<Uint8Array>, found: () => void): AsyncGenerator<Uint8Array> {
  let seen = false;
  for await (const chunk of chunks) {
    if (!seen && chunk.some((octet) => octet > 127)) {
      seen = true;
      found();
    }
    yield chunk;
  }
}
