import { defineContentRule } from './content-rule';

const hours = 24;

/**
 * RFC 5322 §3.6.1: the Date: is when the author submitted the message; one
 * more than a day after it reached us cannot be true (time zones differ by
 * at most 26 hours, and the zone is part of the date). Spam dated ahead
 * stays on top of a mailbox sorted by date (SpamAssassin's DATE_IN_FUTURE_*).
 */
export default defineContentRule({
  name: 'DATE_IN_FUTURE_24',
  score: 1,
  description: `The Date: field is more than ${hours} hours after the message was received.`,
  test: (view) => {
    const [date, received] = [view.date, view.receivedAt];
    if (date === undefined || received === undefined) return false;
    const ahead = (date.time - received.getTime()) / 3_600_000;
    return ahead > hours ? `${Math.round(ahead)} hours after receipt` : false;
  },
});
