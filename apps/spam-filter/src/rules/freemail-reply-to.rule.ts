import { domainOf } from '../content/message-content';
import { defineContentRule } from './content-rule';
import { isFreemailDomain } from './freemail-domains';

/**
 * RFC 5322 §3.6.2: Reply-To: says where answers go. Answers sent to a free
 * mail address of another domain than the sender's are what advance-fee
 * and phishing mail want (rspamd's FREEMAIL_REPLYTO_NEQ_FROM_DOM,
 * SpamAssassin's FREEMAIL_FORGED_REPLYTO).
 */
export default defineContentRule({
  name: 'FREEMAIL_REPLYTO',
  score: 1,
  description: 'Reply-To: is a free mail address of another domain than From:.',
  test: (view) => {
    const fromDomain = domainOf(view.content.fromAddresses[0] ?? '');
    const replyTo = view.content.replyToAddresses.find((address) => {
      const domain = domainOf(address);
      return domain !== undefined && domain !== fromDomain && isFreemailDomain(domain);
    });
    return replyTo ?? false;
  },
});
