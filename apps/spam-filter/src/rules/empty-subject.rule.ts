import { defineContentRule } from './content-rule';

/** RFC 5322 §3.6.5: the subject is optional, but people write one; a message with none or an empty one is a sign of bulk software. */
export default defineContentRule({
  name: 'EMPTY_SUBJECT',
  score: 0.5,
  description: 'The Subject: field is missing or empty.',
  test: (view) => view.subject.trim() === '',
});
