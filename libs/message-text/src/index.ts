// @mail/message-text: the text a reader sees in a message, for the services
// that look at words rather than octets — mailbox-store's full-text SEARCH
// index (RFC 9051 §6.4.4 TEXT and BODY) and spam-filter's classifier.
//
// - extractSearchText: a message's header fields and body text, decoded
//   (RFC 2045 transfer encodings, charsets, RFC 2047 encoded words, RFC 2231
//   file names, HTML reduced to its words) and folded for search;
//   rawSearchText is the undecoded fallback when that cannot be done.
// - foldSearchString: a SEARCH string in the same folded form (NFKC, lower
//   case, white space collapsed), so matching is a plain substring test.
// - htmlText: the words of an HTML part (markup, scripts, styles and
//   comments dropped, character references decoded), linear in its input.
// - decodeCharset, decodeEncodedWords, parameterText: the decoders beneath.

export { htmlText, decodeCharacterReferences, type HtmlText } from './html-text';
export { extractSearchText, rawSearchText, DEFAULT_SEARCH_TEXT_LIMITS, type SearchText, type SearchTextLimits } from './search-text';
export { foldSearchString, foldSearchUnit } from './search-fold';
export { decodeCharset, decodeUnlabeled } from './charset';
export { decodeEncodedWords, decodeExtendedValue, parameterText } from './encoded-words';
export { headerFields, type HeaderField } from './header-fields';
