/**
 * The tokens the classifier learns and weighs, from a MIME-decoded message
 * (bogofilter and SpamAssassin tokenise alike): lower-cased words of the
 * body text (of the HTML part's text when there is no text part), pairs of
 * adjacent words from the start of the body and the subject, subject
 * words (`subject:` prefix, so they count apart), link domains (`url:`),
 * the HTML elements used (`html:`), and the header and MIME structure
 * tokens of header-tokens.ts. Each token counts once per message. Our own
 * X-Spam-* fields are never read, so training on tagged mail does not teach
 * the classifier its own verdicts.
 */
import { htmlText } from '@mail/message-text';
import { linkDomains } from '../content/link-domains';
import type { MessageContent } from '../content/message-content';
import { headerTokens } from './header-tokens';

/** Distinct tokens kept per message; a huge message gives no more weight than this. */
export const MAX_TOKENS = 3000;
const minWord = 3;
const maxWord = 24;
/**
 * Pairs of adjacent words (`cheap meds`) taken from the start of the body and
 * of the subject: on the SpamAssassin corpus the body's first 50 pairs caught
 * 4 to 5 points more spam at 1 to 4 false positives in its 4,150 ham, for
 * 30 % more tokens; every pair of the body (twice the tokens) paid little more
 * (docs/spam-evaluation.md).
 */
const maxBodyPairs = 50;
const maxSubjectPairs = 10;
/** At most this much body text is read. */
const maxTextLength = 200_000;

/** Whether a code unit is a letter or digit (\p{L}, \p{N}): ASCII by range, others looked up once and remembered. */
const letterOrDigit = /^[\p{L}\p{N}]$/u;
const nonAscii = new Uint8Array(0x10000); // 0 not yet known, 1 letter or digit, 2 neither
function isLetterOrDigit(code: number): boolean {
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
  let known = nonAscii[code];
  if (known === 0) {
    // A surrogate is half of a character outside the BMP (mostly emoji): not part of a word.
    known = code >= 0xd800 && code <= 0xdfff ? 2 : letterOrDigit.test(String.fromCharCode(code)) ? 1 : 2;
    nonAscii[code] = known;
  }
  return known === 1;
}
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
function isDigits(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}
/** ' ’ _ - join letters into one word (`don't`, `e-mail`) but never end one. */
const isJoiner = (code: number): boolean => code === 0x27 || code === 0x2019 || code === 0x5f || code === 0x2d;
/** $ € £ before a digit start an amount (`$100`, `€9.99`). */
const isCurrency = (code: number): boolean => code === 0x24 || code === 0x20ac || code === 0xa3;

/**
 * Adds the words of `text` to `tokens` under `prefix`, and the first `pairs`
 * pairs of adjacent words. A word is a letter or digit, then letters, digits
 * and joiners, ending in a letter or digit; an amount is a currency sign, a
 * digit, then digits, dots and commas, ending in a digit. Scanned by hand,
 * one string per word and no match objects: this loop is most of the
 * tokenizer's cost (a global regular expression cost twice as much).
 */
function addWords(tokens: Set<string>, text: string, prefix: string, pairs: number): void {
  const lower = (text.length > maxTextLength ? text.slice(0, maxTextLength) : text).toLowerCase();
  const length = lower.length;
  let previous: string | undefined;
  let at = 0;
  while (at < length && tokens.size < MAX_TOKENS) {
    const first = lower.charCodeAt(at);
    const start = at;
    let end: number;
    if (isLetterOrDigit(first)) {
      end = ++at;
      while (at < length) {
        const code = lower.charCodeAt(at);
        if (isLetterOrDigit(code)) end = ++at;
        else if (isJoiner(code)) at++;
        else break;
      }
    } else if (isCurrency(first) && isDigit(lower.charCodeAt(at + 1))) {
      at += 2;
      end = at;
      while (at < length) {
        const code = lower.charCodeAt(at);
        if (isDigit(code)) end = ++at;
        else if (code === 0x2e || code === 0x2c) at++;
        else break;
      }
    } else {
      at++;
      continue;
    }
    at = end;
    if (isDigit(first) && isDigits(lower, start, end)) {
      previous = undefined;
      continue;
    }
    const word = end - start > maxWord ? `sk:${lower.slice(start, start + 8)}` : lower.slice(start, end);
    // Long tokens (encoded junk, hashes) are reduced to a prefix, as SpamAssassin's "sk:" tokens; short words say nothing, amounts do.
    if (end - start < minWord && !isCurrency(first)) continue;
    tokens.add(prefix === '' ? word : prefix + word);
    if (previous !== undefined && pairs > 0) {
      // Unprefixed: a subject's pair counts as the same pair in the body (measured a little better than apart).
      tokens.add(`${previous} ${word}`);
      pairs--;
    }
    previous = word;
  }
}

/** The distinct tokens of a message, at most MAX_TOKENS. */
export function tokenize(content: MessageContent): string[] {
  const tokens = new Set<string>();
  addWords(tokens, content.subject, 'subject:', maxSubjectPairs);
  for (const token of headerTokens(content)) tokens.add(token);
  for (const domain of linkDomains(content.text, content.html)) tokens.add(`url:${domain}`);
  if (content.html !== '') for (const element of htmlText(content.html).elements) tokens.add(`html:${element}`);
  addWords(tokens, content.text, '', maxBodyPairs);
  return tokens.size > MAX_TOKENS ? [...tokens].slice(0, MAX_TOKENS) : [...tokens];
}

/** Whether learning the message teaches anything: one with neither subject nor text teaches nothing but header noise. */
export function teachesAnything(content: MessageContent): boolean {
  return content.subject.trim() !== '' || content.text.trim() !== '';
}
