import { defineContentRule } from './content-rule';

/** RFC 5322 §3.3 (and the obsolete forms of §4.3): a Date: that is no date-time was written by hand-made software. */
export default defineContentRule({
  name: 'INVALID_DATE',
  score: 1,
  description: 'The Date: field is not a date-time of RFC 5322 §3.3 (nor of its obsolete forms, §4.3).',
  test: (view) => {
    const field = view.header('date');
    return field !== undefined && view.date === undefined ? field.slice(0, 100) : false;
  },
});
