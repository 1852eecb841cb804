import { defineContentRule } from './content-rule';

const hours = 96;

/**
 * RFC 5322 §3.6.1: the Date: is when the author submitted the message. One
 * written days before the message reached us was made up, or the message
 * sat in a spam run's queue (SpamAssassin's DATE_IN_PAST_96_XX).
 */
export default defineContentRule({
  name: 'DATE_IN_PAST_96',
  score: 0.5,
  description: `The Date: field is more than ${hours} hours before the message was received.`,
  test: (view) => {
    const [date, received] = [view.date, view.receivedAt];
    if (date === undefined || received === undefined) return false;
    const behind = (received.getTime() - date.time) / 3_600_000;
    return behind > hours ? `${Math.round(behind)} hours before receipt` : false;
  },
});
