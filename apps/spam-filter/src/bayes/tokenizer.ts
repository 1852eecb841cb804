/**
 * The tokens the classifier learns and weighs, from a MIME-decoded message
 * (bogofilter and SpamAssassin tokenise alike): lower-cased words of the
 * body text (of the HTML part's text when there is no text part), subject
 * words (`subject:` prefix, so they count apart), link domains (`url:`),
 * the HTML elements used (`html:`), and the header and MIME structure
 * tokens of header-tokens.ts. Each token counts once per message. Our own
 * X-Spam-* fields are never read, so training on tagged mail does not teach
 * the classifier its own verdicts.
 */
import { htmlText } from '../content/html-text';
import { linkDomains } from '../content/link-domains';
import type { MessageContent } from '../content/message-content';
import { headerTokens } from './header-tokens';

/** Distinct tokens kept per message; a huge message gives no more weight than this. */
export const MAX_TOKENS = 3000;
const minWord = 3;
const maxWord = 24;
/** At most this much body text is read. */
const maxTextLength = 200_000;

const wordPattern = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*|[$€£]\d[\d.,]*/gu;

function words(text: string): string[] {
  const found: string[] = [];
  for (const match of text.slice(0, maxTextLength).toLowerCase().matchAll(wordPattern)) {
    const word = match[0].replace(/['’_.,-]+$/, '');
    if (/^\d+$/.test(word)) continue;
    // Long tokens (encoded junk, hashes) are reduced to a prefix, as SpamAssassin's "sk:" tokens.
    if (word.length > maxWord) found.push(`sk:${word.slice(0, 8)}`);
    else if (word.length >= minWord || /^[$€£]/.test(word)) found.push(word);
  }
  return found;
}

/** The distinct tokens of a message, at most MAX_TOKENS. */
export function tokenize(content: MessageContent): string[] {
  const tokens = new Set<string>();
  for (const word of words(content.subject)) tokens.add(`subject:${word}`);
  for (const token of headerTokens(content)) tokens.add(token);
  for (const domain of linkDomains(content.text, content.html)) tokens.add(`url:${domain}`);
  if (content.html !== '') for (const element of htmlText(content.html).elements) tokens.add(`html:${element}`);
  for (const word of words(content.text)) {
    if (tokens.size >= MAX_TOKENS) break;
    tokens.add(word);
  }
  return [...tokens].slice(0, MAX_TOKENS);
}

/** Whether learning the message teaches anything: one with neither subject nor text teaches nothing but header noise. */
export function teachesAnything(content: MessageContent): boolean {
  return content.subject.trim() !== '' || content.text.trim() !== '';
}
