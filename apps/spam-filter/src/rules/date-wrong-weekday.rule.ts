import { defineContentRule } from './content-rule';

const names = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * RFC 5322 §3.3: the day-of-week, when written, is the one of the date.
 * Mailers compute it from the clock; ratware that makes dates up gets it
 * wrong.
 */
export default defineContentRule({
  name: 'DATE_WRONG_WEEKDAY',
  score: 1,
  description: 'The Date: field names a day of the week the date does not fall on.',
  test: (view) => {
    const date = view.date;
    if (date?.writtenWeekday === undefined || date.writtenWeekday === date.weekdayOfDate) return false;
    return `${names[date.writtenWeekday] ?? '?'} written, the date is a ${names[date.weekdayOfDate] ?? '?'}`;
  },
});
