import { defineContentRule } from './content-rule';

/** RFC 5322 §3.6: the origination date (Date:) is one of the two fields every message must have. */
export default defineContentRule({
  name: 'MISSING_DATE',
  score: 1,
  description: 'No Date: field, which RFC 5322 §3.6 requires in every message.',
  test: (view) => view.header('date') === undefined,
});
