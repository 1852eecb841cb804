import { defineContentRule } from './content-rule';

/** Outlook and Outlook Express (through 2007) build Message-IDs of hex digits: `<000801c2564a$1b2c3d40$6401a8c0@host>`. */
const outlookMessageId = /^<[0-9a-f]{12}\$[0-9a-f]{8}\$[0-9a-f]{8}@/i;
/** Hotmail and MSN sent their users' Outlook mail with Message-IDs of their own (`<OE17BcN7...@hotmail.com>`). */
const rewrittenByProvider = /@(?:[\w-]+\.)*(?:hotmail|msn)\.com>$/i;

/**
 * An X-Mailer claiming Outlook or Outlook Express on a message whose
 * Message-ID that program could not have written: ratware dressing up as
 * a common client (SpamAssassin's FORGED_MUA_OUTLOOK).
 */
export default defineContentRule({
  name: 'FORGED_MUA_OUTLOOK',
  score: 1.5,
  description: 'X-Mailer says Outlook, but the Message-ID is not one Outlook writes.',
  test: (view) => {
    const mailer = view.header('x-mailer');
    const id = view.header('message-id');
    if (mailer === undefined || id === undefined || !/^Microsoft Outlook(?: Express)? [4-6]\./i.test(mailer)) return false;
    return outlookMessageId.test(id) || rewrittenByProvider.test(id) ? false : mailer.slice(0, 100);
  },
});
