/**
 * The octets of a queued message as they go out: a DKIM-Signature field
 * when our domain has a key (RFC 6376), the trace header lines the pipeline
 * added (RFC 5321 §4.4: prepended, `Name: value` CRLF, RFC 5322 §2.2), then
 * the stored body, streamed from the object store chunk by chunk — never
 * held whole in memory. A body without a header section gets the empty line
 * after the prepended fields, so its first line stays body (RFC 5322 §2.1).
 *
 * Before the first attempt the message is read once when it must be looked
 * at: to sign it, to learn whether a body declared 8BITMIME really holds
 * 8-bit octets (RFC 6152 §3: only those cannot go to a server without
 * 8BITMIME; a declared but 7-bit body goes anywhere), and to find lines
 * over 998 octets (RFC 5322 §2.1.1), which smtp-ingress accepts as Postfix
 * does. A message with such lines is read again to plan the changes
 * (line-limit/), and what goes out — signed, sized and scanned — is the
 * changed message; any other goes out exactly as stored.
 */
import { isAscii } from 'node:buffer';
import type { BodyReference, HeaderField, OutboundQueued } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import type { DkimKey, DkimKeyStore } from '../dkim/dkim-keys';
import { dkimSignature } from '../dkim/dkim-signature';
import type { DsnRequest } from '@mail/smtp-client';
import { fromDomain, readHeaderSection } from './header-section';
import type { MessageRequest } from './host-attempt';
import { domainOf } from './recipient-groups';
import { conformLines } from '../line-limit/line-limit-transform';
import { planLineLimits, type LineLimitPlan } from '../line-limit/line-limit-plan';
import { LongLineScan, MAX_LINE_OCTETS } from '../line-limit/long-lines';

const CRLF = Buffer.from('\r\n');

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

/** Lines over 998 octets and what to do about them: the plan, and the size of the message once changed. */
export interface LineLimitChange {
  readonly plan: LineLimitPlan;
  readonly size: number;
}

/**
 * The message: `prefix` (a signature), trace headers, then the body read
 * lazily through `readBody`; with `lineLimit`, everything after the prefix
 * changed as planned.
 */
export function messageContent(message: QueuedContent, readBody: BodyReader, prefix: Uint8Array = Buffer.alloc(0), lineLimit?: LineLimitChange): MessageContent {
  const { body } = message;
  const trace = traceHeaderBytes(message.traceHeaders);
  // The empty line after the prepended fields; in the stream that is planned and signed when there are trace fields, so its offsets never depend on the prefix
  const separated = message.bodyLacksHeaderSection === true;
  const head = trace.length > 0 && separated ? Buffer.concat([trace, CRLF]) : trace;
  const lead = prefix.length > 0 && trace.length === 0 && separated ? Buffer.concat([prefix, CRLF]) : prefix;
  async function* stored(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    yield* readBody(body);
  }
  return {
    size: lead.length + (lineLimit ? lineLimit.size : head.length + body.size),
    async *chunks() {
      if (lead.length > 0) yield lead;
      yield* lineLimit ? conformLines(stored(), lineLimit.plan) : stored();
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

/** What a transaction sends for a queued message, unsigned and unscanned unless told (recipients are added per attempt). */
export function messageRequest(message: OutboundQueued, readBody: BodyReader, prefix?: Uint8Array, eightBit?: boolean, lineLimit?: LineLimitChange): MessageRequest {
  const content = messageContent(message, readBody, prefix, lineLimit);
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
  // No line can be longer than the whole message
  const mayHaveLongLines = plain.size > MAX_LINE_OCTETS + 2;
  if (!key && !scan && !mayHaveLongLines) return messageRequest(message, deps.readBody);
  const looked = await signAndScan(message, key, () => plain.chunks(), deps);
  if (!looked.longLines) return messageRequest(message, deps.readBody, looked.signature, scan && looked.eightBit);
  // Lines over 998 octets: plan the changes, then sign and size what will go out
  const plan = await planLineLimits(plain.chunks());
  const changed = messageContent(message, deps.readBody, undefined, { plan, size: 0 });
  const final = await signAndScan(message, key, () => changed.chunks(), deps);
  return messageRequest(message, deps.readBody, final.signature, scan && final.eightBit, { plan, size: final.size });
}

/** What one read of the message found, and its signature when there is a key. */
interface Looked {
  readonly signature: Buffer | undefined;
  readonly eightBit: boolean;
  readonly longLines: boolean;
  readonly size: number;
}

/** Reads the message, signing it with `key` (if any) and noting 8-bit octets, long lines and the size on the way. */
async function signAndScan(message: OutboundQueued, key: DkimKey | undefined, source: () => AsyncIterable<Uint8Array>, deps: PreparationDependencies): Promise<Looked> {
  if (key) {
    const scan = new Scan();
    try {
      const signature = await dkimSignature(key, scan.through(source()), deps.now?.() ?? new Date());
      return scan.result(signature);
    } catch (error) {
      // A broken key must not hold the mail back: it goes unsigned, and the log says why
      deps.log.error({ err: error, queueId: message.queueId, domain: key.domain }, 'DKIM signing failed; sending unsigned');
    }
  }
  const scan = new Scan();
  for await (const chunk of scan.through(source())) void chunk;
  return scan.result(undefined);
}

/** What passes through: 8-bit octets, long lines, octets. */
class Scan {
  private readonly lines = new LongLineScan();
  private eightBit = false;
  private size = 0;

  async *through(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      // RFC 6152 §2: an octet above 127 (isAscii: ~100x faster than testing each octet in JavaScript)
      if (!this.eightBit && !isAscii(chunk)) this.eightBit = true;
      this.lines.push(chunk);
      this.size += chunk.length;
      yield chunk;
    }
  }

  result(signature: Buffer | undefined): Looked {
    this.lines.end();
    return { signature, eightBit: this.eightBit, longLines: this.lines.found, size: this.size };
  }
}

/** The From: header's domain, then the envelope sender's: where to look for a key. */
async function signingDomains(message: OutboundQueued, content: MessageContent): Promise<string[]> {
  const domains: string[] = [];
  const author = fromDomain(await readHeaderSection(content.chunks()));
  if (author) domains.push(author);
  if (message.envelope.mailFrom !== '') domains.push(domainOf(message.envelope.mailFrom).toLowerCase());
  return [...new Set(domains)];
}
