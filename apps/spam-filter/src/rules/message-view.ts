/**
 * The message as the content rules see it: built once per message from the
 * content the filter already parsed (MessageContent: mailparser's subject,
 * text and HTML, and the octets read), each further fact worked out the
 * first time a rule asks for it and kept — the MIME structure, the HTML's
 * visible text, images and links, the From display name, the time the
 * message was received. A message no rule asks about costs nothing more.
 */
import type { MessageContent } from '../content/message-content';
import { decodeEncodedWords } from './encoded-words';
import { htmlLinks, imageCount, shownMarkup, visibleText, type HtmlLink } from './html-reading';
import { textUrlHosts, urlHost } from './link-hosts';
import { mimeStructure, type HeaderField, type MimePart, type MimeStructure } from './mime-structure';
import { parseMessageDate, type MessageDate } from './rfc5322-date';

export type { HeaderField, HtmlLink, MessageDate, MimePart };

export interface MessageViewOptions {
  /**
   * When the message reached us (MailReceived.receivedAt); the date rules
   * compare the Date: field with it. Without it, the date of the topmost
   * Received: field in the message is used (a stored corpus), or no date
   * rule applies.
   */
  readonly receivedAt?: Date;
}

/** An address with the display name it was written with (RFC 5322 §3.4). */
export interface NamedAddress {
  /** Encoded words decoded, quotes removed; '' when there is none. */
  readonly name: string;
  /** As written (mailparser's address when the field parsed, else the angle-addr). */
  readonly address: string;
}

export class MessageView {
  #structure: MimeStructure | undefined;
  #shownHtml: string | undefined;
  #visibleHtmlText: string | undefined;
  #images: number | undefined;
  #links: readonly HtmlLink[] | undefined;
  #linkHosts: readonly string[] | undefined;
  #from: NamedAddress | null | undefined;
  #date: MessageDate | null | undefined;
  #receivedAt: Date | null | undefined;

  constructor(
    readonly content: MessageContent,
    private readonly options: MessageViewOptions = {},
  ) {}

  /** The subject, decoded (RFC 2047); '' when there is none. */
  get subject(): string {
    return this.content.subject;
  }

  /** The text parts, decoded. */
  get text(): string {
    return this.content.text;
  }

  /** The HTML part, decoded; '' when there is none. */
  get html(): string {
    return this.content.html;
  }

  /** Top-level header fields, in order, unfolded, still encoded. */
  get headers(): readonly HeaderField[] {
    return this.structure.headers;
  }

  /** The first field of this name (lower case), or undefined. */
  header(name: string): string | undefined {
    return this.structure.headers.find((field) => field.name === name)?.value;
  }

  /** Every field of this name (lower case). */
  headersNamed(name: string): string[] {
    return this.structure.headers.filter((field) => field.name === name).map((field) => field.value);
  }

  /** The leaf MIME parts (the message itself when it is not multipart). */
  get parts(): readonly MimePart[] {
    return this.structure.parts;
  }

  /** Parts shown as the message's text: text/plain and text/html that are no attachments. */
  get textParts(): readonly MimePart[] {
    return this.parts.filter((part) => !part.attachment && (part.contentType === 'text/plain' || part.contentType === 'text/html'));
  }

  /** The text a reader of the HTML part sees. */
  get htmlVisibleText(): string {
    this.#visibleHtmlText ??= visibleText(this.shownHtml);
    return this.#visibleHtmlText;
  }

  /** `<img>` elements in the HTML part. */
  get htmlImages(): number {
    this.#images ??= imageCount(this.shownHtml);
    return this.#images;
  }

  /** The HTML part's links with the text each shows. */
  get htmlLinks(): readonly HtmlLink[] {
    this.#links ??= htmlLinks(this.shownHtml);
    return this.#links;
  }

  /** Hosts of the http(s) links, in the HTML's hrefs and in the text (lower case, repeats kept). */
  get linkHosts(): readonly string[] {
    this.#linkHosts ??= [...this.htmlLinks.flatMap((link) => urlHost(link.href) ?? []), ...textUrlHosts(this.text)];
    return this.#linkHosts;
  }

  /** The Date: field read as a date-time; undefined when there is none or it is malformed (see header('date')). */
  get date(): MessageDate | undefined {
    if (this.#date === undefined) {
      const field = this.header('date');
      this.#date = (field === undefined ? undefined : parseMessageDate(field)) ?? null;
    }
    return this.#date ?? undefined;
  }

  /** The first From: mailbox with its display name, or undefined. */
  get from(): NamedAddress | undefined {
    if (this.#from === undefined) {
      const field = this.header('from');
      this.#from = field === undefined ? null : namedAddress(field, this.content.fromAddresses[0]);
    }
    return this.#from ?? undefined;
  }

  /** When the message reached us, or the date of its topmost Received: field; undefined when neither is known. */
  get receivedAt(): Date | undefined {
    if (this.#receivedAt === undefined) this.#receivedAt = this.options.receivedAt ?? receivedDate(this.header('received')) ?? null;
    return this.#receivedAt ?? undefined;
  }

  /** The HTML without what is never shown (comments, head, styles, scripts). */
  private get shownHtml(): string {
    this.#shownHtml ??= shownMarkup(this.html);
    return this.#shownHtml;
  }

  private get structure(): MimeStructure {
    this.#structure ??= mimeStructure(this.content.raw.toString('latin1'));
    return this.#structure;
  }
}

/** The view of a parsed message, for the content rules (contentRuleReasons). */
export function messageView(content: MessageContent, options: MessageViewOptions = {}): MessageView {
  return new MessageView(content, options);
}

/** `"Name" <a@b>`, `Name <a@b>`, `a@b (Name)` → name and address. */
function namedAddress(whole: string, parsedAddress: string | undefined): NamedAddress {
  const field = whole.slice(0, 1000);
  const angle = /<([^<>]*)>/.exec(field);
  const rawName = angle ? field.slice(0, angle.index) : (/\(([^()]*)\)/.exec(field)?.[1] ?? '');
  const name = decodeEncodedWords(rawName)
    .replace(/^\s*"|"\s*$/g, '')
    .replace(/\\(.)/g, '$1')
    .trim();
  return { name, address: parsedAddress ?? angle?.[1]?.trim() ?? field.trim() };
}

/** RFC 5321 §4.4: the date-time after the last `;` of a Received: field. */
function receivedDate(field: string | undefined): Date | undefined {
  if (field === undefined) return undefined;
  const at = field.lastIndexOf(';');
  if (at === -1) return undefined;
  const time = Date.parse(
    field
      .slice(at + 1)
      .replace(/\([^)]*\)/g, '')
      .trim(),
  );
  return Number.isNaN(time) ? undefined : new Date(time);
}
