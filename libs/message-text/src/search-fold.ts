/**
 * The form in which text is stored for search and a SEARCH string is looked
 * for (RFC 9051 §6.4.4: a substring, matched ignoring case). Both sides go
 * through the same fold, so matching is a plain substring test:
 *
 * - Unicode compatibility normalization (NFKC): `é` typed as one code point
 *   finds `e` + U+0301 in a message, `ﬁ` finds `fi`, full-width Latin finds
 *   ASCII;
 * - lower case by Unicode's default mapping (not ASCII only): `CRÊPES`
 *   finds `crêpes`, `ΣΟΦΊΑ` finds `σοφία`;
 * - every run of white space (line breaks included) as one space, so words
 *   a sender wrapped onto two lines are still found together;
 * - NUL (which PostgreSQL text cannot hold) as a space.
 *
 * This is close to RFC 5051's i;unicode-casemap without its decomposition
 * of accents: `crepes` does not find `crêpes`.
 */

const whitespace = /[\s\0]+/gu;

/** A SEARCH string folded for matching: white space collapsed, not trimmed (a leading space still asks for a word start). */
export function foldSearchString(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(whitespace, ' ');
}

/** One unit of stored text (a header field, a part's text, a file name), folded and trimmed. */
export function foldSearchUnit(text: string): string {
  return foldSearchString(text).trim();
}
