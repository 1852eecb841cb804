import { defineContentRule } from './content-rule';

/**
 * RFC 2046 §5.1.4: a multipart/alternative message offers the same text in
 * several forms; mailers that write HTML almost always add the plain-text
 * form beside it. HTML alone is common in bulk mail (SpamAssassin's
 * MIME_HTML_ONLY), and common enough in newsletters to stay a small score.
 */
export default defineContentRule({
  name: 'MIME_HTML_ONLY',
  score: 0.5,
  description: 'The message text is HTML only, with no text/plain form beside it.',
  test: (view) => {
    const parts = view.textParts;
    return parts.some((part) => part.contentType === 'text/html') && !parts.some((part) => part.contentType === 'text/plain');
  },
});
