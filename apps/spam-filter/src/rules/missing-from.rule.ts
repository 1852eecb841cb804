import { defineContentRule } from './content-rule';

/** RFC 5322 §3.6: the originator (From:) is one of the two fields every message must have. */
export default defineContentRule({
  name: 'MISSING_FROM',
  score: 1,
  description: 'No From: field, which RFC 5322 §3.6 requires in every message.',
  test: (view) => view.header('from') === undefined,
});
