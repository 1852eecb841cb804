import { defineContentRule } from './content-rule';

/** Letters a subject needs before its case says anything (acronyms are short). */
const minLetters = 10;

/** A subject shouting in capitals (SpamAssassin's SUBJ_ALL_CAPS): more than 90 % of its letters upper case. */
export default defineContentRule({
  name: 'SUBJ_ALL_CAPS',
  score: 0.8,
  description: `The subject has at least ${minLetters} letters, nearly all of them capitals.`,
  test: (view) => {
    const letters = view.subject.replace(/[^\p{L}]/gu, '');
    if (letters.length < minLetters) return false;
    const capitals = letters.replace(/[^\p{Lu}]/gu, '').length;
    return capitals / letters.length > 0.9;
  },
});
