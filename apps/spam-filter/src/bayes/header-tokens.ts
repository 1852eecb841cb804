/**
 * The classifier's evidence from the header section and the MIME
 * structure, each kind under a prefix of its own so it counts apart from
 * the body's words (as bogofilter's `head:` and SpamAssassin's `H*`
 * tokens): the sender's address, domain and display name; Reply-To and To domains; the Message-ID's domain; the
 * hosts and networks of the Received: trace (RFC 5321 §4.4); the mailer;
 * the content types, charsets and transfer encodings of every part
 * (RFC 2045 §5, §6) and how many parts there are. Our own X-Spam-* fields
 * and Authentication-Results: are never read, nor are the fields of a
 * message's original the user forwarded: only the top header section.
 * Which fields are present is not a token: tried on the SpamAssassin
 * corpus (docs/spam-evaluation.md), the dozen correlated fields of a
 * mailing list outvoted the body of spam sent through one.
 */
import { headerFields, type HeaderField } from '../content/header-fields';
import { domainOf, type MessageContent } from '../content/message-content';
import { registeredDomain } from '../content/registered-domain';

/** Received: fields read, from the top (the nearest hops; further ones are the sender's to forge). */
const maxReceived = 6;
/** Octets of the whole message searched for part headers. */
const maxStructureOctets = 256 * 1024;

/** Fields a filter adds (ours, or another's on the way): reading them would teach the classifier verdicts instead of mail. */
function isVerdictField(name: string): boolean {
  return name.startsWith('x-spam') || name === 'authentication-results' || name === 'arc-authentication-results';
}

const ipv4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/;
const topLevel = /\.[a-z]{2,24}$/;

/**
 * The registered domains of the host names in a Received: field and the /16
 * networks of its IPv4 addresses: the field cut at every character no host
 * name or address has, each dotted piece then either an address or a name
 * ending in an alphabetic top-level label (one split instead of a search
 * with look-behind per name: this is the tokenizer's hottest header field).
 */
function receivedTokens(value: string): string[] {
  const tokens: string[] = [];
  for (const piece of value.toLowerCase().split(/[^a-z0-9.-]+/)) {
    if (piece.length < 4 || !piece.includes('.')) continue;
    const address = ipv4.exec(piece);
    if (address) tokens.push(`rcvd-ip:${address[1]}.${address[2]}`);
    else if (topLevel.test(piece)) {
      const domain = registeredDomain(piece);
      if (domain) tokens.push(`rcvd:${domain}`);
    }
  }
  const protocol = /\bwith\s+([a-z0-9-]{2,20})/i.exec(value)?.[1];
  if (protocol) tokens.push(`rcvd-with:${protocol.toLowerCase()}`);
  return tokens;
}

/** Lower-case words of a field value (a display name, a mailer's name), without digits-only words. */
function valueWords(prefix: string, value: string, max = 8): string[] {
  const words = value.toLowerCase().match(/[\p{L}][\p{L}\p{N}_-]{1,23}/gu) ?? [];
  return words.slice(0, max).map((word) => `${prefix}:${word}`);
}

function addressTokens(content: MessageContent, fields: readonly HeaderField[]): string[] {
  const tokens: string[] = [];
  for (const address of content.fromAddresses.slice(0, 3)) {
    tokens.push(`from:${domainOf(address) ?? 'none'}`, `from-addr:${address.toLowerCase()}`);
  }
  const from = fields.find((f) => f.name === 'from')?.value ?? '';
  const displayName = from.includes('<') ? from.slice(0, from.indexOf('<')) : '';
  tokens.push(...valueWords('from-name', displayName, 4));
  for (const address of content.replyToAddresses.slice(0, 3)) tokens.push(`reply-to:${domainOf(address) ?? 'none'}`);
  const to = fields.find((f) => f.name === 'to')?.value;
  if (to === undefined) tokens.push('to:none');
  for (const match of [...(to ?? '').matchAll(/@([a-z0-9.-]+)/gi)].slice(0, 5)) tokens.push(`to:${registeredDomain(match[1] ?? '') ?? 'invalid'}`);
  const idDomain = content.messageId ? /@([^>\s]+)/.exec(content.messageId)?.[1] : undefined;
  tokens.push(content.messageId ? `message-id:${(idDomain && registeredDomain(idDomain)) ?? 'no-domain'}` : 'no-message-id');
  return tokens;
}

/** Content types, charsets and transfer encodings of the message and its parts, and a coarse count of parts. */
function structureTokens(raw: Buffer): string[] {
  const text = raw.subarray(0, maxStructureOctets).toString('latin1');
  const tokens: string[] = [];
  let parts = 0;
  for (const match of text.matchAll(/^content-type:\s*"?([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+)([^\r\n]*)/gim)) {
    parts++;
    tokens.push(`mime:${(match[1] ?? '').toLowerCase()}`);
    const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(match[2] ?? '')?.[1];
    if (charset) tokens.push(`charset:${charset.toLowerCase()}`);
  }
  for (const match of text.matchAll(/^content-transfer-encoding:\s*"?([\w-]+)/gim)) tokens.push(`encoding:${(match[1] ?? '').toLowerCase()}`);
  tokens.push(`mime-parts:${parts === 0 ? 'none' : parts === 1 ? 'one' : parts <= 3 ? 'few' : 'many'}`);
  return tokens;
}

export function headerTokens(content: MessageContent): string[] {
  const fields = headerFields(content.raw).filter((field) => !isVerdictField(field.name));
  const tokens: string[] = [];
  tokens.push(...addressTokens(content, fields));
  for (const field of fields.filter((f) => f.name === 'received').slice(0, maxReceived)) tokens.push(...receivedTokens(field.value));
  const mailer = fields.find((f) => f.name === 'x-mailer' || f.name === 'user-agent')?.value;
  tokens.push(...(mailer ? valueWords('x-mailer', mailer, 4) : ['x-mailer:none']));
  const type = content.headers.get('content-type')?.toLowerCase();
  tokens.push(`content-type:${type?.split(';')[0]?.trim() ?? 'none'}`);
  if (content.html !== '' && type?.startsWith('text/html')) tokens.push('html-only');
  tokens.push(...structureTokens(content.raw));
  return tokens;
}
