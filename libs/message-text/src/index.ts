// @mail/message-text: the text a reader sees in a message, for the services
// that look at words rather than octets — mailbox-store's full-text SEARCH
// index (RFC 9051 §6.4.4 TEXT and BODY) and spam-filter's classifier.
//
// - htmlText: the words of an HTML part (markup, scripts, styles and
//   comments dropped, character references decoded), linear in its input.

export { htmlText, decodeCharacterReferences, type HtmlText } from './html-text';
