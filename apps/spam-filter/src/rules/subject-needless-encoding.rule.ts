import { defineContentRule } from './content-rule';
import { hasEncodedWord } from './encoded-words';

/**
 * RFC 2047 §1: encoded words carry text that is not US-ASCII in a header.
 * A subject encoded although it is plain ASCII was encoded to hide its
 * words from filters that read the raw header.
 */
export default defineContentRule({
  name: 'SUBJ_NEEDLESS_ENCODING',
  score: 0.5,
  description: 'The subject is RFC 2047-encoded although its text is plain US-ASCII.',
  test: (view) => {
    const raw = view.header('subject');
    return raw !== undefined && hasEncodedWord(raw) && /^[\x20-\x7e]+$/.test(view.subject.trim());
  },
});
