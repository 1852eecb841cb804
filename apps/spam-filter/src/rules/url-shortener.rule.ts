import { defineContentRule } from './content-rule';
import { isShortenerHost } from './url-shorteners';

/** A link through a public URL shortener hides its destination from the reader and from domain lists. */
export default defineContentRule({
  name: 'URL_SHORTENER',
  score: 0.3,
  description: 'A link goes through a public URL shortener (bit.ly, tinyurl.com, ...).',
  test: (view) => view.linkHosts.find(isShortenerHost) ?? false,
});
